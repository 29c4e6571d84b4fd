"""Leaderboards and personal stats, read from the counters only (never the event log).

Every call is one indexed statement. A rank is 1 + the members with more points, summed from
the board's buckets (members per points value, kept with the counters), so it costs
O(distinct point values), not O(members). A page finds its starting points value from the
buckets too (page 1 just starts at the top, which /leaderboard asks first: the running sum
was most of its cost), then walks `member_counters_board` / `member_topic_counters_board`
(guild, [topic,] period, points DESC, user_id) from there, skipping only inside one tie
group. A member's own rows are primary-key look-ups. The board indexes are partial (`WHERE
hidden = 0`): opted-out members are not in them, nor in the buckets. Being this small, every
call is a `Database.lookup`; `tests/storage/test_stats.py` checks the plans with EXPLAIN
QUERY PLAN.

Ranks are competition ranks ("1, 2, 2, 4"); ties are listed by user id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.scoring import ALL_TIME, competition_ranks, period_keys, week_key
from bot.storage.db import Database

MAX_PAGE = 100
DAY = 86_400
#: How many weeks the /stats chart shows, this one included.
WEEKS_SHOWN = 12

_WEEKS = ", ".join(f":w{i}" for i in range(WEEKS_SHOWN))

# The SQL, by name, so the plan test explains exactly what runs. Each public call is one
# statement (one round trip to the reader thread). Table and column names are constants;
# values are always bound parameters.


def _board_page(counters: str, buckets: str, where: str) -> str:
    # `start` finds, by summing buckets from the top, the points value at position :offset
    # and how many members sit above it; the page is then read from the index beginning at
    # that value, skipping only within its tie group. The first row's rank is above + 1.
    return (
        "WITH buckets AS ("
        " SELECT points, members, sum(members) OVER "
        "  (ORDER BY points DESC ROWS UNBOUNDED PRECEDING) AS through"
        f" FROM {buckets} WHERE {where}), "
        "start AS (SELECT points, through - members AS above FROM buckets"
        " WHERE through > :offset ORDER BY points DESC LIMIT 1) "
        "SELECT user_id, points, arguments, wins, (SELECT above FROM start) AS above, "
        "(SELECT coalesce(max(through), 0) FROM buckets) AS total "
        f"FROM {counters} WHERE {where} AND hidden = 0 "
        "AND points <= (SELECT points FROM start) "
        "ORDER BY points DESC, user_id "
        "LIMIT :limit OFFSET :offset - coalesce((SELECT above FROM start), :offset)")


def _first_page(counters: str, buckets: str, where: str) -> str:
    # Page 1 (what /leaderboard shows first) starts at the top: no running sum over the
    # buckets to find where it starts, only their total.
    return (
        "SELECT user_id, points, arguments, wins, 0 AS above, "
        f"(SELECT coalesce(sum(members), 0) FROM {buckets} WHERE {where}) AS total "
        f"FROM {counters} WHERE {where} AND hidden = 0 "
        "ORDER BY points DESC, user_id LIMIT :limit")


def _member_rank(counters: str, buckets: str, match: str) -> str:
    return (
        "SELECT m.points, 1 + coalesce((SELECT sum(b.members) FROM "
        f"{buckets} AS b WHERE {match} AND b.points > m.points), 0) AS rank "
        f"FROM {counters} AS m WHERE m.guild_id = :guild AND m.user_id = :user "
        "AND m.period = :period AND m.hidden = 0")


_MEMBER_WHERE = "guild_id = :guild AND period = :period"
_TOPIC_WHERE = "guild_id = :guild AND topic_id = :topic AND period = :period"

QUERIES: dict[str, str] = {
    "board_page": _board_page("member_counters", "board_buckets", _MEMBER_WHERE),
    "board_first_page": _first_page("member_counters", "board_buckets", _MEMBER_WHERE),
    "board_total": f"SELECT coalesce(sum(members), 0) FROM board_buckets WHERE {_MEMBER_WHERE}",
    "member_rank": _member_rank(
        "member_counters", "board_buckets",
        "b.guild_id = m.guild_id AND b.period = m.period"),
    "topic_board_page": _board_page("member_topic_counters", "topic_board_buckets",
                                    _TOPIC_WHERE),
    "topic_board_first_page": _first_page("member_topic_counters", "topic_board_buckets",
                                          _TOPIC_WHERE),
    "topic_board_total": (
        f"SELECT coalesce(sum(members), 0) FROM topic_board_buckets WHERE {_TOPIC_WHERE}"),
    "topic_member_rank": _member_rank(
        "member_topic_counters", "topic_board_buckets",
        "b.guild_id = m.guild_id AND b.topic_id = m.topic_id AND b.period = m.period")
        + " AND m.topic_id = :topic",
    "member_stats": (
        "SELECT x.opted_out, x.favourite_topic, c.period, c.points, c.debates_joined, "
        " c.arguments, c.votes, c.wins, c.moderated, c.best_speaker, c.last_active, "
        " CASE WHEN c.period = :all AND c.hidden = 0 THEN 1 + coalesce("
        "  (SELECT sum(b.members) FROM board_buckets AS b WHERE b.guild_id = :guild"
        "   AND b.period = :all AND b.points > c.points), 0) END AS rank "
        "FROM (SELECT EXISTS (SELECT 1 FROM privacy_opt_outs"
        "                     WHERE guild_id = :guild AND user_id = :user) AS opted_out,"
        "      (SELECT topic_id FROM member_topic_counters"
        "       WHERE guild_id = :guild AND user_id = :user AND period = :all AND points > 0"
        "       ORDER BY points DESC, topic_id LIMIT 1) AS favourite_topic) AS x "
        "LEFT JOIN member_counters AS c ON c.guild_id = :guild AND c.user_id = :user "
        " AND c.period IN (:week, :month, :all)"),
    # A member's points in each of the last WEEKS_SHOWN weeks: primary-key look-ups.
    "member_weeks": (
        "SELECT period, points FROM member_counters WHERE guild_id = :guild AND user_id = :user"
        " AND period IN (" + _WEEKS + ")"),
    # The server's points in each of those weeks, from the boards' buckets (members per points
    # value, opted-out members not counted): O(distinct points values) rows a week.
    "guild_weeks": (
        "SELECT period, points, members FROM board_buckets WHERE guild_id = :guild"
        " AND period IN (" + _WEEKS + ")"),
}


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    user_id: int
    points: int
    arguments: int
    wins: int


@dataclass(frozen=True, slots=True)
class Board:
    """One page of a leaderboard. `total` counts every ranked member, not just this page."""

    guild_id: int
    period: str
    topic_id: str | None
    offset: int
    limit: int
    total: int
    rows: tuple[BoardRow, ...]

    @property
    def page(self) -> int:
        """1-based page number of this page."""
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.limit))


@dataclass(frozen=True, slots=True)
class MemberStats:
    """A member's record in one guild; `all_time_rank` is None when they have no points row."""

    guild_id: int
    user_id: int
    week_points: int
    month_points: int
    all_time_points: int
    all_time_rank: int | None
    debates_joined: int
    arguments: int
    votes: int
    wins: int
    moderated: int
    favourite_topic: str | None
    last_active: float | None
    best_speaker: int = 0


