"""Direct messages from the bot: opening a DM channel with a user and posting in it.

Kept apart from guild channels (which belong to a guild and check its permissions): a DM is
refused with Discord's 50007 when the user does not accept DMs from server members; every
message the bot sends is kept in `emu.direct_messages` for tests to read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from playground import errors, limits
from playground.http_io import emulator_of, json_response, read_body
from playground.model import User, iso

DM = 1


@dataclass
class DMChannel:
    id: int
    recipient: User

    def to_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": DM, "last_message_id": None, "flags": 0,
                "recipients": [self.recipient.to_dict()]}


@dataclass
class DirectMessage:
    id: int
    channel: DMChannel
    content: str
    embeds: list[dict[str, Any]] = field(default_factory=list)
    at: float = 0.0

    @property
    def recipient(self) -> User:
        return self.channel.recipient


async def open_dm(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    payload, _ = await read_body(request)
    user = emu.users.get(int(payload.get("recipient_id") or 0))
    if user is None:
        raise errors.unknown_user()
    channel = next((c for c in emu.dm_channels.values() if c.recipient is user), None)
    if channel is None:
        channel = DMChannel(emu.snowflake(), user)
        emu.dm_channels[channel.id] = channel
    return json_response(channel.to_dict())


async def send_dm(request: web.Request, channel: DMChannel) -> web.Response:
    emu = emulator_of(request)
    payload, files = await read_body(request)
    field_errors, other = limits.check_message(payload, n_files=len(files))
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    if not channel.recipient.accepts_dms or channel.recipient.bot:
        # Not a bot mistake (it cannot know a member's privacy settings): not recorded.
        raise errors.error(403, 50007, "Cannot send messages to this user", record=False)
    message = DirectMessage(emu.snowflake(), channel, payload.get("content") or "",
                            list(payload.get("embeds") or []))
    emu.direct_messages.append(message)
    emu._changed()
    return json_response({
        "id": str(message.id), "channel_id": str(channel.id), "type": 0,
        "author": emu.bot_user.to_dict(), "content": message.content,
        "embeds": message.embeds, "attachments": [], "components": [], "mentions": [],
        "mention_roles": [], "mention_everyone": False, "pinned": False, "tts": False,
        "timestamp": iso(), "edited_timestamp": None, "flags": 0})
