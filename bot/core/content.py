"""The content pack: article summaries, topic briefs and debate formats, loaded from YAML.

`load_pack` returns a `ContentPack` or raises `ContentError` carrying *every* problem found,
each tied to a file, an entry id and a field, so an editor can fix them all in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.core.results import RULES

ARTICLE_FILE = "article.yaml"
TOPICS_FILE = "topics.yaml"
FORMATS_FILE = "formats.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64  # ids travel inside custom_ids (≤ 100 chars) next to other data
MAX_TITLE = 100  # autocomplete choice names are limited to 100 characters
MAX_SHORT = 300
MAX_FULL = 3500
MAX_FRAMING = 1500
MAX_MOTION = 300
MAX_POINT = 600
MAX_TERM = 60
MAX_GLOSS = 300
MAX_BACKGROUND = 600  # one background claim or perspective
MAX_SOURCE_FIELD = 300
POINTS_RANGE = (3, 5)
SIDE_BALANCE = 0.20  # pro and con totals within ±20% of each other
MAX_ARGUMENT_CHARS = 4000  # a modal text input holds at most 4,000 characters
PHASE_SECONDS_RANGE = (10, 86_400)

PHASE_KINDS = ("vote", "speech", "open_floor")
PHASE_SIDES = ("pro", "con", "both", "none")


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.entry:
            where += f": {self.entry}"
        if self.field:
            where += f".{self.field}"
        return f"{where}: {self.message}"


class ContentError(Exception):
    """The pack is invalid; `problems` lists everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class Source:
    """Where an outside claim comes from: enough for a reader to find it."""

    title: str
    publisher: str
    date: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class BackgroundItem:
    """Outside context, not from the article; `as_of` dates anything that changes."""

    text: str
    sources: tuple[Source, ...]
    as_of: str | None = None


@dataclass(frozen=True, slots=True)
class Perspective:
    """A counter-view, attributed to who holds it."""

    holder: str
    view: str
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    id: str
    title: str
    parent: str | None
    short: str
    full: str
    background: tuple[BackgroundItem, ...] = ()
    perspectives: tuple[Perspective, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    source: str
    entries: tuple[ArticleEntry, ...]
    _by_id: dict[str, ArticleEntry] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.entries})

    def get(self, entry_id: str) -> ArticleEntry | None:
        return self._by_id.get(entry_id)

    def children(self, entry_id: str) -> tuple[ArticleEntry, ...]:
        return tuple(e for e in self.entries if e.parent == entry_id)

    @property
    def sections(self) -> tuple[ArticleEntry, ...]:
        """Top-level entries, in article order (the overview first)."""
        return tuple(e for e in self.entries if e.parent is None)


@dataclass(frozen=True, slots=True)
class KeyTerm:
    term: str
    gloss: str


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    framing: str
    motion: str
    pro: tuple[str, ...]
    con: tuple[str, ...]
    key_terms: tuple[KeyTerm, ...]
    sections: tuple[str, ...]
    sources: tuple[Source, ...] = ()  # where the brief's outside facts come from


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    title: str
    kind: str  # vote | speech | open_floor
    side: str  # pro | con | both | none
    seconds: int
    max_chars: int | None
    max_posts_per_member: int | None

    @property
    def is_vote(self) -> bool:
        return self.kind == "vote"

    def allows_side(self, side: str) -> bool:
        return self.side == "both" or self.side == side


@dataclass(frozen=True, slots=True)
class Format:
    id: str
    title: str
    description: str
    result: str  # majority | swing
    debaters_per_side: int | None
    phases: tuple[Phase, ...]

    @property
    def has_votes(self) -> bool:
        return any(p.is_vote for p in self.phases)


