"""In-memory Discord state kept by the emulator: users, guilds, roles, channels, threads, messages.

Every object here can render itself as the JSON payload real Discord (API v10) would send for it,
so the gateway and HTTP layers stay thin. Ids are snowflakes with a realistic timestamp.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

DISCORD_EPOCH_MS = 1420070400000

# Channel types (https://discord.com/developers/docs/resources/channel#channel-object-channel-types)
GUILD_TEXT = 0
GUILD_VOICE = 2
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
GUILD_FORUM = 15
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)

# Message flags
FLAG_HAS_THREAD = 1 << 5
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7
FLAG_COMPONENTS_V2 = 1 << 15

ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 53) - 1
#: @everyone's permissions in a fresh guild (view, send, embed, attach, history, reactions,
#: create threads, send in threads, app commands, voice basics, change nickname, invite).
DEFAULT_EVERYONE_PERMISSIONS = 0x58_8635_CE41
#: What the bot's managed role grants unless the test asks otherwise.
DEFAULT_BOT_PERMISSIONS = (
    (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 13)  # manage messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 6)  # add reactions
    | (1 << 31)  # use application commands
    | (1 << 34)  # manage threads
    | (1 << 44)  # create events
    | (1 << 35)  # create public threads
    | (1 << 36)  # create private threads
    | (1 << 38)  # send messages in threads
    | (1 << 28)  # manage roles
)


def iso(ts: float | None = None) -> str:
    """Discord's ISO-8601 timestamp format for a POSIX time (now by default)."""
    when = _dt.datetime.fromtimestamp(time.time() if ts is None else ts, tz=_dt.UTC)
    return when.isoformat()


