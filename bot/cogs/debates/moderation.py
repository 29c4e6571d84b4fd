"""/moderate: start and steer debates. Discord shows these commands only to members with
Manage Threads (or roles a server's admins granted them to); every call is checked here too.

An adapter like /debate: it reads the interaction, calls the debate service and renders the
outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import require_moderator
from bot.cogs.debates.cog import answer, here
from bot.cogs.debates.venue import ForumVenue, venue_for
from bot.cogs.params import DebateTopicParam, FormatParam
from bot.core.debate import Refusal
from bot.core.motions import MotionStatus
from bot.i18n.reader import reader_voice, server_language, server_voice
from bot.pacer import Priority, priority
from bot.storage import debates as store
from bot.storage import reports as report_store
from bot.ui import debate_replies as replies
from bot.ui import moderation as render
from bot.ui.text import clip, member_name

if TYPE_CHECKING:
    from bot.cogs.debates.motions import MotionReview
    from bot.service.debates import DebateService


@app_commands.guild_only()
@app_commands.default_permissions(manage_threads=True)
class ModerationCog(commands.GroupCog, name="Moderation", group_name="moderate",
                    group_description="Start and steer debates (moderators)"):
    def __init__(self, service: DebateService, motions: MotionReview) -> None:
        self.service = service
        self.motions_review = motions
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every /moderate command, before its options are read: moderators only."""
        await require_moderator(interaction)
        return True

    async def steer(self, interaction: discord.Interaction, action: str,
                    seconds: int | None = None) -> None:
        """A moderator action on the debate here, answered privately."""
        state = here(self.service, interaction)
        await answer(interaction, await self.service.steer(
            state, interaction.user.id, member_name(interaction.user), action, seconds), state)

    @app_commands.command(name="start",
                          description="Start a debate in a new thread or forum post (moderators)")
    @app_commands.describe(topic="One of the five controversies (start typing)",
                           format="How the debate runs",
                           phase_seconds="Make every phase this many seconds long",
                           forum="Hold it as a new post in this forum instead of a thread here")
    async def start(self, interaction: discord.Interaction, topic: DebateTopicParam,
                    format: FormatParam,
                    phase_seconds: app_commands.Range[int, 10, 3600] | None = None,
                    forum: discord.ForumChannel | None = None) -> None:
        assert interaction.guild_id is not None
        venue = venue_for(interaction, forum)
        if venue is None:
            raise Refusal("not_a_debate_channel")
        host = venue.forum if isinstance(venue, ForumVenue) else venue.channel
        self.service.ensure_free(interaction.guild_id, host.id)
        # Searched in the moderator's language; the debate runs on the English pack (the
        # same ids in every language) and speaks the server's language in its thread,
        # whatever the moderator's own.
        english = self.service.content()
        topic, format = english.topic(topic.id) or topic, english.format(format.id) or format
        await interaction.response.defer(thinking=True)
        with priority(Priority.CARD):  # its thread comes before arguments and refreshes
            await self.service.start(guild_id=interaction.guild_id, channel_id=host.id,
                                     moderator_id=interaction.user.id, topic=topic,
                                     fmt=format, phase_seconds=phase_seconds, venue=venue,
                                     language=server_language(interaction))

    @app_commands.command(name="next",
                          description="End the current phase now; in the lobby, begin (moderators)")
    async def next(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "next")

    @app_commands.command(name="pause", description="Pause the clock (moderators)")
    async def pause(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "pause")

    @app_commands.command(name="resume", description="Resume the clock (moderators)")
    async def resume(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "resume")

    @app_commands.command(name="end",
                          description="Finish now; the result uses what exists (moderators)")
    async def end(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "end")

    @app_commands.command(name="cancel",
                          description="Stop without a result, even in the lobby (moderators)")
    async def cancel(self, interaction: discord.Interaction) -> None:
        await self.steer(interaction, "cancel")

    @app_commands.command(name="extend", description="Add time to the current phase (moderators)")
    @app_commands.describe(seconds="How many seconds to add (1–3600)")
    async def extend(self, interaction: discord.Interaction,
                     seconds: app_commands.Range[int, 1, 3600]) -> None:
        await self.steer(interaction, "extend", seconds)

    @app_commands.command(name="remove", description="Remove a member from the debate (moderators)")
    @app_commands.describe(member="Their later arguments and votes are refused")
    async def remove(self, interaction: discord.Interaction, member: discord.Member) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.remove(
            state, interaction.user.id, member_name(interaction.user), member.id,
            member_name(member)), state)

    @app_commands.command(name="reports",
                          description="Reported arguments, most reported first (moderators)")
    async def reports(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        db = self.service.db
        found = await report_store.standing(db, interaction.guild_id)
        names: dict[int, str] = {}
        for debate_id in {item.debate_id for item in found}:
            names.update(await store.names(db, debate_id))
        await interaction.response.send_message(
            embed=render.reports_embed(interaction.guild_id, found, names,
                                       reader_voice(interaction)), ephemeral=True)

    @app_commands.command(name="motions", description="Motions members proposed (moderators)")
    async def motions(self, interaction: discord.Interaction) -> None:
        await self.motions_review.review(interaction)

    @app_commands.command(name="approve-motion",
                          description="Approve a proposed motion for debates (moderators)")
    @app_commands.describe(motion="Which proposal (start typing)")
    async def approve_motion(self, interaction: discord.Interaction, motion: int) -> None:
        await self.motions_review.decide(interaction, motion, MotionStatus.APPROVED)

    @app_commands.command(name="reject-motion",
                          description="Reject a proposed motion (moderators)")
    @app_commands.describe(motion="Which proposal (start typing)")
    async def reject_motion(self, interaction: discord.Interaction, motion: int) -> None:
        await self.motions_review.decide(interaction, motion, MotionStatus.REJECTED)

    @approve_motion.autocomplete("motion")
    @reject_motion.autocomplete("motion")
    async def motion_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[int]]:
        return await self.motions_review.proposals(interaction, current)

    @app_commands.command(name="judge",
                          description="Name a judge; judges' ballots decide (moderators)")
    @app_commands.describe(member="Someone who has not taken a side")
    async def judge(self, interaction: discord.Interaction, member: discord.Member) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.name_judge(
            state, interaction.user.id, member_name(interaction.user), member.id,
            member_name(member)), state)

    @app_commands.command(name="slowmode",
                          description="Slow members' chat in the debate thread (moderators)")
    @app_commands.describe(seconds="Seconds between a member's messages; 0 turns it off")
    async def slowmode(self, interaction: discord.Interaction,
                       seconds: app_commands.Range[int, 0, 21600]) -> None:
        thread = await self.debate_thread(interaction)
        with priority(Priority.OTHER):
            await thread.edit(slowmode_delay=seconds)
        await interaction.response.send_message(
            replies.slowmode_set(seconds, reader_voice(interaction)), ephemeral=True)

    @app_commands.command(name="audience-thread",
                          description="Open a side thread for the audience's talk (moderators)")
    async def audience_thread(self, interaction: discord.Interaction) -> None:
        state = here(self.service, interaction)
        thread = await self.debate_thread(interaction)
        channel = thread.parent
        if not isinstance(channel, discord.TextChannel):
            raise Refusal("not_a_debate_channel")
        await interaction.response.defer(ephemeral=True, thinking=True)
        voice = server_voice(interaction)
        name = clip(replies.audience_thread_name(
            voice.topic_title(state.topic_id), voice), 100)
        side = next((t for t in channel.threads if t.name == name and not t.archived), None)
        if side is None:
            with priority(Priority.OTHER):
                side = await channel.create_thread(name=name, auto_archive_duration=1440,
                                                   type=discord.ChannelType.public_thread)
                await thread.send(replies.audience_thread_link(side.id, voice))
        await interaction.followup.send(
            replies.audience_thread_opened(side.id, reader_voice(interaction)), ephemeral=True)

    async def debate_thread(self, interaction: discord.Interaction) -> discord.Thread:
        state = here(self.service, interaction)
        thread = interaction.client.get_channel(state.thread_id or 0)
        if not isinstance(thread, discord.Thread):
            raise Refusal("no_debate_here")
        return thread