@dataclass(frozen=True, slots=True)
class ContentPack:
    article: Article
    topics: tuple[Topic, ...]
    formats: tuple[Format, ...]
    #: The same pack in other languages (by code: "ja", "ko"), with identical ids.
    translations: Mapping[str, ContentPack] = field(default_factory=dict, compare=False,
                                                    repr=False)
    #: Motions servers wrote themselves, as topics without a brief ("motion:<n>"): one
    #: mapping shared by the pack and its translations, kept by the bot (see `with_extra`).
    extra: Mapping[str, Topic] = field(default_factory=dict, compare=False, repr=False)

    def with_extra(self, extra: Mapping[str, Topic]) -> ContentPack:
        """This pack (and its translations) also finding topics in `extra`."""
        translations = {code: replace(pack, extra=extra)
                        for code, pack in self.translations.items()}
        return replace(self, translations=translations, extra=extra)

    def in_language(self, language: str) -> ContentPack:
        """This pack in `language` when it has been written, else this (English) one."""
        return self.translations.get(language, self)

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", *sorted(self.translations))

    def topic(self, topic_id: str) -> Topic | None:
        found = next((t for t in self.topics if t.id == topic_id), None)
        return found if found is not None else self.extra.get(topic_id)

    def format(self, format_id: str) -> Format | None:
        return next((f for f in self.formats if f.id == format_id), None)

    def summary_line(self) -> str:
        return (f"{len(self.article.entries)} entries, {len(self.topics)} topics, "
                f"{len(self.formats)} formats")


_UNREADABLE = object()  # load_yaml already reported why
#: libyaml's safe loader when PyYAML was built with it (about 8x faster at start-up), else
#: the pure-Python one: the same documents, the same errors.
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Reader:
    """Collects problems while pulling typed fields out of parsed YAML."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, file: str, entry: str | None, fld: str | None, message: str) -> None:
        self.problems.append(Problem(file, entry, fld, message))

    def load_yaml(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.problem(path.name, None, None, "file is missing")
            return _UNREADABLE
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(path.name, None, None, f"cannot be read: {exc}")
            return _UNREADABLE
        try:
            return yaml.load(text, Loader=_SAFE_LOADER)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            self.problem(path.name, None, None, f"malformed YAML at {line}{exc.problem}")
        except yaml.YAMLError as exc:
            self.problem(path.name, None, None, f"malformed YAML: {exc}")
        return _UNREADABLE

    def mapping_list(self, file: str, data: Any, key: str) -> list[Mapping[str, Any]]:
        if data is _UNREADABLE:
            return []
        if not isinstance(data, Mapping):
            self.problem(file, None, None, "top level must be a mapping")
            return []
        items = data.get(key)
        if not isinstance(items, list) or not items:
            self.problem(file, None, key, "must be a non-empty list")
            return []
        good = []
        for index, item in enumerate(items):
            if isinstance(item, Mapping):
                good.append(item)
            else:
                self.problem(file, f"#{index + 1}", None, "must be a mapping")
        return good

    def text(self, file: str, entry: str | None, item: Mapping[str, Any], key: str,
             limit: int, *, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(file, entry, key, "missing")
            return ""
        if not isinstance(value, str):
            self.problem(file, entry, key, f"must be text, got {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(file, entry, key, "is empty")
        if len(value) > limit:
            self.problem(file, entry, key, f"{len(value)} characters, limit {limit}")
        return value

    def integer(self, file: str, entry: str | None, item: Mapping[str, Any], key: str,
                low: int, high: int, *, required: bool = True) -> int | None:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(file, entry, key, "missing")
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(file, entry, key, f"must be a whole number, got {value!r}")
            return None
        if not low <= value <= high:
            self.problem(file, entry, key, f"{value} is outside {low}..{high}")
        return value

    def choice(self, file: str, entry: str | None, item: Mapping[str, Any], key: str,
               options: Iterable[str]) -> str:
        options = tuple(options)
        value = item.get(key)
        if value not in options:
            self.problem(file, entry, key, f"must be one of {', '.join(options)}, got {value!r}")
            return options[0]
        return str(value)

    def text_list(self, file: str, entry: str | None, item: Mapping[str, Any], key: str,
                  count: tuple[int, int], limit: int) -> tuple[str, ...]:
        value = item.get(key)
        if not isinstance(value, list):
            self.problem(file, entry, key, "must be a list")
            return ()
        low, high = count
        if not low <= len(value) <= high:
            self.problem(file, entry, key, f"has {len(value)} items, expected {low}..{high}")
        out = []
        for index, point in enumerate(value):
            if not isinstance(point, str) or not point.strip():
                self.problem(file, entry, f"{key}[{index + 1}]", "must be non-empty text")
                continue
            point = point.strip()
            if len(point) > limit:
                self.problem(file, entry, f"{key}[{index + 1}]",
                             f"{len(point)} characters, limit {limit}")
            out.append(point)
        return tuple(out)

    def identifier(self, file: str, item: Mapping[str, Any], index: int,
                   seen: set[str]) -> str:
        value = item.get("id")
        label = f"#{index + 1}"
        if not isinstance(value, str) or not value:
            self.problem(file, label, "id", "missing")
            return label
        if not SLUG.match(value) or len(value) > MAX_ID:
            self.problem(file, value, "id",
                         f"must be a lowercase slug (a-z, 0-9, single dashes), ≤ {MAX_ID} chars")
        if value in seen:
            self.problem(file, value, "id", "duplicate id")
        seen.add(value)
        return value


def _date_text(value: Any) -> str | None:
    """A date as written in YAML (which reads 2026-12-04 as a date and 2026 as a number)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | date) and not isinstance(value, bool):
        return str(value)
    return None