def snowflake_time(snowflake: int) -> float:
    """POSIX time encoded in a snowflake."""
    return ((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000


class SnowflakeFactory:
    """Generates strictly increasing snowflakes stamped with the current time."""

    def __init__(self, worker_id: int = 1, process_id: int = 0) -> None:
        self._worker = worker_id & 0x1F
        self._process = process_id & 0x1F
        self._last_ms = 0
        self._increment = 0

    def __call__(self) -> int:
        ms = int(time.time() * 1000)
        if ms <= self._last_ms:
            self._increment += 1
            if self._increment > 0xFFF:
                self._last_ms += 1
                self._increment = 0
            ms = self._last_ms
        else:
            self._increment = 0
        self._last_ms = ms
        return self._make(ms)

    def on_shard(self, shard_id: int, shard_count: int) -> int:
        """A fresh snowflake on guild shard ``shard_id`` (``(id >> 22) % shard_count``).

        Its time moves up to ``shard_count - 1`` ms ahead, and so does the factory's, so every
        later snowflake is still larger and unique.
        """
        first = self()
        ahead = (shard_id - (first >> 22)) % shard_count
        if not ahead:
            return first
        self._last_ms += ahead
        self._increment = 0
        return self._make(self._last_ms)

    def _make(self, ms: int) -> int:
        return (
            ((ms - DISCORD_EPOCH_MS) << 22)
            | (self._worker << 17)
            | (self._process << 12)
            | (self._increment)
        )


@dataclass(eq=False)
class User:
    """A Discord user (the bot user or a scripted test user)."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    #: Privacy settings → "Allow DMs from server members"; off, Discord refuses the bot's DM.
    accepts_dms: bool = True

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "primary_guild": None,
            "collectibles": None,
        }
        if self.bot:
            data["bot"] = True
        return data

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass(eq=False)
class Role:
    """A guild role. The @everyone role has the guild's id."""

    id: int
    guild: Guild
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"


@dataclass(eq=False)
class Member:
    """A user's membership in a guild. Use :meth:`act` to script what this member does."""

    user: User
    guild: Guild
    roles: list[Role] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def mention(self) -> str:
        return f"<@{self.user.id}>"

    @property
    def permissions(self) -> int:
        """Guild-level permissions from @everyone plus all roles (administrator implies all)."""
        if self.guild.owner_id == self.user.id:
            return ALL_PERMISSIONS
        value = self.guild.everyone.permissions
        for role in self.roles:
            value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def to_dict(self, *, with_user: bool = True, with_permissions: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(r.id) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "premium_since": None,
            "joined_at": self.joined_at,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_user:
            data["user"] = self.user.to_dict()
        if with_permissions:
            data["permissions"] = str(self.permissions)
        return data

    def act(self) -> Any:
        """Script this member: ``await alice.act().slash("ping", channel=ch)``."""
        return self.guild.emulator.as_user(self)

    def add_role(self, role: Role) -> None:
        """Give this member a role (dispatches GUILD_MEMBER_UPDATE)."""
        if role not in self.roles:
            self.roles.append(role)
            self.guild.emulator._member_updated(self)

    def remove_role(self, role: Role) -> None:
        """Take a role away (dispatches GUILD_MEMBER_UPDATE)."""
        if role in self.roles:
            self.roles.remove(role)
            self.guild.emulator._member_updated(self)


@dataclass(eq=False)
class Channel:
    """A guild channel: text channel, category or thread (``type`` 11/12 with ``parent_id``)."""

    id: int
    guild: Guild
    name: str
    type: int = GUILD_TEXT
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    rate_limit_per_user: int = 0
    created_at: float = field(default_factory=time.time)
    archive_timestamp: str = field(default_factory=iso)
    thread_member_ids: set[int] = field(default_factory=set)
    last_message_id: int | None = None
    message_count: int = 0

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def parent(self) -> Channel | None:
        return self.guild.channels.get(self.parent_id) if self.parent_id else None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "flags": 0,
            "rate_limit_per_user": self.rate_limit_per_user,
        }
        if self.is_thread:
            data.update(
                {
                    "parent_id": str(self.parent_id),
                    "owner_id": str(self.owner_id),
                    "last_message_id": _str(self.last_message_id),
                    "message_count": self.message_count,
                    "total_message_sent": self.message_count,
                    "member_count": min(len(self.thread_member_ids), 50),
                    "thread_metadata": {
                        "archived": self.archived,
                        "auto_archive_duration": self.auto_archive_duration,
                        "archive_timestamp": self.archive_timestamp,
                        "locked": self.locked,
                        "create_timestamp": iso(self.created_at),
                        **({"invitable": True} if self.type == PRIVATE_THREAD else {}),
                    },
                }
            )
            return data
        data.update(
            {
                "position": self.position,
                "permission_overwrites": [],
                "parent_id": _str(self.parent_id),
                "nsfw": False,
            }
        )
        if self.type == GUILD_TEXT:
            data.update(
                {
                    "topic": self.topic,
                    "last_message_id": _str(self.last_message_id),
                    "default_thread_rate_limit_per_user": 0,
                }
            )
        elif self.type == GUILD_FORUM:
            data.update(
                {
                    "topic": self.topic,
                    "last_message_id": _str(self.last_message_id),  # its latest post
                    "default_thread_rate_limit_per_user": 0,
                    "available_tags": [],
                    "default_reaction_emoji": None,
                    "default_sort_order": None,
                    "default_forum_layout": 0,
                }
            )
        elif self.type == GUILD_VOICE:
            data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None})
        return data

    def to_partial(self, permissions: int | None = None) -> dict[str, Any]:
        """The channel as embedded in interactions and resolved data."""
        data = self.to_dict()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    def thread_member_dict(self, user_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "user_id": str(user_id),
            "join_timestamp": iso(self.created_at),
            "flags": 0,
        }


@dataclass(eq=False)
class Attachment:
    """A file attached to a message; ``data`` holds the uploaded bytes."""

    id: int
    filename: str
    data: bytes
    content_type: str | None = None
    description: str | None = None
    url: str = ""

    @property
    def size(self) -> int:
        return len(self.data)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": self.size,
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            out["content_type"] = self.content_type
        if self.description:
            out["description"] = self.description
        return out


@dataclass
class MessageEdit:
    """A snapshot of a message before one edit was applied."""

    at: float
    content: str
    embeds: list[dict[str, Any]]
    components: list[dict[str, Any]]
    flags: int
    attachments: list[Attachment]


_MENTION = re.compile(r"<@(!?)(\d+)>|<@&(\d+)>|@(everyone|here)")


