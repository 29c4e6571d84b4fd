"""Splitting long text for Discord: never over a limit, nothing lost, no word cut."""

from __future__ import annotations

import itertools
import re

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import text
from bot.ui.reading import group_for_messages


def words(chunks: list[str]) -> list[str]:
    return " ".join(chunks).split()


def test_short_text_is_one_chunk() -> None:
    assert text.split_text("  hello world  ", 4096) == ["hello world"]
    assert text.split_text("", 10) == []


def test_exactly_at_the_limit_is_not_split() -> None:
    body = "a" * 4095 + "."
    assert text.split_text(body, text.EMBED_DESCRIPTION) == [body]


def test_one_over_the_limit_splits_at_a_word() -> None:
    body = ("word " * 820).strip() + " end."  # 4,104 characters
    chunks = text.split_text(body, text.EMBED_DESCRIPTION)
    assert len(chunks) == 2
    assert all(len(c) <= text.EMBED_DESCRIPTION for c in chunks)
    assert words(chunks) == body.split()


def test_paragraphs_are_kept_together_when_possible() -> None:
    first, second = "A" * 30 + ".", "B" * 30 + "."
    assert text.split_text(f"{first}\n\n{second}", 40) == [first, second]
    assert text.split_text(f"{first}\n\n{second}", 80) == [f"{first}\n\n{second}"]


def test_sentences_before_words() -> None:
    body = "One two three. Four five six. Seven eight nine."
    assert text.split_text(body, 30) == ["One two three. Four five six.", "Seven eight nine."]


def test_a_giant_word_is_cut_but_kept_whole() -> None:
    chunks = text.split_text("x" * 25, 10)
    assert chunks == ["x" * 10, "x" * 10, "x" * 5]


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=600), st.integers(5, 80))
def test_split_never_exceeds_and_never_loses_words(body: str, limit: int) -> None:
    chunks = text.split_text(body, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    # Every non-space character survives in order (words may only be cut if > limit).
    assert re.sub(r"\s", "", "".join(chunks)) == re.sub(r"\s", "", body)


def test_clip_marks_the_cut() -> None:
    assert text.clip("short", 10) == "short"
    clipped = text.clip("the quick brown fox jumps", 12)
    assert len(clipped) <= 12 and clipped.endswith("…") and clipped == "the quick…"


def test_escape_user_text_neutralises_mentions_and_markdown() -> None:
    out = text.escape_user_text("@everyone **bold** <@123> \x07bell")
    assert "@everyone" not in out
    assert "\\*\\*bold\\*\\*" in out
    assert "\x07" not in out


@pytest.mark.parametrize("sizes", [[4000, 4000], [1000] * 12, [5999], [3000, 2999, 1]])
def test_group_for_messages_respects_total_and_count(sizes: list[int]) -> None:
    embeds = [discord.Embed(description="x" * size) for size in sizes]
    pages = group_for_messages(embeds)
    assert sum(len(p) for p in pages) == len(embeds)
    for page in pages:
        assert len(page) <= text.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in page) <= text.EMBED_TOTAL


def test_chunk_lines_keeps_lines_whole() -> None:
    lines = [f"line {i:02d} " + "z" * 40 for i in range(30)]
    chunks = text.chunk_lines(lines, 200)
    assert all(len(c) <= 200 for c in chunks)
    assert "\n".join(chunks).split("\n") == lines


# --------------------------------------------------------------------------- CJK and graphemes

JAPANESE = ("日韓関係は歴史と利益の間で揺れてきた。記事はその両面を描いている！"
            "では、どう折り合うのか？答えは一つではない。")


def test_japanese_splits_after_full_stops_and_adds_no_spaces() -> None:
    chunks = text.split_text(JAPANESE, 40)
    assert all(len(c) <= 40 for c in chunks)
    assert "".join(chunks) == JAPANESE  # nothing lost, nothing added
    assert all(c[-1] in "。！？" for c in chunks)


def test_a_long_japanese_sentence_breaks_after_its_commas() -> None:
    sentence = "、".join(["条約の解釈をめぐる対立"] * 8) + "。"
    chunks = text.split_text(sentence, 30)
    assert "".join(chunks) == sentence
    assert all(len(c) <= 30 and c.endswith(("、", "。")) for c in chunks)


def test_a_cut_never_splits_an_emoji_or_a_combining_mark() -> None:
    family, thumbs, flag = "👩\u200d👩\u200d👧", "👍🏽", "🇯🇵"
    body = (family + thumbs + flag + "e\u0301") * 12
    for limit in range(5, 20):  # the longest grapheme here is 5 code points
        chunks = text.split_text(body, limit)
        assert "".join(chunks) == body and all(len(c) <= limit for c in chunks)
        for chunk in chunks[1:]:
            assert not text._joins_previous(chunk[0])
        for left, right in itertools.pairwise(chunks):
            assert left[-1] != "\u200d"
            # The flag's two regional indicators stay together (no two flags touch here).
            assert not ("\U0001F1E6" <= left[-1] <= "\U0001F1FF"
                        and "\U0001F1E6" <= right[0] <= "\U0001F1FF")


def test_clip_cuts_japanese_after_a_sentence_and_korean_at_a_space() -> None:
    clipped = text.clip(JAPANESE, 30)
    assert len(clipped) <= 30 and clipped == "日韓関係は歴史と利益の間で揺れてきた。…"
    korean = "한일 관계는 역사와 이익 사이에서 흔들려 왔다 기사는 그 양면을 그린다"
    clipped = text.clip(korean, 20)
    assert len(clipped) <= 20 and clipped.endswith("…") and korean.startswith(clipped[:-1])
    assert text.clip("👍🏽" * 10, 6) == "👍🏽👍🏽…"


@given(st.text(alphabet=st.sampled_from("あ漢한。、！ .\n👍🏽\u0301"), max_size=400),
       st.integers(3, 60))
def test_cjk_split_never_exceeds_and_never_loses_a_character(body: str, limit: int) -> None:
    chunks = text.split_text(body, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert re.sub(r"\s", "", "".join(chunks)) == re.sub(r"\s", "", body)
