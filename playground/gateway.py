"""The emulator's gateway websocket: HELLO, IDENTIFY→READY, heartbeats, RESUME with replay.

Sharding as Discord does it: an IDENTIFY with ``shard: [id, count]`` makes a session that sees
only the guilds on shard ``id`` (``(guild_id >> 22) % count``): READY and GUILD_CREATE list
them alone, and a guild's dispatches (interactions, threads, messages…) go only to sessions
whose shard holds it; events of no guild go to shard 0. A session without ``shard`` sees all.

Frames are JSON; when the client's URL asks for ``compress=zlib-stream`` they are sent as one
shared zlib stream flushed with ``Z_SYNC_FLUSH`` per message, as Discord does. Any other
``compress`` value (e.g. ``zstd-stream``) gets plain text frames, which discord.py also accepts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from playground.model import Host

log = logging.getLogger(__name__)

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE = 3
OP_VOICE_STATE = 4
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11

INTENT_GUILDS = 1 << 0
INTENT_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_REACTIONS = 1 << 10
INTENT_GUILD_TYPING = 1 << 11
INTENT_MESSAGE_CONTENT = 1 << 15
INTENT_GUILD_SCHEDULED_EVENTS = 1 << 16

_EVENT_INTENTS = {
    "GUILD_CREATE": INTENT_GUILDS,
    "GUILD_UPDATE": INTENT_GUILDS,
    "GUILD_ROLE_CREATE": INTENT_GUILDS,
    "GUILD_ROLE_UPDATE": INTENT_GUILDS,
    "GUILD_ROLE_DELETE": INTENT_GUILDS,
    "CHANNEL_CREATE": INTENT_GUILDS,
    "CHANNEL_UPDATE": INTENT_GUILDS,
    "CHANNEL_DELETE": INTENT_GUILDS,
    "THREAD_CREATE": INTENT_GUILDS,
    "THREAD_UPDATE": INTENT_GUILDS,
    "THREAD_DELETE": INTENT_GUILDS,
    "GUILD_SCHEDULED_EVENT_CREATE": INTENT_GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_UPDATE": INTENT_GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_DELETE": INTENT_GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_USER_ADD": INTENT_GUILD_SCHEDULED_EVENTS,
    "GUILD_SCHEDULED_EVENT_USER_REMOVE": INTENT_GUILD_SCHEDULED_EVENTS,
    "GUILD_MEMBER_ADD": INTENT_MEMBERS,
    "GUILD_MEMBER_UPDATE": INTENT_MEMBERS,
    "GUILD_MEMBER_REMOVE": INTENT_MEMBERS,
    "MESSAGE_CREATE": INTENT_GUILD_MESSAGES,
    "MESSAGE_UPDATE": INTENT_GUILD_MESSAGES,
    "MESSAGE_DELETE": INTENT_GUILD_MESSAGES,
    "MESSAGE_DELETE_BULK": INTENT_GUILD_MESSAGES,
    "MESSAGE_REACTION_ADD": INTENT_GUILD_REACTIONS,
    "MESSAGE_REACTION_REMOVE": INTENT_GUILD_REACTIONS,
    "TYPING_START": INTENT_GUILD_TYPING,
}
#: Dispatches kept per session for RESUME; resuming from further back invalidates the session.
REPLAY_LIMIT = 10_000
#: Dispatches that name their guild in ``id`` rather than ``guild_id``.
_GUILD_OBJECT_EVENTS = frozenset({"GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"})
#: Close codes after which Discord does not let the session be resumed.
_SESSION_ENDING_CLOSES = (1000, 1001)


@dataclass
class GatewaySession:
    """One IDENTIFY'd session; survives dropped connections so it can be RESUMEd."""

    id: str
    intents: int
    bot_id: int
    seq: int = 0
    history: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REPLAY_LIMIT))
    connection: GatewayConnection | None = None
    invalidated: bool = False
    #: ``(shard_id, shard_count)`` from IDENTIFY; None: an unsharded session (every guild).
    shard: tuple[int, int] | None = None

    def has_guild(self, guild_id: int | None) -> bool:
        """Whether this session's shard receives events of ``guild_id`` (None: no guild)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0  # DMs and other guild-less events go to shard 0
        return (guild_id >> 22) % count == shard_id  # Discord's rule

    def dispatch(self, event: str, data: Any) -> None:
        """Queue a dispatch (kept in history for RESUME replay)."""
        self.seq += 1
        frame = {"op": OP_DISPATCH, "t": event, "s": self.seq, "d": data}
        self.history.append(frame)
        if self.connection is not None:
            self.connection.enqueue(frame)

    def wants(self, event: str, data: Any) -> bool:
        needed = _EVENT_INTENTS.get(event)
        if needed is not None and not self.intents & needed:
            return False
        return self.has_guild(event_guild_id(event, data))

    def redact(self, event: str, data: Any) -> Any:
        """Blank message content when the MESSAGE_CONTENT intent is missing (like Discord)."""
        if (
            event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE")
            or self.intents & INTENT_MESSAGE_CONTENT
        ):
            return data
        author = (data.get("author") or {}).get("id")
        mentioned = {m.get("id") for m in data.get("mentions") or []}
        if author == str(self.bot_id) or str(self.bot_id) in mentioned:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}


def event_guild_id(event: str, data: Any) -> int | None:
    """The guild a dispatch belongs to, if any."""
    if not isinstance(data, dict):
        return None
    raw = data.get("id") if event in _GUILD_OBJECT_EVENTS else data.get("guild_id")
    return int(raw) if raw is not None else None


def parse_shard(value: Any) -> tuple[int, int] | None:
    """IDENTIFY's ``shard`` as ``(id, count)``; raises ValueError unless 0 <= id < count."""
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)):
        raise ValueError(f"shard must be [shard_id, shard_count], got {value!r}")
    shard_id, count = value
    if not 0 <= shard_id < count:
        raise ValueError(f"shard {shard_id} is not below the shard count {count}")
    return shard_id, count


