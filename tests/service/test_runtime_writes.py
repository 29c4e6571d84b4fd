"""The runtime's writes: a burst of changes to one debate is committed in order and nothing
unsaved stays in memory when a write fails.

A real database (SQLite, and PostgreSQL where a server is configured); a FakeClock, so no
timer fires unless the test moves time. A write failure is made by the database itself (a
trigger that aborts), not by a stand-in.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.clock import FakeClock
from bot.core.content import ContentPack, load_pack
from bot.service.runtime import DebateRuntime, Transition
from bot.storage.db import Database
from tests.backends import sqlite_only
from tests.service.begun import T0, begun_debate

REPO = Path(__file__).resolve().parents[2]
GUILD = 41944705796 << 22
AUDIENCE = range(GUILD + 100, GUILD + 140)


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


async def no_flush(debate_id: int) -> None:
    return None


async def in_pre_vote(db: Database, pack: ContentPack) -> DebateRuntime:
    """A runtime with one Oxford debate (a debater a side) in its pre-vote phase."""
    await begun_debate(db, pack, GUILD, format_id="oxford", phase_seconds=600)
    runtime = DebateRuntime(db, FakeClock(T0 + 1), lambda: pack, no_flush)
    await runtime.start()
    return runtime


def vote(user_id: int, choice: str) -> Transition:
    return lambda state, now: state.vote(user_id, choice, now)


async def stored_votes(db: Database, debate_id: int) -> dict[int, str]:
    rows = await db.fetchall("SELECT user_id, choice FROM debate_votes WHERE debate_id = ?",
                             (debate_id,))
    return {row["user_id"]: row["choice"] for row in rows}


def votes_in_memory(runtime: DebateRuntime, debate_id: int) -> dict[int, str]:
    state = runtime.live[debate_id]
    return {user: v.choice for (_, user), v in state.votes.items()}


async def test_a_burst_of_votes_is_all_stored_and_answered(db: Database,
                                                           pack: ContentPack) -> None:
    runtime = await in_pre_vote(db, pack)
    [debate_id] = runtime.live
    try:
        choices = {user: ("pro", "con", "undecided")[user % 3] for user in AUDIENCE}
        # Each member votes, then half of them change their minds, all at once.
        changes = [*choices.items(), *((u, "pro") for u in list(AUDIENCE)[::2])]
        applied = await asyncio.gather(*(runtime.apply(debate_id, vote(u, c))
                                         for u, c in changes))
        assert len(applied) == len(changes)
        expected = {**choices, **{u: "pro" for u in list(AUDIENCE)[::2]}}
        # What the members were told is what is stored, and what the bot holds.
        assert await stored_votes(db, debate_id) == expected
        assert votes_in_memory(runtime, debate_id) == expected
    finally:
        await runtime.stop()


@sqlite_only  # the failure comes from a SQLite trigger
async def test_a_failed_write_leaves_nothing_unsaved_in_memory(db: Database,
                                                                pack: ContentPack) -> None:
    runtime = await in_pre_vote(db, pack)
    [debate_id] = runtime.live
    saved, refused, later = AUDIENCE[0], AUDIENCE[1], AUDIENCE[2]
    try:
        await runtime.apply(debate_id, vote(saved, "con"))
        await db.execute(
            "CREATE TRIGGER refuse_vote BEFORE INSERT ON debate_votes "
            f"WHEN NEW.user_id = {refused} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
        # The refused vote and one queued behind it in the same write both fail: the
        # second was made on top of the first.
        outcomes = await asyncio.gather(runtime.apply(debate_id, vote(refused, "pro")),
                                        runtime.apply(debate_id, vote(later, "pro")),
                                        return_exceptions=True)
        assert all(isinstance(o, sqlite3.IntegrityError) for o in outcomes), outcomes
        assert await stored_votes(db, debate_id) == {saved: "con"}
        assert votes_in_memory(runtime, debate_id) == {saved: "con"}
        # The debate goes on: the next change is written as usual.
        await db.execute("DROP TRIGGER refuse_vote")
        await runtime.apply(debate_id, vote(later, "undecided"))
        assert await stored_votes(db, debate_id) == {saved: "con", later: "undecided"}
        assert votes_in_memory(runtime, debate_id) == {saved: "con", later: "undecided"}
    finally:
        await runtime.stop()


async def test_stopping_commits_the_changes_already_made(db: Database,
                                                         pack: ContentPack) -> None:
    runtime = await in_pre_vote(db, pack)
    [debate_id] = runtime.live
    pending = [asyncio.create_task(runtime.apply(debate_id, vote(u, "con")))
               for u in AUDIENCE[:10]]
    await asyncio.sleep(0)  # the changes are made and queued; their writes are under way
    await runtime.stop()
    await asyncio.gather(*pending)
    assert await stored_votes(db, debate_id) == {u: "con" for u in AUDIENCE[:10]}