@dataclass(eq=False)
class Message:
    """A stored message, with edits applied; ``deleted`` marks a deleted one."""

    id: int
    channel: Channel
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    attachments: list[Attachment] = field(default_factory=list)
    allowed_mentions: dict[str, Any] = field(default_factory=dict)
    allowed_mentions_sent: dict[str, Any] | None = None
    type: int = 0
    webhook_id: int | None = None
    interaction_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    tts: bool = False
    pinned: bool = False
    deleted: bool = False
    edited_at: float | None = None
    edits: list[MessageEdit] = field(default_factory=list)
    reactions: dict[str, set[int]] = field(default_factory=dict)
    pings: list[str] = field(default_factory=list)
    thread: Channel | None = None
    nonce: str | int | None = None

    @property
    def channel_id(self) -> int:
        return self.channel.id

    @property
    def author_id(self) -> int:
        return self.author.id

    @property
    def created_at(self) -> float:
        return snowflake_time(self.id)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & FLAG_EPHEMERAL)

    @property
    def loading(self) -> bool:
        """True while this is the "thinking…" placeholder of a deferred interaction."""
        return bool(self.flags & FLAG_LOADING)

    @property
    def files(self) -> list[tuple[str, bytes]]:
        """``(filename, bytes)`` for each attachment."""
        return [(a.filename, a.data) for a in self.attachments]

    def iter_components(self) -> Iterator[dict[str, Any]]:
        """Every component in the message, depth first (rows, containers, their children)."""
        yield from iter_components(self.components)

    def component(self, custom_id: str) -> dict[str, Any] | None:
        """The component with this ``custom_id``, as sent by the bot."""
        return next((c for c in self.iter_components() if c.get("custom_id") == custom_id), None)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.iter_components() if "custom_id" in c]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "channel_id": str(self.channel.id),
            "author": self.author.to_dict(),
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso(self.edited_at),
            "tts": self.tts,
            "mention_everyone": "everyone" in self.pings,
            "mentions": [],
            "mention_roles": [str(r) for r in mentioned_ids(self.content, "role")],
            "attachments": [a.to_dict() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": self.pinned,
            "flags": self.flags,
        }
        for uid in mentioned_ids(self.content, "user"):
            member = self.channel.guild.members.get(uid)
            if member is not None:
                data["mentions"].append(
                    {**member.user.to_dict(), "member": member.to_dict(with_user=False)}
                )
        if self.reactions:
            data["reactions"] = [
                {
                    "emoji": {"id": None, "name": emoji},
                    "count": len(users),
                    "count_details": {"burst": 0, "normal": len(users)},
                    "me": self.channel.guild.emulator.bot_user.id in users,
                    "me_burst": False,
                    "burst_colors": [],
                }
                for emoji, users in self.reactions.items()
                if users
            ]
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if self.thread is not None:
            data["thread"] = self.thread.to_dict()
        if self.nonce is not None:
            data["nonce"] = self.nonce
        return data

    def gateway_dict(self) -> dict[str, Any]:
        """The MESSAGE_CREATE/MESSAGE_UPDATE payload (adds guild_id and the author's member)."""
        data = self.to_dict()
        data["guild_id"] = str(self.channel.guild.id)
        member = self.channel.guild.members.get(self.author.id)
        if member is not None and self.webhook_id is None:
            data["member"] = member.to_dict(with_user=False)
        return data


