"""Discord markdown → safe HTML for the browser playground.

Every piece of text is escaped before any tag is added, so nothing a bot or a member writes
can become markup; links are only ever http(s). Timestamps become ``<time>`` elements that
the page keeps current (``in 45 s`` counts down without a reload).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from playground.render import INLINE, Names, timestamp_text

_LINKS = (r"|\[(?P<link_text>[^\]\n]+)\]\((?P<link_url>https?://[^\s)<>]+)\)"
          r"|(?P<url>https?://[^\s<>]*[^\s<>.,;:!?)\]'\"])")
_TOKENS = re.compile(INLINE.pattern + _LINKS, re.DOTALL)
#: Inline styles that may nest, and the element each becomes.
_NESTED = {"bold": ("strong", ""), "underline": ("u", ""), "strike": ("s", ""),
           "spoiler": ("span", "spoiler"), "italic": ("em", ""), "italic2": ("em", "")}


def markdown_html(source: str, names: Names) -> Markup:
    """One message's (or embed field's) markdown as HTML: quotes, headings, bullets, inline
    styles, mentions as names, timestamps, links."""
    lines: list[Markup] = []
    for line in source.split("\n"):
        if line.startswith(("> ", ">>> ")):
            body = inline_html(line.split(" ", 1)[1], names)
            lines.append(Markup('<span class="md-quote">{}</span>').format(body))
        elif (heading := re.match(r"(#{1,3}) ", line)) is not None:
            level = len(heading.group(1))
            body = inline_html(line[heading.end():], names)
            lines.append(Markup('<span class="md-h{}">{}</span>').format(level, body))
        elif line.startswith(("- ", "* ")):
            body = inline_html(line[2:], names)
            lines.append(Markup('<span class="md-li">{}</span>').format(body))
        else:
            lines.append(inline_html(line, names))
    return Markup("<br>").join(lines)


def inline_html(source: str, names: Names) -> Markup:
    out: list[Markup] = []
    pos = 0
    for match in _TOKENS.finditer(source):
        out.append(escape(source[pos:match.start()]))
        pos = match.end()
        out.append(_token_html(match.groupdict(), names))
    out.append(escape(source[pos:]))
    return Markup("").join(out)


def _token_html(groups: dict[str, str | None], names: Names) -> Markup:
    for key, (tag, css) in _NESTED.items():
        body = groups[key]
        if body is not None:
            inner = inline_html(body, names)
            if css:
                return Markup('<{0} class="{1}">{2}</{0}>').format(Markup(tag), css, inner)
            return Markup("<{0}>{1}</{0}>").format(Markup(tag), inner)
    if groups["code"] is not None:
        return Markup("<code>{}</code>").format(groups["code_body"] or "")
    mention = _mention(groups, names)
    if mention is not None:
        return Markup('<span class="mention">{}</span>').format(mention)
    if groups["ts"] is not None:
        stamp, style = int(groups["ts"]), groups["ts_style"] or "f"
        return Markup('<time data-ts="{}" data-style="{}">{}</time>').format(
            stamp, style, timestamp_text(stamp, style, names.now()))
    if groups["link_url"] is not None:
        return _link(groups["link_url"], inline_html(groups["link_text"] or "", names))
    if groups["url"] is not None:
        return _link(groups["url"], escape(groups["url"]))
    return escape(groups["escaped"] or "")


def _mention(groups: dict[str, str | None], names: Names) -> str | None:
    if groups["user"] is not None:
        return f"@{names.user(int(groups['user'])) or 'unknown-user'}"
    if groups["role"] is not None:
        return f"@{names.role(int(groups['role'])) or 'deleted-role'}"
    if groups["channel"] is not None:
        return f"#{names.channel(int(groups['channel'])) or 'unknown'}"
    if groups["slash"] is not None:
        return f"/{groups['slash']}"
    return None


def _link(url: str, text: Markup) -> Markup:
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(
        url, text)
