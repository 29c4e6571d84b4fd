"""Embeds for /leaderboard and /stats. Members appear by the display name they last debated
under (escaped); a member with no stored name appears as a mention, which never pings."""

from __future__ import annotations

from collections.abc import Mapping

import discord

from bot.storage.stats import Board, MemberStats
from bot.ui import text

BOARD_COLOUR = discord.Colour(0xC9A227)
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def period_label(period: str, key: str) -> str:
    return {
        "week": f"This week ({key})",
        "last-week": f"Last week ({key}, final)",
        "month": f"This month ({key})",
        "all": "All time",
    }[period]


def _pts(points: int) -> str:
    return f"{points} pt" if points == 1 else f"{points} pts"


def member_label(user_id: int, names: Mapping[int, str]) -> str:
    name = names.get(user_id)
    return f"<@{user_id}>" if not name else text.clip(text.escape_user_text(name), 80)


def board_embed(board: Board, period: str, topic_title: str | None,
                caller: tuple[int, int] | None,
                names: Mapping[int, str] | None = None) -> discord.Embed:
    title = f"Leaderboard · {period_label(period, board.period)}"
    if topic_title:
        title += f" · {topic_title}"
    lines = []
    for row in board.rows:
        badge = MEDALS.get(row.rank, f"`#{row.rank}`")
        wins = f" · {row.wins} win{'s' if row.wins != 1 else ''}" if row.wins else ""
        who = member_label(row.user_id, names or {})
        lines.append(f"{badge} {who} — **{_pts(row.points)}** · "
                     f"{row.arguments} argument{'s' if row.arguments != 1 else ''}{wins}")
    if not lines:
        lines = ["_Nobody on this page._"]
    embed = discord.Embed(title=text.clip(title, text.EMBED_TITLE),
                          description=text.clip("\n".join(lines), text.EMBED_DESCRIPTION),
                          colour=BOARD_COLOUR)
    you = (f"Your rank: #{caller[0]} of {board.total} · {_pts(caller[1])}" if caller
           else "You are not on this board yet")
    embed.set_footer(text=f"{you} · page {board.page}/{max(board.pages, 1)}")
    return embed


def empty_board_message(period: str, key: str, topic_title: str | None) -> str:
    where = f" on {topic_title}" if topic_title else ""
    when = period_label(period, key).lower()
    return (f"No points yet{where} ({when}). Points arrive when a debate finishes: "
            "join one with `/debate join` or the buttons in a debate thread.")


def stats_embed(stats: MemberStats, name: str, favourite: str | None) -> discord.Embed:
    embed = discord.Embed(title=text.clip(f"Stats · {name}", text.EMBED_TITLE),
                          colour=BOARD_COLOUR)
    embed.add_field(name="This week", value=_pts(stats.week_points))
    embed.add_field(name="This month", value=_pts(stats.month_points))
    embed.add_field(name="All time", value=_pts(stats.all_time_points))
    embed.add_field(name="Rank (all time)",
                    value=f"#{stats.all_time_rank}" if stats.all_time_rank else "unranked")
    embed.add_field(name="Debates joined", value=str(stats.debates_joined))
    embed.add_field(name="Arguments", value=str(stats.arguments))
    embed.add_field(name="Votes", value=str(stats.votes))
    embed.add_field(name="Wins", value=str(stats.wins))
    embed.add_field(name="Moderated", value=str(stats.moderated))
    embed.add_field(name="Favourite topic", value=text.clip(favourite or "—", text.FIELD_VALUE))
    embed.add_field(name="Last active",
                    value=f"<t:{int(stats.last_active)}:R>" if stats.last_active else "never")
    return embed


NOT_YOUR_BOARD = "Only the member who asked can page this board; run `/leaderboard` yourself."
BOTS_HAVE_NO_STATS = "Bots don't take part, so they have no stats."


def opted_out_of_stats(name: str | None) -> str:
    """`name`: someone else's (escaped here), or None when asking about oneself."""
    if name is not None:
        return f"{text.escape_user_text(name)} has opted out of participation stats."
    return "You have opted out of participation stats (`/privacy opt-in` to count again)."
