"""/leaderboard and /stats, answered from the participation counters."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any, Literal, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.params import TopicParam
from bot.core.scoring import period_key, previous_week_key
from bot.errors import UserError, guarded
from bot.i18n.messages import Say
from bot.i18n.reader import reader_say, server_pack, server_say
from bot.storage import stats
from bot.ui import pictures, text
from bot.ui import standings as render

if TYPE_CHECKING:
    from bot.app import Rostrum

Period = Literal["week", "month", "all", "last-week"]
PAGE_SIZE = 10
_PERIOD_CODE = {"week": "w", "month": "m", "all": "a", "last-week": "l"}
_CODE_PERIOD = {code: period for period, code in _PERIOD_CODE.items()}


class BoardPager(discord.ui.DynamicItem[discord.ui.Button],
                 template=r"lb:(?P<owner>\d+):(?P<period>[wmal]):(?P<key>[0-9W-]+|all)"
                          r":(?P<topic>\d+|-):(?P<page>\d+)"):
    """Previous / Next. Only the member who asked may page; the board's period is frozen in
    the custom_id, so last week's board stays last week's even after the week turns."""

    def __init__(self, owner_id: int, period: str, key: str, topic_index: int | None,
                 page: int, label: str, disabled: bool) -> None:
        self.owner_id, self.period, self.key = owner_id, period, key
        self.topic_index, self.page = topic_index, page
        topic = "-" if topic_index is None else str(topic_index)
        super().__init__(discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, disabled=disabled,
            custom_id=f"lb:{owner_id}:{_PERIOD_CODE[period]}:{key}:{topic}:{page}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> BoardPager:
        topic = None if match["topic"] == "-" else int(match["topic"])
        button = cast(discord.ui.Button[Any], item)
        return cls(int(match["owner"]), _CODE_PERIOD[match["period"]], match["key"], topic,
                   int(match["page"]), button.label or "", button.disabled)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(render.not_your_board(reader_say(interaction)),
                                                ephemeral=True)
        return False

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("Rostrum", interaction.client)
        cog = cast(Standings, bot.get_cog("Standings"))
        _, embed, view = await cog.render_board(interaction, self.period, self.key,
                                                self.topic_index, self.page)
        await interaction.response.edit_message(embed=embed, view=view)


class Standings(commands.Cog):
    """Leaderboards and personal stats."""

    def __init__(self, bot: Rostrum) -> None:
        self.bot = bot

    def topic_title(self, topic_index: int | None,
                    interaction: discord.Interaction) -> tuple[str | None, str | None]:
        """The topic's id, and its title in the server's language."""
        topics = server_pack(interaction).topics
        if topic_index is None or not 0 <= topic_index < len(topics):
            return None, None
        return topics[topic_index].id, topics[topic_index].title

    async def render_board(self, interaction: discord.Interaction, period: str, key: str,
                           topic_index: int | None,
                           page: int) -> tuple[stats.Board, discord.Embed, discord.ui.View]:
        assert interaction.guild_id is not None
        topic_id, topic_title = self.topic_title(topic_index, interaction)
        say = server_say(interaction)
        offset = max(page - 1, 0) * PAGE_SIZE
        # On PostgreSQL the two queries go out on two pooled connections at once; on SQLite
        # both are inline lookups, and this costs two small tasks.
        board, caller = await asyncio.gather(
            stats.leaderboard(self.bot.db, interaction.guild_id, key, topic_id=topic_id,
                              offset=offset, limit=PAGE_SIZE),
            stats.member_rank(self.bot.db, interaction.guild_id, key, interaction.user.id,
                              topic_id))
        names = await stats.display_names(self.bot.db, interaction.guild_id,
                                          [row.user_id for row in board.rows])
        owner = interaction.user.id
        view = discord.ui.View(timeout=None)
        view.add_item(BoardPager(owner, period, key, topic_index, board.page - 1,
                                 render.pager_label(False, say), disabled=board.page <= 1))
        view.add_item(BoardPager(owner, period, key, topic_index, board.page + 1,
                                 render.pager_label(True, say),
                                 disabled=board.page >= board.pages))
        return board, render.board_embed(board, period, topic_title, caller, names, say), view

    @app_commands.command(name="leaderboard", description="Top members by points in this server")
    @app_commands.describe(period="week (default), month, all, or last-week (final board)",
                           topic="Only points earned on one topic")
    @app_commands.guild_only()
    async def leaderboard(self, interaction: discord.Interaction, period: Period = "week",
                          topic: TopicParam | None = None) -> None:
        assert interaction.guild_id is not None
        # The topic may come from a translation: the same id, so find it by id.
        ids = [t.id for t in self.bot.content.topics]
        topic_index = None if topic is None else ids.index(topic.id)
        now = self.bot.clock.now()
        key = previous_week_key(now) if period == "last-week" else period_key(period, now)
        board, embed, view = await self.render_board(interaction, period, key, topic_index, 1)
        if board.total == 0:
            await interaction.response.send_message(render.empty_board_message(
                period, key, self.topic_title(topic_index, interaction)[1],
                server_say(interaction)))
        else:
            await interaction.response.send_message(embed=embed, view=view)

    @app_commands.command(name="stats", description="Points, rank and record of a member")
    @app_commands.describe(member="Whose stats (default: yours)")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction,
                    member: discord.Member | None = None) -> None:
        embed, picture = await self.stats_card(interaction, member or interaction.user,
                                               named=member is not None,
                                               say=server_say(interaction))
        await interaction.response.send_message(embed=embed, files=picture)

    async def cog_load(self) -> None:
        self.menu = app_commands.ContextMenu(name="Stats", callback=self.stats_menu)
        self.menu.guild_only = True
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def stats_menu(self, interaction: discord.Interaction,
                         member: discord.Member | discord.User) -> None:
        """Apps → Stats on a member: the same card, privately, in the reader's language."""
        embed, picture = await self.stats_card(interaction, member, named=True,
                                               say=reader_say(interaction))
        await interaction.response.send_message(embed=embed, ephemeral=True, files=picture)

    async def stats_card(self, interaction: discord.Interaction,
                         target: discord.Member | discord.User, *, named: bool,
                         say: Say) -> tuple[discord.Embed, list[discord.File]]:
        """The stats card, and its weekly chart as `files=` (none when the member has had no
        points in those weeks, or charts are off)."""
        assert interaction.guild_id is not None
        if target.bot:
            raise UserError(render.bots_have_no_stats(reader_say(interaction)))
        found = await stats.member_stats(self.bot.db, interaction.guild_id, target.id,
                                         self.bot.clock.now())
        name = text.clean_user_text(target.display_name) or str(target.id)
        if found is None:
            raise UserError(render.opted_out_of_stats(name if named else None,
                                                      reader_say(interaction)))
        pack = self.bot.content.in_language(say.language)
        topic = pack.topic(found.favourite_topic) if found.favourite_topic else None
        embed = render.stats_embed(found, name, topic.title if topic else None, say)
        if not self.bot.charts:
            return embed, []
        weeks = await stats.member_weeks(self.bot.db, interaction.guild_id, target.id,
                                         self.bot.clock.now())
        picture = await pictures.weeks_picture(weeks, say)
        return embed, [] if picture is None else [pictures.show_on(embed, picture)]


async def setup(bot: Rostrum) -> None:
    bot.add_dynamic_items(BoardPager)
    await bot.add_cog(Standings(bot))
