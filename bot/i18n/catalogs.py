"""Loading and checking the gettext catalogs, bot/i18n/<domain>.<code>.po.

Each message has a context (for commands: "name", "description" or "choice"), because one
English word can need two translations ("topic" the option name, "Topic" the heading).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

CATALOGS_DIR = Path(__file__).resolve().parent
TRANSLATED = ("ja", "ko")


@dataclass(frozen=True, slots=True)
class Message:
    context: str
    english: str


def catalog_path(language: str, domain: str, folder: Path = CATALOGS_DIR) -> Path:
    return folder / f"{domain}.{language}.po"


@cache
def load(language: str, domain: str, folder: Path = CATALOGS_DIR) -> Catalog:
    with catalog_path(language, domain, folder).open("rb") as file:
        return read_po(file, locale=language, domain=domain)


def translation(catalog: Catalog, message: Message) -> str | None:
    """The translated text, or None when missing, empty or fuzzy (never shown half-done)."""
    entry = catalog.get(message.english, context=message.context or None)
    if entry is None or entry.fuzzy or not entry.string:
        return None
    return str(entry.string)


def problems(catalog: Catalog, wanted: Iterable[Message], language: str) -> list[str]:
    """What keeps a catalog from being complete: missing, fuzzy or stale messages."""
    wanted = set(wanted)
    found = []
    for message in sorted(wanted, key=lambda m: (m.context, m.english)):
        entry = catalog.get(message.english, context=message.context or None)
        if entry is None or not entry.string:
            found.append(f"{language}: missing [{message.context}] {message.english!r}")
        elif entry.fuzzy:
            found.append(f"{language}: fuzzy [{message.context}] {message.english!r}")
    for entry in catalog:
        if entry.id and Message(entry.context or "", str(entry.id)) not in wanted:
            found.append(f"{language}: stale [{entry.context}] {entry.id!r} (no longer used)")
    return found
