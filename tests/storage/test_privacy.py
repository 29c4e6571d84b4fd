"""Opt-out, opt-in and forget-me, on real databases (each backend)."""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.core.scoring import Kind, period_keys
from bot.storage import privacy
from bot.storage.db import Database
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event, Outcome
from bot.storage.opening import open_database
from bot.storage.stats import leaderboard, member_rank

NOW = 1_795_000_000.0
ALL = period_keys(NOW)[2]
G1, G2 = 1001, 2002
_keys = itertools.count()


def event(user: int, *, guild: int = G1, points: int = 3,
          topic: str | None = "history") -> Event:
    return Event(guild_id=guild, user_id=user, kind=Kind.ARGUMENT_POSTED, points=points,
                 at=NOW, source_key=f"argument:{next(_keys)}", debate_id=1, topic_id=topic)


async def rows_of(db: Database, guild: int, user: int) -> dict[str, int]:
    counts = {}
    for table in ("participation_events", "member_counters", "member_topic_counters"):
        row = await db.fetchone(f"SELECT count(*) FROM {table} WHERE guild_id = ? "
                                "AND user_id = ?", (guild, user))
        counts[table] = row[0]
    return counts


async def test_opt_out_stops_logging_even_after_a_restart(
        database_target: Path | str) -> None:
    path = database_target
    async with await open_database(path) as db:
        await db.migrate()
        async with EventWriter(db) as writer:
            assert await writer.log(event(1)) is Outcome.NEW
            assert await privacy.opt_out(db, G1, 1, now=NOW) is True
            assert await privacy.opt_out(db, G1, 1, now=NOW) is False  # already out
            assert await writer.log(event(1)) is Outcome.OPTED_OUT
            # Another guild is another choice.
            assert await writer.log(event(1, guild=G2)) is Outcome.NEW
    # A new process: new connections, new writer, no cache to warm.
    async with await open_database(path) as db:
        await db.migrate()
        assert await privacy.is_opted_out(db, G1, 1)
        assert not await privacy.is_opted_out(db, G2, 1)
        async with EventWriter(db) as writer:
            outcomes = await writer.log_many([event(1), event(2)])
            assert outcomes == [Outcome.OPTED_OUT, Outcome.NEW]
        assert await rows_of(db, G1, 1) == {"participation_events": 1, "member_counters": 3,
                                            "member_topic_counters": 3}
        assert [row.user_id for row in (await leaderboard(db, G1, ALL)).rows] == [2]


async def test_opt_in_resumes_logging_and_shows_the_old_record(db: Database) -> None:
    async with EventWriter(db) as writer:
        await writer.log(event(1, points=3))
        await writer.log(event(2, points=1))
        await privacy.opt_out(db, G1, 1, now=NOW)
        assert await writer.log(event(1, points=3)) is Outcome.OPTED_OUT
        assert await member_rank(db, G1, ALL, 2) == (1, 1)
        assert await privacy.opt_in(db, G1, 1) is True
        assert await privacy.opt_in(db, G1, 1) is False  # already in
        assert not await privacy.is_opted_out(db, G1, 1)
        assert await writer.log(event(1, points=3)) is Outcome.NEW
    assert await member_rank(db, G1, ALL, 1) == (1, 6)  # 3 before, 3 after; none while out
    assert await member_rank(db, G1, ALL, 2) == (2, 1)
    board = await leaderboard(db, G1, ALL, topic_id="history")
    assert [(r.user_id, r.points) for r in board.rows] == [(1, 6), (2, 1)]


async def test_forget_me_deletes_every_row_of_the_member_in_this_guild_only(
        db: Database) -> None:
    async with EventWriter(db) as writer:
        await writer.log_many([event(1), event(1), event(1, topic=None), event(2),
                               event(1, guild=G2)])
    # 3 events; counters for week, month and all; topic counters for "history" in each.
    assert await rows_of(db, G1, 1) == {"participation_events": 3, "member_counters": 3,
                                        "member_topic_counters": 3}
    before_g2 = await rows_of(db, G2, 1)

    assert await privacy.forget_me(db, G1, 1) == 9

    assert await rows_of(db, G1, 1) == {"participation_events": 0, "member_counters": 0,
                                        "member_topic_counters": 0}
    assert await rows_of(db, G2, 1) == before_g2 == {
        "participation_events": 1, "member_counters": 3, "member_topic_counters": 3}
    assert await rows_of(db, G1, 2) == {"participation_events": 1, "member_counters": 3,
                                        "member_topic_counters": 3}
    board = await leaderboard(db, G1, ALL)
    assert [(r.rank, r.user_id) for r in board.rows] == [(1, 2)] and board.total == 1
    assert (await leaderboard(db, G1, ALL, topic_id="history")).total == 1
    assert (await leaderboard(db, G2, ALL)).total == 1
    assert await privacy.forget_me(db, G1, 1) == 0


async def test_forget_me_of_an_opted_out_member_keeps_the_choice(db: Database) -> None:
    async with EventWriter(db) as writer:
        await writer.log_many([event(1, topic=None), event(2)])
        await privacy.opt_out(db, G1, 1, now=NOW)
        assert await privacy.forget_me(db, G1, 1) == 4  # 1 event + 3 counters
        assert await privacy.is_opted_out(db, G1, 1)
        assert await writer.log(event(1)) is Outcome.OPTED_OUT
    assert await rows_of(db, G1, 1) == {"participation_events": 0, "member_counters": 0,
                                        "member_topic_counters": 0}
    assert (await leaderboard(db, G1, ALL)).total == 1
