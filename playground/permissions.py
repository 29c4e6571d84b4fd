"""The bot's own permission checks on REST actions (403 / 50013 Missing Permissions).

Permissions are guild-level: @everyone plus the bot's roles (channel overwrites are not
modelled). Interaction responses and followups need none, as in Discord.
"""

from __future__ import annotations

from playground import errors
from playground.model import Guild, Role

ADD_REACTIONS = 1 << 6
MANAGE_CHANNELS = 1 << 4
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MANAGE_ROLES = 1 << 28
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
MANAGE_EVENTS = 1 << 33
CREATE_EVENTS = 1 << 44

_NAMES = {
    ADD_REACTIONS: "ADD_REACTIONS",
    MANAGE_CHANNELS: "MANAGE_CHANNELS",
    VIEW_CHANNEL: "VIEW_CHANNEL",
    SEND_MESSAGES: "SEND_MESSAGES",
    MANAGE_MESSAGES: "MANAGE_MESSAGES",
    EMBED_LINKS: "EMBED_LINKS",
    ATTACH_FILES: "ATTACH_FILES",
    READ_MESSAGE_HISTORY: "READ_MESSAGE_HISTORY",
    MANAGE_ROLES: "MANAGE_ROLES",
    MANAGE_THREADS: "MANAGE_THREADS",
    CREATE_PUBLIC_THREADS: "CREATE_PUBLIC_THREADS",
    CREATE_PRIVATE_THREADS: "CREATE_PRIVATE_THREADS",
    SEND_MESSAGES_IN_THREADS: "SEND_MESSAGES_IN_THREADS",
    MANAGE_EVENTS: "MANAGE_EVENTS",
    CREATE_EVENTS: "CREATE_EVENTS",
}


def require(guild: Guild, needed: int) -> None:
    """Raise Discord's 403 / 50013 unless the bot has every bit of ``needed`` in ``guild``."""
    missing = needed & ~guild.bot_member.permissions
    if missing:
        names = [name for bit, name in _NAMES.items() if missing & bit] or [hex(missing)]
        raise errors.DiscordError(
            403,
            {"code": 50013, "message": "Missing Permissions"},
            note="bot lacks " + ", ".join(names),
        )


def require_above(guild: Guild, role: Role) -> None:
    """Managing ``role`` needs MANAGE_ROLES and a bot role positioned above it."""
    require(guild, MANAGE_ROLES)
    top = max((r.position for r in guild.bot_member.roles), default=0)
    if role.position >= top or role.managed:
        raise errors.DiscordError(
            403,
            {"code": 50013, "message": "Missing Permissions"},
            note=f"role {role.name!r} is not below the bot's highest role",
        )
