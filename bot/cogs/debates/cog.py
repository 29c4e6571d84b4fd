"""/debate: start, join, argue, vote and steer structured pro/con debates."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import require_moderator
from bot.cogs.debates import components, participation
from bot.cogs.debates.announcer import Announcer
from bot.cogs.debates.runtime import Applied, DebateRuntime, Transition
from bot.core.cooldown import Cooldown
from bot.core.debate import (
    ArgumentAccepted,
    DebateState,
    MemberJoined,
    Refusal,
    VoteRecorded,
)
from bot.errors import UserError, handle_interaction_error
from bot.storage import debates as store
from bot.ui import debate_cards as cards
from bot.ui import debate_replies as replies
from bot.ui import debate_text, text, transcript

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)

# Per member and debate: a burst of 3 argue/vote actions, then one every 5/3 s.
ACTION_RATE, ACTION_PER = 3, 5.0


@app_commands.guild_only()
class DebateCog(commands.GroupCog, name="Debates", group_name="debate",
                group_description="Structured, moderated pro/con debates"):
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        super().__init__()
        self.announcer = Announcer(bot, {}, self.award)
        self.runtime = DebateRuntime(bot.db, bot.clock, lambda: bot.content,
                                     self.announcer.flush, owns=bot.ownership.owns)
        self.announcer.live = self.runtime.live
        self.cooldown = Cooldown(ACTION_RATE, ACTION_PER)

    async def cog_load(self) -> None:
        await self.runtime.start()
        await self.announcer.flush_all()

    async def cog_unload(self) -> None:
        await self.runtime.stop()
        await self.announcer.stop()

    # ------------------------------------------------------------------ helpers

    async def award(self, state: DebateState) -> None:
        """Score a finished debate's participation (called from the outbox, once per finish)."""
        moderator = await store.created_by(self.bot.db, state.id)
        stored = await participation.record(self.bot.events, state, moderator)
        log.info("debate %s finished: %d participation event(s) logged", state.id, stored)

    def debate_here(self, interaction: discord.Interaction) -> DebateState:
        """The live debate of this thread, or of this channel."""
        guild_id, channel_id = interaction.guild_id, interaction.channel_id
        if guild_id is None or channel_id is None:
            raise UserError(replies.NO_DEBATE_HERE)
        state = (self.runtime.in_thread(channel_id)
                 or self.runtime.in_channel(guild_id, channel_id))
        if state is None or state.guild_id != guild_id:
            raise UserError(replies.NO_DEBATE_HERE)
        return state

    def debate_by_id(self, interaction: discord.Interaction, debate_id: int) -> DebateState:
        """A live debate named by a button; buttons of another server's debate do nothing."""
        state = self.runtime.live.get(debate_id)
        if state is None:
            raise UserError(replies.BUTTONS_DEAD)
        if state.guild_id != interaction.guild_id:
            raise UserError(replies.FOREIGN_BUTTON)
        return state

    async def act(self, state: DebateState, transition: Transition,
                  interaction: discord.Interaction, *, audit: str | None = None,
                  detail: str = "") -> Applied:
        """Apply a transition for the member behind `interaction`; refusals become replies."""
        actor = interaction.user
        audit_entry = ((lambda now: store.AuditEntry(actor.id, audit, detail, now))
                       if audit else None)
        try:
            return await self.runtime.apply(state.id, transition,
                                            names={actor.id: text.member_name(actor)},
                                            audit=audit_entry)
        except Refusal as refusal:
            raise UserError(debate_text.refusal(refusal, state.format)) from refusal
        except LookupError as error:
            raise UserError(replies.JUST_ENDED) from error

    def throttle(self, interaction: discord.Interaction, state: DebateState) -> None:
        """Refuse (politely, without touching storage) a member who is clicking too fast."""
        wait = self.cooldown.hit((state.id, interaction.user.id), self.bot.clock.now())
        if wait:
            raise UserError(replies.slow_down(wait))

    async def refresh_lobby(self, state: DebateState) -> None:
        """Show the current sides on the lobby card (best effort: it is only a display)."""
        topic = self.bot.content.topic(state.topic_id)
        lobby_id = await store.lobby_message(self.bot.db, state.id)
        if topic is None or lobby_id is None or state.thread_id is None:
            return
        names = await store.names(self.bot.db, state.id)
        thread = self.bot.get_channel(state.thread_id)
        if not isinstance(thread, discord.Thread):
            return
        try:
            await thread.get_partial_message(lobby_id).edit(
                embed=cards.lobby_embed(state, topic, names))
        except discord.HTTPException:
            log.warning("could not refresh the lobby card of debate %s", state.id,
                        exc_info=True)

    async def ephemeral(self, interaction: discord.Interaction, message: str) -> None:
        await interaction.response.send_message(text.clip(message, text.MESSAGE_CONTENT),
                                                ephemeral=True)

    # ------------------------------------------------------------------ members

    async def do_join(self, interaction: discord.Interaction, state: DebateState,
                      side: str) -> None:
        user_id = interaction.user.id
        applied = await self.act(state, lambda s, now: s.join(user_id, side, now), interaction)
        switched = any(isinstance(e, MemberJoined) and e.previous_side
                       for e in applied.effects)
        await self.ephemeral(interaction, replies.joined(side, state.id, switched=switched))
        await self.refresh_lobby(state)

    async def do_leave(self, interaction: discord.Interaction, state: DebateState) -> None:
        user_id = interaction.user.id
        await self.act(state, lambda s, now: s.leave(user_id, now), interaction)
        await self.ephemeral(interaction, replies.left(state.id))
        await self.refresh_lobby(state)

    async def do_argue(self, interaction: discord.Interaction, state: DebateState,
                       body: str) -> None:
        user_id = interaction.user.id
        self.throttle(interaction, state)
        cleaned = text.clean_user_text(body)
        applied = await self.act(state, lambda s, now: s.argue(user_id, cleaned, now),
                                 interaction)
        accepted = next(e for e in applied.effects if isinstance(e, ArgumentAccepted))
        await self.ephemeral(interaction, replies.argued(
            accepted.argument.seq, accepted.phase.title, accepted.posts_left))

    async def do_vote(self, interaction: discord.Interaction, state: DebateState,
                      choice: str) -> None:
        user_id = interaction.user.id
        self.throttle(interaction, state)
        phase = state.current_phase
        current = state.votes.get((phase.id, user_id)) if phase is not None else None
        if current is not None and current.choice == choice and \
                state.can_vote_now(user_id, self.bot.clock.now()):
            await self.ephemeral(interaction, replies.vote_unchanged(choice))
            return
        applied = await self.act(state, lambda s, now: s.vote(user_id, choice, now),
                                 interaction)
        recorded = next(e for e in applied.effects if isinstance(e, VoteRecorded))
        phase = next(p for p in state.format.phases if p.id == recorded.vote.phase_id)
        await self.ephemeral(interaction, replies.voted(choice, recorded.previous, phase.title))

    async def open_argument_form(self, interaction: discord.Interaction,
                                 state: DebateState) -> None:
        self.throttle(interaction, state)
        try:
            phase = state.check_can_argue(interaction.user.id, self.bot.clock.now())
        except Refusal as refusal:
            raise UserError(debate_text.refusal(refusal, state.format)) from refusal
        side = state.side_of(interaction.user.id)
        await interaction.response.send_modal(components.ArgumentModal(
            state.id, phase.title, side, phase.max_chars or 4000))

    async def on_button(self, interaction: discord.Interaction, debate_id: int,
                        action: str) -> None:
        state = self.debate_by_id(interaction, debate_id)
        if action.startswith("join-"):
            await self.do_join(interaction, state, action.removeprefix("join-"))
        elif action == "leave":
            await self.do_leave(interaction, state)
        elif action == "argue":
            await self.open_argument_form(interaction, state)
        elif action.startswith("vote-"):
            await self.do_vote(interaction, state, action.removeprefix("vote-"))
        elif action == "begin":
            await self.do_moderation(interaction, state, "begin",
                                     lambda s, now: s.begin(now), replies.DONE["begin"])

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Argument forms, including ones opened before a restart."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        match = components.MODAL_ID.fullmatch(str(data.get("custom_id", "")))
        if match is None:
            return
        try:
            state = self.debate_by_id(interaction, int(match["debate"]))
            body = components.submitted_text(dict(data)) or ""
            await self.do_argue(interaction, state, body)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    @app_commands.command(name="join", description="Join a side of the debate here")
    @app_commands.describe(side="pro (for the motion) or con (against)")
    async def join(self, interaction: discord.Interaction, side: Literal["pro", "con"]) -> None:
        await self.do_join(interaction, self.debate_here(interaction), side)

    @app_commands.command(name="leave", description="Leave your side of the debate here")
    async def leave(self, interaction: discord.Interaction) -> None:
        await self.do_leave(interaction, self.debate_here(interaction))

    @app_commands.command(name="argue", description="Post an argument in the current phase")
    @app_commands.describe(text="Your argument (the phase sets the length limit)")
    async def argue(self, interaction: discord.Interaction,
                    text: app_commands.Range[str, 1, 4000]) -> None:
        await self.do_argue(interaction, self.debate_here(interaction), text)

    @app_commands.command(name="vote", description="Vote in the current vote phase")
    @app_commands.describe(side="pro, con or undecided")
    async def vote(self, interaction: discord.Interaction,
                   side: Literal["pro", "con", "undecided"]) -> None:
        await self.do_vote(interaction, self.debate_here(interaction), side)

    @app_commands.command(name="status", description="Phase, time left, sides and vote count")
    async def status(self, interaction: discord.Interaction) -> None:
        state = self.debate_here(interaction)
        topic = self.bot.content.topic(state.topic_id)
        names = await store.names(self.bot.db, state.id)
        view = state.status_view(self.bot.clock.now())
        embed = cards.status_embed(state, topic, view, names) if topic else None
        if embed is None:
            raise UserError(replies.TOPIC_GONE)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    # ------------------------------------------------------------------ moderation

    async def do_moderation(self, interaction: discord.Interaction, state: DebateState,
                            action: str, transition: Transition, done: str,
                            detail: str = "") -> Applied:
        await require_moderator(interaction)
        applied = await self.act(state, transition, interaction, audit=action, detail=detail)
        await self.ephemeral(interaction, done)
        return applied

    # ------------------------------------------------------------------ transcript

    @app_commands.command(name="transcript", description="Download a debate's transcript")
    @app_commands.describe(debate="Which debate (default: the one here, or the latest)")
    async def transcript(self, interaction: discord.Interaction,
                         debate: int | None = None) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        debate_id = debate if debate is not None else await self._default_debate(interaction)
        state = await store.load(self.bot.db, debate_id, self.bot.content) if debate_id else None
        if state is None or state.guild_id != interaction.guild_id:
            raise UserError(replies.NO_SUCH_DEBATE)
        markdown = transcript.render(
            state, self.bot.content.topic(state.topic_id),
            await store.names(self.bot.db, state.id), await store.phases(self.bot.db, state.id),
            await store.audit_log(self.bot.db, state.id))
        file = discord.File(io.BytesIO(markdown.encode("utf-8")),
                            filename=f"debate-{state.id}-transcript.md")
        await interaction.followup.send(replies.transcript_caption(state.id), file=file,
                                        ephemeral=True)

    async def _default_debate(self, interaction: discord.Interaction) -> int | None:
        """The debate of this thread or channel if any, else this server's latest."""
        assert interaction.guild_id is not None and interaction.channel_id is not None
        live = (self.runtime.in_thread(interaction.channel_id)
                or self.runtime.in_channel(interaction.guild_id, interaction.channel_id))
        if live is not None:
            return live.id
        recent = await store.recent(self.bot.db, interaction.guild_id, limit=200)
        here = [d for d in recent if d.thread_id == interaction.channel_id]
        return (here or recent)[0].id if (here or recent) else None

    @transcript.autocomplete("debate")
    async def transcript_autocomplete(self, interaction: discord.Interaction,
                                      current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        choices = []
        for item in await store.recent(self.bot.db, interaction.guild_id, limit=100):
            topic = self.bot.content.topic(item.topic_id)
            name = f"#{item.id} · {topic.title if topic else item.topic_id} · {item.status}"
            if current.strip().lower() in name.lower():
                choices.append(app_commands.Choice(name=text.clip(name, 100), value=item.id))
        return choices[:25]