async def leaderboard(db: Database, guild_id: int, period_key: str, *,
                      topic_id: str | None = None, offset: int = 0,
                      limit: int = 10) -> Board:
    """A page of the guild's board for `period_key` ("2026-W48", "2026-11" or "all").

    Opted-out members are left out; ties share a rank and are ordered by user id.
    """
    if offset < 0 or not 0 < limit <= MAX_PAGE:
        raise ValueError(f"need offset ≥ 0 and 1 ≤ limit ≤ {MAX_PAGE}")
    prefix = "" if topic_id is None else "topic_"
    params = {"guild": guild_id, "period": period_key, "topic": topic_id,
              "limit": limit, "offset": offset}
    page = "board_first_page" if offset == 0 else "board_page"
    rows = await db.lookup(QUERIES[prefix + page], params)
    if rows:
        total = rows[0]["total"]
        first_rank = rows[0]["above"] + 1
    else:  # past the last page (or an empty board): still say how many are ranked
        total = (await db.lookup(QUERIES[prefix + "board_total"], params))[0][0]
        first_rank = 1
    ranks = competition_ranks([row["points"] for row in rows], offset=offset,
                              first_rank=first_rank)
    return Board(guild_id, period_key, topic_id, offset, limit, total, tuple(
        BoardRow(rank, row["user_id"], row["points"], row["arguments"], row["wins"])
        for rank, row in zip(ranks, rows, strict=True)))


