"""Who may do what: the permission checks of slash commands, buttons and forms, in one place.

Moderator commands also carry `default_member_permissions` (Manage Threads), so Discord hides
them from members who cannot moderate; a server's admins may grant them to other roles in
Server Settings → Integrations. The checks here run on every call all the same: a hidden
command can still be sent by a modified client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.errors import NotModerator
from bot.storage import settings as settings_store

if TYPE_CHECKING:
    from bot.app import Rostrum

MODERATOR_PERMISSIONS = discord.Permissions(manage_threads=True)


async def moderates(interaction: discord.Interaction) -> bool:
    """Manage Threads here, or the server's moderator role from /settings."""
    if interaction.guild_id is None:
        return False
    if interaction.permissions.manage_threads:
        return True
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    role_id = await settings_store.moderator_role(bot.db, interaction.guild_id)
    roles = getattr(interaction.user, "roles", [])
    return role_id is not None and any(role.id == role_id for role in roles)


async def require_moderator(interaction: discord.Interaction) -> None:
    """For buttons and forms, which have no decorator checks."""
    if not await moderates(interaction):
        raise NotModerator()