def iter_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Walk a component tree (action rows, sections, containers, labels) depth first."""
    for comp in components:
        if not isinstance(comp, dict):
            continue
        yield comp
        children = comp.get("components")
        if isinstance(children, list):
            yield from iter_components(children)
        for key in ("component", "accessory"):
            child = comp.get(key)
            if isinstance(child, dict):
                yield from iter_components([child])


def mentioned_ids(content: str, kind: str) -> list[int]:
    """Ids of users (``kind="user"``) or roles (``"role"``) mentioned in ``content``.

    Unlike :func:`compute_pings` this ignores ``allowed_mentions``: Discord lists every mention
    in ``mentions``/``mention_roles``; allowed_mentions only decides who gets notified.
    """
    found: list[int] = []
    for match in _MENTION.finditer(content or ""):
        _bang, uid, rid, _everyone = match.groups()
        value = uid if kind == "user" else rid
        if value is not None and int(value) not in found:
            found.append(int(value))
    return found


def compute_pings(content: str, allowed: dict[str, Any], guild: Guild) -> list[str]:
    """Which mentions in ``content`` would notify someone under ``allowed`` mentions."""
    parse = set(allowed.get("parse") or [])
    users = {int(u) for u in allowed.get("users") or []}
    roles = {int(r) for r in allowed.get("roles") or []}
    pings: list[str] = []
    for match in _MENTION.finditer(content or ""):
        _bang, uid, rid, everyone = match.groups()
        if uid is not None and ("users" in parse or int(uid) in users):
            pings.append(f"user:{uid}")
        elif rid is not None and ("roles" in parse or int(rid) in roles):
            role = guild.roles.get(int(rid))
            if role is not None:
                pings.append(f"role:{rid}")
        elif everyone is not None and "everyone" in parse:
            pings.append("everyone")
    return list(dict.fromkeys(pings))


class Guild:
    """A guild in the emulator. Build its state with the ``create_*`` methods.

    Changes made while a client is connected are dispatched to it (CHANNEL_CREATE, ...).
    """

    def __init__(self, emulator: Host, guild_id: int, name: str, owner: User) -> None:
        self.emulator = emulator
        self.id = guild_id
        self.name = name
        self.owner_id = owner.id
        self.roles: dict[int, Role] = {}
        self.channels: dict[int, Channel] = {}
        self.members: dict[int, Member] = {}
        self.locale = "en-US"
        self.created_at = time.time()
        #: Server Settings → Integrations: roles an admin allowed to use a command (by name)
        #: whatever its default_member_permissions.
        self.command_grants: dict[str, set[int]] = {}
        #: Guild scheduled events by id (see playground.scheduled_events).
        self.scheduled_events: dict[int, Any] = {}
        self.roles[guild_id] = Role(
            id=guild_id, guild=self, name="@everyone", permissions=DEFAULT_EVERYONE_PERMISSIONS
        )
        self._positions = itertools.count(1)

    def __repr__(self) -> str:
        return f"<Guild id={self.id} name={self.name!r}>"

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]

    @property
    def threads(self) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread]

    @property
    def bot_member(self) -> Member:
        return self.members[self.emulator.bot_user.id]

    def _emit(self, event: str, data: dict[str, Any]) -> None:
        self.emulator._dispatch(event, data)

    def grant_command(self, command: str, role: Role) -> None:
        """Let members of `role` use `/command` as an admin would in Server Settings →
        Integrations (a command permission overwrite)."""
        self.command_grants.setdefault(command, set()).add(role.id)

    def create_text_channel(
        self, name: str, *, topic: str | None = None, category: Channel | None = None
    ) -> Channel:
        """Add a text channel (dispatches CHANNEL_CREATE to connected clients)."""
        channel = Channel(
            id=self.emulator.snowflake(),
            guild=self,
            name=name,
            type=GUILD_TEXT,
            topic=topic,
            position=len([c for c in self.channels.values() if not c.is_thread]),
            parent_id=category.id if category else None,
        )
        self.channels[channel.id] = channel
        self._emit("CHANNEL_CREATE", channel.to_dict())
        return channel

    def create_forum_channel(self, name: str, *, topic: str | None = None) -> Channel:
        """Add a forum channel: members post threads in it, never messages."""
        channel = Channel(
            id=self.emulator.snowflake(),
            guild=self,
            name=name,
            type=GUILD_FORUM,
            topic=topic,
            position=len([c for c in self.channels.values() if not c.is_thread]),
        )
        self.channels[channel.id] = channel
        self._emit("CHANNEL_CREATE", channel.to_dict())
        return channel

    def create_category(self, name: str) -> Channel:
        """Add a category channel."""
        channel = Channel(
            id=self.emulator.snowflake(),
            guild=self,
            name=name,
            type=GUILD_CATEGORY,
            position=len(self.channels),
        )
        self.channels[channel.id] = channel
        self._emit("CHANNEL_CREATE", channel.to_dict())
        return channel

    def create_role(
        self,
        name: str,
        *,
        permissions: int = 0,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
    ) -> Role:
        """Add a role; ``permissions`` is an int (e.g. ``discord.Permissions(...).value``)."""
        role = Role(
            id=self.emulator.snowflake(),
            guild=self,
            name=name,
            permissions=int(permissions),
            position=next(self._positions),
            color=color,
            hoist=hoist,
            mentionable=mentionable,
        )
        self.roles[role.id] = role
        self._emit("GUILD_ROLE_CREATE", {"guild_id": str(self.id), "role": role.to_dict()})
        return role

    def set_role_permissions(self, role: Role, permissions: int) -> None:
        """Change a role's permissions, as a server admin would (GUILD_ROLE_UPDATE)."""
        role.permissions = int(permissions)
        self._emit("GUILD_ROLE_UPDATE", {"guild_id": str(self.id), "role": role.to_dict()})

    def create_member(
        self,
        name: str,
        *,
        roles: list[Role] | tuple[Role, ...] = (),
        nick: str | None = None,
        global_name: str | None = None,
        bot: bool = False,
    ) -> Member:
        """Add a new user as a member of this guild (dispatches GUILD_MEMBER_ADD)."""
        user = User(id=self.emulator.snowflake(), username=name, global_name=global_name, bot=bot)
        self.emulator.users[user.id] = user
        return self.add_member(user, roles=roles, nick=nick)

    def add_member(
        self, user: User, *, roles: list[Role] | tuple[Role, ...] = (), nick: str | None = None
    ) -> Member:
        """Make an existing user a member of this guild."""
        member = Member(user=user, guild=self, roles=list(roles), nick=nick)
        self.members[user.id] = member
        self._emit("GUILD_MEMBER_ADD", {"guild_id": str(self.id), **member.to_dict()})
        return member

    def member_for(self, who: Member | User | int) -> Member:
        uid = who if isinstance(who, int) else who.id
        return self.members[uid]

    def to_gateway_dict(self, *, include_members: bool) -> dict[str, Any]:
        """The GUILD_CREATE payload: roles, channels, active threads and members."""
        channels = [c.to_dict() for c in self.channels.values() if not c.is_thread]
        threads = [
            {
                **c.to_dict(),
                **(
                    {"member": c.thread_member_dict(self.emulator.bot_user.id)}
                    if self.emulator.bot_user.id in c.thread_member_ids
                    else {}
                ),
            }
            for c in self.channels.values()
            if c.is_thread and not c.archived
        ]
        bot_id = self.emulator.bot_user.id
        members = [m.to_dict() for m in self.members.values() if include_members or m.id == bot_id]
        return {
            **self.to_dict(),
            "joined_at": iso(self.created_at),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": members,
            "channels": channels,
            "threads": threads,
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [e.to_dict() for e in self.scheduled_events.values()
                                       if e.status in (1, 2)],
            "soundboard_sounds": [],
            "embedded_activities": [],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.locale,
            "nsfw_level": 0,
            "nsfw": False,
            "premium_progress_bar_enabled": False,
            "hub_type": None,
            "incidents_data": None,
            "latest_onboarding_question_id": None,
        }


