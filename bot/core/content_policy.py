"""The editorial policy of the content pack, as checks (`python -m bot content check`).

`load_pack` checks that a pack is well-formed; this module checks that it says what the article
says and says it fairly (content/README.md states the policy in prose):

- a summary (`short`, `full`) names no year, number or name the article does not give, and a
  full summary is at most `MAX_LENGTH_RATIO` times the words of the part it summarises;
- entry titles are the article's headings, and the pack carries its disclaimer;
- a disputed place is named by both names at every mention, in the pack's order, and no
  one-sided term from the glossary appears in Rostrum's own voice (only inside quotes);
- a topic brief's outside facts are sourced;
- every locale pack has the English pack's ids and structure, fits Discord's limits in
  characters, and shares no long run of characters with the article.

What the article gives (its years, numbers, names and the length of each part) is derived from
the seed once, by `derive_facts`, and committed as `content/policy/article_facts.yaml`, so the
check runs without the seed beside the repository.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.content import Article, ContentError, ContentPack, Problem, load_library

FACTS_FILE = Path("policy") / "article_facts.yaml"
FINGERPRINT_FILE = Path("policy") / "seed_characters.txt"
GLOSSARY_FILE = "glossary.yaml"
OVERVIEW = "Overview"  # the article's untitled lead
MAX_LENGTH_RATIO = 1.5
#: Discord's limits, in characters: where each text is shown.
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024
CHOICE_NAME = 100
#: For languages written without spaces, a shared run this long (in characters, spaces and
#: punctuation ignored) counts as copying; for English the word rule of the originality test.
SHARED_RUN_CHARS = 20

_WORD = re.compile(r"[\w’'-]+")
_NUMBER = re.compile(r"\d+")
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*")  # "Japan's" → "Japan"
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[“\"(]\s*)$")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|「[^」]*」|『[^』]*』")


# --------------------------------------------------------------------------- article facts


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    numbers: frozenset[str]
    names: frozenset[str]
    part_words: Mapping[str, int]  # heading → words of that part of the article


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def derive_facts(seed: str, headings: Iterable[str]) -> dict[str, Any]:
    """The facts of the article: its numbers, capitalised names, and words per part.

    `headings` are the section titles (lines of their own); a subsection is a paragraph that
    opens with its title and a full stop; the lead before the first section is the overview.
    """
    sections = set(headings)
    lines = [line.strip() for line in seed.splitlines() if line.strip()][1:]  # drop page title
    parts: dict[str, int] = {OVERVIEW: 0}
    section = OVERVIEW
    for line in lines:
        if line in sections:
            section = line
            parts[section] = 0
            continue
        words = _words(line)
        parts[section] += words
        title, _, rest = line.partition(". ")
        if section != OVERVIEW and rest:
            parts[title] = words
    text = "\n".join(lines)
    return {
        "numbers": sorted(set(_NUMBER.findall(text)), key=int),
        "names": sorted(_names_in(text)),
        "part_words": parts,
    }


def load_facts(content_dir: Path) -> ArticleFacts | None:
    path = content_dir / FACTS_FILE
    if not path.exists():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ArticleFacts(numbers=frozenset(str(n) for n in data["numbers"]),
                        names=frozenset(data["names"]),
                        part_words=dict(data["part_words"]))


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True, slots=True)
class NamePair:
    """A place with two names, and how each language writes the pair (its order)."""

    names: Mapping[str, tuple[str, str]]  # language → (first name, second name)
    forms: Mapping[str, str]  # language → the pair as written, e.g. "Dokdo/Takeshima"


@dataclass(frozen=True, slots=True)
class Glossary:
    pairs: tuple[NamePair, ...]
    one_sided: Mapping[str, tuple[str, ...]]  # language → terms never used unquoted

    def names(self) -> set[str]:
        return {name for pair in self.pairs for both in pair.names.values() for name in both}


def load_glossary(content_dir: Path) -> Glossary:
    data = yaml.safe_load((content_dir / GLOSSARY_FILE).read_text(encoding="utf-8"))
    pairs = []
    for item in data["disputed_names"]:
        names = {lang: (str(v["first"]), str(v["second"])) for lang, v in item.items()}
        forms = {lang: str(v["written"]) for lang, v in item.items()}
        pairs.append(NamePair(names, forms))
    one_sided = {lang: tuple(str(t) for t in terms)
                 for lang, terms in data["one_sided_terms"].items()}
    return Glossary(tuple(pairs), one_sided)


# --------------------------------------------------------------------------- texts


@dataclass(frozen=True, slots=True)
class Text:
    file: str
    entry: str | None
    field: str
    value: str
    limit: int  # Discord's limit for where it is shown, in characters
    voice: bool = True  # Rostrum's own voice (not a source's title)


def pack_texts(pack: ContentPack) -> Iterator[Text]:
    """Every text of a pack a member can read, with where it is shown."""
    a = "article.yaml"
    yield Text(a, None, "source", pack.article.source, EMBED_FIELD)
    for e in pack.article.entries:
        yield Text(a, e.id, "title", e.title, CHOICE_NAME)
        yield Text(a, e.id, "short", e.short, EMBED_DESCRIPTION)
        yield Text(a, e.id, "full", e.full, EMBED_DESCRIPTION)
        for i, item in enumerate(e.background, 1):
            yield Text(a, e.id, f"background[{i}]", item.text, EMBED_FIELD)
            for s in item.sources:
                yield Text(a, e.id, f"background[{i}].source", s.title, EMBED_FIELD, voice=False)
        for i, view in enumerate(e.perspectives, 1):
            yield Text(a, e.id, f"perspectives[{i}]", view.view, EMBED_FIELD)
            yield Text(a, e.id, f"perspectives[{i}].holder", view.holder, EMBED_FIELD)
    t = "topics.yaml"
    for topic in pack.topics:
        yield Text(t, topic.id, "title", topic.title, CHOICE_NAME)
        yield Text(t, topic.id, "motion", topic.motion, EMBED_FIELD)
        yield Text(t, topic.id, "framing", topic.framing, EMBED_DESCRIPTION)
        for side in ("pro", "con"):
            for i, point in enumerate(getattr(topic, side), 1):
                yield Text(t, topic.id, f"{side}[{i}]", point, EMBED_FIELD)
        for term in topic.key_terms:
            yield Text(t, topic.id, f"key_terms.{term.term}", f"{term.term}: {term.gloss}",
                       EMBED_FIELD)
        for s in topic.sources:
            yield Text(t, topic.id, "sources", s.title, EMBED_FIELD, voice=False)
    f = "formats.yaml"
    for fmt in pack.formats:
        yield Text(f, fmt.id, "title", fmt.title, CHOICE_NAME)
        yield Text(f, fmt.id, "description", fmt.description, EMBED_DESCRIPTION)
        for phase in fmt.phases:
            yield Text(f, fmt.id, f"phases.{phase.id}", phase.title, CHOICE_NAME)


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


# --------------------------------------------------------------------------- rules


def check_both_names(texts: Iterable[Text], glossary: Glossary, lang: str) -> list[Problem]:
    """Each disputed place by both names, written as the pack's pair, at every mention."""
    problems = []
    for text in texts:
        if not text.voice:
            continue
        for pair in glossary.pairs:
            if lang not in pair.forms:
                continue
            rest = _unquoted(text.value).replace(pair.forms[lang], " ")
            for name in pair.names[lang]:
                if name in rest:
                    problems.append(Problem(
                        text.file, text.entry, text.field,
                        f"names {name!r} alone: write {pair.forms[lang]!r} (both names, "
                        "in this pack's order)"))
    return problems


