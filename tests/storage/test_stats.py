"""Leaderboards, ranks and personal stats, read from the counters of a real database (each
backend; the query-plan checks are SQLite's)."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.core import scoring
from bot.core.scoring import ArgumentRecord, Kind, period_keys, previous_week_key
from bot.storage import privacy, stats
from bot.storage.db import Database
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event
from bot.storage.stats import Board, leaderboard, member_rank, member_stats
from tests.backends import sqlite_only

NOW = 1_795_000_000.0  # Wednesday 2026-11-18 UTC: week 2026-W47, month 2026-11
WEEK, MONTH, ALL = period_keys(NOW)
DAY = 86_400.0
G1, G2 = 1001, 2002
_keys = itertools.count()


@pytest.fixture
async def writer(db: Database) -> AsyncIterator[EventWriter]:
    async with EventWriter(db) as event_writer:
        yield event_writer


async def give(writer: EventWriter, user: int, points: int, *, guild: int = G1,
               at: float = NOW, topic: str | None = "history",
               kind: Kind = Kind.ARGUMENT_POSTED) -> None:
    await writer.log(Event(guild_id=guild, user_id=user, kind=kind, points=points, at=at,
                           source_key=f"test:{next(_keys)}", debate_id=1, topic_id=topic))


def table(board: Board) -> list[tuple[int, int, int]]:
    return [(row.rank, row.user_id, row.points) for row in board.rows]


def expected_board(points: dict[int, int]) -> list[tuple[int, int, int]]:
    """Competition ranking by brute force: rank = 1 + members with more points."""
    ordered = sorted(points.items(), key=lambda item: (-item[1], item[0]))
    return [(1 + sum(p > pts for p in points.values()), user, pts) for user, pts in ordered]


# --- ranking and paging ----------------------------------------------------------------------

async def test_ties_share_a_rank_and_are_ordered_by_user_id(db: Database,
                                                            writer: EventWriter) -> None:
    for user, points in {1: 10, 2: 8, 3: 8, 4: 5, 5: 8}.items():
        await give(writer, user, points)
    board = await leaderboard(db, G1, ALL)
    assert table(board) == [(1, 1, 10), (2, 2, 8), (2, 3, 8), (2, 5, 8), (5, 4, 5)]
    assert board.total == 5 and board.page == 1 and board.pages == 1
    assert [row.arguments for row in board.rows] == [1] * 5


async def test_every_page_matches_a_brute_force_ranking(db: Database,
                                                        writer: EventWriter) -> None:
    points = {user: 50 - (user - 1) // 3 for user in range(1, 26)}  # ties in threes
    points.update({26: 0, 27: 0})
    for user, value in points.items():
        await give(writer, user, value)
    expected = expected_board(points)
    for limit in (1, 7, 10):
        for offset in range(0, 30):
            board = await leaderboard(db, G1, ALL, offset=offset, limit=limit)
            assert table(board) == expected[offset:offset + limit], (offset, limit)
            assert board.total == 27
    page2 = await leaderboard(db, G1, ALL, offset=10, limit=10)
    assert page2.page == 2 and page2.pages == 3
    assert table(page2)[0] == (10, 11, 47)  # a tie group that started on page 1
    with pytest.raises(ValueError):
        await leaderboard(db, G1, ALL, limit=0)
    with pytest.raises(ValueError):
        await leaderboard(db, G1, ALL, offset=-1)


async def test_callers_rank_when_off_the_page(db: Database, writer: EventWriter) -> None:
    points = {user: 100 - user for user in range(1, 31)}
    points[29] = points[28]  # 28 and 29 tie
    for user, value in points.items():
        await give(writer, user, value)
    first_page = await leaderboard(db, G1, ALL)
    assert 29 not in {row.user_id for row in first_page.rows}
    assert await member_rank(db, G1, ALL, 29) == (28, 72)
    assert await member_rank(db, G1, ALL, 28) == (28, 72)
    assert await member_rank(db, G1, ALL, 30) == (30, 70)
    assert await member_rank(db, G1, ALL, 1) == (1, 99)
    assert await member_rank(db, G1, ALL, 999) is None


async def test_empty_board(db: Database) -> None:
    board = await leaderboard(db, G1, ALL)
    assert board.rows == () and board.total == 0 and board.pages == 1


# --- who appears -----------------------------------------------------------------------------

async def test_opted_out_members_are_hidden(db: Database, writer: EventWriter) -> None:
    for user, points in {1: 10, 2: 8, 3: 8, 4: 5}.items():
        await give(writer, user, points, topic="trade")
    await privacy.opt_out(db, G1, 1, now=NOW)
    await privacy.opt_out(db, G1, 3, now=NOW)
    board = await leaderboard(db, G1, ALL)
    assert table(board) == [(1, 2, 8), (2, 4, 5)]
    assert board.total == 2
    assert table(await leaderboard(db, G1, WEEK, topic_id="trade")) == [(1, 2, 8), (2, 4, 5)]
    assert await member_rank(db, G1, ALL, 1) is None
    assert await member_rank(db, G1, ALL, 4) == (2, 5)
    assert await member_stats(db, G1, 1, NOW) is None
    # Opting back in restores the old record.
    await privacy.opt_in(db, G1, 1)
    assert table(await leaderboard(db, G1, ALL)) == [(1, 1, 10), (2, 2, 8), (3, 4, 5)]
    assert (await member_stats(db, G1, 1, NOW)).all_time_rank == 1  # type: ignore[union-attr]


async def test_period_filtering(db: Database, writer: EventWriter) -> None:
    await give(writer, 1, 3, at=NOW)                # this week
    await give(writer, 2, 5, at=NOW - 7 * DAY)      # last week, same month
    await give(writer, 3, 9, at=NOW - 40 * DAY)     # an earlier month
    assert table(await leaderboard(db, G1, WEEK)) == [(1, 1, 3)]
    assert table(await leaderboard(db, G1, previous_week_key(NOW))) == [(1, 2, 5)]
    assert table(await leaderboard(db, G1, MONTH)) == [(1, 2, 5), (2, 1, 3)]
    assert table(await leaderboard(db, G1, ALL)) == [(1, 3, 9), (2, 2, 5), (3, 1, 3)]
    assert await member_rank(db, G1, WEEK, 3) is None
    assert await member_rank(db, G1, WEEK, 1) == (1, 3)


async def test_per_topic_board(db: Database, writer: EventWriter) -> None:
    await give(writer, 1, 5, topic="history")
    await give(writer, 2, 3, topic="history")
    await give(writer, 2, 9, topic="trade")
    await give(writer, 3, 4, topic=None)  # counts overall, on no topic board
    assert table(await leaderboard(db, G1, ALL, topic_id="history")) == [(1, 1, 5), (2, 2, 3)]
    assert table(await leaderboard(db, G1, ALL, topic_id="trade")) == [(1, 2, 9)]
    assert table(await leaderboard(db, G1, ALL)) == [(1, 2, 12), (2, 1, 5), (3, 3, 4)]
    assert await member_rank(db, G1, ALL, 2, topic_id="history") == (2, 3)
    assert await member_rank(db, G1, ALL, 3, topic_id="history") is None
    board = await leaderboard(db, G1, ALL, topic_id="history", offset=1, limit=1)
    assert table(board) == [(2, 2, 3)] and board.total == 2


async def test_two_guilds_never_mix(db: Database, writer: EventWriter) -> None:
    await give(writer, 1, 10, guild=G1)
    await give(writer, 2, 4, guild=G1)
    await give(writer, 1, 1, guild=G2)
    await give(writer, 3, 7, guild=G2)
    assert table(await leaderboard(db, G1, ALL)) == [(1, 1, 10), (2, 2, 4)]
    assert table(await leaderboard(db, G2, ALL)) == [(1, 3, 7), (2, 1, 1)]
    assert table(await leaderboard(db, G2, ALL, topic_id="history")) == [(1, 3, 7), (2, 1, 1)]
    assert await member_rank(db, G2, ALL, 1) == (2, 1)
    assert await member_rank(db, G2, ALL, 2) is None
    one = await member_stats(db, G2, 1, NOW)
    assert one is not None and one.all_time_points == 1 and one.all_time_rank == 2
    await privacy.opt_out(db, G2, 3, now=NOW)
    assert table(await leaderboard(db, G1, ALL)) == [(1, 1, 10), (2, 2, 4)]
    assert table(await leaderboard(db, G2, ALL)) == [(1, 1, 1)]


# --- personal stats --------------------------------------------------------------------------

async def test_member_stats_fields(db: Database, writer: EventWriter) -> None:
    text = "Joint history textbooks worked in Europe and could work here."
    for debate, topic, winner, at in ((1, "trade", "pro", NOW - 1 * DAY),
                                      (2, "history", "con", NOW - 40 * DAY)):
        awards = scoring.debate_awards(
            debate_id=debate, topic_id=topic, debaters={7: "pro", 8: "con"},
            arguments=[ArgumentRecord(debate * 10, 7, "opening", text)],
            voters=[9], winner=winner, moderators=[6])
        await writer.log_many([Event.from_award(a, guild_id=G1, at=at) for a in awards])
    await give(writer, 7, 1, kind=Kind.VOTE_CAST, topic="history", at=NOW - 9 * DAY)

    seven = await member_stats(db, G1, 7, NOW)
    assert seven is not None
    # Debate 1 (this week): join 1 + argument 3 + win 5; debate 2: join 1 + argument 3;
    # a vote of 1 eight days ago (last week, this month).
    assert (seven.week_points, seven.month_points, seven.all_time_points) == (9, 10, 14)
    assert (seven.debates_joined, seven.arguments, seven.votes, seven.wins,
            seven.moderated) == (2, 2, 1, 1, 0)
    assert seven.favourite_topic == "trade"  # 9 points against 5
    assert seven.last_active == NOW - 1 * DAY
    assert seven.all_time_rank == 1

    eight = await member_stats(db, G1, 8, NOW)
    assert eight is not None
    assert (eight.week_points, eight.all_time_points, eight.wins) == (1, 7, 1)  # 1+0, 1+5
    assert eight.favourite_topic == "history"
    assert eight.all_time_rank == 2

    six = await member_stats(db, G1, 6, NOW)
    assert six is not None and (six.moderated, six.all_time_points) == (2, 4)
    assert six.favourite_topic == "history"  # 2 and 2: alphabetical first

    nobody = await member_stats(db, G1, 12345, NOW)
    assert nobody is not None
    assert (nobody.all_time_points, nobody.all_time_rank, nobody.favourite_topic,
            nobody.last_active) == (0, None, None, None)


# --- every read is an indexed read -----------------------------------------------------------

PARAMS = {"guild": G1, "period": ALL, "topic": "history", "user": 7, "limit": 10,
          "offset": 30, "week": WEEK, "month": MONTH, "all": ALL,
          **{f"w{i}": WEEK for i in range(stats.WEEKS_SHOWN)}}
COUNTER_TABLES = ("member_counters", "member_topic_counters", "board_buckets",
                  "topic_board_buckets")


def plan_problems(plan: list[Any]) -> list[str]:
    """What in an EXPLAIN QUERY PLAN would not scale with the number of members."""
    problems = []
    for row in plan:
        detail = row["detail"]
        if "participation_events" in detail:
            problems.append(f"reads the event log: {detail}")
        if any(re.match(rf"SCAN {name}\b", detail) for name in COUNTER_TABLES):
            problems.append(f"full scan: {detail}")
        if detail.startswith("USE TEMP B-TREE") and row["parent"] == 0:
            problems.append(f"sorts the result rows: {detail}")
    return problems


async def explain(db: Database, name: str) -> list[Any]:
    return await db.fetchall("EXPLAIN QUERY PLAN " + stats.QUERIES[name], PARAMS)


async def populated(db: Database) -> None:
    async with EventWriter(db) as writer:
        await writer.log_many([
            Event(guild_id=G1, user_id=user, kind=Kind.VOTE_CAST, points=user % 7, at=NOW,
                  source_key=f"plan:{user}", topic_id="history") for user in range(1, 301)])


@sqlite_only
async def test_every_query_plan_uses_the_indexes(db: Database) -> None:
    await populated(db)
    for name in stats.QUERIES:
        plan = await explain(db, name)
        assert plan_problems(plan) == [], (name, [r["detail"] for r in plan])
    for name, index in (("board_page", "member_counters_board"),
                        ("topic_board_page", "member_topic_counters_board")):
        details = [row["detail"] for row in await explain(db, name)]
        assert any(f"COVERING INDEX {index} " in d for d in details), details
    for name, buckets in (("member_rank", "board_buckets"),
                          ("topic_member_rank", "topic_board_buckets"),
                          ("board_total", "board_buckets")):
        details = [row["detail"] for row in await explain(db, name)]
        assert any(d.startswith(f"SEARCH {buckets}") or "SEARCH b USING PRIMARY KEY" in d
                   for d in details), details


@sqlite_only
async def test_the_plan_check_fails_without_the_board_index(db: Database) -> None:
    await populated(db)
    await db.execute("DROP INDEX member_counters_board")
    await db.execute("DROP INDEX member_topic_counters_board")
    for name in ("board_page", "topic_board_page"):
        plan = await explain(db, name)
        assert plan_problems(plan), (name, [r["detail"] for r in plan])


async def test_points_week_by_week_for_a_member_and_for_the_server(db: Database,
                                                                   writer: EventWriter) -> None:
    week_ago = NOW - 7 * 86_400
    for user, points, at in ((1, 5, NOW), (2, 3, NOW), (3, 3, NOW), (1, 4, week_ago),
                             (2, 7, NOW - 30 * 7 * 86_400), (1, 2, NOW + 0.5), (9, 6, NOW)):
        await give(writer, user, points, at=at)
    await give(writer, 4, 8, guild=G2)
    await privacy.opt_out(db, G1, 9, now=NOW)
    mine = await stats.member_weeks(db, G1, 1, NOW)
    assert len(mine) == stats.WEEKS_SHOWN and mine[-1] == (WEEK, 7)
    assert mine[-2] == (previous_week_key(NOW), 4) and sum(p for _, p in mine) == 11
    ours = await stats.guild_weeks(db, G1, NOW)
    assert [week for week, _ in ours] == [week for week, _ in mine]  # the same twelve weeks
    # This week: 7 + 3 + 3 (the opted-out member's 6 left out); the 30-week-old points are
    # outside the chart; the other server's never counted.
    assert ours[-1] == (WEEK, 13) and ours[-2][1] == 4 and sum(p for _, p in ours) == 17