def _str(value: int | None) -> str | None:
    return None if value is None else str(value)


class Host(Protocol):
    """What the model, the routes and the scripted users need of the emulator that holds them.

    The emulator (`playground.emulator.Emulator`) implements it; the layers below it name this
    protocol instead of importing the emulator, so imports only point down. Objects of the
    upper layers (command registry, faults, gateway, interaction records) are typed `Any` here.
    """

    snowflake: SnowflakeFactory
    bot_user: User
    owner_user: User
    users: dict[int, User]
    guilds: dict[int, Guild]
    messages_by_id: dict[int, Message]
    dm_channels: dict[int, Any]  # playground.dms.DMChannel, by id
    direct_messages: list[Any]  # playground.dms.DirectMessage, in order
    attachments: dict[int, Attachment]
    application_id: int
    application_flags: int
    token: str
    interaction_deadline: float
    followup_window: float
    attachment_size_limit: int
    recommended_shards: int
    command_registry: Any
    faults: Any
    rate_limits: Any
    gateway: Any
    requests: list[Any]
    unhandled_routes: list[str]
    interactions_by_id: dict[int, Any]
    interactions_by_token: dict[str, Any]

    @property
    def base_url(self) -> str: ...

    @property
    def gateway_url(self) -> str: ...

    @property
    def channels(self) -> dict[int, Channel]: ...

    def as_user(self, member: Member, *, locale: str = "en-US") -> Any: ...

    def channel_messages(self, channel: Channel) -> list[Message]: ...

    def messages(self, channel: Channel, *, include_users: bool = False,
                 include_deleted: bool = True) -> list[Message]: ...

    def wait_for(self, predicate: Callable[[], T | None], *, timeout: float = 5.0,
                 description: str | None = None) -> Awaitable[T]: ...

    def _changed(self) -> None: ...

    def _dispatch(self, event: str, data: Any) -> None: ...

    def _store_message(self, message: Message) -> None: ...

    def _register_interaction(self, result: Any) -> None: ...

    def _member_updated(self, member: Member) -> None: ...

    def _record_rejection(self, route: str, path: str, exc: Any) -> None: ...
