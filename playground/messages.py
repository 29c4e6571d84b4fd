"""Creating, editing and deleting stored messages, and telling connected clients about it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from playground.model import (
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    Attachment,
    Channel,
    Host,
    Message,
    MessageEdit,
    User,
    compute_pings,
)

FLAG_SUPPRESS_EMBEDS = 1 << 2
FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12
#: Flags a bot may set when creating a message (EPHEMERAL only through interactions).
SETTABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
#: Discord's default when a message carries no ``allowed_mentions``.
DEFAULT_ALLOWED_MENTIONS: dict[str, Any] = {"parse": ["users", "roles", "everyone"]}


@dataclass
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    index: int
    filename: str
    data: bytes
    content_type: str | None


def build_attachments(
    emu: Host,
    channel: Channel,
    payload: dict[str, Any],
    files: list[UploadedFile],
    existing: list[Attachment] | None = None,
) -> list[Attachment]:
    """Resolve the ``attachments`` array against uploaded files (and kept existing ones)."""
    by_index = {f.index: f for f in files}
    described = {
        str(a.get("id")): a for a in payload.get("attachments") or [] if isinstance(a, dict)
    }
    kept: list[Attachment] = []
    if existing is not None:
        if "attachments" in payload:
            keep_ids = set(described)
            kept = [a for a in existing if str(a.id) in keep_ids]
        else:
            kept = list(existing)
    new: list[Attachment] = []
    for index in sorted(by_index):
        upload = by_index[index]
        meta = described.get(str(index), {})
        att = Attachment(
            id=emu.snowflake(),
            filename=meta.get("filename") or upload.filename,
            data=upload.data,
            content_type=upload.content_type,
            description=meta.get("description"),
        )
        att.url = f"{emu.base_url}/attachments/{channel.id}/{att.id}/{att.filename}"
        emu.attachments[att.id] = att
        new.append(att)
    return kept + new


def create_message(
    emu: Host,
    channel: Channel,
    author: User,
    payload: dict[str, Any],
    files: list[UploadedFile] | None = None,
    *,
    flags_allowed: int = SETTABLE_FLAGS,
    extra_flags: int = 0,
    message_type: int = 0,
    webhook_id: int | None = None,
    interaction_id: int | None = None,
    interaction_metadata: dict[str, Any] | None = None,
    message_id: int | None = None,
) -> Message:
    """Store a new message and dispatch MESSAGE_CREATE (not for ephemeral ones).

    `message_id` is given for a forum post's first message, whose id is its thread's."""
    sent_mentions = payload.get("allowed_mentions")
    effective = sent_mentions if isinstance(sent_mentions, dict) else DEFAULT_ALLOWED_MENTIONS
    flags = (int(payload.get("flags") or 0) & flags_allowed) | extra_flags
    reference = payload.get("message_reference")
    message = Message(
        id=message_id if message_id is not None else emu.snowflake(),
        channel=channel,
        author=author,
        content=payload.get("content") or "",
        embeds=list(payload.get("embeds") or []),
        components=list(payload.get("components") or []),
        flags=flags,
        allowed_mentions=effective,
        allowed_mentions_sent=sent_mentions if isinstance(sent_mentions, dict) else None,
        type=message_type,
        webhook_id=webhook_id,
        interaction_id=interaction_id,
        interaction_metadata=interaction_metadata,
        tts=bool(payload.get("tts")),
        nonce=payload.get("nonce"),
    )
    message.attachments = build_attachments(emu, channel, payload, files or [])
    pings = (
        [] if flags & FLAG_EPHEMERAL else compute_pings(message.content, effective, channel.guild)
    )
    if isinstance(reference, dict) and reference.get("message_id"):
        target = emu.messages_by_id.get(int(reference["message_id"]))
        message.message_reference = {
            "type": 0,
            "message_id": str(reference["message_id"]),
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild.id),
        }
        if message.type == 0:
            message.type = 19
        if target is not None and effective.get("replied_user", sent_mentions is None):
            pings.append(f"user:{target.author.id}")
    message.pings = list(dict.fromkeys(pings))
    emu._store_message(message)
    if not message.ephemeral:
        emu._dispatch("MESSAGE_CREATE", message.gateway_dict())
    return message


def edit_message(
    emu: Host,
    message: Message,
    payload: dict[str, Any],
    files: list[UploadedFile] | None = None,
    *,
    finish_loading: bool = False,
) -> Message:
    """Apply an edit (previous state kept in ``message.edits``); dispatch MESSAGE_UPDATE."""
    message.edits.append(
        MessageEdit(
            at=time.time(),
            content=message.content,
            embeds=message.embeds,
            components=message.components,
            flags=message.flags,
            attachments=list(message.attachments),
        )
    )
    was_loading = message.loading
    if "content" in payload:
        message.content = payload["content"] or ""
    if "embeds" in payload:
        message.embeds = list(payload["embeds"] or [])
    if "components" in payload:
        message.components = list(payload["components"] or [])
    if "flags" in payload and payload["flags"] is not None:
        keep = message.flags & ~(FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2)
        message.flags = keep | (int(payload["flags"]) & (FLAG_SUPPRESS_EMBEDS | FLAG_COMPONENTS_V2))
    if "allowed_mentions" in payload and isinstance(payload["allowed_mentions"], dict):
        message.allowed_mentions = payload["allowed_mentions"]
        message.allowed_mentions_sent = payload["allowed_mentions"]
    if files or "attachments" in payload:
        message.attachments = build_attachments(
            emu, message.channel, payload, files or [], existing=message.attachments
        )
    if finish_loading and was_loading:
        message.flags &= ~FLAG_LOADING
        if not message.ephemeral:
            message.pings = compute_pings(
                message.content, message.allowed_mentions, message.channel.guild
            )
    message.edited_at = None if was_loading and finish_loading else time.time()
    emu._changed()
    if not message.ephemeral:
        emu._dispatch("MESSAGE_UPDATE", message.gateway_dict())
    return message


def delete_message(emu: Host, message: Message) -> None:
    """Mark a message deleted and dispatch MESSAGE_DELETE."""
    message.deleted = True
    emu._changed()
    if not message.ephemeral:
        emu._dispatch(
            "MESSAGE_DELETE",
            {
                "id": str(message.id),
                "channel_id": str(message.channel.id),
                "guild_id": str(message.channel.guild.id),
            },
        )
