"""/debate: join, leave, argue, vote, status and transcript; the debate buttons and forms.

An adapter: it reads the interaction, calls the debate service, and renders what the
service did (or the refusal it raised) with `bot.ui`.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import require_moderator
from bot.cogs.debates import components
from bot.cogs.debates.announcer import DISPLAY_FAILURES, Announcer
from bot.core.debate import DebateState, Refusal
from bot.errors import handle_interaction_error
from bot.i18n.reader import reader_voice
from bot.service.debates import DebateService
from bot.service.outcomes import Outcome
from bot.storage import alerts as alert_prefs
from bot.storage import debates as store
from bot.ui import debate_cards as cards
from bot.ui import debate_replies as replies
from bot.ui import transcript
from bot.ui.text import MESSAGE_CONTENT, clean_user_text, clip, member_name
from bot.ui.voice import voice_in

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)


async def answer(interaction: discord.Interaction, outcome: Outcome,
                 state: DebateState) -> None:
    """Tell the member, privately and in their language, what their action did."""
    message = replies.reply(outcome, reader_voice(interaction), state.format)
    await interaction.response.send_message(clip(message, MESSAGE_CONTENT), ephemeral=True)


def here(service: DebateService, interaction: discord.Interaction) -> DebateState:
    return service.here(interaction.guild_id, interaction.channel_id)


@app_commands.guild_only()
class DebateCog(commands.GroupCog, name="Debates", group_name="debate",
                group_description="Structured, moderated pro/con debates"):
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        super().__init__()
        self.announcer = Announcer(bot)
        self.service = DebateService(bot.db, bot.clock, lambda: bot.content, lambda: bot.events,
                                     self.announcer, owns=bot.ownership.owns)
        self.announcer.bind(self.service.live, self.service.award)

    async def cog_load(self) -> None:
        await self.service.open()

    async def cog_unload(self) -> None:
        await self.service.close()

    # ------------------------------------------------------------------ buttons and forms

    async def on_button(self, interaction: discord.Interaction, debate_id: int,
                        action: str) -> None:
        shown = components.SHOW_CARD.fullmatch(action)
        if shown is not None:
            await self.show_card(interaction, debate_id, shown["card"])
            return
        state = self.service.by_button(interaction.guild_id, debate_id)
        user, name = interaction.user.id, member_name(interaction.user)
        on_lobby = self.bot.lean_posts and await self.on_lobby_card(interaction, state)
        if action.startswith("join-"):
            joined = await self.service.join(state, user, name, action.removeprefix("join-"),
                                             shown=on_lobby)
            await self.answer_on_lobby(interaction, joined, state, on_lobby)
        elif action == "leave":
            left = await self.service.leave(state, user, name, shown=on_lobby)
            await self.answer_on_lobby(interaction, left, state, on_lobby)
        elif action == "argue":
            form = self.service.argument_form(state, user)
            voice = reader_voice(interaction)
            await interaction.response.send_modal(components.ArgumentModal(
                form.debate_id, voice.phase_title(state.format, form.phase_id), form.side,
                form.max_chars, voice))
        elif action.startswith("vote-"):
            await answer(interaction, await self.service.vote(
                state, user, name, action.removeprefix("vote-")), state)
        elif action == "begin":
            await require_moderator(interaction)
            await answer(interaction, await self.service.steer(state, user, name, "begin"),
                         state)

    async def on_speaker(self, interaction: discord.Interaction, debate_id: int,
                         speaker_id: int) -> None:
        """The closing vote's best-speaker menu."""
        state = self.service.by_button(interaction.guild_id, debate_id)
        await answer(interaction, await self.service.name_best_speaker(
            state, interaction.user.id, member_name(interaction.user), speaker_id), state)

    async def on_lobby_card(self, interaction: discord.Interaction,
                            state: DebateState) -> bool:
        """Whether the button pressed sits on the debate's lobby card."""
        if interaction.message is None:
            return False
        return interaction.message.id == await store.lobby_message(self.bot.db, state.id)

    async def answer_on_lobby(self, interaction: discord.Interaction, outcome: Outcome,
                              state: DebateState, on_lobby: bool) -> None:
        """A side change from the lobby's own button: the lobby card is updated as the
        button's answer (no separate edit, no rate-limited call), then the member is told
        privately. Elsewhere: the private answer, and the lobby is refreshed separately."""
        if not on_lobby:
            await answer(interaction, outcome, state)
            return
        embed = await self.announcer.lobby_card(state)
        if embed is None:
            await answer(interaction, outcome, state)
            self.announcer.lobby_changed(state)
            return
        await interaction.response.edit_message(embed=embed)
        message = replies.reply(outcome, reader_voice(interaction), state.format)
        await interaction.followup.send(clip(message, MESSAGE_CONTENT), ephemeral=True)

    async def argue_here(self, interaction: discord.Interaction, state: DebateState,
                         body: str, reply_to: int | None = None) -> None:
        """Post an argument. In the debate's own thread (lean posts) it is the public answer
        to the member's own form or command, which costs none of the token's rate-limited
        calls; the outbox posts it only if that answer fails. Elsewhere, the outbox posts it."""
        user, name = interaction.user.id, member_name(interaction.user)
        if not self.bot.lean_posts or interaction.channel_id != state.thread_id:
            await answer(interaction, await self.service.argue(state, user, name, body,
                                                               reply_to), state)
            return
        async with self.announcer.claim(state.id, user) as claim:
            argued = await self.service.argue(state, user, name, body, reply_to)
            # The author's name is at hand; the debate's names are read only for a rebuttal
            # of someone else.
            card = await self.announcer.argument_card(state, argued.seq, {user: name})
            try:
                shown = await interaction.response.send_message(embed=card)
                claim.posted(argued.seq)
            except DISPLAY_FAILURES:
                log.warning("debate %s: argument %s goes through the outbox instead",
                            state.id, argued.seq, exc_info=True)
        if not interaction.response.is_done():  # the public answer failed: answer privately
            await answer(interaction, argued, state)
            return
        if shown.message_id is not None:  # its card, for reports and redaction
            await store.set_argument_message(self.bot.db, state.id, argued.seq,
                                             shown.message_id)
        message = replies.reply(argued, reader_voice(interaction), state.format)
        await interaction.followup.send(clip(message, MESSAGE_CONTENT), ephemeral=True)

    async def show_card(self, interaction: discord.Interaction, debate_id: int,
                        card: str) -> None:
        """🌐: the card this button sits on, privately, in the clicker's language."""
        assert interaction.guild_id is not None
        record = await self.service.transcript(interaction.guild_id, None, debate_id)
        voice = reader_voice(interaction)
        embed = cards.card_again(record.state, record.topic, record.names, record.phases,
                                 card, voice)
        if embed is None:
            await interaction.response.send_message(replies.card_gone(voice), ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

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
            state = self.service.by_button(interaction.guild_id, int(match["debate"]))
            body = clean_user_text(components.submitted_text(dict(data)) or "")
            await self.argue_here(interaction, state, body)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="join", description="Join a side of the debate here")
    @app_commands.describe(side="pro (for the motion) or con (against)")
    async def join(self, interaction: discord.Interaction, side: Literal["pro", "con"]) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.join(
            state, interaction.user.id, member_name(interaction.user), side), state)

    @app_commands.command(name="leave", description="Leave your side of the debate here")
    async def leave(self, interaction: discord.Interaction) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.leave(
            state, interaction.user.id, member_name(interaction.user)), state)

    @app_commands.command(name="argue", description="Post an argument in the current phase")
    @app_commands.describe(text="Your argument (the phase sets the length limit)",
                           reply_to="The other side's argument this answers (start typing)")
    async def argue(self, interaction: discord.Interaction,
                    text: app_commands.Range[str, 1, 4000],
                    reply_to: app_commands.Range[int, 1, 100_000] | None = None) -> None:
        await self.argue_here(interaction, here(self.service, interaction),
                              clean_user_text(text), reply_to)

    @argue.autocomplete("reply_to")
    async def reply_to_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[int]]:
        """The other side's standing arguments in the debate here, newest first, matched by
        number or words."""
        try:
            state = here(self.service, interaction)
        except Refusal:
            return []
        side = state.side_of(interaction.user.id)
        wanted = current.strip().lstrip("#").lower()
        names = await store.names(self.bot.db, state.id)
        choices = []
        for argument in reversed(state.arguments):
            if argument.redacted or argument.side == side:
                continue
            label = replies.argument_choice(argument.seq, names.get(argument.user_id, "?"),
                                            argument.text, reader_voice(interaction))
            if wanted and wanted not in label.lower():
                continue
            choices.append(app_commands.Choice(name=clip(label, 100), value=argument.seq))
        return choices[:25]

    @app_commands.command(name="vote", description="Vote in the current vote phase")
    @app_commands.describe(side="pro, con or undecided")
    async def vote(self, interaction: discord.Interaction,
                   side: Literal["pro", "con", "undecided"]) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.vote(
            state, interaction.user.id, member_name(interaction.user), side), state)

    @app_commands.command(name="ballot", description="Judges: cast your ballot in the closing vote")
    @app_commands.describe(side="The side that won the debate, in your judgement")
    async def ballot(self, interaction: discord.Interaction, side: Literal["pro", "con"]) -> None:
        state = here(self.service, interaction)
        await answer(interaction, await self.service.cast_ballot(
            state, interaction.user.id, member_name(interaction.user), side), state)

    @app_commands.command(name="alerts",
                          description="Whether phase cards mention you when it is your turn")
    @app_commands.describe(mode="on: mentioned on the card (default); dm: a direct message; "
                                "off: never")
    async def alerts(self, interaction: discord.Interaction,
                     mode: Literal["on", "dm", "off"]) -> None:
        stored = {"on": "mention", "dm": "dm", "off": "off"}[mode]
        await alert_prefs.set_alerts(self.bot.db, interaction.user.id, stored)
        await interaction.response.send_message(
            replies.alerts_set(stored, reader_voice(interaction)), ephemeral=True)

    @app_commands.command(name="status", description="Phase, time left, sides and vote count")
    async def status(self, interaction: discord.Interaction) -> None:
        status = await self.service.status(here(self.service, interaction))
        await interaction.response.send_message(
            embed=cards.status_embed(status.state, status.topic, status.view, status.names,
                                     reader_voice(interaction)),
            ephemeral=True)

    @app_commands.command(name="transcript", description="Download a debate's transcript")
    @app_commands.describe(debate="Which debate (default: the one here, or the latest)")
    async def transcript(self, interaction: discord.Interaction,
                         debate: int | None = None) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        record = await self.service.transcript(interaction.guild_id, interaction.channel_id,
                                               debate)
        # The record is the debate's: in the language its thread spoke.
        markdown = transcript.render(record.state, record.topic, record.names, record.phases,
                                     record.audit, voice_in(record.state.language,
                                                            self.bot.content))
        file = discord.File(io.BytesIO(markdown.encode("utf-8")),
                            filename=f"debate-{record.state.id}-transcript.md")
        await interaction.followup.send(
            replies.transcript_caption(record.state.id, reader_voice(interaction)), file=file,
            ephemeral=True)

    @transcript.autocomplete("debate")
    async def transcript_autocomplete(self, interaction: discord.Interaction,
                                      current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        wanted = current.strip().lower()
        voice = reader_voice(interaction)
        choices = []
        for past in await self.service.recent(interaction.guild_id):
            name = replies.past_debate_choice(past.summary.id,
                                              voice.topic_title(past.summary.topic_id),
                                              past.summary.status, voice)
            if wanted in name.lower():
                choices.append(app_commands.Choice(name=clip(name, 100),
                                                   value=past.summary.id))
        return choices[:25]
