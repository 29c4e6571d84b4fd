"""The language of an interaction's reply (see `bot.core.languages` for the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core import languages
from bot.core.content import ContentPack
from bot.i18n.messages import Say, say_in
from bot.ui.voice import Voice

if TYPE_CHECKING:
    from bot.app import Rostrum


def _locale(value: discord.Locale | None) -> str | None:
    return value.value if value is not None else None


def _choices(interaction: discord.Interaction) -> tuple[str | None, str | None]:
    """(the member's chosen language, the server's), from /language and /settings language."""
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    chosen = bot.language_choices
    server = chosen.servers.get(interaction.guild_id) if interaction.guild_id else None
    return chosen.members.get(interaction.user.id), server


def reader_language(interaction: discord.Interaction) -> str:
    """For a reply only this member sees, or content they asked for: their own choice, else
    their client's language when Rostrum speaks it, else their server's."""
    mine, server = _choices(interaction)
    return languages.for_reader(reader_choice=mine, client_locale=_locale(interaction.locale),
                                server_choice=server,
                                server_locale=_locale(interaction.guild_locale))


def server_language(interaction: discord.Interaction) -> str:
    """For a post everyone in the channel sees."""
    _, server = _choices(interaction)
    return languages.for_server(server_choice=server,
                                server_locale=_locale(interaction.guild_locale))


def reader_pack(interaction: discord.Interaction) -> ContentPack:
    """The content pack in the reader's language (English where none is written)."""
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    return bot.content.in_language(reader_language(interaction))


def reader_say(interaction: discord.Interaction) -> Say:
    """Rostrum's sentences in the reader's language."""
    return say_in(reader_language(interaction))


def server_say(interaction: discord.Interaction) -> Say:
    """Rostrum's sentences in the server's language (for posts everyone sees)."""
    return say_in(server_language(interaction))


def server_pack(interaction: discord.Interaction) -> ContentPack:
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    return bot.content.in_language(server_language(interaction))


def reader_voice(interaction: discord.Interaction) -> Voice:
    """Sentences and content titles in the reader's language (for debate replies)."""
    return Voice(reader_say(interaction), reader_pack(interaction))


def server_voice(interaction: discord.Interaction) -> Voice:
    """Sentences and content titles in the server's language (for public posts)."""
    return Voice(server_say(interaction), server_pack(interaction))
