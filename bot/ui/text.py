"""Text helpers for Discord output: limits, splitting at natural boundaries, escaping."""

from __future__ import annotations

import re
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

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f]")


def split_text(text: str, limit: int) -> list[str]:
    """Split `text` into chunks of at most `limit` characters without losing anything.

    Breaks at paragraph boundaries when it can, then between sentences, then between
    words; only a single word longer than `limit` is cut inside (and nothing is dropped).
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
        pieces = [paragraph] if len(paragraph) <= limit else [
            piece for sentence in _SENTENCE_END.split(paragraph)
            for piece in _fit(sentence, limit)]
        out.append(("\n\n", pieces[0]))
        out.extend((" ", piece) for piece in pieces[1:])
    return out


def _fit(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    current = ""
    for word in sentence.split():
        while len(word) > limit:  # a monster "word": cut it, keep every character
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= limit:
            current += " " + word
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    return out


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters at a word boundary, with an ellipsis when cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


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


def member_name(user: discord.abc.User) -> str:
    """A member's display name as stored and shown (cleaned, at most 80 characters)."""
    return clip(clean_user_text(user.display_name) or str(user.id), 80)
