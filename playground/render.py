"""Turning emulator messages (content, embeds, components, files) into rich renderables.

Bot text is never parsed as rich markup: Discord's own markdown (bold, italics, code,
mentions, timestamps) is translated into styled :class:`rich.text.Text` here.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from playground.model import Channel, Guild, Host, Message, iter_components

BUTTON, STRING_SELECT, TEXT_INPUT = 2, 3, 4
SELECTS = (3, 5, 6, 7, 8)
#: Discord's embed colour when none is set.
DEFAULT_EMBED_COLOUR = 0x4F545C
BUTTON_STYLES = {1: "bold white on #5865f2", 2: "white on #4e5058", 3: "bold white on #248046",
                 4: "bold white on #da373c", 5: "underline #00a8fc"}
#: An embed's left colour bar: a panel whose only visible border is its left edge.
LEFT_BAR = box.Box("▌   \n▌   \n▌   \n▌   \n▌   \n▌   \n▌   \n▌   \n", ascii=False)
EMBED_WIDTH = 100

INLINE = re.compile(
    r"(?P<code>`+)(?P<code_body>.+?)(?P=code)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<underline>.+?)__"
    r"|~~(?P<strike>.+?)~~"
    r"|\|\|(?P<spoiler>.+?)\|\|"
    r"|\*(?P<italic>[^\s*](?:.*?[^\s*])?)\*"
    r"|(?<!\w)_(?P<italic2>[^\s_](?:.*?[^\s_])?)_(?!\w)"
    r"|<@!?(?P<user>\d+)>"
    r"|<@&(?P<role>\d+)>"
    r"|<#(?P<channel>\d+)>"
    r"|</(?P<slash>[\w -]+):\d+>"
    r"|<t:(?P<ts>-?\d+)(?::(?P<ts_style>[tTdDfFR]))?>"
    r"|\\(?P<escaped>[\\*_~`|>#<-])",
    re.DOTALL,
)


@dataclass
class Names:
    """How mentions are shown: user, role and channel names by id."""

    user: Callable[[int], str | None]
    role: Callable[[int], str | None]
    channel: Callable[[int], str | None]
    now: Callable[[], float] = time.time


def guild_names(emu: Host, guild: Guild) -> Names:
    """How the playground shows mentions in `guild`: a member's server nickname if they have
    one (as Discord does), else their username; roles and channels by name."""
    def user(user_id: int) -> str | None:
        member = guild.members.get(user_id)
        if member is not None and member.nick:
            return str(member.nick)
        found = emu.users.get(user_id)
        return None if found is None else found.username

    def role(role_id: int) -> str | None:
        found = guild.roles.get(role_id)
        return None if found is None else found.name

    def channel(channel_id: int) -> str | None:
        found = emu.channels.get(channel_id)
        return None if found is None else found.name

    return Names(user=user, role=role, channel=channel)


def timestamp_text(ts: int, style: str | None, now: float) -> str:
    """Discord's ``<t:…>`` timestamps, rendered the way a client would (local time)."""
    when = dt.datetime.fromtimestamp(ts)
    if style == "R":
        delta = round(ts - now)
        amount = abs(delta)
        if amount < 60:
            span = f"{amount} s"
        elif amount < 3600:
            span = f"{amount // 60} min"
        elif amount < 86400:
            span = f"{amount // 3600} h"
        else:
            span = f"{amount // 86400} days"
        return f"in {span}" if delta >= 0 else f"{span} ago"
    formats = {"t": "%H:%M", "T": "%H:%M:%S", "d": "%Y-%m-%d", "D": "%d %B %Y",
               "F": "%A %d %B %Y %H:%M"}
    return when.strftime(formats.get(style or "f", "%d %B %Y %H:%M"))


def markdown(source: str, names: Names, style: Style | str = "") -> Text:
    """Discord markdown → styled rich Text (no rich markup is ever interpreted)."""
    out = Text(style=style)
    for line_no, line in enumerate(source.split("\n")):
        if line_no:
            out.append("\n")
        line_style: Style | str = ""
        if line.startswith(("> ", ">>> ")):
            out.append("▎ ", style="dim")
            line = line.split(" ", 1)[1]
            line_style = "italic"
        elif re.match(r"#{1,3} ", line):
            line = line.split(" ", 1)[1]
            line_style = "bold underline"
        elif line.startswith(("- ", "* ")):
            out.append("• ")
            line = line[2:]
        _inline(out, line, names, line_style)
    return out


