"""The messages catalogs (bot/i18n/messages.<code>.po) match what bot/ui says.

Extraction reads every `say(...)` and `say.plural(...)` in bot/ui the way `pybabel extract`
would; a Japanese or Korean catalog that misses one, keeps one no longer said, marks one
fuzzy, or changes a placeholder fails here (and so `make test`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from bot.i18n import catalogs
from bot.i18n.messages import DOMAIN, KEYWORDS, Say

UI = Path(__file__).resolve().parents[2] / "bot" / "ui"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extracted() -> dict[str, str | None]:
    """English message → its plural form (None for a singular message)."""
    found: dict[str, str | None] = {}
    for path in sorted(UI.glob("*.py")):
        for _, message, _, _ in extract_from_file("python", str(path), keywords=KEYWORDS):
            if isinstance(message, tuple):
                found[message[0]] = message[1]
            else:
                found[message] = None
    return found


def test_extraction_finds_the_reading_sentences() -> None:
    found = extracted()
    assert len(found) >= 30
    assert found["{n} entry"] == "{n} entries"
    assert "Background — not from the article" in found


@pytest.mark.parametrize("language", catalogs.TRANSLATED)
def test_the_catalog_is_complete_current_and_keeps_placeholders(language: str) -> None:
    catalog = catalogs.load(language, DOMAIN)
    wanted = extracted()
    have = {(e.id[0] if isinstance(e.id, tuple) else e.id): e for e in catalog if e.id}
    assert sorted(set(wanted) - set(have)) == [], "missing"
    assert sorted(set(have) - set(wanted)) == [], "stale: no longer said in bot/ui"
    for english, plural in wanted.items():
        entry = have[english]
        assert not entry.fuzzy, english
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(forms), f"untranslated: {english!r}"
        assert (plural is None) == (not isinstance(entry.id, tuple)), english
        expected = set(PLACEHOLDER.findall(english))
        for form in forms:
            assert set(PLACEHOLDER.findall(form)) == expected, (english, form)
    assert list(catalog.check()) == []  # Babel's own checks (format strings, plural counts)


def test_say_uses_the_catalog_and_falls_back_to_english() -> None:
    ja, en, xx = Say("ja"), Say("en"), Say("fr")
    assert ja("Full summary") == "全文の要約" and en("Full summary") == "Full summary"
    assert xx("Full summary") == "Full summary"  # a language Rostrum does not speak
    assert ja("Up: {title}", title="概要") == "上へ：概要"
    assert ja.plural("{n} entry", "{n} entries", 1) == "1項目"
    assert en.plural("{n} entry", "{n} entries", 1) == "1 entry"
    assert en.plural("{n} entry", "{n} entries", 28) == "28 entries"
    assert ja("Never extracted, so never translated") == "Never extracted, so never translated"


def test_a_plural_may_show_its_number_formatted() -> None:
    assert Say("en").plural("{n} row", "{n} rows", 1234, n="1,234") == "1,234 rows"
    assert Say("ko").plural("{n} pt", "{n} pts", 1) == "1포인트"
