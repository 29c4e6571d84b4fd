"""`Database.transact` (group commit) on real databases, each backend in turn: units from
concurrent callers commit atomically, each caller gets its own rows, and a failing unit
fails alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage.db import Database, Statement
from bot.storage.opening import open_database

INSERT = "INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?) RETURNING guild_id"


def unit(guild_id: int, *more: Statement) -> list[Statement]:
    return [(INSERT, (guild_id, "t")), *more]


async def guild_ids(db: Database) -> list[int]:
    return [row[0] for row in await db.fetchall(
        "SELECT guild_id FROM guild_settings ORDER BY guild_id")]


async def test_concurrent_units_all_commit_and_each_gets_its_rows(db: Database) -> None:
    results = await asyncio.gather(*(db.transact(unit(
        guild_id, ("UPDATE guild_settings SET updated_at = ? WHERE guild_id = ?",
                   ("u", guild_id)))) for guild_id in range(1, 41)))
    for guild_id, rows in enumerate(results, start=1):
        assert [[tuple(row) for row in statement] for statement in rows] == [[(guild_id,)], []]
    assert await guild_ids(db) == list(range(1, 41))
    updated = await db.fetchall("SELECT DISTINCT updated_at FROM guild_settings")
    assert [row[0] for row in updated] == ["u"]


async def test_a_failing_unit_fails_alone_and_leaves_nothing_behind(db: Database) -> None:
    # Queued together, so they share a batch: the middle unit breaks its own primary key.
    first, broken, last = await asyncio.gather(
        db.transact(unit(1)), db.transact(unit(2, (INSERT, (2, "again")))),
        db.transact(unit(3)), return_exceptions=True)
    assert isinstance(broken, db.dialect.integrity_error)
    assert [row[0][0][0] for row in (first, last)] == [1, 3]  # type: ignore[index]
    assert await guild_ids(db) == [1, 3]
    # The writer carries on.
    assert (await db.transact(unit(4)))[0][0][0] == 4


async def test_a_unit_alone_that_fails_raises_and_rolls_back(db: Database) -> None:
    with pytest.raises(db.dialect.integrity_error):
        await db.transact(unit(5, ("INSERT INTO guild_settings (guild_id) VALUES (?)", (6,))))
    assert await guild_ids(db) == []


async def test_a_cancelled_caller_returns_after_its_unit_committed(db: Database) -> None:
    caller = asyncio.create_task(db.transact(unit(7)))
    await asyncio.sleep(0)  # queued
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    assert await guild_ids(db) == [7]


async def test_close_commits_the_queued_units_then_refuses_new_ones(
        database_target: Path | str) -> None:
    db = await open_database(database_target)
    await db.migrate()
    callers = [asyncio.create_task(db.transact(unit(guild_id))) for guild_id in (8, 9)]
    await asyncio.sleep(0)  # queued
    await db.close()
    assert [(await caller)[0][0][0] for caller in callers] == [8, 9]
    with pytest.raises(RuntimeError, match="closed"):
        await db.transact(unit(10))
    async with await open_database(database_target) as reopened:
        assert await guild_ids(reopened) == [8, 9]
