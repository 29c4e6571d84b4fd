"""/settings (server configuration, Manage Server) and /privacy (every member)."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.content import ContentError, load_library
from bot.errors import UserError, guarded
from bot.i18n.reader import reader_say
from bot.storage import privacy, reports
from bot.storage import settings as settings_store
from bot.ui import settings_replies as replies

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)

AUTOMATIC = "auto"
#: Shown as each language's own name; "Automatic" is translated like any choice.
LANGUAGE_CHOICES = [app_commands.Choice(name="Automatic", value=AUTOMATIC),
                    *(app_commands.Choice(name=name, value=code)
                      for code, name in replies.AUTONYMS.items())]


def require_manage_guild(interaction: discord.Interaction) -> None:
    """Server-side check: Discord's default_permissions only hides the command in the UI."""
    if interaction.guild is None:
        raise UserError(replies.not_in_a_server(reader_say(interaction)))
    if not interaction.permissions.manage_guild:
        raise UserError(replies.needs_manage_server(reader_say(interaction)))


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Settings(commands.GroupCog, group_name="settings",
               group_description="Configure Rostrum for this server"):
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="moderator-role",
                          description="Set (or clear) the role whose members moderate debates")
    @app_commands.describe(role="Members with this role steer debates; leave empty to clear")
    async def moderator_role(self, interaction: discord.Interaction,
                             role: discord.Role | None = None) -> None:
        require_manage_guild(interaction)
        assert interaction.guild_id is not None
        await settings_store.set_moderator_role(self.bot.db, interaction.guild_id,
                                                role.id if role else None)
        await interaction.response.send_message(
            replies.moderator_role_set(role.mention if role else None, reader_say(interaction)),
            ephemeral=True)

    @app_commands.command(name="web-pages",
                          description="Publish this server's debate archive and leaderboards")
    @app_commands.describe(enabled="On: anyone with the address can read them; off by default")
    async def web_pages(self, interaction: discord.Interaction, enabled: bool) -> None:
        require_manage_guild(interaction)
        assert interaction.guild_id is not None
        await settings_store.set_web_pages(self.bot.db, interaction.guild_id, enabled)
        settings = self.bot.settings
        address = (f"http://{settings.web_host}:{settings.web_port}/g/{interaction.guild_id}"
                   if settings.web_port is not None else None)
        await interaction.response.send_message(
            replies.web_pages_set(enabled, address, reader_say(interaction)), ephemeral=True)

    @app_commands.command(name="report-channel",
                          description="Where reported arguments are posted for moderators")
    @app_commands.describe(channel="A channel only moderators read; leave empty to stop posting")
    async def report_channel(self, interaction: discord.Interaction,
                             channel: discord.TextChannel | None = None) -> None:
        require_manage_guild(interaction)
        assert interaction.guild_id is not None
        await reports.set_report_channel(self.bot.db, interaction.guild_id,
                                         channel.id if channel else None)
        await interaction.response.send_message(
            replies.report_channel_set(channel.mention if channel else None,
                                       reader_say(interaction)), ephemeral=True)

    @app_commands.command(name="language",
                          description="The language of Rostrum's posts in this server")
    @app_commands.describe(language="Automatic follows the server's Discord language")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction,
                       language: app_commands.Choice[str]) -> None:
        require_manage_guild(interaction)
        assert interaction.guild_id is not None
        chosen = None if language.value == AUTOMATIC else language.value
        await self.bot.language_choices.set_server(self.bot.db, interaction.guild_id, chosen)
        await interaction.response.send_message(
            replies.server_language_set(chosen, reader_say(interaction)), ephemeral=True)

    @app_commands.command(name="reload-content",
                          description="Re-read the content pack; keeps the old one if invalid")
    async def reload_content(self, interaction: discord.Interaction) -> None:
        require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            pack = await asyncio.to_thread(load_library, self.bot.settings.content_dir)
        except ContentError as error:
            raise UserError(replies.content_problems(
                error.problems, say=reader_say(interaction))) from error
        self.bot.content = pack
        log.info("content reloaded by %s: %s", interaction.user.id, pack.summary_line())
        await interaction.followup.send(replies.content_reloaded(pack.summary_line(),
                                                                 reader_say(interaction)),
                                        ephemeral=True)


class ForgetMeButton(discord.ui.DynamicItem[discord.ui.Button],
                     template=r"pv:(?P<action>forget|keep):(?P<owner>\d+)"):
    """Confirm or cancel /privacy forget-me; only the member who asked can press it."""

    def __init__(self, action: str, owner_id: int, label: str | None = None) -> None:
        self.action, self.owner_id = action, owner_id
        style = (discord.ButtonStyle.danger if action == "forget"
                 else discord.ButtonStyle.secondary)
        label = label or (replies.forget_button() if action == "forget"
                          else replies.keep_button())
        super().__init__(discord.ui.Button(label=label, style=style,
                                           custom_id=f"pv:{action}:{owner_id}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> ForgetMeButton:
        button = cast(discord.ui.Button[Any], item)  # keeps the label it was shown with
        return cls(match["action"], int(match["owner"]), button.label)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.owner_id or interaction.guild_id is None:
            raise UserError(replies.not_your_confirmation(reader_say(interaction)))
        if self.action == "keep":
            await interaction.response.edit_message(
                content=replies.nothing_deleted(reader_say(interaction)), view=None)
            return
        bot: Rostrum = interaction.client  # type: ignore[assignment]
        rows = await privacy.forget_me(bot.db, interaction.guild_id, interaction.user.id)
        await interaction.response.edit_message(
            content=replies.forgotten(rows, reader_say(interaction)), view=None)


@app_commands.guild_only()
class Privacy(commands.GroupCog, group_name="privacy",
              group_description="Control what Rostrum records about you in this server"):
    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="opt-out",
                          description="Stop counting your participation here (still debate)")
    async def opt_out(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        changed = await privacy.opt_out(self.bot.db, interaction.guild_id, interaction.user.id,
                                        now=self.bot.clock.now())
        await interaction.response.send_message(
            replies.opted_out(changed, reader_say(interaction)), ephemeral=True)

    @app_commands.command(name="opt-in", description="Count your participation here again")
    async def opt_in(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        changed = await privacy.opt_in(self.bot.db, interaction.guild_id, interaction.user.id)
        await interaction.response.send_message(
            replies.opted_in(changed, reader_say(interaction)), ephemeral=True)

    @app_commands.command(name="forget-me",
                          description="Delete your participation record in this server")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        say = reader_say(interaction)
        view.add_item(ForgetMeButton("forget", interaction.user.id, replies.forget_button(say)))
        view.add_item(ForgetMeButton("keep", interaction.user.id, replies.keep_button(say)))
        await interaction.response.send_message(replies.forget_me_warning(say), view=view,
                                                ephemeral=True)


class Language(commands.Cog):
    """Each member's own language for Rostrum's replies to them."""

    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot

    @app_commands.command(name="language", description="The language Rostrum answers you in")
    @app_commands.describe(language="Automatic follows your Discord app's language")
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction,
                       language: app_commands.Choice[str]) -> None:
        chosen = None if language.value == AUTOMATIC else language.value
        await self.bot.language_choices.set_member(self.bot.db, interaction.user.id, chosen)
        await interaction.response.send_message(
            replies.member_language_set(chosen, reader_say(interaction)), ephemeral=True)


async def setup(bot: Rostrum) -> None:
    bot.add_dynamic_items(ForgetMeButton)
    await bot.add_cog(Settings(bot))
    await bot.add_cog(Privacy(bot))
    await bot.add_cog(Language(bot))
