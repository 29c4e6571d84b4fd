"""Editorial checks on the content pack: originality, place names, structure, balance.

Originality: no text field may share a run of 9 or more consecutive words with the seed
article (after normalisation). The seed lives outside the repository
(`<repo>/../shared/seed/japan-korea-relations.txt`), so a copy-free fingerprint of it is
committed next to this file: `seed_ngrams.txt` holds the sorted, de-duplicated SHA-1 digests
(first 16 hex characters) of every normalised 9-word window of the seed, one per line.
The fingerprint check always runs; when the seed itself is present, the tests also report
the exact longest shared run and assert that the fingerprint is up to date.

Regenerate the fingerprint after the seed changes (from the repository root):

    .venv/bin/python tests/content/test_originality.py --write-fingerprint
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

from bot.core.content import ContentError, ContentPack, load_pack

REPO = Path(__file__).resolve().parents[2]
CONTENT_DIR = REPO / "content"
SEED_PATH = REPO.parent / "shared" / "seed" / "japan-korea-relations.txt"
FINGERPRINT_PATH = Path(__file__).resolve().with_name("seed_ngrams.txt")

WINDOW = 9  # a shared run of this many words counts as copying
DIGEST_CHARS = 16

EXPECTED_ENTRIES: tuple[tuple[str, str | None], ...] = (
    ("overview", None),
    ("historical-background", None),
    ("colonial-era-and-wartime-legacies", "historical-background"),
    ("postwar-normalization-and-reparations", "historical-background"),
    ("cold-war-to-the-present", "historical-background"),
    ("recent-tensions", "historical-background"),
    ("security-and-alliance-framework", None),
    ("us-japan-security-arrangement", "security-and-alliance-framework"),
    ("north-korea-policy-and-deterrence", "security-and-alliance-framework"),
    ("territorial-disputes-and-peaceful-management", "security-and-alliance-framework"),
    ("economic-security-and-supply-chains", "security-and-alliance-framework"),
    ("economic-relations", None),
    ("trade-and-investment", "economic-relations"),
    ("innovation-and-industrial-collaboration", "economic-relations"),
    ("historical-issues-and-economic-policy", "economic-relations"),
    ("tourism-culture-and-people-flows", "economic-relations"),
    ("territorial-and-historical-issues", None),
    ("dokdo-takeshima-dispute", "territorial-and-historical-issues"),
    ("historical-accountability-and-policy-harmonization", "territorial-and-historical-issues"),
    ("cultural-ties", None),
    ("exchange-and-education", "cultural-ties"),
    ("media-and-public-sentiment", "cultural-ties"),
    ("controversies-and-debates", None),
    ("history-versus-interests", "controversies-and-debates"),
    ("peace-through-strength-vs-diplomacy", "controversies-and-debates"),
    ("territorial-disputes-and-escalation", "controversies-and-debates"),
    ("trade-frictions-and-economic-policy", "controversies-and-debates"),
    ("alignment-with-regional-powers", "controversies-and-debates"),
)

# --- normalisation and n-grams ------------------------------------------------------------

_UNIFY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
})
_WORD = re.compile(r"[^\W_]+")


def normalize_words(text: str) -> list[str]:
    """Lowercase, unify curly quotes and dashes, and split on anything that is not a word
    character (so "Japan’s" -> ["japan", "s"] and "Japan–Korea" -> ["japan", "korea"])."""
    return _WORD.findall(text.translate(_UNIFY).lower())


def ngram_digest(words: Sequence[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def windows(words: Sequence[str], n: int) -> Iterable[tuple[str, ...]]:
    return (tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def fingerprint(text: str, n: int = WINDOW) -> list[str]:
    """The sorted, de-duplicated digests of every normalised n-word window of `text`."""
    return sorted({ngram_digest(w) for w in windows(normalize_words(text), n)})


def fingerprint_hits(text: str, digests: set[str], n: int = WINDOW) -> list[str]:
    """Every n-word window of `text` whose digest is in `digests`, as readable strings."""
    return [" ".join(w) for w in windows(normalize_words(text), n) if ngram_digest(w) in digests]


def longest_shared_run(text: str, reference: str) -> list[str]:
    """The longest run of consecutive normalised words that `text` shares with `reference`.

    Sharing a run of n words implies sharing one of every shorter length, so binary-search
    the length; each probe hashes the reference's n-grams into a set and scans `text` once.
    """
    ours, theirs = normalize_words(text), normalize_words(reference)

    def shared(n: int) -> tuple[str, ...] | None:
        if n == 0:
            return ()
        seen = set(windows(theirs, n))
        return next((w for w in windows(ours, n) if w in seen), None)

    low, high = 0, min(len(ours), len(theirs))  # invariant: a run of `low` words is shared
    best: tuple[str, ...] = ()
    while low < high:
        mid = (low + high + 1) // 2
        run = shared(mid)
        if run is None:
            high = mid - 1
        else:
            low, best = mid, run
    return list(best)


# --- the pack -------------------------------------------------------------------------------

def pack_fields(pack: ContentPack) -> list[tuple[str, str]]:
    """Every prose field of the pack as (label, text). Entry titles are excluded: they reuse
    the seed's headings on purpose."""
    out: list[tuple[str, str]] = [("article.source", pack.article.source)]
    for e in pack.article.entries:
        out += [(f"article:{e.id}.short", e.short), (f"article:{e.id}.full", e.full)]
        out += [(f"article:{e.id}.background[{i}]", b.text)
                for i, b in enumerate(e.background, 1)]
        out += [(f"article:{e.id}.perspectives[{i}]", p.view)
                for i, p in enumerate(e.perspectives, 1)]
    for t in pack.topics:
        out += [(f"topics:{t.id}.framing", t.framing), (f"topics:{t.id}.motion", t.motion)]
        out += [(f"topics:{t.id}.pro[{i}]", p) for i, p in enumerate(t.pro, 1)]
        out += [(f"topics:{t.id}.con[{i}]", c) for i, c in enumerate(t.con, 1)]
        out += [(f"topics:{t.id}.key_terms[{i}].gloss", k.gloss)
                for i, k in enumerate(t.key_terms, 1)]
    return out