async def display_names(db: Database, guild_id: int,
                        user_ids: Sequence[int]) -> dict[int, str]:
    """The display name each member last debated under in the guild (members never seen in
    a debate are left out). For boards: a name reads better than a mention, which clients
    show as a raw id for members they have not loaded."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = await db.lookup(
        "SELECT n.user_id, n.display_name FROM debate_names n "
        "JOIN debates d ON d.id = n.debate_id "
        f"WHERE d.guild_id = ? AND n.user_id IN ({marks}) ORDER BY n.debate_id",
        (guild_id, *wanted))
    return {row["user_id"]: row["display_name"] for row in rows}  # the latest debate wins


async def member_rank(db: Database, guild_id: int, period_key: str, user_id: int,
                      topic_id: str | None = None) -> tuple[int, int] | None:
    """(rank, points) of a member on a board, or None if they are not on it (or opted out)."""
    name = "member_rank" if topic_id is None else "topic_member_rank"
    rows = await db.lookup(QUERIES[name], {"guild": guild_id, "user": user_id,
                                           "period": period_key, "topic": topic_id})
    if not rows:
        return None
    return rows[0]["rank"], rows[0]["points"]


async def member_stats(db: Database, guild_id: int, user_id: int,
                       now: float) -> MemberStats | None:
    """The member's points this week / month / all time and their all-time counts.

    None if the member opted out in this guild (they do not appear anywhere); a member who
    never scored gets zeros.
    """
    week, month, _ = period_keys(now)
    rows = await db.lookup(QUERIES["member_stats"], {
        "guild": guild_id, "user": user_id, "week": week, "month": month, "all": ALL_TIME})
    if rows[0]["opted_out"]:
        return None
    by_period = {row["period"]: row for row in rows if row["period"] is not None}
    total = by_period.get(ALL_TIME)

    def points(period: str) -> int:
        row = by_period.get(period)
        return row["points"] if row else 0

    def count(column: str) -> int:
        return total[column] if total else 0

    return MemberStats(
        guild_id=guild_id, user_id=user_id,
        week_points=points(week), month_points=points(month),
        all_time_points=points(ALL_TIME),
        all_time_rank=total["rank"] if total else None,
        debates_joined=count("debates_joined"), arguments=count("arguments"),
        votes=count("votes"), wins=count("wins"), moderated=count("moderated"),
        best_speaker=count("best_speaker"), favourite_topic=rows[0]["favourite_topic"],
        last_active=total["last_active"] if total else None)


def _last_weeks(now: float) -> list[str]:
    return [week_key(now - 7 * DAY * back) for back in reversed(range(WEEKS_SHOWN))]


def _week_params(weeks: list[str]) -> dict[str, str]:
    return {f"w{i}": week for i, week in enumerate(weeks)}


async def member_weeks(db: Database, guild_id: int, user_id: int,
                       now: float) -> list[tuple[str, int]]:
    """(ISO week, points) for each of the last WEEKS_SHOWN weeks, oldest first, zeros
    included (for the /stats chart)."""
    weeks = _last_weeks(now)
    rows = await db.lookup(QUERIES["member_weeks"], {
        "guild": guild_id, "user": user_id, **_week_params(weeks)})
    points = {row["period"]: row["points"] for row in rows}
    return [(week, points.get(week, 0)) for week in weeks]


async def guild_weeks(db: Database, guild_id: int, now: float) -> list[tuple[str, int]]:
    """The server's points in each of the last WEEKS_SHOWN weeks, oldest first (for the
    leaderboard page's chart); members who opted out are not counted."""
    weeks = _last_weeks(now)
    rows = await db.lookup(QUERIES["guild_weeks"], {"guild": guild_id, **_week_params(weeks)})
    points = dict.fromkeys(weeks, 0)
    for row in rows:
        points[row["period"]] += row["points"] * row["members"]
    return list(points.items())
