"""Ranking of ids and titles for autocomplete and for "did you mean" suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices
_WORD = re.compile(r"\w+")
#: Scripts written without spaces between words: a query word matches anywhere inside.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    title: str


def normalise(text: str) -> str:
    """NFKC (full-width Latin and half-width kana become ordinary), then case-folded."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _score(query: str, query_words: list[str], candidate: Candidate) -> int | None:
    """Lower is better; None means no match at all."""
    cid, title = candidate.id.lower(), normalise(candidate.title)
    if not query:
        return 50
    if query in (cid, title):
        return 0
    if cid.startswith(query) or title.startswith(query):
        return 1
    words = _words(cid) + _words(title)
    if query_words and all(any(w.startswith(q) for w in words)
                           or (_UNSPACED.search(q) is not None and q in title)
                           for q in query_words):
        return 2
    if query in cid or query in title:
        return 3
    return None


def rank(query: str, candidates: Iterable[Candidate],
         limit: int = AUTOCOMPLETE_LIMIT) -> list[Candidate]:
    """Candidates matching `query`, best first.

    Case-insensitive and NFKC-normalised; an exact id or title beats a prefix, which beats
    every query word starting some word of the id or title (so "kor tra" finds "Korea …
    trade"; a Japanese or Korean word, written without spaces, may stand anywhere in the
    title: "竹島 問題"), which beats a plain substring. Ties keep the original (article)
    order. An empty query lists the first `limit` candidates.
    """
    query = normalise(query)
    query_words = _words(query)
    scored = []
    for position, candidate in enumerate(candidates):
        score = _score(query, query_words, candidate)
        if score is not None:
            scored.append((score, position, candidate))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [candidate for _, _, candidate in scored[:limit]]


def closest(query: str, candidates: Iterable[Candidate], limit: int = 3) -> list[Candidate]:
    """The best guesses for a query that matched nothing exactly (typos, partial words)."""
    candidates = list(candidates)
    matches = rank(query, candidates, limit)
    if len(matches) >= limit:
        return matches
    by_key: dict[str, Candidate] = {}
    for candidate in candidates:
        by_key.setdefault(candidate.id.lower(), candidate)
        by_key.setdefault(normalise(candidate.title), candidate)
    for key in difflib.get_close_matches(normalise(query), list(by_key), n=limit * 2,
                                         cutoff=0.5):
        guess = by_key[key]
        if guess not in matches:
            matches.append(guess)
        if len(matches) >= limit:
            break
    return matches
