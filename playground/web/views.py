"""What the browser playground shows, as plain data for its templates: the channel list and
one channel's messages (content, embeds, files, buttons and menus) as a member sees them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from playground import render
from playground.model import Channel, Member, Message
from playground.web.markup import markdown_html

#: How many of a channel's latest messages the page shows.
SHOWN_MESSAGES = 150
ACTION_ROW = 1
IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


@dataclass
class ChannelView:
    id: int
    label: str
    thread: bool
    archived: bool
    locked: bool
    current: bool


@dataclass
class FileView:
    name: str
    url: str
    size: int
    image: bool


@dataclass
class EmbedView:
    colour: str
    author: str
    title: Markup
    url: str
    description: Markup
    fields: list[dict[str, Any]]
    image: str
    footer: str


@dataclass
class MessageView:
    id: int
    author: str
    bot: bool
    time: str
    content: Markup
    embeds: list[EmbedView]
    files: list[FileView]
    rows: list[list[dict[str, Any]]]
    only_you: bool
    edited: bool
    used: str
    initial: str = ""
    #: A deferred answer not given yet: Discord shows "<bot> is thinking…".
    thinking: bool = False


def channel_list(ordered: list[Channel], current: Channel) -> list[ChannelView]:
    """The sidebar: `ordered` (render.channel_order), the current one marked."""
    return [ChannelView(id=shown.id, label=shown.name, thread=shown.is_thread,
                        archived=shown.archived, locked=shown.locked, current=shown is current)
            for shown in ordered]


def message_views(messages: list[Message], viewer: Member,
                  names: render.Names) -> list[MessageView]:
    shown = [m for m in messages if render.visible(m, viewer.id)][-SHOWN_MESSAGES:]
    return [message_view(m, names) for m in shown]


def message_view(message: Message, names: render.Names) -> MessageView:
    files = {a.filename: f"/files/{message.id}/{index}"
             for index, a in enumerate(message.attachments)}
    in_embeds = {str((e.get("image") or {}).get("url")) for e in message.embeds}
    author = names.user(message.author.id) or message.author.username
    used = ""
    meta = message.interaction_metadata or {}
    if meta.get("name"):
        who = names.user(int(meta["user"]["id"])) or "someone"
        used = f"{who} used /{meta['name']}"
    return MessageView(
        id=message.id, author=author, bot=bool(message.author.bot),
        time=dt.datetime.fromtimestamp(message.created_at).strftime("%H:%M"),
        content=markdown_html(message.content, names) if message.content else Markup(""),
        embeds=[embed_view(e, names, files) for e in message.embeds],
        files=[FileView(name=a.filename, url=files[a.filename], size=a.size,
                        image=a.filename.lower().endswith(IMAGE_TYPES))
               for a in message.attachments
               if f"attachment://{a.filename}" not in in_embeds],
        rows=component_rows(message.components),
        only_you=render.visible_to(message) is not None,
        edited=message.edited_at is not None, used=used, initial=author[:1].upper(),
        thinking=message.loading)


def embed_view(embed: dict[str, Any], names: render.Names, files: dict[str, str]) -> EmbedView:
    colour = embed.get("color")
    image = str((embed.get("image") or {}).get("url") or "")
    if image.startswith("attachment://"):
        image = files.get(image.removeprefix("attachment://"), "")
    elif not image.startswith("https://"):
        image = ""
    footer = (embed.get("footer") or {}).get("text") or ""
    stamp = str(embed.get("timestamp") or "").replace("T", " ")[:16]
    return EmbedView(
        colour=f"#{render.DEFAULT_EMBED_COLOUR if colour is None else int(colour):06x}",
        author=str((embed.get("author") or {}).get("name") or ""),
        title=markdown_html(str(embed.get("title") or ""), names),
        url=str(embed.get("url") or "") if str(embed.get("url") or "").startswith(
            "https://") else "",
        description=markdown_html(str(embed.get("description") or ""), names),
        fields=[{"name": markdown_html(str(f.get("name", "")), names),
                 "value": markdown_html(str(f.get("value", "")), names),
                 "inline": bool(f.get("inline"))} for f in embed.get("fields") or []],
        image=image, footer=" • ".join(bit for bit in (footer, stamp) if bit))


def component_rows(components: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Action rows of buttons and select menus, as the template draws them."""
    rows: list[list[dict[str, Any]]] = []
    for top in components:
        children = top.get("components") if top.get("type") == ACTION_ROW else [top]
        row = [_control(c) for c in children or [] if c.get("type") in (
            render.BUTTON, *render.SELECTS)]
        if row:
            rows.append(row)
    return rows


def _control(component: dict[str, Any]) -> dict[str, Any]:
    kind = int(component["type"])
    emoji = (component.get("emoji") or {}).get("name") or ""
    control: dict[str, Any] = {"kind": "button" if kind == render.BUTTON else "select",
               "custom_id": str(component.get("custom_id") or ""),
               "disabled": bool(component.get("disabled")),
               "label": str(component.get("label") or ""), "emoji": str(emoji),
               "style": int(component.get("style") or 2),
               "url": str(component.get("url") or "")}
    if kind != render.BUTTON:
        control.update(
            string=kind == render.STRING_SELECT,
            placeholder=str(component.get("placeholder") or ""),
            multiple=int(component.get("max_values") or 1) > 1,
            options=[{"value": str(o.get("value", "")), "label": str(o.get("label", "")),
                      "description": str(o.get("description") or ""),
                      "default": bool(o.get("default"))}
                     for o in component.get("options") or []])
    return control
