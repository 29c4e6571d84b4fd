"""Moderating what is said: members report an argument from its message menu, moderators
remove it (from the message menu, or the button on the report), list what is reported, and
remove a member from the debate from their user menu.

An adapter like /debate: the use cases are the debate service's `report` and `redact`.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.checks import MODERATOR_PERMISSIONS, require_moderator
from bot.cogs.debates.announcer import DISPLAY_FAILURES
from bot.cogs.debates.cog import here
from bot.errors import guarded
from bot.i18n.reader import reader_voice, server_voice
from bot.pacer import Priority, priority
from bot.service.outcomes import Reported
from bot.storage import debates as store
from bot.storage import reports
from bot.ui import debate_replies as replies
from bot.ui import moderation as render
from bot.ui.text import MESSAGE_CONTENT, clip, member_name
from bot.ui.voice import Voice

if TYPE_CHECKING:
    from bot.app import Rostrum
    from bot.service.debates import DebateService

log = logging.getLogger(__name__)


class RemoveArgumentButton(discord.ui.DynamicItem[discord.ui.Button],
                           template=r"rep:(?P<debate>\d+):(?P<seq>\d+):remove"):
    """On a report in the moderators' channel: remove the reported argument."""

    def __init__(self, debate_id: int, seq: int, label: str = "Remove argument") -> None:
        self.debate_id, self.seq = debate_id, seq
        super().__init__(discord.ui.Button(label=label, style=discord.ButtonStyle.danger,
                                           custom_id=f"rep:{debate_id}:{seq}:remove"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> RemoveArgumentButton:
        return cls(int(match["debate"]), int(match["seq"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await require_moderator(interaction)
        bot = cast("Rostrum", interaction.client)
        cog = cast(Reports, bot.get_cog("Reports"))
        await cog.redact(interaction, self.debate_id, self.seq)


class Reports(commands.Cog, name="Reports"):
    def __init__(self, bot: Rostrum, service: DebateService) -> None:
        self.bot = bot
        self.service = service
        self.menus = [
            app_commands.ContextMenu(name="Report argument", callback=self.report_menu),
            app_commands.ContextMenu(name="Remove argument", callback=self.remove_argument_menu),
            app_commands.ContextMenu(name="Remove from debate", callback=self.remove_member_menu),
        ]
        for menu in self.menus:
            menu.guild_only = True
        for menu in self.menus[1:]:  # Discord shows these to moderators only
            menu.default_permissions = MODERATOR_PERMISSIONS

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    # ------------------------------------------------------------------ members

    async def report_menu(self, interaction: discord.Interaction,
                          message: discord.Message) -> None:
        assert interaction.guild_id is not None
        reported = await self.service.report(interaction.guild_id, message.id,
                                             interaction.user.id)
        await interaction.response.send_message(
            clip(replies.reply(reported, reader_voice(interaction)), MESSAGE_CONTENT),
            ephemeral=True)
        if reported.first:
            await self.tell_moderators(interaction.guild_id, reported, server_voice(interaction))

    async def tell_moderators(self, guild_id: int, reported: Reported, voice: Voice) -> None:
        """Post the first report of an argument in the server's report channel, if it has
        one (best effort: `/moderate reports` lists it either way)."""
        channel_id = await reports.report_channel(self.bot.db, guild_id)
        channel = self.bot.get_channel(channel_id) if channel_id else None
        if not isinstance(channel, discord.TextChannel):
            return
        state = await store.load(self.bot.db, reported.debate_id, self.service.content())
        argument = state.argument(reported.seq) if state else None
        if state is None or argument is None:
            return
        names = await store.names(self.bot.db, state.id)
        message_id = await store.argument_message(self.bot.db, state.id, reported.seq)
        embed = render.report_embed(state, argument, names.get(argument.user_id), message_id,
                                    voice)
        view = discord.ui.View(timeout=None)
        view.add_item(RemoveArgumentButton(state.id, reported.seq,
                                           render.remove_button_label(voice)))
        try:
            with priority(Priority.OTHER):
                await channel.send(embed=embed, view=view)
        except DISPLAY_FAILURES:
            log.warning("could not post the report of argument %s of debate %s in channel %s",
                        reported.seq, state.id, channel_id, exc_info=True)

    # ------------------------------------------------------------------ moderators

    async def remove_argument_menu(self, interaction: discord.Interaction,
                                   message: discord.Message) -> None:
        await require_moderator(interaction)
        assert interaction.guild_id is not None
        redacted = await self.service.redact_message(
            interaction.guild_id, message.id, interaction.user.id, member_name(interaction.user))
        await interaction.response.send_message(
            clip(replies.reply(redacted, reader_voice(interaction)), MESSAGE_CONTENT),
            ephemeral=True)

    async def redact(self, interaction: discord.Interaction, debate_id: int, seq: int) -> None:
        assert interaction.guild_id is not None
        redacted = await self.service.redact(interaction.guild_id, debate_id, seq,
                                             interaction.user.id, member_name(interaction.user))
        await interaction.response.send_message(
            clip(replies.reply(redacted, reader_voice(interaction)), MESSAGE_CONTENT),
            ephemeral=True)

    async def remove_member_menu(self, interaction: discord.Interaction,
                                 member: discord.Member | discord.User) -> None:
        await require_moderator(interaction)
        state = here(self.service, interaction)
        removed = await self.service.remove(state, interaction.user.id,
                                            member_name(interaction.user), member.id,
                                            member_name(member))
        await interaction.response.send_message(
            clip(replies.reply(removed, reader_voice(interaction), state.format),
                 MESSAGE_CONTENT), ephemeral=True)

