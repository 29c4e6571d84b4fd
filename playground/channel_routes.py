"""REST routes on channels, messages, threads, reactions, pins and guilds."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from playground import dms, errors, limits
from playground import permissions as perms
from playground.http_io import emulator_of, json_response, read_body
from playground.messages import create_message, delete_message, edit_message
from playground.model import (
    FLAG_HAS_THREAD,
    GUILD_FORUM,
    GUILD_TEXT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Channel,
    Host,
    Message,
    iso,
)

THREAD_NAME_MAX = 100
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
#: ``nonce`` strings are at most 25 characters; with ``enforce_nonce`` Discord dedupes a
#: nonce seen from the same author "in the past few minutes".
NONCE_MAX = 25
NONCE_WINDOW = 5 * 60.0


def _emu(request: web.Request) -> Host:
    return emulator_of(request)


def _int(request: web.Request, key: str) -> int:
    raw = request.match_info[key]
    return int(raw) if raw.isdigit() else -1


def _channel(request: web.Request) -> Channel:
    channel = _emu(request).channels.get(_int(request, "channel_id"))
    if channel is None:
        raise errors.unknown_channel()
    return channel


def _message(request: web.Request, channel: Channel) -> Message:
    message = _emu(request).messages_by_id.get(_int(request, "message_id"))
    if message is None or message.deleted or message.ephemeral or message.channel is not channel:
        raise errors.unknown_message()
    return message


async def _body(request: web.Request) -> tuple[dict[str, Any], list[Any]]:
    return await read_body(request)


def _json(data: Any, status: int = 200) -> web.Response:
    return json_response(data, status=status)


# ----------------------------------------------------------------------------- messages


async def send_message(request: web.Request) -> web.Response:
    emu = _emu(request)
    direct = emu.dm_channels.get(_int(request, "channel_id"))
    if direct is not None:
        return await dms.send_dm(request, direct)
    channel = _channel(request)
    payload, files = await _body(request)
    if channel.type == GUILD_FORUM:
        raise errors.error(400, 50008, "Cannot send messages in a non-text channel")
    send = perms.SEND_MESSAGES_IN_THREADS if channel.is_thread else perms.SEND_MESSAGES
    perms.require(channel.guild, perms.VIEW_CHANNEL | send | (perms.ATTACH_FILES if files else 0)
                  | _embeds_need(payload))
    field_errors, other = limits.check_message(payload, n_files=len(files))
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    reference = payload.get("message_reference")
    if isinstance(reference, dict) and reference.get("message_id"):
        target = emu.messages_by_id.get(int(reference["message_id"]))
        if target is None or target.deleted:
            raise errors.form_error(
                [
                    limits.FieldError(
                        ("message_reference",),
                        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                        "Unknown message",
                    )
                ]
            )
    duplicate = _nonce_duplicate(emu, channel, payload)
    if duplicate is not None:
        return _json(duplicate.to_dict())
    if channel.is_thread and channel.archived:
        if channel.locked:
            raise errors.error(400, 50083, "Thread is archived")
        channel.archived = False
        emu._dispatch("THREAD_UPDATE", channel.to_dict())
    message = create_message(emu, channel, emu.bot_user, payload, files)
    return _json(message.to_dict())


def _embeds_need(payload: dict[str, Any]) -> int:
    """A channel message with embeds needs EMBED_LINKS (Discord refuses an embed-only one and
    silently drops the embeds of one with content; both are a bot mistake). Interaction
    responses are exempt: apps always have Embed Links and Attach Files there."""
    return perms.EMBED_LINKS if payload.get("embeds") else 0


def _nonce_duplicate(emu: Host, channel: Channel, payload: dict[str, Any]) -> Message | None:
    """With ``enforce_nonce``, the bot's recent message with the same nonce (Discord returns it
    instead of creating another); a nonce is a string of at most 25 characters or an int."""
    nonce = payload.get("nonce")
    if nonce is None:
        return None
    if isinstance(nonce, str) and len(nonce) > NONCE_MAX:
        raise errors.form_error([limits.FieldError(
            ("nonce",), "BASE_TYPE_MAX_LENGTH", f"Must be {NONCE_MAX} or fewer in length.")])
    if not payload.get("enforce_nonce"):
        return None
    since = time.time() - NONCE_WINDOW
    return next((m for m in reversed(emu.messages(channel))
                 if m.nonce is not None and str(m.nonce) == str(nonce)
                 and m.created_at >= since and not m.deleted), None)


async def get_message(request: web.Request) -> web.Response:
    channel = _channel(request)
    perms.require(channel.guild, perms.VIEW_CHANNEL | perms.READ_MESSAGE_HISTORY)
    return _json(_message(request, channel).to_dict())


def _refuse_if_archived(channel: Channel) -> None:
    """Discord edits and deletes no message of an archived thread until it is reopened."""
    if channel.is_thread and channel.archived:
        raise errors.error(400, 50083, "Thread is archived")


async def edit_channel_message(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    message = _message(request, channel)
    if message.author.id != emu.bot_user.id:
        raise errors.error(403, 50005, "Cannot edit a message authored by another user")
    _refuse_if_archived(channel)
    payload, files = await _body(request)
    perms.require(channel.guild, _embeds_need(payload))
    field_errors, other = limits.check_message(payload, n_files=len(files), creating=False)
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    edit_message(emu, message, payload, files)
    return _json(message.to_dict())


async def delete_channel_message(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    message = _message(request, channel)
    if message.author.id != emu.bot_user.id:
        perms.require(channel.guild, perms.MANAGE_MESSAGES)
    _refuse_if_archived(channel)
    delete_message(emu, message)
    return web.Response(status=204)


async def bulk_delete(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    perms.require(channel.guild, perms.MANAGE_MESSAGES)
    payload, _ = await _body(request)
    ids = payload.get("messages") or []
    if not 2 <= len(ids) <= 100:
        raise errors.form_error(
            [
                limits.FieldError(
                    ("messages",), "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."
                )
            ]
        )
    for raw in ids:
        message = emu.messages_by_id.get(int(raw))
        if message is not None and message.channel is channel and not message.deleted:
            delete_message(emu, message)
    return web.Response(status=204)


async def history(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    perms.require(channel.guild, perms.VIEW_CHANNEL | perms.READ_MESSAGE_HISTORY)
    try:
        limit = int(request.query.get("limit", "50"))
    except ValueError:
        limit = 50
    if not 1 <= limit <= 100:
        raise errors.form_error(
            [
                limits.FieldError(
                    ("limit",), "NUMBER_TYPE_MAX", "int value should be less than or equal to 100."
                )
            ]
        )
    visible = [m for m in emu.channel_messages(channel) if not m.deleted and not m.ephemeral]
    before, after, around = (request.query.get(k) for k in ("before", "after", "around"))
    if before:
        picked = [m for m in visible if m.id < int(before)][-limit:]
    elif after:
        picked = [m for m in visible if m.id > int(after)][:limit]
    elif around:
        pivot = int(around)
        older = [m for m in visible if m.id <= pivot][-((limit + 1) // 2) :]
        newer = [m for m in visible if m.id > pivot][: limit // 2]
        picked = older + newer
    else:
        picked = visible[-limit:]
    return _json([m.to_dict() for m in reversed(picked)])


async def typing(request: web.Request) -> web.Response:
    _channel(request)
    return web.Response(status=204)


# ----------------------------------------------------------------------------- reactions & pins


async def add_reaction(request: web.Request) -> web.Response:
    emu = _emu(request)
    message = _message(request, _channel(request))
    perms.require(message.channel.guild, perms.READ_MESSAGE_HISTORY | perms.ADD_REACTIONS)
    emoji = request.match_info["emoji"]
    message.reactions.setdefault(emoji, set()).add(emu.bot_user.id)
    emu._changed()
    emu._dispatch("MESSAGE_REACTION_ADD", _reaction_event(emu, message, emoji))
    return web.Response(status=204)


async def remove_own_reaction(request: web.Request) -> web.Response:
    emu = _emu(request)
    message = _message(request, _channel(request))
    emoji = request.match_info["emoji"]
    message.reactions.get(emoji, set()).discard(emu.bot_user.id)
    emu._changed()
    emu._dispatch("MESSAGE_REACTION_REMOVE", _reaction_event(emu, message, emoji))
    return web.Response(status=204)


def _reaction_event(emu: Host, message: Message, emoji: str) -> dict[str, Any]:
    return {
        "user_id": str(emu.bot_user.id),
        "channel_id": str(message.channel.id),
        "message_id": str(message.id),
        "guild_id": str(message.channel.guild.id),
        "emoji": {"id": None, "name": emoji},
        "burst": False,
        "type": 0,
    }


async def pin(request: web.Request) -> web.Response:
    emu = _emu(request)
    message = _message(request, _channel(request))
    perms.require(message.channel.guild, perms.MANAGE_MESSAGES)
    message.pinned = request.method == "PUT"
    emu._changed()
    emu._dispatch("MESSAGE_UPDATE", message.gateway_dict())
    return web.Response(status=204)


# ----------------------------------------------------------------------------- channels & threads


async def get_channel(request: web.Request) -> web.Response:
    return _json(_channel(request).to_dict())


async def edit_channel(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    payload, _ = await _body(request)
    if not channel.is_thread:
        perms.require(channel.guild, perms.MANAGE_CHANNELS)
    elif channel.owner_id != emu.bot_user.id or "locked" in payload:
        perms.require(channel.guild, perms.MANAGE_THREADS)
    field_errors: list[limits.FieldError] = []
    name = payload.get("name")
    if name is not None and not 1 <= len(name) <= THREAD_NAME_MAX:
        field_errors.append(
            limits.FieldError(
                ("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        )
    if field_errors:
        raise errors.form_error(field_errors)
    if name is not None:
        channel.name = name
    if "topic" in payload and not channel.is_thread:
        channel.topic = payload["topic"]
    if channel.is_thread:
        if "archived" in payload:
            channel.archived = bool(payload["archived"])
            channel.archive_timestamp = iso()
        if "locked" in payload:
            channel.locked = bool(payload["locked"])
        if payload.get("auto_archive_duration"):
            channel.auto_archive_duration = int(payload["auto_archive_duration"])
    if payload.get("rate_limit_per_user") is not None:
        channel.rate_limit_per_user = int(payload["rate_limit_per_user"])
    emu._changed()
    emu._dispatch("THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE", channel.to_dict())
    return _json(channel.to_dict())


async def delete_channel(request: web.Request) -> web.Response:
    emu = _emu(request)
    channel = _channel(request)
    perms.require(
        channel.guild, perms.MANAGE_THREADS if channel.is_thread else perms.MANAGE_CHANNELS
    )
    data = channel.to_dict()
    del channel.guild.channels[channel.id]
    emu._changed()
    if channel.is_thread:
        emu._dispatch(
            "THREAD_DELETE",
            {k: data[k] for k in ("id", "guild_id", "parent_id", "type")},
        )
    else:
        emu._dispatch("CHANNEL_DELETE", data)
    return _json(data)


def _check_thread_payload(payload: dict[str, Any]) -> None:
    field_errors: list[limits.FieldError] = []
    name = payload.get("name")
    if not name:
        field_errors.append(
            limits.FieldError(("name",), "BASE_TYPE_REQUIRED", "This field is required")
        )
    elif len(name) > THREAD_NAME_MAX:
        field_errors.append(
            limits.FieldError(
                ("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        )
    duration = payload.get("auto_archive_duration")
    if duration is not None and duration not in ARCHIVE_DURATIONS:
        field_errors.append(
            limits.FieldError(
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                "Value must be one of (60, 1440, 4320, 10080).",
            )
        )
    if field_errors:
        raise errors.form_error(field_errors)


def _new_thread(
    emu: Host, parent: Channel, payload: dict[str, Any], thread_id: int, kind: int
) -> Channel:
    thread = Channel(
        id=thread_id,
        guild=parent.guild,
        name=payload["name"],
        type=kind,
        parent_id=parent.id,
        owner_id=emu.bot_user.id,
        auto_archive_duration=int(payload.get("auto_archive_duration") or 1440),
        rate_limit_per_user=int(payload.get("rate_limit_per_user") or 0),
        created_at=time.time(),
    )
    thread.thread_member_ids.add(emu.bot_user.id)
    parent.guild.channels[thread.id] = thread
    emu._changed()
    emu._dispatch(
        "THREAD_CREATE",
        {
            **thread.to_dict(),
            "newly_created": True,
            "member": thread.thread_member_dict(emu.bot_user.id),
        },
    )
    return thread


async def start_thread_from_message(request: web.Request) -> web.Response:
    emu = _emu(request)
    parent = _channel(request)
    if parent.type != GUILD_TEXT:
        raise errors.error(400, 50024, "Cannot execute action on this channel type")
    message = _message(request, parent)
    perms.require(parent.guild, perms.CREATE_PUBLIC_THREADS | perms.READ_MESSAGE_HISTORY)
    payload, _ = await _body(request)
    _check_thread_payload(payload)
    if message.thread is not None:
        raise errors.error(400, 160004, "A thread has already been created for this message")
    thread = _new_thread(emu, parent, payload, message.id, PUBLIC_THREAD)
    message.thread = thread
    message.flags |= FLAG_HAS_THREAD
    emu._dispatch("MESSAGE_UPDATE", message.gateway_dict())
    return _json(thread.to_dict(), status=201)


async def start_forum_post(emu: Host, forum: Channel, payload: dict[str, Any],
                           files: list[Any]) -> web.Response:
    """A forum post: a public thread and its first message, made together. The message's id
    is the thread's, as on Discord; the answer is the thread with a `message` field."""
    perms.require(forum.guild, perms.VIEW_CHANNEL | perms.SEND_MESSAGES
                  | (perms.ATTACH_FILES if files else 0))
    first = payload.get("message")
    if not isinstance(first, dict):
        raise errors.form_error(
            [limits.FieldError(("message",), "BASE_TYPE_REQUIRED", "This field is required")]
        )
    field_errors, other = limits.check_message(first, n_files=len(files), base=("message",))
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    thread = _new_thread(emu, forum, payload, emu.snowflake(), PUBLIC_THREAD)
    message = create_message(emu, thread, emu.bot_user, first, files, message_id=thread.id)
    forum.last_message_id = thread.id
    return _json({**thread.to_dict(), "message": message.to_dict()}, status=201)


