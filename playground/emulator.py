"""A loopback stand-in for Discord that an unmodified discord.py client can log into.

Typical use in a test::

    async with Emulator() as emu:                 # 127.0.0.1:<ephemeral>; discord.py pointed here
        guild = emu.create_guild("Rostrum Test")
        channel = guild.create_text_channel("debates")
        mods = guild.create_role("Mods", permissions=discord.Permissions(manage_threads=True).value)
        alice, mo = guild.create_member("alice"), guild.create_member("mo", roles=[mods])
        bot = MyBot()
        await emu.start_client(bot)              # login + connect; returns once on_ready fired
        user = alice.act()                       # same as emu.as_user(alice)
        r = await user.slash("moderate start", channel=channel, topic="trade")
        r.type, r.content, r.embeds, r.components, r.ephemeral, r.files, r.message, r.latency
        await r.wait_done(timeout=5)             # deferred → edited / followed up
        choices = await user.autocomplete("moderate start", "topic", "tra", channel=channel)
        r2 = await user.click(r, "custom-id")    # button; r.message or any stored Message
        r3 = await user.select(r, "select-id", ["value"])
        r4 = await user.submit_modal(r2, {"text-input-id": "text"})   # r2.modal was opened
        await user.say(channel, "hello")         # MESSAGE_CREATE
        emu.messages(channel), emu.threads(channel), await emu.wait_for_message(channel, pred)
        await emu.wait_for(lambda: ...)          # never sleep blindly
        await emu.close_gateway(4000)            # fault injection: the client RESUMEs
        emu.faults.http(503, times=3, route="POST /channels/{id}/messages")  # see faults.py
        emu.faults.rate_limit(retry_after=0.5, global_=True); emu.faults.delay(2.0)
        emu.faults.drop_heartbeat_acks(); emu.faults.clear(); emu.faults.injected
        await user.forge_component(message, "any:custom:id")   # what a modified client sends
        await emu.stop_client(bot)
        emu.create_guild("B", shard=(1, 2))      # its id is on shard 1 of 2; a client that
                                                 # IDENTIFYs with shard [1, 2] sees only such
        assert emu.violations == [] and emu.unhandled_routes == [] and emu.unanswered == []

Layout: :mod:`model` (state + payloads), :mod:`limits` (Discord's limits), :mod:`gateway`
(websocket), :mod:`http_routes` / :mod:`channel_routes` (REST), :mod:`interactions`
(callbacks, followups), :mod:`messages` (store operations), :mod:`command_tree` (synced
commands, invocation checks), :mod:`users` (scripted users), :mod:`barebot` (reference bot).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import discord
import yarl
from aiohttp import web
from discord.gateway import DiscordWebSocket
from discord.http import Route

from playground import errors
from playground.command_tree import CommandRegistry, InvalidInvocation
from playground.dms import DirectMessage, DMChannel
from playground.errors import Violation
from playground.faults import Faults
from playground.gateway import Gateway
from playground.http_io import RequestRecord
from playground.http_routes import build_app
from playground.interactions import InteractionFailed, InteractionResult
from playground.model import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    Attachment,
    Channel,
    Guild,
    Member,
    Message,
    Role,
    SnowflakeFactory,
    User,
)
from playground.ratelimits import RateLimits
from playground.users import UserActor

if TYPE_CHECKING:
    from types import TracebackType

__all__ = [
    "Channel",
    "Emulator",
    "Guild",
    "InteractionFailed",
    "InteractionResult",
    "InvalidInvocation",
    "Member",
    "Message",
    "Role",
    "User",
    "UserActor",
    "Violation",
    "use_endpoints",
]

T = TypeVar("T")
#: discord.py's own on_ready delay after the last GUILD_CREATE is 2 s; tests don't need it.
FAST_GUILD_READY_TIMEOUT = 0.05


@contextlib.contextmanager
def use_endpoints(api_base: str, gateway_url: str | None = None) -> Iterator[None]:
    """Point discord.py at an emulator for the duration of the block, then restore.

    Sets ``discord.http.Route.BASE`` (every REST call, interaction callbacks and webhooks
    included) and, when given, ``DiscordWebSocket.DEFAULT_GATEWAY``: a plain ``Client`` in
    discord.py 2.7 never asks ``/gateway/bot`` and always opens that URL first (only
    ``AutoShardedClient`` uses the ``/gateway/bot`` answer); later reconnects use READY's
    ``resume_gateway_url``, which is the emulator's too.
    """
    previous_base, previous_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    if gateway_url is not None:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE = previous_base
        DiscordWebSocket.DEFAULT_GATEWAY = previous_gateway


class Emulator:
    """Discord API v10 + gateway on ``127.0.0.1:<ephemeral port>``, with a scripted-user API.

    Args:
        interaction_deadline: seconds the bot has for its initial interaction response (Discord: 3).
        followup_window: seconds an interaction token stays valid for followups (Discord: 15 min).
        heartbeat_interval: seconds announced in HELLO.
        bot_name: the bot user's name.
        attachment_size_limit: largest upload accepted, in bytes.
        set_endpoints: point discord.py here (:func:`use_endpoints`) for the lifetime of the
            ``async with`` block.

    What tests read: :attr:`violations` (bot payloads Discord would reject),
    :attr:`unhandled_routes`, :attr:`requests`, :attr:`interactions`, :meth:`messages`,
    :meth:`threads`, :meth:`commands`, :attr:`gateway` (``identifies``, ``resumes``).
    """

    def __init__(
        self,
        *,
        interaction_deadline: float = 3.0,
        followup_window: float = 15 * 60.0,
        heartbeat_interval: float = 41.25,
        bot_name: str = "Rostrum",
        attachment_size_limit: int = 10 * 1024 * 1024,
        set_endpoints: bool = True,
        recommended_shards: int = 1,
        rate_limits: bool = True,
    ) -> None:
        self.interaction_deadline = interaction_deadline
        #: What ``GET /gateway/bot`` recommends (an AutoShardedBot without a count uses it).
        self.recommended_shards = recommended_shards
        self.followup_window = followup_window
        self.attachment_size_limit = attachment_size_limit
        self.snowflake = SnowflakeFactory()
        self.bot_user = User(id=self.snowflake(), username=bot_name, bot=True)
        self.owner_user = User(id=self.snowflake(), username="owner", global_name="Guild Owner")
        self.application_id = self.bot_user.id
        self.application_flags = (1 << 19) | (1 << 23)  # message content + app commands badge
        self.token = (
            base64.b64encode(str(self.bot_user.id).encode()).decode().rstrip("=")
            + "."
            + secrets.token_urlsafe(5)
            + "."
            + secrets.token_urlsafe(27)
        )
        self.users: dict[int, User] = {
            self.bot_user.id: self.bot_user,
            self.owner_user.id: self.owner_user,
        }
        self.guilds: dict[int, Guild] = {}
        self.messages_by_id: dict[int, Message] = {}
        #: The bot's DM channels (by id) and every DM it sent (see playground.dms).
        self.dm_channels: dict[int, DMChannel] = {}
        self.direct_messages: list[DirectMessage] = []
        self.attachments: dict[int, Attachment] = {}
        self.command_registry = CommandRegistry(self.application_id, self.snowflake)
        self.interactions: list[InteractionResult] = []
        self.interactions_by_id: dict[int, InteractionResult] = {}
        self.interactions_by_token: dict[str, InteractionResult] = {}
        self.violations: list[Violation] = []
        self.unhandled_routes: list[str] = []
        self.requests: list[RequestRecord] = []
        self.gateway = Gateway(self, heartbeat_interval=heartbeat_interval)
        #: Fault injection (HTTP errors, 429s, delays, silent heartbeats): see :mod:`faults`.
        self.faults = Faults()
        #: Discord's rate limits (global, per route, invalid-request count): see :mod:`ratelimits`.
        self.rate_limits = RateLimits(enabled=rate_limits)
        self._channel_messages: dict[int, list[Message]] = {}
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._clients: dict[discord.Client, asyncio.Task[None]] = {}
        self._actors: dict[int, UserActor] = {}
        self._set_endpoints = set_endpoints
        self._route_ctx: contextlib.AbstractContextManager[None] | None = None

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind 127.0.0.1 on an ephemeral port and start serving."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        self._runner = web.AppRunner(
            build_app(self), handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Stop every client started here, close all sockets and the server."""
        for client in list(self._clients):
            await self.stop_client(client)
        await self.gateway.shutdown()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        if self._set_endpoints:
            self._route_ctx = use_endpoints(self.api_base, self.gateway_url)
            self._route_ctx.__enter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.stop()
        finally:
            if self._route_ctx is not None:
                self._route_ctx.__exit__(None, None, None)
                self._route_ctx = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ clients

    async def start_client(
        self,
        client: discord.Client,
        *,
        token: str | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - public test API
        guild_ready_timeout: float | None = FAST_GUILD_READY_TIMEOUT,
    ) -> None:
        """Log ``client`` in, connect it, and return once ``on_ready`` has fired.

        ``guild_ready_timeout`` sets discord.py's own wait after the last GUILD_CREATE (its
        public ``guild_ready_timeout`` client option, 2 s by default); ``None`` leaves it alone.
        """
        if guild_ready_timeout is not None:
            client._connection.guild_ready_timeout = guild_ready_timeout
        try:
            await client.login(token or self.token)
        except BaseException:
            await client.close()
            raise
        task = asyncio.create_task(client.connect(reconnect=True), name="emulator-client-connect")
        self._clients[client] = task
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ready
            await self.stop_client(client)
            if task in done and task.exception() is not None:
                raise RuntimeError("client failed to connect") from task.exception()
            raise TimeoutError(f"client was not ready within {timeout}s")

    async def stop_client(self, client: discord.Client, *, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - public test API
        """Close ``client`` (gateway close 1000, HTTP session) and wait for its task."""
        task = self._clients.pop(client, None)
        await client.close()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout)
            if task.done() and not task.cancelled() and task.exception() is not None:
                exc = task.exception()
                if not isinstance(exc, discord.ConnectionClosed | OSError):
                    raise exc  # type: ignore[misc]

    async def close_gateway(self, code: int = 4000) -> None:
        """Fault injection: close the client's websocket with ``code`` (4000 → RESUME;
        1006 drops the TCP connection without a close frame)."""
        await self.gateway.close_connections(code)

    # ------------------------------------------------------------------ building state

    def create_guild(
        self,
        name: str,
        *,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        locale: str = "en-US",
        guild_id: int | None = None,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A guild with @everyone (``everyone_permissions``), an owner, and the bot with a
        managed role of ``bot_permissions`` (the bot has the union of both). Connected clients
        get GUILD_CREATE. ``guild_id`` fixes the id (e.g. to match a configured dev guild);
        ``shard=(shard_id, shard_count)`` picks a fresh id on that shard instead."""
        if guild_id is None and shard is not None:
            guild_id = self.snowflake.on_shard(*shard)
        guild = Guild(self, guild_id or self.snowflake(), name, self.owner_user)
        guild.locale = locale
        guild.everyone.permissions = everyone_permissions
        guild.members[self.owner_user.id] = Member(user=self.owner_user, guild=guild)
        bot_role = Role(
            id=self.snowflake(),
            guild=guild,
            name=self.bot_user.username,
            permissions=bot_permissions,
            position=250,  # above every role a test creates, so the bot can manage them
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = Member(user=self.bot_user, guild=guild, roles=[bot_role])
        self.guilds[guild.id] = guild
        self.gateway.guild_created(guild)
        self._changed()
        return guild

    def as_user(self, member: Member, *, locale: str = "en-US") -> UserActor:
        """The scripted-user API for ``member`` (same as ``member.act()``)."""
        actor = self._actors.get(member.id)
        if actor is None or actor.member is not member or actor.locale != locale:
            actor = self._actors[member.id] = UserActor(self, member, locale=locale)
        return actor

    # ------------------------------------------------------------------ reading state

    @property
    def channels(self) -> dict[int, Channel]:
        """Every channel and thread of every guild, by id."""
        return {cid: c for g in self.guilds.values() for cid, c in g.channels.items()}

    def channel_messages(self, channel: Channel) -> list[Message]:
        """All messages ever stored in ``channel`` (any author, deleted ones included)."""
        return list(self._channel_messages.get(channel.id, []))

    def messages(
        self,
        channel: Channel,
        *,
        include_users: bool = False,
        include_deleted: bool = True,
    ) -> list[Message]:
        """What the bot posted in ``channel`` (a text channel or thread), oldest first.

        Edits are applied (see ``Message.edits``), deleted messages are kept with
        ``deleted=True`` unless ``include_deleted=False``; ``include_users`` adds messages of
        scripted users.
        """
        return [
            m
            for m in self._channel_messages.get(channel.id, [])
            if (include_users or m.author.id == self.bot_user.id)
            and (include_deleted or not m.deleted)
        ]

    def message(self, message_id: int) -> Message:
        """A stored message by id."""
        return self.messages_by_id[message_id]

    def threads(self, channel: Channel) -> list[Channel]:
        """Threads created under ``channel``, oldest first."""
        return sorted(
            (
                c
                for c in channel.guild.channels.values()
                if c.parent_id == channel.id and c.is_thread
            ),
            key=lambda c: c.id,
        )

    def commands(self, guild: Guild | None = None) -> list[dict[str, Any]]:
        """The synced command tree (global, or ``guild``'s), as Discord stores it."""
        return self.command_registry.list(None if guild is None else guild.id)

    @property
    def unanswered(self) -> list[InteractionResult]:
        """Interactions whose deadline passed without an accepted initial response (the user
        saw "This interaction failed")."""
        now = time.monotonic()
        return [i for i in self.interactions
                if i.type is None and now > i.deadline and not i.ignored_on_purpose]

    @property
    def interaction_latencies(self) -> list[float]:
        """Seconds from INTERACTION_CREATE dispatch to first callback, per answered interaction."""
        return [i.latency for i in self.interactions if i.latency is not None]

    # ------------------------------------------------------------------ waiting

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - public test API
        description: str | None = None,
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        Re-checked on every emulator state change and at least every 50 ms (so predicates over
        the bot's own state work too). Raises ``TimeoutError`` naming ``description``.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"timed out after {timeout}s waiting for {description or predicate}"
                )
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.append(fut)
            try:
                await asyncio.wait_for(fut, min(remaining, 0.05))
            except TimeoutError:
                pass
            finally:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(fut)

    async def wait_for_message(
        self,
        channel: Channel,
        predicate: Callable[[Message], bool] | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - public test API
        after: Message | None = None,
        include_users: bool = False,
    ) -> Message:
        """The first (non-deleted) bot message in ``channel`` matching ``predicate``.

        Messages already there count; pass ``after`` to only consider newer ones.
        """

        def find() -> Message | None:
            for m in self.messages(channel, include_users=include_users, include_deleted=False):
                if after is not None and m.id <= after.id:
                    continue
                if predicate is None or predicate(m):
                    return m
            return None

        return await self.wait_for(
            find, timeout=timeout, description=f"a message in #{channel.name}"
        )

    # ------------------------------------------------------------------ internal hooks

    def _changed(self) -> None:
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)

    def _dispatch(self, event: str, data: Any) -> None:
        self.gateway.dispatch(event, data)
        self._changed()

    def _store_message(self, message: Message) -> None:
        self.messages_by_id[message.id] = message
        self._channel_messages.setdefault(message.channel.id, []).append(message)
        message.channel.last_message_id = message.id
        if message.channel.is_thread:
            message.channel.message_count += 1
        self._changed()

    def _register_interaction(self, result: InteractionResult) -> None:
        self.interactions.append(result)
        self.interactions_by_id[result.id] = result
        self.interactions_by_token[result.token] = result

    def _member_updated(self, member: Member) -> None:
        self._dispatch(
            "GUILD_MEMBER_UPDATE", {"guild_id": str(member.guild.id), **member.to_dict()}
        )

    def _record_rejection(self, route: str, path: str, exc: errors.DiscordError) -> None:
        now = time.time()
        records = [
            Violation(route, path, e.field, e.code, e.message, exc.status, now)
            for e in exc.field_errors
        ] or [
            Violation(
                route,
                path,
                "",
                exc.body.get("code", 0),
                str(exc.body.get("message", "")) + (f" ({exc.note})" if exc.note else ""),
                exc.status,
                now,
            )
        ]
        self.violations.extend(records)
        result = self._interaction_for_path(path)
        if result is not None:
            result.rejections.extend(records)
        self._changed()

    def _interaction_for_path(self, path: str) -> InteractionResult | None:
        parts = path.removeprefix("/api/v10/").split("/")
        if len(parts) >= 3 and parts[0] == "interactions" and parts[1].isdigit():
            return self.interactions_by_id.get(int(parts[1]))
        if len(parts) >= 3 and parts[0] == "webhooks":
            return self.interactions_by_token.get(parts[2])
        return None