def _inline(out: Text, source: str, names: Names, style: Style | str) -> None:
    pos = 0
    for match in INLINE.finditer(source):
        if match.start() > pos:
            out.append(source[pos:match.start()], style=style)
        pos = match.end()
        groups = match.groupdict()
        nested = {"bold": "bold", "underline": "underline", "strike": "strike",
                  "spoiler": "reverse", "italic": "italic", "italic2": "italic"}
        for key, extra in nested.items():
            if groups[key] is not None:
                _inline(out, groups[key], names, _style(style) + Style.parse(extra))
                break
        else:
            out.append(*_token(groups, names, style))
    if pos < len(source):
        out.append(source[pos:], style=style)


def _style(style: Style | str) -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


def _token(groups: dict[str, str | None], names: Names,
           style: Style | str) -> tuple[str, Style | str]:
    mention = Style.parse("bold #c9cdfb on #3c4270")
    if groups["code"] is not None:
        return groups["code_body"] or "", "bold cyan"
    if groups["user"] is not None:
        return f"@{names.user(int(groups['user'])) or 'unknown-user'}", mention
    if groups["role"] is not None:
        return f"@{names.role(int(groups['role'])) or 'deleted-role'}", mention
    if groups["channel"] is not None:
        return f"#{names.channel(int(groups['channel'])) or 'unknown'}", mention
    if groups["slash"] is not None:
        return f"/{groups['slash']}", mention
    if groups["ts"] is not None:
        return timestamp_text(int(groups["ts"]), groups["ts_style"], names.now()), "on #2b2d31"
    return groups["escaped"] or "", style


def embed_renderable(embed: dict[str, Any], names: Names,
                     width: int = EMBED_WIDTH) -> RenderableType:
    """An embed as a panel with a left bar in the embed's colour."""
    parts: list[RenderableType] = []
    heading = Text()
    author = embed.get("author") or {}
    if author.get("name"):
        heading.append(author["name"], style="#dbdee1")
    if embed.get("title"):
        if heading:
            heading.append("\n")
        heading.append_text(markdown(embed["title"], names,
                                     "bold #00a8fc" if embed.get("url") else "bold"))
    if heading:
        parts.append(heading)
    if embed.get("description"):
        parts.append(markdown(embed["description"], names))
    parts.extend(_fields(embed.get("fields") or [], names))
    if (embed.get("image") or {}).get("url"):
        parts.append(Text(f"[image] {embed['image']['url']}", style="dim"))
    footer = (embed.get("footer") or {}).get("text")
    stamp = embed.get("timestamp")
    if footer or stamp:
        bits = [footer] if footer else []
        if stamp:
            bits.append(str(stamp).replace("T", " ")[:16])
        parts.append(Text(" • ".join(bits), style="dim"))
    colour = embed.get("color")
    colour = DEFAULT_EMBED_COLOUR if colour is None else int(colour)
    body = Group(*_spaced(parts)) if parts else Text("")
    return Panel(body, box=LEFT_BAR, border_style=f"#{colour:06x}", padding=(0, 1),
                 width=width, expand=False)


def _spaced(parts: list[RenderableType]) -> Iterator[RenderableType]:
    for index, part in enumerate(parts):
        if index:
            yield Text("")
        yield part


def _fields(fields: list[dict[str, Any]], names: Names) -> Iterator[RenderableType]:
    """Non-inline fields stacked; runs of inline fields side by side (at most 3 a row)."""
    row: list[dict[str, Any]] = []

    def flush() -> Iterator[RenderableType]:
        if not row:
            return
        grid = Table.grid(expand=True, padding=(0, 2))
        for _ in row:
            grid.add_column(ratio=1)
        grid.add_row(*(_field(f, names) for f in row))
        row.clear()
        yield grid

    for field in fields:
        if field.get("inline"):
            row.append(field)
            if len(row) == 3:
                yield from flush()
        else:
            yield from flush()
            yield _field(field, names)
    yield from flush()


def _field(field: dict[str, Any], names: Names) -> Text:
    text = markdown(str(field.get("name", "")), names, "bold")
    text.append("\n")
    text.append_text(markdown(str(field.get("value", "")), names))
    return text