async def start_thread(request: web.Request) -> web.Response:
    emu = _emu(request)
    parent = _channel(request)
    if parent.type == GUILD_FORUM:
        payload, files = await _body(request)
        _check_thread_payload(payload)
        return await start_forum_post(emu, parent, payload, files)
    if parent.type != GUILD_TEXT:
        raise errors.error(400, 50024, "Cannot execute action on this channel type")
    payload, _ = await _body(request)
    _check_thread_payload(payload)
    kind = int(payload.get("type") or PRIVATE_THREAD)
    if kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
        raise errors.form_error(
            [limits.FieldError(("type",), "BASE_TYPE_CHOICES", "Value must be one of (11, 12).")]
        )
    perms.require(
        parent.guild,
        perms.CREATE_PUBLIC_THREADS if kind == PUBLIC_THREAD else perms.CREATE_PRIVATE_THREADS,
    )
    thread = _new_thread(emu, parent, payload, emu.snowflake(), kind)
    return _json(thread.to_dict(), status=201)


async def join_thread(request: web.Request) -> web.Response:
    emu = _emu(request)
    thread = _channel(request)
    if not thread.is_thread:
        raise errors.error(400, 50024, "Cannot execute action on this channel type")
    raw = request.match_info["user_id"]
    user_id = emu.bot_user.id if raw == "@me" else int(raw)
    if request.method == "PUT":
        thread.thread_member_ids.add(user_id)
    else:
        thread.thread_member_ids.discard(user_id)
    emu._changed()
    return web.Response(status=204)