def check_one_sided_terms(texts: Iterable[Text], glossary: Glossary,
                          lang: str) -> list[Problem]:
    problems = []
    for text in texts:
        if not text.voice:
            continue
        plain = _unquoted(text.value).casefold()
        for term in glossary.one_sided.get(lang, ()):
            if term.casefold() in plain:
                problems.append(Problem(text.file, text.entry, text.field,
                                        f"uses {term!r} in Rostrum's own voice: quote it and "
                                        "say who uses it, or use a neutral term"))
    return problems


def check_summaries(article: Article, facts: ArticleFacts, glossary: Glossary) -> list[Problem]:
    """English summaries against the article: its facts, its headings, its length."""
    problems = []
    allowed_names = facts.names | glossary.names()
    for entry in article.entries:
        if entry.title not in facts.part_words:
            problems.append(Problem("article.yaml", entry.id, "title",
                                    f"{entry.title!r} is not a heading of the article"))
        source_words = facts.part_words.get(entry.title, 0)
        words = _words(entry.full)
        if source_words and words > MAX_LENGTH_RATIO * source_words:
            problems.append(Problem(
                "article.yaml", entry.id, "full",
                f"{words} words for a part of {source_words} words: at most "
                f"{int(MAX_LENGTH_RATIO * source_words)} ({MAX_LENGTH_RATIO}×)"))
        for fld in ("short", "full"):
            text = getattr(entry, fld)
            for number in sorted(set(_NUMBER.findall(text)) - facts.numbers):
                problems.append(Problem("article.yaml", entry.id, fld,
                                        f"names {number}, which the article does not"))
            for name in sorted(_names_in(text) - allowed_names):
                problems.append(Problem("article.yaml", entry.id, fld,
                                        f"names {name!r}, which the article does not"))
    if not article.source.strip():
        problems.append(Problem("article.yaml", None, "source", "the disclaimer is missing"))
    return problems


def _names_in(text: str) -> set[str]:
    """Capitalised words that are not just the first word of a sentence."""
    found = set()
    for match in _CAPITALISED.finditer(text):
        if not _SENTENCE_START.search(text[:match.start()]):
            found.add(match.group())
    return found


