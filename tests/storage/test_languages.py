"""Chosen languages are stored (on both backends) and survive a reload."""

from __future__ import annotations

from bot.storage import settings
from bot.storage.db import Database
from bot.storage.languages import LanguageChoices

GUILD, OTHER, USER = 10, 11, 20


async def test_choices_are_stored_cleared_and_reloaded(db: Database) -> None:
    choices = await LanguageChoices.load(db)
    assert (choices.servers, choices.members) == ({}, {})
    await choices.set_server(db, GUILD, "ko")
    await choices.set_server(db, OTHER, "ja")
    await choices.set_member(db, USER, "ja")
    await choices.set_member(db, USER, "ko")  # changed, one row
    await choices.set_server(db, OTHER, None)  # back to automatic
    reloaded = await LanguageChoices.load(db)
    assert reloaded.servers == {GUILD: "ko"} == choices.servers
    assert reloaded.members == {USER: "ko"} == choices.members
    await reloaded.set_member(db, USER, None)
    assert (await LanguageChoices.load(db)).members == {}


async def test_a_language_keeps_the_servers_moderator_role(db: Database) -> None:
    await settings.set_moderator_role(db, GUILD, 99)
    await (await LanguageChoices.load(db)).set_server(db, GUILD, "ja")
    assert await settings.moderator_role(db, GUILD) == 99
    assert (await LanguageChoices.load(db)).servers == {GUILD: "ja"}
