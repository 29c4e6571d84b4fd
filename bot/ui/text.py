"""Text helpers for Discord output: limits, splitting at natural boundaries, escaping."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import discord

# Discord's documented limits (see discord-api/openapi.json).
MESSAGE_CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000
EMBEDS_PER_MESSAGE = 10
CHOICE_NAME = 100

#: Between sentences: the whitespace after . ! ? … (kept as the joiner), or nothing after
#: the CJK full stops 。！？ (Japanese and Korean need no space there).
_SENTENCE_BREAK = re.compile(r"((?<=[.!?…])\s+|(?<=[。！？])\s*)")
#: Between words: whitespace, or nothing after the ideographic comma 、 (CJK has no spaces).
_WORD_BREAK = re.compile(r"(\s+|(?<=[、，]))")
_CJK_BREAKS = "。！？、"
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f]")
_ZWJ = "\u200d"

# Lengths are counted in code points, as Discord counts a message's or embed's characters; a
# Python string never holds half a surrogate pair, so a cut can only split a grapheme
# (an emoji with modifiers, a letter with combining marks), which `safe_cut` prevents.


def _joins_previous(char: str) -> bool:
    """Whether `char` belongs to the grapheme before it (so a cut before it splits one)."""
    code = ord(char)
    return (unicodedata.category(char).startswith("M") or char == _ZWJ
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF  # variation selectors
            or 0x1F3FB <= code <= 0x1F3FF  # skin tones
            or 0xE0020 <= code <= 0xE007F)  # tag characters (flag sequences)


def safe_cut(text: str, at: int) -> int:
    """The largest index ≤ `at` where `text` can be cut without splitting a grapheme (at
    least 1 when `at` ≥ 1, so a cut always makes progress)."""
    at = min(at, len(text))
    cut = at
    while 0 < cut < len(text) and (_joins_previous(text[cut]) or text[cut - 1] == _ZWJ
                                   or _regional_pair(text, cut)):
        cut -= 1
    return cut if cut > 0 or at == 0 else at


def _regional_pair(text: str, at: int) -> bool:
    """A cut between the two regional indicators of one flag."""
    def regional(c: str) -> bool:
        return 0x1F1E6 <= ord(c) <= 0x1F1FF
    if not (regional(text[at - 1]) and regional(text[at])):
        return False
    run = 0
    while at - 1 - run >= 0 and regional(text[at - 1 - run]):
        run += 1
    return run % 2 == 1


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into chunks of at most `limit` characters without losing anything.

    Breaks at paragraph boundaries when it can, then between sentences (after . ! ? and
    after 。！？), then between words (at spaces, or after 、 in Japanese); only a single
    word longer than `limit` is cut inside, never inside a grapheme (nothing is dropped).
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    return _pack(_pieces(text.strip(), limit), limit)


def _pack(pieces: Iterable[tuple[str, str]], limit: int) -> list[str]:
    """Greedily join (joiner, piece) pairs into chunks of at most `limit` characters."""
    chunks: list[str] = []
    current = ""
    for joiner, piece in pieces:
        if current and len(current) + len(joiner) + len(piece) <= limit:
            current += joiner + piece
        else:
            if current:
                chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def _pieces(text: str, limit: int) -> list[tuple[str, str]]:
    """(joiner, piece) pairs: paragraphs, or their sentences or words when too long."""
    out: list[tuple[str, str]] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph) <= limit:
            out.append(("\n\n", paragraph))
            continue
        pieces: list[tuple[str, str]] = []
        for joiner, sentence in _split_keeping(_SENTENCE_BREAK, paragraph):
            fitted = _fit(sentence, limit)
            pieces.append((joiner, fitted[0][1]))
            pieces.extend(fitted[1:])
        out.append(("\n\n", pieces[0][1]))
        out.extend(pieces[1:])
    return out


def _split_keeping(pattern: re.Pattern[str], text: str) -> list[tuple[str, str]]:
    """`text` split at `pattern`, each piece with the separator that came before it."""
    out: list[tuple[str, str]] = []
    joiner = ""
    for index, part in enumerate(pattern.split(text)):
        if index % 2:
            joiner += part
        elif part:
            out.append((joiner, part))
            joiner = ""
    return out


def _fit(sentence: str, limit: int) -> list[tuple[str, str]]:
    """A sentence as (joiner, piece) pairs of at most `limit` characters each."""
    if len(sentence) <= limit:
        return [("", sentence)]
    out: list[tuple[str, str]] = []
    for joiner, word in _split_keeping(_WORD_BREAK, sentence):
        while len(word) > limit:  # a monster "word": cut it, keep every character
            cut = safe_cut(word, limit)
            out.append((joiner, word[:cut]))
            word, joiner = word[cut:], ""
        out.append((joiner, word))
    return _pack_pairs(out, limit)


def _pack_pairs(pairs: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """Join (joiner, word) pairs into pieces of at most `limit`, keeping each piece's joiner."""
    out: list[tuple[str, str]] = []
    for joiner, word in pairs:
        if out and len(out[-1][1]) + len(joiner) + len(word) <= limit:
            out[-1] = (out[-1][0], out[-1][1] + joiner + word)
        else:
            out.append((joiner if out else "", word))
    return out


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters with an ellipsis when cut: after a sentence or clause
    (。！？、) or at a space when one falls in the second half, never inside a grapheme."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: safe_cut(text, limit - 1)]
    half = limit // 2
    clause = max(cut.rfind(mark) for mark in _CJK_BREAKS)
    if clause >= half:
        cut = cut[: clause + 1]
    elif " " in cut[half:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.、") + "…"


def clean_user_text(text: str) -> str:
    """Normalise text typed by a member: drop control characters, trim outer whitespace."""
    return _CONTROL.sub("", text).strip()


def escape_user_text(text: str) -> str:
    """Make member text safe to echo: no markdown tricks, no mass mentions."""
    escaped = discord.utils.escape_markdown(clean_user_text(text))
    return discord.utils.escape_mentions(escaped)


def embed_size(embed: discord.Embed) -> int:
    """Characters Discord counts towards the 6,000 total of a message's embeds."""
    return len(embed)


def chunk_lines(lines: list[str], limit: int) -> list[str]:
    """Group whole lines into chunks of at most `limit` characters (long lines are split)."""
    return _pack((("\n", piece) for line in lines
                  for piece in (split_text(line, limit) if len(line) > limit else [line])),
                 limit)


def jump_url(guild_id: int, channel_id: int | None,
             message_id: int | None = None) -> str | None:
    """A link that opens a channel, or a message in it, in the Discord client."""
    if channel_id is None:
        return None
    return f"https://discord.com/channels/{guild_id}/{channel_id}" + (
        f"/{message_id}" if message_id is not None else "")


def member_name(user: discord.abc.User) -> str:
    """A member's display name as stored and shown (cleaned, at most 80 characters)."""
    return clip(clean_user_text(user.display_name) or str(user.id), 80)