def _read_fingerprint() -> set[str]:
    return set(FINGERPRINT_PATH.read_text(encoding="utf-8").split())


def _seed_or_skip() -> str:
    if not SEED_PATH.is_file():
        pytest.skip(f"seed article not present at {SEED_PATH} (repository checked out alone); "
                    "the committed fingerprint check still ran")
    return SEED_PATH.read_text(encoding="utf-8")


try:
    PACK: ContentPack | None = load_pack(CONTENT_DIR)
    LOAD_ERROR = ""
except ContentError as exc:  # reported by test_pack_loads, not as a collection error
    PACK, LOAD_ERROR = None, str(exc)
FIELDS = pack_fields(PACK) if PACK else []


@pytest.fixture
def pack() -> ContentPack:
    if PACK is None:
        pytest.fail(f"content pack does not load:\n{LOAD_ERROR}")
    return PACK


def test_pack_loads() -> None:
    assert PACK is not None, f"content pack does not load:\n{LOAD_ERROR}"
    assert PACK.summary_line() == "28 entries, 5 topics, 3 formats"


# --- the run finder itself ------------------------------------------------------------------

def test_longest_shared_run_finds_eight_words() -> None:
    a = "Alpha beta gamma delta epsilon zeta eta theta stops here."
    b = "Before: alpha, beta gamma DELTA epsilon zeta eta theta; then something else."
    run = longest_shared_run(a, b)
    assert " ".join(run) == "alpha beta gamma delta epsilon zeta eta theta"
    assert len(run) == 8


def test_longest_shared_run_finds_nine_words_despite_curly_quotes_and_dashes() -> None:
    a = "We said Japan’s north–south line runs one two here."
    b = "they said japan's north-south line runs one two there"
    run = longest_shared_run(a, b)
    assert " ".join(run) == "said japan s north south line runs one two"
    assert len(run) == 9
    assert longest_shared_run("nothing in common", "at all here") == []


