"""/moderate: start and steer debates. Discord shows these commands only to members with
Manage Threads (or roles a server's admins granted them to); every call is checked here too."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import require_moderator
from bot.cogs.debates.runtime import Transition
from bot.cogs.params import FormatParam, TopicParam
from bot.core.debate import DebateState, Refusal
from bot.errors import UserError
from bot.storage import debates as store
from bot.ui import debate_replies as replies
from bot.ui import debate_text, text

if TYPE_CHECKING:
    from bot.cogs.debates.cog import DebateCog

log = logging.getLogger(__name__)


async def withdraw_original(interaction: discord.Interaction) -> None:
    """Delete a public deferred response, so the next followup can be ephemeral (the first
    followup after a defer would otherwise replace it, public)."""
    try:
        await interaction.delete_original_response()
    except discord.HTTPException:
        log.warning("could not withdraw the response to interaction %s", interaction.id)


@app_commands.guild_only()
@app_commands.default_permissions(manage_threads=True)
class ModerationCog(commands.GroupCog, name="Moderation", group_name="moderate",
                    group_description="Start and steer debates (moderators)"):
    def __init__(self, debates: DebateCog) -> None:
        self.debates = debates
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every /moderate command, before its options are read: moderators only."""
        await require_moderator(interaction)
        return True

    async def steer(self, interaction: discord.Interaction, action: str,
                    transition: Transition) -> None:
        """A moderator action on the debate here, answered with its `DONE` reply."""
        await self.debates.do_moderation(interaction, self.debates.debate_here(interaction),
                                         action, transition, replies.DONE[action])

    @app_commands.command(name="start", description="Start a debate in a new thread (moderators)")
    @app_commands.describe(topic="One of the five controversies (start typing)",
                           format="How the debate runs",
                           phase_seconds="Make every phase this many seconds long")
    async def start(self, interaction: discord.Interaction, topic: TopicParam,
                    format: FormatParam,
                    phase_seconds: app_commands.Range[int, 10, 3600] | None = None) -> None:
        assert interaction.guild_id is not None
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel):
            raise UserError(replies.NOT_A_TEXT_CHANNEL)
        busy = self.debates.runtime.in_channel(interaction.guild_id, channel.id)
        if busy is not None:
            raise UserError(replies.already_running(busy.thread_id, advise=True))
        await interaction.response.defer(thinking=True)
        now = self.debates.bot.clock.now()
        debate_id = await self._create(interaction, channel, topic.id, format.id,
                                       phase_seconds, now)
        state = DebateState.new(id=debate_id, guild_id=interaction.guild_id,
                                channel_id=channel.id, topic_id=topic.id, format=format,
                                now=now, phase_seconds=phase_seconds)
        thread = await self._open_thread(interaction, channel, debate_id,
                                         replies.announcement(debate_id, format.title,
                                                              topic.motion),
                                         text.clip(replies.thread_name(topic.title), 100))
        state.thread_id = thread.id
        # The lobby card goes through the outbox: a Discord hiccup delays it, never loses it.
        await store.attach_thread(self.debates.bot.db, debate_id, thread.id, now=now)
        self.debates.runtime.track(state)  # live before its buttons exist
        self.debates.runtime.flush_soon(debate_id)
        log.info("debate %s started by %s in guild %s", debate_id, interaction.user.id,
                 interaction.guild_id)

    async def _create(self, interaction: discord.Interaction, channel: discord.TextChannel,
                      topic_id: str, format_id: str, phase_seconds: int | None,
                      now: float) -> int:
        """Store the debate; the database refuses a second live debate in the channel."""
        assert interaction.guild_id is not None
        try:
            return await store.create(
                self.debates.bot.db, guild_id=interaction.guild_id, channel_id=channel.id,
                topic_id=topic_id, format_id=format_id, phase_seconds=phase_seconds,
                created_by=interaction.user.id, now=now)
        except store.ChannelBusy as busy_error:
            # Another start won the race after our public "thinking…": take that message
            # back, so the refusal below reaches only this moderator.
            await withdraw_original(interaction)
            raise UserError(replies.already_running(busy_error.thread_id, advise=False)
                            ) from busy_error

    async def _open_thread(self, interaction: discord.Interaction,
                           channel: discord.TextChannel, debate_id: int, announcement_text: str,
                           thread_name: str) -> discord.Thread:
        """Announce the debate and open its thread; without a thread there is no debate."""
        db = self.debates.bot.db
        announcement: discord.WebhookMessage | None = None
        try:
            announcement = await interaction.followup.send(announcement_text, wait=True)
            return await channel.create_thread(name=thread_name, message=announcement,
                                               auto_archive_duration=1440)
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as error:
            # Take back the announcement rather than leave it pointing at nothing.
            await store.discard(db, debate_id)
            log.warning("debate %s not started: %s: %s", debate_id, type(error).__name__, error)
            if announcement is not None:
                try:
                    await announcement.delete()
                except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
                    log.warning("could not withdraw the announcement of debate %s", debate_id)
            raise UserError(replies.start_failed(error)) from error
        except BaseException:
            # Cut short some other way (connection lost, shutdown): never leave a debate
            # without a thread holding the channel.
            await store.discard(db, debate_id)
            raise

    @app_commands.command(name="next",
                          description="End the current phase now; in the lobby, begin (moderators)")
    async def next(self, interaction: discord.Interaction) -> None:
        state = self.debates.debate_here(interaction)
        if state.status == "lobby":
            await self.debates.do_moderation(interaction, state, "begin",
                                             lambda s, now: s.begin(now), replies.DONE["begin"])
        else:
            await self.debates.do_moderation(interaction, state, "next",
                                             lambda s, now: s.next_phase(now), replies.DONE["next"])

    @app_commands.command(name="pause", description="Pause the clock (moderators)")
    async def pause(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "pause", lambda s, now: s.pause(now))

    @app_commands.command(name="resume", description="Resume the clock (moderators)")
    async def resume(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "resume", lambda s, now: s.resume(now))

    @app_commands.command(name="end",
                          description="Finish now; the result uses what exists (moderators)")
    async def end(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "end", lambda s, now: s.end(now))

    @app_commands.command(name="cancel",
                          description="Stop without a result, even in the lobby (moderators)")
    async def cancel(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "cancel", lambda s, now: s.cancel(now))

    @app_commands.command(name="extend", description="Add time to the current phase (moderators)")
    @app_commands.describe(seconds="How many seconds to add (1–3600)")
    async def extend(self, interaction: discord.Interaction,
                     seconds: app_commands.Range[int, 1, 3600]) -> None:
        state = self.debates.debate_here(interaction)
        await self.debates.do_moderation(interaction, state, "extend",
                                         lambda s, now: s.extend(seconds, now),
                                         replies.extended(seconds),
                                         f"{seconds} s")

    @app_commands.command(name="remove", description="Remove a member from the debate (moderators)")
    @app_commands.describe(member="Their later arguments and votes are refused")
    async def remove(self, interaction: discord.Interaction, member: discord.Member) -> None:
        state = self.debates.debate_here(interaction)
        target = member.id
        try:
            await self.debates.runtime.apply(
                state.id, lambda s, now: s.remove(target, now),
                names={target: text.member_name(member),
                       interaction.user.id: text.member_name(interaction.user)},
                audit=lambda now: store.AuditEntry(interaction.user.id, "remove",
                                                   f"{text.member_name(member)} ({target})", now))
        except Refusal as refusal:
            raise UserError(debate_text.refusal(refusal, state.format)) from refusal
        name = text.escape_user_text(text.member_name(member))
        await self.debates.ephemeral(interaction, replies.removed(name, state.id))
        await self.debates.refresh_lobby(state)
