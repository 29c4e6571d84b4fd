"""Where `/moderate start` holds a new debate: a thread under a public announcement in a
text channel, or a new post in a forum. Each is the debate service's `Venue` port for one
interaction."""

from __future__ import annotations

import logging

import aiohttp
import discord

from bot.core.content import Format, Topic
from bot.core.debate import Refusal
from bot.i18n.reader import server_voice
from bot.ui import debate_replies as replies
from bot.ui import text
from bot.ui.voice import Voice

log = logging.getLogger(__name__)
#: What Discord (or the way to it) can throw while a venue is made.
DISCORD_FAILURES = (discord.HTTPException, aiohttp.ClientError, TimeoutError)


def start_failure(error: BaseException) -> Refusal:
    """The refusal a moderator gets when Discord would not make the venue."""
    if isinstance(error, discord.Forbidden):
        return Refusal("start_failed", cause="forbidden")
    if isinstance(error, discord.HTTPException):
        return Refusal("start_failed", cause="http", status=error.status)
    return Refusal("start_failed", cause="unreachable")


async def withdraw_original(interaction: discord.Interaction) -> None:
    """Delete a public deferred response, so the next followup can be ephemeral (the first
    followup after a defer would otherwise replace it, public)."""
    try:
        await interaction.delete_original_response()
    except discord.HTTPException:
        log.warning("could not withdraw the response to interaction %s", interaction.id)


async def _not_opened(debate_id: int, announcement: discord.Message | None,
                      error: BaseException) -> Refusal:
    """Discord would not make the thread: take the announcement back (rather than leave it
    pointing at nothing) and say why."""
    log.warning("debate %s not started: %s: %s", debate_id, type(error).__name__, error)
    if announcement is not None:
        try:
            await announcement.delete()
        except DISCORD_FAILURES:
            log.warning("could not withdraw the announcement of debate %s", debate_id)
    return start_failure(error)


def _announcement(debate_id: int, topic: Topic, fmt: Format, voice: Voice) -> str:
    return text.clip(replies.announcement(debate_id, voice.format(fmt).title,
                                          voice.topic(topic).motion, voice),
                     text.MESSAGE_CONTENT)


def _thread_name(topic: Topic, voice: Voice) -> str:
    return text.clip(replies.thread_name(voice.topic(topic).title, voice), 100)


class ThreadVenue:
    """The announcement is the answer to the (deferred, public) /moderate start."""

    def __init__(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        self.interaction = interaction
        self.channel = channel

    async def open(self, debate_id: int, topic: Topic, fmt: Format) -> int:
        announcement: discord.WebhookMessage | None = None
        voice = server_voice(self.interaction)
        try:
            announcement = await self.interaction.followup.send(
                _announcement(debate_id, topic, fmt, voice), wait=True)
            thread = await self.channel.create_thread(
                name=_thread_name(topic, voice), message=announcement,
                auto_archive_duration=1440)
        except DISCORD_FAILURES as error:
            raise await _not_opened(debate_id, announcement, error) from error
        return thread.id

    async def withdraw(self) -> None:
        await withdraw_original(self.interaction)


class ScheduledVenue:
    """A scheduled debate's thread: the bot posts its announcement in the channel itself
    (no interaction to answer), with a note when it starts late."""

    def __init__(self, channel: discord.TextChannel, voice: Voice, note: str = "") -> None:
        self.channel = channel
        self.voice = voice
        self.note = note

    async def open(self, debate_id: int, topic: Topic, fmt: Format) -> int:
        announcement: discord.Message | None = None
        text_ = _announcement(debate_id, topic, fmt, self.voice)
        try:
            announcement = await self.channel.send(
                text.clip(text_ + (f"\n{self.note}" if self.note else ""), text.MESSAGE_CONTENT))
            thread = await self.channel.create_thread(
                name=_thread_name(topic, self.voice), message=announcement,
                auto_archive_duration=1440)
        except DISCORD_FAILURES as error:
            raise await _not_opened(debate_id, announcement, error) from error
        return thread.id

    async def withdraw(self) -> None:
        """Nothing was posted before the channel turned out busy."""


class ForumVenue:
    """A new post in a forum; the deferred answer to /moderate start links to it."""

    def __init__(self, interaction: discord.Interaction, forum: discord.ForumChannel) -> None:
        self.interaction = interaction
        self.forum = forum

    async def open(self, debate_id: int, topic: Topic, fmt: Format) -> int:
        voice = server_voice(self.interaction)
        try:
            post = await self.forum.create_thread(
                name=_thread_name(topic, voice),
                content=_announcement(debate_id, topic, fmt, voice),
                auto_archive_duration=1440)
        except DISCORD_FAILURES as error:
            log.warning("debate %s not started: %s: %s", debate_id, type(error).__name__, error)
            await withdraw_original(self.interaction)  # the refusal then reaches only the moderator
            raise start_failure(error) from error
        try:
            await self.interaction.followup.send(
                replies.forum_post_opened(debate_id, post.thread.id, voice))
        except DISCORD_FAILURES:
            # The debate exists; only the pointer to it is missing (its lobby comes anyway).
            log.warning("debate %s: could not link its forum post", debate_id)
        return post.thread.id

    async def withdraw(self) -> None:
        await withdraw_original(self.interaction)


def venue_for(interaction: discord.Interaction,
              forum: discord.ForumChannel | None) -> ThreadVenue | ForumVenue | None:
    """A forum named in the command, else the forum of the post it was run in, else a
    thread in this text channel; None where a debate cannot be held."""
    channel = interaction.channel
    if forum is None and isinstance(channel, discord.Thread) \
            and isinstance(channel.parent, discord.ForumChannel):
        forum = channel.parent
    if forum is not None:
        return ForumVenue(interaction, forum)
    if isinstance(channel, discord.TextChannel):
        return ThreadVenue(interaction, channel)
    return None
