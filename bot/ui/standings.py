"""Embeds for /leaderboard and /stats. Members appear by the display name they last debated
under (escaped); a member with no stored name appears as a mention, which never pings.

Boards and stats are public posts, in the server's language; the refusals are private, in
the reader's (the cog passes the right `say`)."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.i18n.messages import ENGLISH, Say
from bot.storage.stats import Board, MemberStats
from bot.ui import text

BOARD_COLOUR = discord.Colour(0xC9A227)
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def period_label(period: str, key: str, say: Say = ENGLISH) -> str:
    if period == "week":
        return say("This week ({key})", key=key)
    if period == "last-week":
        return say("Last week ({key}, final)", key=key)
    if period == "month":
        return say("This month ({key})", key=key)
    return say("All time")


def _pts(points: int, say: Say) -> str:
    return say.plural("{n} pt", "{n} pts", points)


def member_label(user_id: int, names: Mapping[int, str]) -> str:
    name = names.get(user_id)
    return f"<@{user_id}>" if not name else text.clip(text.escape_user_text(name), 80)


def board_embed(board: Board, period: str, topic_title: str | None,
                caller: tuple[int, int] | None,
                names: Mapping[int, str] | None = None, say: Say = ENGLISH) -> discord.Embed:
    title = say("Leaderboard · {period}", period=period_label(period, board.period, say))
    if topic_title:
        title += f" · {topic_title}"
    lines = []
    for row in board.rows:
        badge = MEDALS.get(row.rank, f"`#{row.rank}`")
        wins = (" · " + say.plural("{n} win", "{n} wins", row.wins)) if row.wins else ""
        who = member_label(row.user_id, names or {})
        arguments = say.plural("{n} argument", "{n} arguments", row.arguments)
        lines.append(f"{badge} {who} — **{_pts(row.points, say)}** · {arguments}{wins}")
    if not lines:
        lines = [say("_Nobody on this page._")]
    embed = discord.Embed(title=text.clip(title, text.EMBED_TITLE),
                          description=text.clip("\n".join(lines), text.EMBED_DESCRIPTION),
                          colour=BOARD_COLOUR)
    you = (say("Your rank: #{rank} of {total} · {points}", rank=caller[0], total=board.total,
               points=_pts(caller[1], say)) if caller
           else say("You are not on this board yet"))
    page = say("page {page}/{pages}", page=board.page, pages=max(board.pages, 1))
    embed.set_footer(text=f"{you} · {page}")
    return embed


def empty_board_message(period: str, key: str, topic_title: str | None,
                        say: Say = ENGLISH) -> str:
    when = period_label(period, key, say).lower()
    first = (say("No points yet on {topic} ({when}).", topic=topic_title, when=when)
             if topic_title else say("No points yet ({when}).", when=when))
    return first + say.space + say("Points arrive when a debate finishes: join one with "
                                   "`/debate join` or the buttons in a debate thread.")


def stats_embed(stats: MemberStats, name: str, favourite: str | None,
                say: Say = ENGLISH) -> discord.Embed:
    embed = discord.Embed(title=text.clip(say("Stats · {name}", name=name), text.EMBED_TITLE),
                          colour=BOARD_COLOUR)
    embed.add_field(name=say("This week"), value=_pts(stats.week_points, say))
    embed.add_field(name=say("This month"), value=_pts(stats.month_points, say))
    embed.add_field(name=say("All time"), value=_pts(stats.all_time_points, say))
    embed.add_field(name=say("Rank (all time)"),
                    value=f"#{stats.all_time_rank}" if stats.all_time_rank else say("unranked"))
    embed.add_field(name=say("Debates joined"), value=str(stats.debates_joined))
    embed.add_field(name=say("Arguments"), value=str(stats.arguments))
    embed.add_field(name=say("Votes"), value=str(stats.votes))
    embed.add_field(name=say("Wins"), value=str(stats.wins))
    embed.add_field(name=say("Best speaker"), value=str(stats.best_speaker))
    embed.add_field(name=say("Moderated"), value=str(stats.moderated))
    embed.add_field(name=say("Favorite topic"),
                    value=text.clip(favourite or "—", text.FIELD_VALUE))
    embed.add_field(name=say("Last active"),
                    value=f"<t:{int(stats.last_active)}:R>" if stats.last_active
                    else say("never"))
    return embed


def not_your_board(say: Say = ENGLISH) -> str:
    return say("Only the member who asked can page this board; run `/leaderboard` yourself.")


def bots_have_no_stats(say: Say = ENGLISH) -> str:
    return say("Bots don't take part, so they have no stats.")


def opted_out_of_stats(name: str | None, say: Say = ENGLISH) -> str:
    """`name`: someone else's (escaped here), or None when asking about oneself."""
    if name is not None:
        return say("{name} has opted out of participation stats.",
                   name=text.escape_user_text(name))
    return say("You have opted out of participation stats (`/privacy opt-in` to count again).")


def pager_label(forward: bool, say: Say = ENGLISH) -> str:
    return say("Next ▶") if forward else say("◀ Previous")
