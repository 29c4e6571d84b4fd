"""Slash commands in Japanese and Korean: the synced tree carries a ja and a ko name and
description for every command, option and choice, each valid by Discord's rules, and the
catalogs hold exactly the strings the tree uses (no missing, fuzzy or stale message)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from bot.i18n import catalogs
from bot.i18n.commands import DESCRIPTION_MAX, DOMAIN, NAME_MAX, name_problem
from tests.e2e.world import REPO, World

OPENAPI = REPO.parent / "shared" / "discord-api" / "openapi.json"
LANGUAGES = ("ja", "ko")


def nodes(commands: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every command, subcommand and option of the synced tree, with its path."""
    stack = [(c["name"], c) for c in commands]
    while stack:
        path, node = stack.pop()
        yield path, node
        stack.extend((f"{path} {o['name']}", o) for o in node.get("options") or [])


def english_messages(commands: list[dict[str, Any]]) -> set[catalogs.Message]:
    wanted = set()
    for _, node in nodes(commands):
        wanted.add(catalogs.Message("name", node["name"]))
        if node["description"]:  # context menus have none
            wanted.add(catalogs.Message("description", node["description"]))
        wanted |= {catalogs.Message("choice", c["name"]) for c in node.get("choices") or []}
    return wanted


def limits() -> tuple[int, int]:
    """Discord's own limits for names and descriptions, from its OpenAPI description when it
    is beside the repository (else the same numbers, as documented)."""
    if not OPENAPI.exists():
        return NAME_MAX, DESCRIPTION_MAX
    schema = json.loads(OPENAPI.read_text(encoding="utf-8"))["components"]["schemas"]
    command = schema["ApplicationCommandCreateRequest"]["properties"]
    return command["name"]["maxLength"], command["description"]["maxLength"]


async def test_every_command_option_and_choice_has_a_japanese_and_korean_text(
        world: World) -> None:
    every = world.emu.commands()
    synced = [c for c in every if c["type"] == 1]
    name_max, description_max = limits()
    assert (name_max, description_max) == (NAME_MAX, DESCRIPTION_MAX)
    # Context menus have a name only (spaces and capitals allowed), shown in the Apps menu.
    menus = [c for c in every if c["type"] != 1]
    assert menus
    for menu in menus:
        for language in LANGUAGES:
            name = (menu.get("name_localizations") or {}).get(language)
            assert name and len(name) <= name_max and name != menu["name"], menu["name"]
    checked = 0
    for path, node in nodes(synced):
        for language in LANGUAGES:
            name = (node.get("name_localizations") or {}).get(language)
            description = (node.get("description_localizations") or {}).get(language)
            assert name and description, f"{path}: no {language} name or description"
            assert name_problem(name) is None, f"{path}: {name_problem(name)}"
            assert 1 <= len(description) <= description_max, path
            checked += 1
        for choice in node.get("choices") or []:
            assert set(choice.get("name_localizations") or {}) >= set(LANGUAGES), path
    assert checked >= 90  # 47 commands, subcommands and options, in two languages
    # Siblings must keep distinct names in every language, as in English.
    for path, node in nodes(synced):
        options = node.get("options") or []
        for language in LANGUAGES:
            names = [o["name_localizations"][language] for o in options]
            assert len(names) == len(set(names)), f"{path}: {language} names repeat: {names}"
    top = [c["name_localizations"]["ja"] for c in synced]
    assert len(top) == len(set(top)) and "要約" in top
    assert {c["name"]: c for c in synced}["debate"]["name_localizations"]["ko"] == "토론"


async def test_the_catalogs_hold_exactly_the_strings_the_commands_use(world: World) -> None:
    wanted = english_messages(world.emu.commands())
    for language in LANGUAGES:
        assert catalogs.problems(catalogs.load(language, DOMAIN), wanted, language) == []


def test_discords_name_rule_is_checked_as_discord_would() -> None:
    assert name_problem("要約") is None and name_problem("moderator-role") is None
    assert name_problem("기록중지") is None and name_problem("phase_seconds") is None
    assert name_problem("Summary") == "'Summary' is not lowercase"
    assert "not allow" in (name_problem("次へ・戻る") or "")  # a middle dot is punctuation
    assert "not allow" in (name_problem("two words") or "")
    assert "33 characters" in (name_problem("a" * 33) or "")


def test_a_missing_fuzzy_or_stale_message_is_reported(tmp_path: Any) -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="ja", domain=DOMAIN)
    catalog.add("summary", "要約", context="name")
    catalog.add("help", "ヘルプ", context="name", flags=("fuzzy",))
    catalog.add("gone", "消えた", context="name")
    wanted = {catalogs.Message("name", "summary"), catalogs.Message("name", "help"),
              catalogs.Message("description", "new")}
    assert catalogs.problems(catalog, wanted, "ja") == [
        "ja: missing [description] 'new'", "ja: fuzzy [name] 'help'",
        "ja: stale [name] 'gone' (no longer used)"]
