"""/motion: motions a server writes itself. Members propose one through a form; moderators
approve or reject proposals (/moderate motions, approve-motion, reject-motion); a
moderator's own proposal is approved at once. Approved motions are offered by
/moderate start and /schedule add beside the article's five topics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import moderates, require_moderator
from bot.cogs.debates.components import submitted_text
from bot.core.debate import Refusal
from bot.core.motions import FRAMING_MAX, MOTION_CHARS, MotionStatus, checked
from bot.errors import handle_interaction_error
from bot.i18n.reader import reader_voice
from bot.storage import motions as store
from bot.ui import motions as render
from bot.ui.text import clean_user_text
from bot.ui.voice import ENGLISH_VOICE, Voice

if TYPE_CHECKING:
    from bot.app import Rostrum

FORM_ID = "motion:propose"
MOTION_FIELD, FRAMING_FIELD = "motion", "framing"


class MotionForm(discord.ui.Modal):
    """The motion and its optional framing; the submission is handled by the cog's listener
    (so a form opened before a restart still lands)."""

    def __init__(self, voice: Voice = ENGLISH_VOICE) -> None:
        super().__init__(title=render.form_title(voice), custom_id=FORM_ID, timeout=900)
        low, high = MOTION_CHARS
        self.add_item(discord.ui.TextInput(
            label=render.motion_label(voice), custom_id=MOTION_FIELD, min_length=low,
            max_length=high, placeholder=render.motion_placeholder(voice)))
        self.add_item(discord.ui.TextInput(
            label=render.framing_label(voice), custom_id=FRAMING_FIELD, required=False,
            max_length=FRAMING_MAX, style=discord.TextStyle.paragraph))


@app_commands.guild_only()
class Motions(commands.GroupCog, name="Motions", group_name="motion",
              group_description="Motions this server writes itself"):
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="propose", description="Propose a motion to debate (a form)")
    async def propose(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(MotionForm(reader_voice(interaction)))

    @app_commands.command(name="list", description="The motions this server approved")
    async def list_(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        found = await store.of_guild(self.bot.db, interaction.guild_id, MotionStatus.APPROVED)
        await interaction.response.send_message(
            embed=render.motions_embed(found, approved=True, voice=reader_voice(interaction)),
            ephemeral=True)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("custom_id") != FORM_ID:
            return
        try:
            await self.submitted(interaction, data)
        except Exception as error:
            await handle_interaction_error(interaction, error)

    async def submitted(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            raise Refusal("no_debate_here")
        text, framing = checked(clean_user_text(submitted_text(data, MOTION_FIELD) or ""),
                                clean_user_text(submitted_text(data, FRAMING_FIELD) or ""))
        approved = await moderates(interaction)
        motion = await store.add(
            self.bot.db, interaction.guild_id, text, framing,
            MotionStatus.APPROVED if approved else MotionStatus.PROPOSED,
            interaction.user.id, now=self.bot.clock.now())
        if approved:
            self.bot.keep_motion(motion)
        await interaction.response.send_message(
            render.proposed(motion, reader_voice(interaction)), ephemeral=True)


class MotionReview:
    """/moderate motions, approve-motion and reject-motion (added to the /moderate group)."""

    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot

    async def review(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        found = await store.of_guild(self.bot.db, interaction.guild_id, MotionStatus.PROPOSED)
        await interaction.response.send_message(
            embed=render.motions_embed(found, approved=False, voice=reader_voice(interaction)),
            ephemeral=True)

    async def decide(self, interaction: discord.Interaction, motion_id: int,
                     status: MotionStatus) -> None:
        await require_moderator(interaction)
        assert interaction.guild_id is not None
        motion = await store.decide(self.bot.db, interaction.guild_id, motion_id, status,
                                    interaction.user.id)
        if motion is None:
            raise Refusal("no_such_motion", id=motion_id)
        if status is MotionStatus.APPROVED:
            self.bot.keep_motion(motion)
        await interaction.response.send_message(
            render.decided(motion, reader_voice(interaction)), ephemeral=True)

    async def proposals(self, interaction: discord.Interaction,
                        current: str) -> list[app_commands.Choice[int]]:
        if interaction.guild_id is None:
            return []
        wanted = current.strip().lower().lstrip("m")
        choices = []
        for motion in await store.of_guild(self.bot.db, interaction.guild_id,
                                           MotionStatus.PROPOSED):
            label = render.motion_choice(motion)
            if wanted in label.lower():
                choices.append(app_commands.Choice(name=label, value=motion.id))
        return choices[:25]