def _read_sources(r: _Reader, file: str, entry: str, where: str, raw: Any, *,
                  required: bool) -> tuple[Source, ...]:
    sources = []
    for at, item in _mappings(r, file, entry, where, raw, "title, publisher, date, url",
                              required=required,
                              missing="needs a non-empty list of sources "
                                      "(title, publisher, date; url where there is one)"):
        when = _date_text(item.get("date"))
        if when is None:
            r.problem(file, entry, f"{at}.date", "missing (a year, or a full date)")
        url = item.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith("https://")):
            r.problem(file, entry, f"{at}.url", "must be an https:// address")
            url = None
        sources.append(Source(
            title=r.text(file, entry, item, "title", MAX_SOURCE_FIELD),
            publisher=r.text(file, entry, item, "publisher", MAX_SOURCE_FIELD),
            date=when or "", url=url))
    return tuple(sources)


def _mappings(r: _Reader, file: str, entry: str | None, where: str, raw: Any, shape: str, *,
              required: bool, missing: str | None = None
              ) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The items of a list-of-mappings field, each with its label ("key[2]"); a missing
    optional list is empty, a required one must have items."""
    if raw is None and not required:
        return
    if not isinstance(raw, list) or (required and not raw):
        r.problem(file, entry, where, missing or f"must be a list of {{{shape}}}")
        return
    for index, value in enumerate(raw):
        at = f"{where}[{index + 1}]"
        if isinstance(value, Mapping):
            yield at, value
        else:
            r.problem(file, entry, at, f"must be a mapping of {shape}")


def _read_background(r: _Reader, eid: str, item: Mapping[str, Any]
                     ) -> tuple[BackgroundItem, ...]:
    f = ARTICLE_FILE
    return tuple(
        BackgroundItem(
            text=r.text(f, eid, claim, "text", MAX_BACKGROUND),
            sources=_read_sources(r, f, eid, f"{at}.sources", claim.get("sources"),
                                  required=True),
            as_of=_date_text(claim["as_of"]) if claim.get("as_of") is not None else None)
        for at, claim in _mappings(r, f, eid, "background", item.get("background"),
                                   "text, sources, as_of", required=False))


def _read_perspectives(r: _Reader, eid: str, item: Mapping[str, Any]
                       ) -> tuple[Perspective, ...]:
    f = ARTICLE_FILE
    return tuple(
        Perspective(
            holder=r.text(f, eid, view, "holder", MAX_SOURCE_FIELD),
            view=r.text(f, eid, view, "view", MAX_BACKGROUND),
            sources=_read_sources(r, f, eid, f"{at}.sources", view.get("sources"),
                                  required=False))
        for at, view in _mappings(r, f, eid, "perspectives", item.get("perspectives"),
                                  "holder, view, sources", required=False))


def _read_article(r: _Reader, data: Any) -> Article:
    f = ARTICLE_FILE
    seen: set[str] = set()
    entries = []
    for index, item in enumerate(r.mapping_list(f, data, "entries")):
        eid = r.identifier(f, item, index, seen)
        parent = item.get("parent")
        if parent is not None and not isinstance(parent, str):
            r.problem(f, eid, "parent", "must be an entry id or null")
            parent = None
        entries.append(ArticleEntry(
            id=eid,
            title=r.text(f, eid, item, "title", MAX_TITLE),
            parent=parent,
            short=r.text(f, eid, item, "short", MAX_SHORT),
            full=r.text(f, eid, item, "full", MAX_FULL),
            background=_read_background(r, eid, item),
            perspectives=_read_perspectives(r, eid, item),
        ))
    by_id = {e.id: e for e in entries}
    for entry in entries:
        if entry.parent is None:
            continue
        parent = by_id.get(entry.parent)
        if parent is None:
            r.problem(f, entry.id, "parent", f"unknown entry {entry.parent!r}")
        elif parent.parent is not None:
            r.problem(f, entry.id, "parent", f"{entry.parent!r} is itself a subsection")
    title = source = ""
    if isinstance(data, Mapping):
        title = r.text(f, None, data, "title", MAX_TITLE)
        source = r.text(f, None, data, "source", 1000)
    return Article(title=title, source=source, entries=tuple(entries))


def _read_key_terms(r: _Reader, tid: str, item: Mapping[str, Any]) -> tuple[KeyTerm, ...]:
    f = TOPICS_FILE
    return tuple(
        KeyTerm(term=r.text(f, tid, term, "term", MAX_TERM),
                gloss=r.text(f, tid, term, "gloss", MAX_GLOSS))
        for _, term in _mappings(r, f, tid, "key_terms", item.get("key_terms"), "term, gloss",
                                 required=True,
                                 missing="must be a non-empty list of {term, gloss}"))


def _read_topics(r: _Reader, data: Any, article: Article, *,
                 english: bool = True) -> tuple[Topic, ...]:
    f = TOPICS_FILE
    seen: set[str] = set()
    topics = []
    for index, item in enumerate(r.mapping_list(f, data, "topics")):
        tid = r.identifier(f, item, index, seen)
        motion = r.text(f, tid, item, "motion", MAX_MOTION)
        if english and motion and not motion.startswith("This house believes"):
            r.problem(f, tid, "motion", 'must start with "This house believes"')
        if english and motion and (not motion.endswith(".") or re.search(r"[.!?]\s", motion)):
            r.problem(f, tid, "motion", "must be one sentence ending with a full stop")
        pro = r.text_list(f, tid, item, "pro", POINTS_RANGE, MAX_POINT)
        con = r.text_list(f, tid, item, "con", POINTS_RANGE, MAX_POINT)
        pro_len, con_len = sum(map(len, pro)), sum(map(len, con))
        if pro and con and abs(pro_len - con_len) > SIDE_BALANCE * max(pro_len, con_len):
            r.problem(f, tid, "pro/con", f"unbalanced: pro {pro_len} vs con {con_len} "
                      f"characters (must be within ±{SIDE_BALANCE:.0%})")
        sections = item.get("sections")
        if not isinstance(sections, list) or not sections:
            r.problem(f, tid, "sections", "must be a non-empty list of article entry ids")
            sections = []
        for ref in sections:
            if article.get(str(ref)) is None:
                r.problem(f, tid, "sections", f"unknown article entry {ref!r}")
        topics.append(Topic(
            id=tid,
            title=r.text(f, tid, item, "title", MAX_TITLE),
            framing=r.text(f, tid, item, "framing", MAX_FRAMING),
            motion=motion,
            pro=pro,
            con=con,
            key_terms=_read_key_terms(r, tid, item),
            sections=tuple(str(s) for s in sections),
            sources=_read_sources(r, f, tid, "sources", item.get("sources"), required=False),
        ))
    return tuple(topics)


def _read_phase(r: _Reader, fid: str, item: Mapping[str, Any], index: int,
                seen: set[str]) -> Phase:
    f = FORMATS_FILE
    pid = r.identifier(f, item, index, seen)
    where = f"{fid}.{pid}"
    kind = r.choice(f, where, item, "kind", PHASE_KINDS)
    side = r.choice(f, where, item, "side", PHASE_SIDES)
    is_vote = kind == "vote"
    if is_vote and side != "none":
        r.problem(f, where, "side", "a vote phase has side none")
    if not is_vote and side == "none":
        r.problem(f, where, "side", f"a {kind} phase needs a side (pro, con or both)")
    low, high = PHASE_SECONDS_RANGE
    return Phase(
        id=pid,
        title=r.text(f, where, item, "title", MAX_TITLE),
        kind=kind,
        side=side,
        seconds=r.integer(f, where, item, "seconds", low, high) or low,
        max_chars=r.integer(f, where, item, "max_chars", 1, MAX_ARGUMENT_CHARS,
                            required=not is_vote),
        max_posts_per_member=r.integer(f, where, item, "max_posts_per_member", 1, 100,
                                       required=not is_vote),
    )


def _read_formats(r: _Reader, data: Any) -> tuple[Format, ...]:
    f = FORMATS_FILE
    seen: set[str] = set()
    formats = []
    for index, item in enumerate(r.mapping_list(f, data, "formats")):
        fid = r.identifier(f, item, index, seen)
        raw_phases = item.get("phases")
        phase_ids: set[str] = set()
        phases: list[Phase] = []
        if not isinstance(raw_phases, list) or not raw_phases:
            r.problem(f, fid, "phases", "must be a non-empty list")
        else:
            for pindex, phase in enumerate(raw_phases):
                if not isinstance(phase, Mapping):
                    r.problem(f, fid, f"phases[{pindex + 1}]", "must be a mapping")
                    continue
                phases.append(_read_phase(r, fid, phase, pindex, phase_ids))
        result = r.choice(f, fid, item, "result", tuple(RULES))
        votes = sum(1 for p in phases if p.is_vote)
        rule = RULES.get(result)
        if rule is not None and not (rule.min_votes <= votes
                                     <= (votes if rule.max_votes is None else rule.max_votes)):
            wanted = (f"at least {rule.min_votes}" if rule.max_votes is None
                      else f"{rule.min_votes}" if rule.min_votes == rule.max_votes
                      else f"{rule.min_votes} to {rule.max_votes}")
            noun = "vote phase" if wanted == "1" else "vote phases"
            r.problem(f, fid, "result", f"{result} needs {wanted} {noun}, found {votes}")
        if phases and not any(not p.is_vote for p in phases):
            r.problem(f, fid, "phases", "needs at least one speech or open_floor phase")
        formats.append(Format(
            id=fid,
            title=r.text(f, fid, item, "title", MAX_TITLE),
            description=r.text(f, fid, item, "description", 1000),
            result=result,
            debaters_per_side=r.integer(f, fid, item, "debaters_per_side", 1, 25,
                                        required=False),
            phases=tuple(phases),
        ))
    return tuple(formats)


LOCALES_DIR = "locales"


def locale_codes(content_dir: Path | str) -> list[str]:
    """The languages of `content_dir/locales/<code>/` (besides English)."""
    folder = Path(content_dir) / LOCALES_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def load_library(content_dir: Path | str) -> ContentPack:
    """The English pack with every translation under `locales/` attached; raise ContentError
    listing every problem of every language (a locale's named after its folder)."""
    problems: list[Problem] = []
    try:
        english = load_pack(content_dir)
    except ContentError as error:
        problems += error.problems
        english = None
    translations: dict[str, ContentPack] = {}
    for code in locale_codes(content_dir):
        try:
            translations[code] = load_pack(Path(content_dir) / LOCALES_DIR / code,
                                           language=code)
        except ContentError as error:
            problems += [Problem(f"{LOCALES_DIR}/{code}/{p.file}", p.entry, p.field, p.message)
                         for p in error.problems]
    if problems or english is None:
        raise ContentError(problems)
    return ContentPack(english.article, english.topics, english.formats, translations)


def load_pack(content_dir: Path | str, *, language: str = "en") -> ContentPack:
    """Load and validate the pack in `content_dir`; raise ContentError listing every problem.

    `language` is the pack's language: the English debating form of a motion ("This house
    believes …") is required of English packs only."""
    folder = Path(content_dir)
    r = _Reader()
    article = _read_article(r, r.load_yaml(folder / ARTICLE_FILE))
    topics = _read_topics(r, r.load_yaml(folder / TOPICS_FILE), article,
                          english=language == "en")
    formats = _read_formats(r, r.load_yaml(folder / FORMATS_FILE))
    if r.problems:
        raise ContentError(r.problems)
    return ContentPack(article=article, topics=topics, formats=formats)