def test_fingerprint_flags_nine_but_not_eight() -> None:
    seed = "one two three four five six seven eight nine ten"
    digests = set(fingerprint(seed))
    assert fingerprint_hits("x one two three four five six seven eight y", digests) == []
    assert fingerprint_hits("x one two three four five six seven eight nine y", digests) == [
        "one two three four five six seven eight nine"]


# --- originality ----------------------------------------------------------------------------

def test_fingerprint_file_is_present_and_plausible() -> None:
    assert FINGERPRINT_PATH.is_file(), f"{FINGERPRINT_PATH} is missing; regenerate it"
    lines = FINGERPRINT_PATH.read_text(encoding="utf-8").split()
    assert len(lines) > 500, "the seed fingerprint looks truncated"
    assert lines == sorted(set(lines))
    assert all(re.fullmatch(r"[0-9a-f]{16}", line) for line in lines)


def test_fingerprint_matches_seed() -> None:
    seed = _seed_or_skip()
    assert FINGERPRINT_PATH.read_text(encoding="utf-8").split() == fingerprint(seed), (
        "seed_ngrams.txt is out of date; run "
        ".venv/bin/python tests/content/test_originality.py --write-fingerprint")


@pytest.mark.parametrize(("label", "text"), FIELDS, ids=[label for label, _ in FIELDS])
def test_no_nine_word_run_from_seed_fingerprint(label: str, text: str) -> None:
    hits = fingerprint_hits(text, _read_fingerprint())
    assert not hits, f"{label} shares a {WINDOW}-word run with the seed: {hits[0]!r}"


def test_no_nine_word_run_from_seed_text() -> None:
    seed = _seed_or_skip()
    too_long = []
    for label, text in FIELDS:
        run = longest_shared_run(text, seed)
        if len(run) >= WINDOW:
            too_long.append(f"{label}: {len(run)} words: {' '.join(run)!r}")
    assert not too_long, "copied from the seed:\n" + "\n".join(too_long)


# --- place names ----------------------------------------------------------------------------
# Both names of a disputed place, in each language's order, are checked by `content check`
# (bot/core/content_policy.py; tests/content/test_policy.py), which also allows a single name
# inside quotation marks, as when a perspective quotes a government.


# --- structure and balance ------------------------------------------------------------------

def test_entries_are_the_expected_28_in_order(pack: ContentPack) -> None:
    got = tuple((e.id, e.parent) for e in pack.article.entries)
    assert got == EXPECTED_ENTRIES


def test_topics_are_the_five_controversies(pack: ContentPack) -> None:
    controversies = [e.id for e in pack.article.children("controversies-and-debates")]
    assert [t.id for t in pack.topics] == controversies
    assert len(controversies) == 5


def test_motions_start_with_this_house_believes(pack: ContentPack) -> None:
    bad = [t.id for t in pack.topics if not t.motion.startswith("This house believes")]
    assert not bad, f"motions not starting with 'This house believes': {bad}"


def test_pro_and_con_are_balanced(pack: ContentPack) -> None:
    report = []
    for t in pack.topics:
        pro, con = sum(map(len, t.pro)), sum(map(len, t.con))
        if abs(pro - con) > 0.2 * max(pro, con):
            report.append(f"{t.id}: pro {pro} vs con {con} characters")
    assert not report, "pro/con totals differ by more than 20%:\n" + "\n".join(report)


def _write_fingerprint() -> None:
    digests = fingerprint(SEED_PATH.read_text(encoding="utf-8"))
    FINGERPRINT_PATH.write_text("\n".join(digests) + "\n", encoding="utf-8")
    print(f"wrote {len(digests)} digests to {FINGERPRINT_PATH}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-fingerprint"]:
        sys.exit("usage: python tests/content/test_originality.py --write-fingerprint")
    _write_fingerprint()