def check_topic_sources(pack: ContentPack) -> list[Problem]:
    """A brief that states outside facts (any number) lists where they come from."""
    problems = []
    for topic in pack.topics:
        body = " ".join((topic.framing, topic.motion, *topic.pro, *topic.con))
        if _NUMBER.search(body) and not topic.sources:
            problems.append(Problem("topics.yaml", topic.id, "sources",
                                    "states outside facts (numbers, dates) without sources"))
    return problems


def check_limits(texts: Iterable[Text]) -> list[Problem]:
    return [Problem(t.file, t.entry, t.field,
                    f"{len(t.value):,} characters; Discord shows at most {t.limit:,} there")
            for t in texts if len(t.value) > t.limit]


def _shape(pack: ContentPack) -> dict[str, Any]:
    """What must be identical in every language: ids, structure, numbers of a format."""
    return {
        "entries": [(e.id, e.parent, len(e.background), len(e.perspectives))
                    for e in pack.article.entries],
        "topics": [(t.id, len(t.pro), len(t.con), len(t.key_terms), t.sections)
                   for t in pack.topics],
        "formats": [(f.id, f.result, f.debaters_per_side,
                     [(p.id, p.kind, p.side, p.seconds, p.max_chars, p.max_posts_per_member)
                      for p in f.phases]) for f in pack.formats],
    }


def check_locale_shape(english: ContentPack, locale: ContentPack, code: str) -> list[Problem]:
    mine, theirs = _shape(english), _shape(locale)
    problems = []
    for part in mine:
        if mine[part] != theirs[part]:
            differ = [f"{a!r} ≠ {b!r}" for a, b in zip(mine[part], theirs[part], strict=False)
                      if a != b][:3]
            if len(mine[part]) != len(theirs[part]):
                differ.insert(0, f"{len(theirs[part])} items, English has {len(mine[part])}")
            problems.append(Problem(f"locales/{code}", part, None,
                                    "differs from English: " + "; ".join(differ)))
    return problems


def _squeeze(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _digest(window: str) -> str:
    return hashlib.sha1(window.encode("utf-8")).hexdigest()[:12]


def character_fingerprint(seed: str, run: int = SHARED_RUN_CHARS) -> list[str]:
    """Digests of every `run`-character window of the seed (letters and digits only): what
    the check compares against, without committing the article's text."""
    squeezed = _squeeze(seed)
    return sorted({_digest(squeezed[i:i + run]) for i in range(len(squeezed) - run + 1)})


def load_fingerprint(content_dir: Path) -> frozenset[str]:
    path = content_dir / FINGERPRINT_FILE
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip())


def check_shared_characters(texts: Iterable[Text], fingerprint: frozenset[str],
                            run: int = SHARED_RUN_CHARS) -> list[Problem]:
    """No text shares `run` consecutive characters (letters and digits) with the seed."""
    problems = []
    for text in texts:
        if not text.voice:
            continue
        mine = _squeeze(text.value)
        if any(_digest(mine[i:i + run]) in fingerprint for i in range(len(mine) - run + 1)):
            problems.append(Problem(text.file, text.entry, text.field,
                                    f"shares {run}+ characters in a row with the article"))
    return problems


def check_pack(content_dir: Path, english: ContentPack,
               locales: Mapping[str, ContentPack]) -> list[Problem]:
    """Every policy rule over the English pack and each locale."""
    problems: list[Problem] = []
    glossary = load_glossary(content_dir)
    fingerprint = load_fingerprint(content_dir)
    facts = load_facts(content_dir)
    if facts is None:
        problems.append(Problem(str(FACTS_FILE), None, None,
                                "missing: derive it with `python -m bot content derive-facts`"))
    else:
        problems += check_summaries(english.article, facts, glossary)
    problems += check_topic_sources(english)
    for code, pack in (("en", english), *locales.items()):
        texts = list(pack_texts(pack))
        problems += check_both_names(texts, glossary, code)
        problems += check_one_sided_terms(texts, glossary, code)
        problems += check_limits(texts)
        if code != "en":
            problems += check_locale_shape(english, pack, code)
            problems += check_shared_characters(texts, fingerprint)
    return problems


def check_folder(content_dir: Path) -> tuple[ContentPack, dict[str, ContentPack]]:
    """Load the English pack and every locale, and apply the policy to all of them.

    Raises `ContentError` with every problem found."""
    pack = load_library(content_dir)
    problems = check_pack(content_dir, pack, dict(pack.translations))
    if problems:
        raise ContentError(problems)
    return pack, dict(pack.translations)



def summary_figures(article: Article, facts: ArticleFacts) -> list[tuple[str, int, int]]:
    """(entry id, words of its full summary, words of its part of the article)."""
    return [(e.id, _words(e.full), facts.part_words.get(e.title, 0)) for e in article.entries]


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
