"""/settings: server configuration for people with Manage Server."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.content import ContentError, load_pack
from bot.errors import UserError
from bot.storage import settings as settings_store
from bot.ui import text

if TYPE_CHECKING:
    from bot.app import Rostrum

log = logging.getLogger(__name__)


def require_manage_guild(interaction: discord.Interaction) -> None:
    """Server-side check: Discord's default_permissions only hides the command in the UI."""
    if interaction.guild is None:
        raise UserError("This command works in a server, not in direct messages.")
    if not interaction.permissions.manage_guild:
        raise UserError("Only members with the Manage Server permission can change settings.")


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
        if role is None:
            message = ("Moderator role cleared. Members with Manage Threads still moderate "
                       "debates.")
        else:
            message = (f"Members with {role.mention} now moderate debates (as do members "
                       "with Manage Threads).")
        await interaction.response.send_message(message, ephemeral=True)

    @app_commands.command(name="reload-content",
                          description="Re-read the content pack; keeps the old one if invalid")
    async def reload_content(self, interaction: discord.Interaction) -> None:
        require_manage_guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            pack = await asyncio.to_thread(load_pack, self.bot.settings.content_dir)
        except ContentError as error:
            lines = [f"• {problem}" for problem in error.problems[:15]]
            more = len(error.problems) - len(lines)
            if more > 0:
                lines.append(f"… and {more} more")
            raise UserError(text.clip(
                "The content pack has problems, so the current one stays in use:\n"
                + "\n".join(lines), text.MESSAGE_CONTENT)) from error
        self.bot.content = pack
        log.info("content reloaded by %s: %s", interaction.user.id, pack.summary_line())
        await interaction.followup.send(f"Content reloaded: {pack.summary_line()}.",
                                        ephemeral=True)


async def setup(bot: Rostrum) -> None:
    await bot.add_cog(Settings(bot))