async def list_thread_members(request: web.Request) -> web.Response:
    thread = _channel(request)
    return _json([thread.thread_member_dict(uid) for uid in sorted(thread.thread_member_ids)])


# ----------------------------------------------------------------------------- guilds


def _guild(request: web.Request) -> Any:
    guild = _emu(request).guilds.get(_int(request, "guild_id"))
    if guild is None:
        raise errors.unknown_guild()
    return guild


async def get_guild(request: web.Request) -> web.Response:
    guild = _guild(request)
    return _json(
        {
            **guild.to_dict(),
            "approximate_member_count": len(guild.members),
            "approximate_presence_count": 0,
        }
    )


async def guild_channels(request: web.Request) -> web.Response:
    guild = _guild(request)
    return _json([c.to_dict() for c in guild.channels.values() if not c.is_thread])


async def active_threads(request: web.Request) -> web.Response:
    emu = _emu(request)
    guild = _guild(request)
    threads = [c for c in guild.threads if not c.archived]
    members = [
        t.thread_member_dict(emu.bot_user.id)
        for t in threads
        if emu.bot_user.id in t.thread_member_ids
    ]
    return _json({"threads": [t.to_dict() for t in threads], "members": members})


async def guild_roles(request: web.Request) -> web.Response:
    guild = _guild(request)
    return _json([r.to_dict() for r in guild.roles.values()])


