"""Embeds for the reading commands, built from the content pack (no I/O, no state)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord

from bot.core.content import Article, ArticleEntry, ContentPack, Source, Topic
from bot.i18n.messages import ENGLISH, Say
from bot.ui import text

ARTICLE_COLOUR = discord.Colour(0x2F5D8C)
PRO_COLOUR = discord.Colour(0x2E8B57)
CON_COLOUR = discord.Colour(0xB03A2E)
BRIEF_COLOUR = discord.Colour(0x6C5B7B)
CONTEXT_COLOUR = discord.Colour(0x8A8F98)


def length_label(length: str, say: Say = ENGLISH) -> str:
    return say("Full summary") if length == "full" else say("Short summary")


def source_line(source: Source) -> str:
    """'Title, Publisher, 2019-07-01 (https://…)': enough to find it."""
    line = f"*{source.title}*, {source.publisher}, {source.date}"
    return f"{line} (<{source.url}>)" if source.url else line


def context_embeds(entry: ArticleEntry, say: Say = ENGLISH) -> list[discord.Embed]:
    """Outside context and counter-views, each under its own heading, never in the summary."""
    embeds = []
    if entry.background:
        items = []
        for item in entry.background:
            as_of = say("(as of {date})", date=item.as_of) if item.as_of else ""
            sources = "; ".join(source_line(source) for source in item.sources)
            items.append(f"• {item.text}{say.space}{as_of}\n  "
                         + say("Source: {sources}", sources=sources))
        embeds.append(discord.Embed(title=say("Background — not from the article"),
                                    colour=CONTEXT_COLOUR,
                                    description=_join_within(items, text.EMBED_DESCRIPTION,
                                                             say)))
    if entry.perspectives:
        items = []
        for view in entry.perspectives:
            sources = "; ".join(source_line(source) for source in view.sources)
            items.append(f"• **{view.holder}:** {view.view}"
                         + ("\n  " + say("Source: {sources}", sources=sources)
                            if sources else ""))
        embeds.append(discord.Embed(title=say("Perspectives"), colour=CONTEXT_COLOUR,
                                    description=_join_within(items, text.EMBED_DESCRIPTION,
                                                             say)))
    return embeds


def breadcrumb(article: Article, entry: ArticleEntry) -> str:
    parts = [article.title]
    if entry.parent:
        parent = article.get(entry.parent)
        parts.append(parent.title if parent else entry.parent)
    if entry.parent or entry.id != "overview":
        parts.append(entry.title)
    return " › ".join(parts)


def summary_embeds(article: Article, entry: ArticleEntry, length: str,
                   say: Say = ENGLISH) -> list[discord.Embed]:
    """One or more embeds holding the whole summary; long text continues in later embeds."""
    body = entry.full if length == "full" else entry.short
    chunks = text.split_text(body, text.EMBED_DESCRIPTION) or [say("(no summary yet)")]
    embeds = []
    for index, chunk in enumerate(chunks):
        embed = discord.Embed(description=chunk, colour=ARTICLE_COLOUR)
        if index == 0:
            embed.title = text.clip(entry.title, text.EMBED_TITLE)
            embed.set_author(name=text.clip(breadcrumb(article, entry), text.EMBED_AUTHOR))
        embeds.append(embed)
    if length == "full":
        embeds += context_embeds(entry, say)
    children = article.children(entry.id)
    footer = f"{length_label(length, say)} · id: {entry.id}"
    if children:
        footer += " · " + say.plural("{n} subsection below", "{n} subsections below",
                                     len(children))
    if length == "short":
        footer += " · " + say("length:full for more")
    embeds[-1].set_footer(text=text.clip(f"{footer}\n{article.source}", text.EMBED_FOOTER))
    return embeds


def group_for_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Pack embeds into messages: ≤ 10 per message and ≤ 6,000 characters in total."""
    pages: list[list[discord.Embed]] = []
    size = 0
    for embed in embeds:
        length = len(embed)
        if not pages or len(pages[-1]) == text.EMBEDS_PER_MESSAGE or \
                size + length > text.EMBED_TOTAL:
            pages.append([])
            size = 0
        pages[-1].append(embed)
        size += length
    return pages


def sections_embed(article: Article, say: Say = ENGLISH) -> discord.Embed:
    """The table of contents: every section with its subsections and their ids."""
    embed = discord.Embed(
        title=text.clip(say("{title}: sections", title=article.title), text.EMBED_TITLE),
        description=say("Open any entry with `/summary section:<id>` (autocomplete helps)."),
        colour=ARTICLE_COLOUR,
    )
    for section in article.sections:
        lines = [f"`{section.id}`"] + [
            f"• {child.title} — `{child.id}`" for child in article.children(section.id)]
        embed.add_field(name=text.clip(section.title, text.FIELD_NAME),
                        value=_join_within(lines, text.FIELD_VALUE, say), inline=False)
    embed.set_footer(text=say.plural("{n} entry", "{n} entries", len(article.entries)))
    return embed