@dataclass
class Controls:
    """The numbered buttons and select menus of one message, as `click N` / `select N` see them."""

    buttons: list[dict[str, Any]]
    selects: list[dict[str, Any]]

    @classmethod
    def of(cls, message: Message) -> Controls:
        comps = list(iter_components(message.components))
        return cls(buttons=[c for c in comps if c.get("type") == BUTTON],
                   selects=[c for c in comps if c.get("type") in SELECTS])

    def __bool__(self) -> bool:
        return bool(self.buttons or self.selects)


def controls_renderable(controls: Controls) -> Text:
    """``[1] Join pro  [2] Join con`` and each select menu with its numbered options."""
    out = Text()
    for number, button in enumerate(controls.buttons, 1):
        if number > 1:
            out.append("  ")
        label = button.get("label") or (button.get("emoji") or {}).get("name") or "button"
        out.append(f"[{number}] ", style="bold")
        style = BUTTON_STYLES.get(int(button.get("style") or 2), "")
        out.append(f" {label} ", style="dim strike" if button.get("disabled") else style)
        if button.get("url"):
            out.append(f" {button['url']}", style="dim")
    for number, select in enumerate(controls.selects, 1):
        if out:
            out.append("\n")
        placeholder = select.get("placeholder") or "choose…"
        out.append(f"select {number}", style="bold")
        out.append(f" ▾ {placeholder}", style="dim strike" if select.get("disabled") else "")
        for index, option in enumerate(select.get("options") or [], 1):
            out.append(f"\n    {index}) {option.get('label', '')}")
            out.append(f"  {option.get('value', '')}", style="dim")
            if option.get("default"):
                out.append("  (current)", style="dim")
        if select.get("type") != STRING_SELECT:
            out.append("  (type a name: member, role or channel)", style="dim")
    return out


def visible_to(message: Message) -> int | None:
    """For an ephemeral message, the id of the only member who can see it."""
    if not message.ephemeral:
        return None
    owner = ((message.interaction_metadata or {}).get("user") or {}).get("id")
    return int(owner) if owner else None


def visible(message: Message, viewer_id: int) -> bool:
    """Whether a member sees `message`: not deleted, and not someone else's ephemeral answer."""
    owner = visible_to(message)
    return not message.deleted and owner in (None, viewer_id)


def channel_order(guild: Guild,
                  threads_of: Callable[[Channel], list[Channel]]) -> list[Channel]:
    """Text channels in sidebar order, each followed by its threads (`threads_of`, the
    emulator's), as Discord lists them."""
    ordered: list[Channel] = []
    for channel in sorted((c for c in guild.channels.values() if c.type == 0),
                          key=lambda c: (c.position, c.id)):
        ordered.append(channel)
        ordered.extend(threads_of(channel))
    return ordered


def channel_label(channel: Channel) -> str:
    return f"🧵 {channel.name}" if channel.is_thread else f"#{channel.name}"


def message_renderable(message: Message, names: Names, *, edited: bool, viewer_id: int,
                       hint: bool = False, width: int = EMBED_WIDTH) -> RenderableType:
    """A whole bot message: header, content, embeds, attachments, numbered controls (with a
    reminder of how to use them when `hint`)."""
    header = Text()
    header.append(message.author.username, style="bold #5865f2")
    if message.author.bot:
        header.append(" BOT", style="bold white on #5865f2")
    header.append(f"  in {channel_label(message.channel)}", style="dim")
    owner = visible_to(message)
    if owner is not None:
        who = "you" if owner == viewer_id else names.user(owner) or "someone"
        header.append(f"  (only {who} can see this)", style="italic #949ba4")
    if edited:
        header.append("  (edited)", style="dim")
    parts: list[RenderableType] = [header]
    if message.content:
        parts.append(markdown(message.content, names))
    parts.extend(embed_renderable(e, names, width) for e in message.embeds)
    for attachment in message.attachments:
        parts.append(Text(f"📎 {attachment.filename} ({attachment.size:,} bytes)",
                          style="#00a8fc"))
    controls = Controls.of(message)
    if controls:
        rendered = controls_renderable(controls)
        if hint:
            rendered.append("\n(click N / select N value)", style="dim")
        parts.append(rendered)
    return Group(*parts)
