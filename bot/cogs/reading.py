"""/summary, /sections, /topics, /topic and /help: reading the article and the topic briefs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import MISSING

from bot.cogs.params import TopicParam
from bot.core.content import Article, ArticleEntry
from bot.core.search import Candidate, closest, rank
from bot.errors import UserError, guarded
from bot.i18n.messages import Say
from bot.i18n.reader import reader_pack, reader_say
from bot.ui import reading as render
from bot.ui import text
from bot.ui.help import help_embeds, scoring_rules

if TYPE_CHECKING:
    from bot.app import Rostrum

Length = Literal["short", "full"]
_LENGTH_CODE = {"short": "s", "full": "f"}
_CODE_LENGTH = {code: length for length, code in _LENGTH_CODE.items()}


def entry_candidates(article: Article) -> list[Candidate]:
    return [Candidate(e.id, e.title) for e in article.entries]


def choice_name(article: Article, entry: ArticleEntry) -> str:
    """How an entry reads in the autocomplete list: 'Section › Subsection'."""
    parent = article.get(entry.parent) if entry.parent else None
    name = f"{parent.title} › {entry.title}" if parent else entry.title
    return text.clip(name, text.CHOICE_NAME)


def find_entry(article: Article, query: str) -> ArticleEntry | None:
    """An entry by id, or by its exact title (any case), for members who type instead of pick."""
    query = query.strip()
    entry = article.get(query.lower())
    if entry is not None:
        return entry
    return next((e for e in article.entries if e.title.lower() == query.lower()), None)


class SummaryPicker(discord.ui.DynamicItem[discord.ui.Select],
                    template=r"sum:(?P<owner>\d+):(?P<length>[sf]):pick"):
    """Jump to a subsection. The owner's pick edits their message; anyone else's is private."""

    def __init__(self, owner_id: int, length: str,
                 options: list[discord.SelectOption] | None = None,
                 placeholder: str | None = None) -> None:
        self.owner_id = owner_id
        self.length = length
        super().__init__(discord.ui.Select(
            custom_id=f"sum:{owner_id}:{_LENGTH_CODE[length]}:pick",
            placeholder=placeholder or render.subsection_placeholder(),
            options=options or [discord.SelectOption(label="(none)", value="-")],
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> SummaryPicker:
        menu = cast(discord.ui.Select[Any], item)
        return cls(int(match["owner"]), _CODE_LENGTH[match["length"]], list(menu.options),
                   menu.placeholder)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        values = self.item.values  # sent by the client: one, unless it was tampered with
        if len(values) != 1:
            raise UserError(render.pick_one_subsection(reader_say(interaction)))
        await open_entry(interaction, values[0], self.length, self.owner_id)


class SummaryGoto(discord.ui.DynamicItem[discord.ui.Button],
                  template=r"sum:(?P<owner>\d+):(?P<length>[sf]):go:(?P<entry>[a-z0-9-]+)"):
    """Go to another entry (the parent section, or the same entry at the other length)."""

    def __init__(self, owner_id: int, length: str, entry_id: str, label: str,
                 emoji: str | None = None) -> None:
        self.owner_id = owner_id
        self.length = length
        self.entry_id = entry_id
        super().__init__(discord.ui.Button(
            style=discord.ButtonStyle.secondary,
            label=text.clip(label, 80),
            emoji=emoji,
            custom_id=f"sum:{owner_id}:{_LENGTH_CODE[length]}:go:{entry_id}",
        ))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> SummaryGoto:
        button = cast(discord.ui.Button[Any], item)
        return cls(int(match["owner"]), _CODE_LENGTH[match["length"]], match["entry"],
                   button.label or "Open")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await open_entry(interaction, self.entry_id, self.length, self.owner_id)


def summary_view(article: Article, entry: ArticleEntry, length: str,
                 owner_id: int, say: Say) -> discord.ui.View | None:
    """Navigation under a summary: subsection picker, parent link, length toggle."""
    view = discord.ui.View(timeout=None)
    children = article.children(entry.id)
    if children:
        options = [discord.SelectOption(label=text.clip(child.title, 100), value=child.id,
                                        description=text.clip(child.short, 100))
                   for child in children[:25]]
        view.add_item(SummaryPicker(owner_id, length, options, render.subsection_placeholder(say)))
    if entry.parent:
        parent = article.get(entry.parent)
        if parent is not None:
            view.add_item(SummaryGoto(owner_id, length, parent.id,
                                      render.up_label(parent.title, say), "⬆️"))
    other = "full" if length == "short" else "short"
    view.add_item(SummaryGoto(owner_id, other, entry.id, render.other_length_label(other, say)))
    return view


async def open_entry(interaction: discord.Interaction, entry_id: str, length: str,
                     owner_id: int) -> None:
    """Show an entry from a navigation control: in place for the owner, privately otherwise."""
    article, say = reader_pack(interaction).article, reader_say(interaction)
    entry = article.get(entry_id)
    if entry is None:
        raise UserError(render.section_gone(say))
    embeds = render.summary_embeds(article, entry, length, say)
    pages = render.group_for_messages(embeds)
    if interaction.user.id == owner_id:
        await interaction.response.edit_message(
            embeds=pages[0], view=summary_view(article, entry, length, owner_id, say))
    else:
        await interaction.response.send_message(
            embeds=pages[0],
            view=summary_view(article, entry, length, interaction.user.id, say) or MISSING,
            ephemeral=True)
    for page in pages[1:]:
        await interaction.followup.send(embeds=page, ephemeral=interaction.user.id != owner_id)


class Reading(commands.Cog):
    """Summaries of the article and briefs for the five debate topics."""

    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot

    @app_commands.command(name="summary", description="Read a summary of a section of the article")
    @app_commands.describe(section="Section or subsection (start typing to search)",
                           length="short (default) or full")
    async def summary(self, interaction: discord.Interaction, section: str,
                      length: Length = "short") -> None:
        article, say = reader_pack(interaction).article, reader_say(interaction)
        entry = find_entry(article, section)
        if entry is None:
            guesses = closest(section, entry_candidates(article))
            raise UserError(render.suggestions_message(
                "section", section, [(g.id, g.title) for g in guesses], "/sections", say))
        pages = render.group_for_messages(render.summary_embeds(article, entry, length, say))
        await interaction.response.send_message(
            embeds=pages[0],
            view=summary_view(article, entry, length, interaction.user.id, say) or MISSING)
        for page in pages[1:]:
            await interaction.followup.send(embeds=page)

    @summary.autocomplete("section")
    async def summary_section_autocomplete(self, interaction: discord.Interaction,
                                           current: str) -> list[app_commands.Choice[str]]:
        article = reader_pack(interaction).article
        found = rank(current, entry_candidates(article))
        return [app_commands.Choice(name=choice_name(article, entry), value=entry.id)
                for entry in (article.get(c.id) for c in found) if entry is not None]

    @app_commands.command(name="sections", description="The article's table of contents")
    async def sections(self, interaction: discord.Interaction) -> None:
        article = reader_pack(interaction).article
        await interaction.response.send_message(
            embed=render.sections_embed(article, reader_say(interaction)))

    @app_commands.command(name="topics", description="The five debate topics and their motions")
    async def topics(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            embed=render.topics_embed(reader_pack(interaction), reader_say(interaction)))

    @app_commands.command(name="topic", description="A balanced brief on one debate topic")
    @app_commands.describe(topic="Topic (start typing to search)")
    async def topic(self, interaction: discord.Interaction, topic: TopicParam) -> None:
        pages = render.group_for_messages(render.topic_embeds(
            reader_pack(interaction), topic, reader_say(interaction)))
        await interaction.response.send_message(embeds=pages[0])
        for page in pages[1:]:
            await interaction.followup.send(embeds=page)

    @app_commands.command(name="help", description="What Rostrum does and every command")
    async def help(self, interaction: discord.Interaction) -> None:
        say = reader_say(interaction)
        await interaction.response.send_message(
            embeds=help_embeds(self.bot.tree.get_commands(), scoring_rules(say), say),
            ephemeral=True)


async def setup(bot: Rostrum) -> None:
    bot.add_dynamic_items(SummaryPicker, SummaryGoto)
    await bot.add_cog(Reading(bot))