def _join_within(lines: Iterable[str], limit: int, say: Say = ENGLISH) -> str:
    """Join lines; when they do not fit, keep whole lines and say how many were left out."""
    lines = list(lines)
    joined = "\n".join(lines)
    if len(joined) <= limit:
        return joined
    for keep in range(len(lines) - 1, -1, -1):
        tail = say.plural("… and {n} more", "… and {n} more", len(lines) - keep)
        candidate = "\n".join([*lines[:keep], tail])
        if len(candidate) <= limit:
            return candidate
    return text.clip(joined, limit)


def topics_embed(pack: ContentPack, say: Say = ENGLISH) -> discord.Embed:
    embed = discord.Embed(
        title=say("Debate topics"),
        description=say("The five controversies of the article, each with a motion for "
                        "debate. Read a brief with `/topic topic:<id>`."),
        colour=BRIEF_COLOUR,
    )
    for topic in pack.topics:
        embed.add_field(name=text.clip(topic.title, text.FIELD_NAME),
                        value=text.clip(f"{topic.motion}\n`{topic.id}`", text.FIELD_VALUE),
                        inline=False)
    return embed


def topic_embeds(pack: ContentPack, topic: Topic, say: Say = ENGLISH) -> list[discord.Embed]:
    """The brief: framing and motion, then the case for and the case against side by side."""
    brief = discord.Embed(
        title=text.clip(topic.title, text.EMBED_TITLE),
        description=text.clip(f"{topic.framing}\n\n" + say("**Motion:** {motion}",
                                                               motion=topic.motion),
                              text.EMBED_DESCRIPTION),
        colour=BRIEF_COLOUR,
    )
    for term in topic.key_terms[: text.EMBED_FIELDS - 1]:
        brief.add_field(name=text.clip(term.term, text.FIELD_NAME),
                        value=text.clip(term.gloss, text.FIELD_VALUE), inline=True)
    related = [pack.article.get(ref) for ref in topic.sections]
    brief.add_field(
        name=say("Related sections"),
        value=_join_within([f"• {e.title} — `{e.id}`" for e in related if e], text.FIELD_VALUE,
                           say),
        inline=False,
    )
    pro = discord.Embed(title=say("For the motion"), colour=PRO_COLOUR,
                        description=_bullets(topic.pro))
    con = discord.Embed(title=say("Against the motion"), colour=CON_COLOUR,
                        description=_bullets(topic.con))
    embeds = [brief, pro, con]
    if topic.sources:
        embeds.append(discord.Embed(
            title=say("Sources"), colour=CONTEXT_COLOUR,
            description=_join_within([f"• {source_line(source)}" for source in topic.sources],
                                     text.EMBED_DESCRIPTION, say)))
    debate_it = say("Debate it: /moderate start topic:{id}", id=topic.id)
    embeds[-1].set_footer(text=text.clip(f"{debate_it}\n{pack.article.source}",
                                         text.EMBED_FOOTER))
    return embeds


def _bullets(points: Iterable[str]) -> str:
    return text.clip("\n\n".join(f"• {point}" for point in points), text.EMBED_DESCRIPTION)


def _unknown(kind: str, query: str, say: Say) -> str:
    if kind == "section":
        return say("I don't know a section called `{query}`.", query=query)
    if kind == "topic":
        return say("I don't know a topic called `{query}`.", query=query)
    return say("I don't know a format called `{query}`.", query=query)


def suggestions_message(kind: str, query: str, guesses: Sequence[tuple[str, str]],
                        listing_command: str, say: Say = ENGLISH) -> str:
    """An ephemeral 'not found' reply that names the closest matches (`kind`: section,
    topic or format)."""
    shown = text.escape_user_text(text.clip(query, 80)) or say("(empty)")
    sentences = [_unknown(kind, shown, say)]
    if guesses:
        options = ", ".join(f"**{title}** (`{gid}`)" for gid, title in guesses)
        sentences.append(say("Did you mean {options}?", options=options))
    sentences.append(say("See `{command}` for the full list.", command=listing_command))
    return text.clip(say.space.join(sentences), text.MESSAGE_CONTENT)


def pick_one_subsection(say: Say = ENGLISH) -> str:
    return say("Pick one subsection from the menu.")


def section_gone(say: Say = ENGLISH) -> str:
    return say("That section is no longer in the content pack; try `/sections`.")


def up_label(parent_title: str, say: Say = ENGLISH) -> str:
    return say("Up: {title}", title=parent_title)


def other_length_label(length: str, say: Say = ENGLISH) -> str:
    return say("Show full summary") if length == "full" else say("Show short summary")


def subsection_placeholder(say: Say = ENGLISH) -> str:
    return say("Jump to a subsection…")