class GatewayConnection:
    """One websocket; a single writer task sends queued frames in order."""

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, compress: str | None
    ) -> None:
        self.ws = ws
        self.request = request
        self.session: GatewaySession | None = None
        self.compressor = zlib.compressobj() if compress == "zlib-stream" else None
        self.queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.writer = asyncio.create_task(self._write(), name="emulator-gateway-writer")
        self.closed_by_server: int | None = None

    def enqueue(self, frame: dict[str, Any]) -> None:
        self.queue.put_nowait(frame)

    async def _write(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None or self.ws.closed:
                return
            text = json.dumps(frame, separators=(",", ":"))
            try:
                if self.compressor is not None:
                    chunk = self.compressor.compress(text.encode()) + self.compressor.flush(
                        zlib.Z_SYNC_FLUSH
                    )
                    await self.ws.send_bytes(chunk)
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    async def stop_writer(self) -> None:
        self.queue.put_nowait(None)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(asyncio.shield(self.writer), timeout=1)
        if not self.writer.done():
            self.writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.writer


@dataclass
class GatewayEvent:
    """A gateway op the emulator received (kept in :attr:`Gateway.received` for tests)."""

    op: int
    at: float
    data: Any


class Gateway:
    """Serves ``/gateway`` and fans dispatches out to every live session."""

    def __init__(self, emulator: Host, *, heartbeat_interval: float = 41.25) -> None:
        self.emulator = emulator
        self.heartbeat_interval = heartbeat_interval
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: set[GatewayConnection] = set()
        self.received: list[GatewayEvent] = []
        #: Query string of every websocket connect (``v``, ``encoding``, ``compress``).
        self.connect_params: list[dict[str, str]] = []
        #: Per ended connection: (its close code, the code the emulator injected or None).
        self.close_codes: list[tuple[int | None, int | None]] = []

    # ------------------------------------------------------------------ public

    @property
    def identifies(self) -> int:
        return sum(1 for e in self.received if e.op == OP_IDENTIFY)

    @property
    def resumes(self) -> int:
        return sum(1 for e in self.received if e.op == OP_RESUME)

    @property
    def live_sessions(self) -> list[GatewaySession]:
        return [s for s in self.sessions.values() if not s.invalidated]

    @property
    def connected(self) -> bool:
        """True when at least one session has an open websocket."""
        return any(s.connection is not None for s in self.live_sessions)

    def dispatch(self, event: str, data: Any) -> None:
        for session in self.live_sessions:
            if session.wants(event, data):
                session.dispatch(event, session.redact(event, data))

    def connected_to(self, guild_id: int) -> bool:
        """True when a session whose shard holds ``guild_id`` has an open websocket."""
        return any(s.connection is not None and s.has_guild(guild_id)
                   for s in self.live_sessions)

    def guild_created(self, guild: Any) -> None:
        """GUILD_CREATE for a new guild, to the sessions whose shard holds it."""
        for session in self.live_sessions:
            if session.has_guild(guild.id):
                include = bool(session.intents & INTENT_MEMBERS)
                session.dispatch("GUILD_CREATE", guild.to_gateway_dict(include_members=include))

    async def close_connections(self, code: int = 4000) -> None:
        """Close every open websocket with ``code`` (4000 → the client RESUMEs).

        ``1006`` cannot be sent on the wire; it drops the TCP connection without a close frame,
        which is what a client sees as 1006 (abnormal closure).
        """
        for conn in list(self.connections):
            conn.closed_by_server = code
            if code == 1006:
                transport = conn.request.transport
                if transport is not None:
                    transport.abort()
            else:
                await conn.ws.close(code=code, message=b"emulator fault injection")

    async def send_reconnect(self) -> None:
        """Send op 7 RECONNECT to every connection (the client reconnects and RESUMEs)."""
        for conn in list(self.connections):
            conn.enqueue({"op": OP_RECONNECT, "d": None})

    async def invalidate_sessions(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; unless ``resumable`` the sessions are gone and the client
        must IDENTIFY again (a fresh READY + GUILD_CREATE)."""
        for conn in list(self.connections):
            if conn.session is not None and not resumable:
                conn.session.invalidated = True
            conn.enqueue({"op": OP_INVALID_SESSION, "d": resumable})

    async def shutdown(self) -> None:
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"emulator shutting down")
            await conn.stop_writer()

    # ------------------------------------------------------------------ server

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.connect_params.append(dict(request.query))
        conn = GatewayConnection(ws, request, request.query.get("compress"))
        self.connections.add(conn)
        conn.enqueue(
            {
                "op": OP_HELLO,
                "d": {
                    "heartbeat_interval": int(self.heartbeat_interval * 1000),
                    "_trace": ['["gateway-emulator",{"micros":0}]'],
                },
            }
        )
        try:
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    continue
                try:
                    payload = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                await self._on_payload(conn, payload)
        finally:
            self.connections.discard(conn)
            self.close_codes.append((ws.close_code, conn.closed_by_server))
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                client_code = ws.close_code
                if conn.closed_by_server is None and client_code in _SESSION_ENDING_CLOSES:
                    session.invalidated = True
            await conn.stop_writer()
        return ws

    async def _on_payload(self, conn: GatewayConnection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op", -1), payload.get("d")
        self.received.append(GatewayEvent(op=op, at=time.monotonic(), data=data))
        if op == OP_HEARTBEAT:
            if not self.emulator.faults.drop_heartbeat_ack():
                conn.enqueue({"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data or {})
        elif op == OP_RESUME:
            await self._resume(conn, data or {})
        elif op == OP_REQUEST_MEMBERS:
            self._request_members(conn, data or {})
        elif op in (OP_PRESENCE, OP_VOICE_STATE):
            return
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        emu = self.emulator
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if data.get("token") != emu.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        try:
            shard = parse_shard(data.get("shard"))
        except ValueError:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        session = GatewaySession(id=secrets.token_hex(16), intents=intents,
                                 bot_id=emu.bot_user.id, shard=shard)
        guilds = [g for g in emu.guilds.values() if session.has_guild(g.id)]
        self.sessions[session.id] = session
        conn.session = session
        session.connection = conn
        ready = {
            "v": 10,
            "user": emu.bot_user.to_dict()
            | {"verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": emu.gateway_url,
            "application": {"id": str(emu.application_id), "flags": emu.application_flags},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["local"],
            "user_settings": {},
            "auth": {},
            "_trace": ['["gateway-emulator",{"micros":0}]'],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        session.dispatch("READY", ready)
        include_members = bool(intents & INTENT_MEMBERS)
        for guild in guilds:
            session.dispatch("GUILD_CREATE", guild.to_gateway_dict(include_members=include_members))

    async def _resume(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        session = self.sessions.get(data.get("session_id") or "")
        if session is None or session.invalidated or data.get("token") != self.emulator.token:
            conn.enqueue({"op": OP_INVALID_SESSION, "d": False})
            return
        last = data.get("seq") or 0
        if session.history and session.history[0]["s"] > last + 1:
            session.invalidated = True  # the dispatches it missed are no longer kept
            conn.enqueue({"op": OP_INVALID_SESSION, "d": False})
            return
        old = session.connection
        if old is not None and old is not conn:
            old.session = None
        for frame in session.history:
            if frame["s"] > last:
                conn.enqueue(frame)
        conn.session = session
        session.connection = conn
        session.dispatch("RESUMED", {"_trace": ['["gateway-emulator",{"micros":0}]']})

    def _request_members(self, conn: GatewayConnection, data: dict[str, Any]) -> None:
        session = conn.session
        if session is None:
            return
        guild = self.emulator.guilds.get(int(data.get("guild_id") or 0))
        if guild is None or not session.has_guild(guild.id):
            return
        members = list(guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.id in wanted]
        elif data.get("query"):
            query = str(data["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk: dict[str, Any] = {
            "guild_id": str(guild.id),
            "members": [m.to_dict() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
