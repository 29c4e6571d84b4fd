"""Scheduled debates: /moderate schedule, schedules, reschedule and unschedule, the Discord
scheduled event each one is, and the timer that reminds and starts them.

The schedule itself is pure (`bot.core.schedule`); this cog keeps the pending ones armed
(loaded again at start-up, so a restart loses none), talks to Discord, and starts the debate
through the debate service like `/moderate start` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import MODERATOR_PERMISSIONS, require_moderator
from bot.cogs.debates.venue import DISCORD_FAILURES, ScheduledVenue
from bot.cogs.params import DebateTopicParam, FormatParam
from bot.core.content import Format
from bot.core.debate import Refusal
from bot.core.schedule import Due, Schedule, ScheduleStatus
from bot.core.when import parse_when
from bot.i18n.reader import reader_voice, server_language
from bot.pacer import Priority, priority
from bot.storage import schedules as store
from bot.ui import schedules as render
from bot.ui.voice import Voice, voice_in

if TYPE_CHECKING:
    from bot.app import Rostrum
    from bot.service.debates import DebateService

log = logging.getLogger(__name__)
RETRY_SECONDS = 30.0
MAX_REMINDED = 50  # interested members mentioned in a reminder (one message)


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _length(fmt: Format, phase_seconds: int | None) -> int:
    return sum(phase_seconds or phase.seconds for phase in fmt.phases)


@app_commands.guild_only()
@app_commands.default_permissions(manage_threads=True)
class Scheduling(commands.Cog, name="Scheduling"):
    def __init__(self, bot: Rostrum, service: DebateService) -> None:
        self.bot = bot
        self.service = service
        self.pending: dict[int, Schedule] = {}
        self._retry_at: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        for schedule in await store.pending(self.bot.db, self.bot.ownership.owns):
            self.pending[schedule.id] = schedule
        log.info("scheduled debates armed: %d", len(self.pending))
        self._task = asyncio.create_task(self._run(), name="debate-schedules")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await require_moderator(interaction)
        return True

    def voice(self, schedule: Schedule) -> Voice:
        return voice_in(schedule.language, self.bot.content)

    # ------------------------------------------------------------------ commands

    group = app_commands.Group(name="schedule", description="Debates at a set time",
                               default_permissions=MODERATOR_PERMISSIONS, guild_only=True)

    @group.command(name="add", description="Schedule a debate; it appears in the Events tab")
    @app_commands.describe(
        topic="One of the five controversies (start typing)", format="How the debate runs",
        when="in 2h · 19:30 · 2026-12-24 19:30 · or a Discord timestamp",
        timezone="Your timezone for clock times, e.g. Asia/Tokyo, Asia/Seoul (default UTC)",
        channel="Where it is held (default: here)", weekly="Repeat every week",
        phase_seconds="Make every phase this many seconds long")
    async def add(self, interaction: discord.Interaction, topic: DebateTopicParam,
                  format: FormatParam, when: app_commands.Range[str, 1, 100],
                  timezone: app_commands.Range[str, 1, 64] | None = None,
                  channel: discord.TextChannel | None = None, weekly: bool = False,
                  phase_seconds: app_commands.Range[int, 10, 3600] | None = None) -> None:
        assert interaction.guild is not None
        starts_at = parse_when(when, self.bot.clock.now(), timezone)
        where = channel or interaction.channel
        if not isinstance(where, discord.TextChannel):
            raise Refusal("not_a_debate_channel")
        await interaction.response.defer(ephemeral=True, thinking=True)
        english = self.service.content()
        topic, format = english.topic(topic.id) or topic, english.format(format.id) or format
        schedule = Schedule(id=0, guild_id=interaction.guild.id, channel_id=where.id,
                            topic_id=topic.id, format_id=format.id, starts_at=starts_at,
                            created_by=interaction.user.id,
                            language=server_language(interaction),
                            phase_seconds=phase_seconds, weekly=weekly)
        made = await self._make_event(interaction.guild, schedule, where)
        await store.add(self.bot.db, schedule, now=self.bot.clock.now())
        self._arm(schedule)
        voice = reader_voice(interaction)
        await interaction.followup.send(
            render.scheduled(schedule, voice.topic_title(topic.id), made, voice),
            ephemeral=True)

    @group.command(name="list", description="The debates scheduled in this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        voice = reader_voice(interaction)
        found = [(s, voice.topic_title(s.topic_id))
                 for s in await store.upcoming(self.bot.db, interaction.guild_id)]
        await interaction.response.send_message(embed=render.upcoming_embed(found, voice),
                                                ephemeral=True)

    @group.command(name="move", description="Move a scheduled debate to another time")
    @app_commands.describe(schedule="Which one (start typing)",
                           when="in 2h · 19:30 · 2026-12-24 19:30 · or a Discord timestamp",
                           timezone="Your timezone for clock times (default UTC)")
    async def move(self, interaction: discord.Interaction, schedule: int,
                   when: app_commands.Range[str, 1, 100],
                   timezone: app_commands.Range[str, 1, 64] | None = None) -> None:
        assert interaction.guild is not None
        found = await self._pending(interaction.guild.id, schedule)
        starts_at = parse_when(when, self.bot.clock.now(), timezone)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found.starts_at, found.status = starts_at, ScheduleStatus.SCHEDULED
        event = await self._event(interaction.guild, found)
        if event is not None:
            fmt = self.service.content().format(found.format_id)
            length = _length(fmt, found.phase_seconds) if fmt else 3600
            try:
                with priority(Priority.OTHER):
                    await event.edit(start_time=_utc(starts_at),
                                     end_time=_utc(starts_at + length))
            except DISCORD_FAILURES:
                log.warning("schedule %s: its event was not moved", found.id, exc_info=True)
        await store.save(self.bot.db, found)
        self._arm(found)
        await interaction.followup.send(render.moved(found, reader_voice(interaction)),
                                        ephemeral=True)

    @group.command(name="cancel", description="Cancel a scheduled debate and its event")
    @app_commands.describe(schedule="Which one (start typing)")
    async def cancel(self, interaction: discord.Interaction, schedule: int) -> None:
        assert interaction.guild is not None
        found = await self._pending(interaction.guild.id, schedule)
        await interaction.response.defer(ephemeral=True, thinking=True)
        found.status = ScheduleStatus.CANCELLED
        await store.save(self.bot.db, found)
        self.pending.pop(found.id, None)
        await self._cancel_event(interaction.guild, found)
        await interaction.followup.send(render.cancelled(found, reader_voice(interaction)),
                                        ephemeral=True)

    @move.autocomplete("schedule")
    @cancel.autocomplete("schedule")
    async def schedule_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        voice = reader_voice(interaction)
        wanted = current.strip().lower().lstrip("s")
        choices = []
        for s in await store.upcoming(self.bot.db, interaction.guild_id):
            label = render.schedule_choice(s, voice.topic_title(s.topic_id), voice)
            if wanted in label.lower():
                choices.append(app_commands.Choice(name=label, value=s.id))
        return choices[:25]

    async def _pending(self, guild_id: int, schedule_id: int) -> Schedule:
        found = await store.get(self.bot.db, guild_id, schedule_id)
        if found is None or not found.pending:
            raise Refusal("no_such_schedule", id=schedule_id)
        return self.pending.get(found.id, found)

    # ------------------------------------------------------------------ the Discord event

    async def _make_event(self, guild: discord.Guild, s: Schedule,
                          channel: discord.TextChannel) -> bool:
        """The schedule's Discord event (external, located at its channel); False when
        Discord would not make it (no Manage Events): the schedule stands without it."""
        pack = self.bot.content.in_language(s.language)
        topic, fmt = pack.topic(s.topic_id), pack.format(s.format_id)
        assert topic is not None and fmt is not None
        voice = self.voice(s)
        allowed = guild.me.guild_permissions
        if not (allowed.create_events or allowed.manage_events):
            log.info("guild %s: no Create Events permission; schedule %s has no event",
                     guild.id, s.id)
            return False
        try:
            with priority(Priority.OTHER):
                event = await guild.create_scheduled_event(
                    name=render.event_name(topic.title, voice),
                    description=render.event_description(topic.motion, fmt.title, voice),
                    start_time=_utc(s.starts_at),
                    end_time=_utc(s.starts_at + _length(fmt, s.phase_seconds)),
                    entity_type=discord.EntityType.external,
                    privacy_level=discord.PrivacyLevel.guild_only,
                    location=render.event_location(channel.name))
        except DISCORD_FAILURES:
            log.warning("schedule in guild %s: no Discord event", guild.id, exc_info=True)
            return False
        s.event_id = event.id
        return True

    async def _event(self, guild: discord.Guild,
                     s: Schedule) -> discord.ScheduledEvent | None:
        if s.event_id is None:
            return None
        try:
            return await guild.fetch_scheduled_event(s.event_id)
        except DISCORD_FAILURES:
            log.warning("schedule %s: its event %s is gone", s.id, s.event_id)
            return None

    async def _cancel_event(self, guild: discord.Guild, s: Schedule) -> None:
        event = await self._event(guild, s)
        if event is None:
            return
        try:
            with priority(Priority.OTHER):
                await event.cancel()
        except DISCORD_FAILURES:
            log.warning("schedule %s: its event was not cancelled", s.id, exc_info=True)

    # ------------------------------------------------------------------ the timer

    def _arm(self, s: Schedule) -> None:
        if s.pending:
            self.pending[s.id] = s
        else:
            self.pending.pop(s.id, None)
        self._retry_at.pop(s.id, None)
        self._wake.set()

    def _next_wake(self) -> float | None:
        times = [max(w, self._retry_at.get(s.id, w)) for s in self.pending.values()
                 if (w := s.wakeup()) is not None]
        return min(times, default=None)

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            now = self.bot.clock.now()
            for s in sorted(self.pending.values(), key=lambda item: item.starts_at):
                wake = s.wakeup()
                if wake is None or wake > now or self._retry_at.get(s.id, 0) > now:
                    continue
                try:
                    await self._act(s, now)
                except Exception:
                    log.exception("schedule %s failed; retrying in %g s", s.id, RETRY_SECONDS)
                    self._retry_at[s.id] = now + RETRY_SECONDS
            await self._sleep()

    async def _sleep(self) -> None:
        self._wake.clear()
        waits: list[asyncio.Task[object]] = [asyncio.create_task(self._wake.wait())]
        wake = self._next_wake()
        if wake is not None:
            waits.append(asyncio.create_task(self.bot.clock.sleep_until(wake)))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def _act(self, s: Schedule, now: float) -> None:
        due = s.due(now)
        if due is None:
            return
        channel = self.bot.get_channel(s.channel_id)
        guild = self.bot.get_guild(s.guild_id)
        if not isinstance(channel, discord.TextChannel) or guild is None:
            log.warning("schedule %s: its channel %s is gone; giving it up", s.id,
                        s.channel_id)
            s.status = ScheduleStatus.MISSED
        elif due is Due.REMIND:
            await self._remind(s, guild, channel)
            s.status = ScheduleStatus.REMINDED
        elif due is Due.START:
            await self._start(s, guild, channel, now)
        else:
            s.status = ScheduleStatus.MISSED
            await self._cancel_event(guild, s)
            await self._say(channel, render.missed_note(s.starts_at, self.voice(s)))
        await store.save(self.bot.db, s)
        self._arm(s)

    async def _say(self, channel: discord.TextChannel, content: str,
                   users: list[int] | None = None) -> None:
        mentions = discord.AllowedMentions(everyone=False, roles=False, replied_user=False,
                                           users=[discord.Object(u) for u in users or []])
        with priority(Priority.CARD):
            await channel.send(content, allowed_mentions=mentions)

    async def _remind(self, s: Schedule, guild: discord.Guild,
                      channel: discord.TextChannel) -> None:
        """Tell the channel, mentioning (and so pinging) the members who marked the event
        Interested: they asked to hear about it."""
        interested: list[int] = []
        event = await self._event(guild, s)
        if event is not None:
            async for user in event.users(limit=MAX_REMINDED):
                if not user.bot:
                    interested.append(user.id)
        topic = self.bot.content.in_language(s.language).topic(s.topic_id)
        motion = topic.motion if topic else s.topic_id
        await self._say(channel, render.reminder(motion, s.starts_at, interested,
                                                 self.voice(s)), interested)

    async def _start(self, s: Schedule, guild: discord.Guild,
                     channel: discord.TextChannel, now: float) -> None:
        english = self.service.content()
        topic, fmt = english.topic(s.topic_id), english.format(s.format_id)
        if topic is None or fmt is None:
            raise LookupError(f"schedule {s.id}: topic or format no longer in the pack")
        voice = self.voice(s)
        late = int(s.late_by(now) // 60)
        venue = ScheduledVenue(channel, voice, render.late_note(late, voice) if late else "")
        try:
            with priority(Priority.CARD):
                state = await self.service.start(
                    guild_id=s.guild_id, channel_id=s.channel_id, moderator_id=s.created_by,
                    topic=topic, fmt=fmt, phase_seconds=s.phase_seconds, venue=venue,
                    language=s.language)
        except Refusal as refusal:
            if refusal.code != "channel_busy":
                raise
            s.status = ScheduleStatus.MISSED
            await self._say(channel, render.not_started_note(s.starts_at, voice))
            await self._cancel_event(guild, s)
            return
        s.status, s.debate_id = ScheduleStatus.STARTED, state.id
        await store.save(self.bot.db, s)  # before the follow-ups: it is started, whatever they do
        event = await self._event(guild, s)
        if event is not None:
            try:
                with priority(Priority.OTHER):
                    await event.start()
            except DISCORD_FAILURES:
                log.warning("schedule %s: its event was not marked started", s.id)
        if s.weekly:
            await self._repeat(s, guild, channel)

    async def _repeat(self, s: Schedule, guild: discord.Guild,
                      channel: discord.TextChannel) -> None:
        following = Schedule(id=0, guild_id=s.guild_id, channel_id=s.channel_id,
                             topic_id=s.topic_id, format_id=s.format_id,
                             starts_at=s.next_week(), created_by=s.created_by,
                             language=s.language, phase_seconds=s.phase_seconds, weekly=True)
        await self._make_event(guild, following, channel)
        await store.add(self.bot.db, following, now=self.bot.clock.now())
        self._arm(following)
