"""The language of an interaction's reply (see `bot.core.languages` for the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core import languages
from bot.core.content import ContentPack
from bot.i18n.messages import Say, say_in

if TYPE_CHECKING:
    from bot.app import Rostrum


def _locale(value: discord.Locale | None) -> str | None:
    return value.value if value is not None else None


def reader_language(interaction: discord.Interaction) -> str:
    """For a reply only this member sees, or content they asked for: their client's language
    when Rostrum speaks it, else their server's."""
    return languages.for_reader(client_locale=_locale(interaction.locale),
                                server_locale=_locale(interaction.guild_locale))


def server_language(interaction: discord.Interaction) -> str:
    """For a post everyone in the channel sees."""
    return languages.for_server(server_locale=_locale(interaction.guild_locale))


def reader_pack(interaction: discord.Interaction) -> ContentPack:
    """The content pack in the reader's language (English where none is written)."""
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    return bot.content.in_language(reader_language(interaction))


def reader_say(interaction: discord.Interaction) -> Say:
    """Rostrum's sentences in the reader's language."""
    return say_in(reader_language(interaction))
