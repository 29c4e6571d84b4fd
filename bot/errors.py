"""How failures reach members: a short ephemeral message, and the full traceback in the log.

Slash commands route errors through `CommandTree.on_error`; button, select and modal
callbacks wrap themselves with `@guarded`, because discord.py only logs their exceptions.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.content import ContentPack
from bot.core.debate import Refusal
from bot.i18n.messages import ENGLISH, Say
from bot.i18n.reader import reader_say
from bot.ui import debate_text, failures
from bot.ui.failures import GENERIC_FAILURE
from bot.ui.voice import Voice

log = logging.getLogger(__name__)

__all__ = ["GENERIC_FAILURE", "UserError", "describe", "guarded", "handle_interaction_error"]


class UserError(Exception):
    """A refusal or bad input. Its message is shown to the member as is, ephemerally."""


class NotModerator(app_commands.CheckFailure):
    """A moderator-only command or button used by someone who does not moderate here."""

    def __init__(self) -> None:
        super().__init__(failures.not_moderator())


def describe(error: BaseException, say: Say = ENGLISH,
             pack: ContentPack | None = None) -> tuple[str, bool]:
    """(message for the member in their language, whether it is a bug worth a traceback)."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or getattr(error, "original", None) or error
    if isinstance(error, UserError):
        return str(error), False
    if isinstance(error, Refusal):
        return debate_text.refusal(error, Voice(say, pack)), False
    if isinstance(error, NotModerator):
        return failures.not_moderator(say), False
    if isinstance(error, app_commands.CommandOnCooldown):
        return failures.cooling_down(error.retry_after, say), False
    if isinstance(error, app_commands.MissingPermissions):
        return failures.moderators_only(say), False
    if isinstance(error, app_commands.NoPrivateMessage):
        return failures.server_only(say), False
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or failures.not_allowed_here(say), False
    return failures.generic_failure(say), True


async def reply_ephemeral(interaction: discord.Interaction, message: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    message = message[:2000]
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id,
                    exc_info=True)


async def handle_interaction_error(interaction: discord.Interaction,
                                   error: BaseException) -> None:
    if interaction.client.is_closed():
        # Stopping cut the work short (its connection to Discord is gone): not a bug, and
        # there is no way left to answer.
        log.warning("interaction %s was cut short by the bot shutting down (%s)",
                    interaction.id, type(error).__name__)
        return
    say = reader_say_or_english(interaction)
    message, is_bug = describe(error, say, _library(interaction, say))
    if is_bug:
        command = interaction.command.qualified_name if interaction.command else None
        log.error("interaction %s failed (command=%s, user=%s, guild=%s)", interaction.id,
                  command, interaction.user.id, interaction.guild_id, exc_info=error)
    await reply_ephemeral(interaction, message)


def reader_say_or_english(interaction: discord.Interaction) -> Say:
    """The member's language for the reply, English if it cannot be told (never raises:
    this runs while reporting another failure)."""
    try:
        return reader_say(interaction)
    except Exception:
        log.warning("could not tell the language of interaction %s", interaction.id,
                    exc_info=True)
        return ENGLISH


def _library(interaction: discord.Interaction, say: Say) -> ContentPack | None:
    """The content pack in the reader's language, for phase titles in refusals."""
    content = getattr(interaction.client, "content", None)
    return content.in_language(say.language) if isinstance(content, ContentPack) else None


F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def guarded(callback: F) -> F:
    """Wrap a component or modal callback `(self, interaction, ...)` with our error reply."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> Any:
        try:
            return await callback(self, interaction, *args)
        except Exception as error:
            await handle_interaction_error(interaction, error)
            return None

    return wrapper  # type: ignore[return-value]