async def guild_member(request: web.Request) -> web.Response:
    guild = _guild(request)
    member = guild.members.get(_int(request, "user_id"))
    if member is None:
        raise errors.unknown_member()
    return _json(member.to_dict())


async def guild_members(request: web.Request) -> web.Response:
    guild = _guild(request)
    limit = int(request.query.get("limit", "1"))
    after = int(request.query.get("after", "0"))
    members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
    return _json([m.to_dict() for m in members[:limit]])


async def member_role(request: web.Request) -> web.Response:
    guild = _guild(request)
    member = guild.members.get(_int(request, "user_id"))
    if member is None:
        raise errors.unknown_member()
    role = guild.roles.get(_int(request, "role_id"))
    if role is None:
        raise errors.unknown_role()
    perms.require_above(guild, role)
    if request.method == "PUT":
        member.add_role(role)
    else:
        member.remove_role(role)
    return web.Response(status=204)


def register(r: web.UrlDispatcher, api: str) -> None:
    ch = f"{api}/channels/{{channel_id}}"
    msg = f"{ch}/messages/{{message_id:\\d+}}"
    r.add_get(ch, get_channel)
    r.add_patch(ch, edit_channel)
    r.add_delete(ch, delete_channel)
    r.add_post(f"{ch}/typing", typing)
    r.add_get(f"{ch}/messages", history)
    r.add_post(f"{ch}/messages", send_message)
    r.add_post(f"{ch}/messages/bulk-delete", bulk_delete)
    r.add_get(msg, get_message)
    r.add_patch(msg, edit_channel_message)
    r.add_delete(msg, delete_channel_message)
    r.add_put(f"{msg}/reactions/{{emoji}}/@me", add_reaction)
    r.add_delete(f"{msg}/reactions/{{emoji}}/@me", remove_own_reaction)
    r.add_post(f"{msg}/threads", start_thread_from_message)
    r.add_post(f"{ch}/threads", start_thread)
    for pins in (f"{ch}/pins/{{message_id:\\d+}}", f"{ch}/messages/pins/{{message_id:\\d+}}"):
        r.add_put(pins, pin)
        r.add_delete(pins, pin)
    r.add_put(f"{ch}/thread-members/{{user_id}}", join_thread)
    r.add_delete(f"{ch}/thread-members/{{user_id}}", join_thread)
    r.add_get(f"{ch}/thread-members", list_thread_members)
    g = f"{api}/guilds/{{guild_id}}"
    r.add_get(g, get_guild)
    r.add_get(f"{g}/channels", guild_channels)
    r.add_get(f"{g}/threads/active", active_threads)
    r.add_get(f"{g}/roles", guild_roles)
    r.add_get(f"{g}/members", guild_members)
    r.add_get(f"{g}/members/{{user_id:\\d+}}", guild_member)
    r.add_put(f"{g}/members/{{user_id:\\d+}}/roles/{{role_id:\\d+}}", member_role)
    r.add_delete(f"{g}/members/{{user_id:\\d+}}/roles/{{role_id:\\d+}}", member_role)
