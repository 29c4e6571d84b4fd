"""Splitting long text for Discord: never over a limit, nothing lost, no word cut."""

from __future__ import annotations

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
