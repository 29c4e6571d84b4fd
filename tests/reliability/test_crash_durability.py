"""Crashes for real: SIGKILL and SIGTERM on child processes writing the SQLite database.

The event load logs ~1,000 events a second through the real EventWriter and prints each
event's key as soon as `log()` returns; the bot child is the real Rostrum connected to the
emulator in this process. After a SIGKILL the database must pass `PRAGMA integrity_check`,
hold every acknowledged event exactly once, have counters equal to a recomputation from the
log, and carry on where it stopped. SIGTERM must close everything cleanly.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

from bot.storage.counters import rebuild_counters
from bot.storage.opening import open_database
from playground.emulator import Emulator
from tests.e2e.world import MANAGE_THREADS
from tests.reliability.helpers import PATIENCE, counters_snapshot, debate_with_two_debaters
from tests.reliability.processes import Child, spawn, spawn_bot


def wal(database: Path) -> Path:
    """The write-ahead log, which SQLite deletes when the last connection closes cleanly."""
    return database.with_name(database.name + "-wal")


def integrity(database: Path) -> str:
    with closing(sqlite3.connect(database)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def count(database: Path, table: str) -> int:
    with closing(sqlite3.connect(database)) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def stored_keys(database: Path) -> Counter[str]:
    with closing(sqlite3.connect(database)) as conn:
        return Counter(row[0] for row in conn.execute(
            "SELECT source_key FROM participation_events"))


async def load(database: Path, prefix: str, log: Path) -> Child:
    child = await spawn(["-m", "tests.reliability.event_load", str(database), prefix, "1000"],
                        {"PYTHONUNBUFFERED": "1"}, log)
    return child


async def assert_counters_recompute(database: Path) -> None:
    db = await open_database(database)
    try:
        incremental = await counters_snapshot(db)
        assert incremental["member_counters"], "no counters at all"
        await rebuild_counters(db)
        assert await counters_snapshot(db) == incremental
    finally:
        await db.close()


async def test_sigkill_under_1000_events_per_second(tmp_path: Path) -> None:
    database = tmp_path / "events.sqlite3"
    child = await load(database, "a", tmp_path / "load-a.log")
    try:
        await child.wait_lines(1500)      # about 1.5 s of load, commits in full flow
        child.kill()
        assert await child.exit_code() == -9
    finally:
        await child.stop()
    acknowledged = [line for line in child.lines if line.startswith("a:")]
    assert len(acknowledged) >= 1499

    assert integrity(database) == "ok"
    stored = stored_keys(database)
    assert max(stored.values()) == 1, "an event is stored twice"
    missing = set(acknowledged) - set(stored)
    assert not missing, f"{len(missing)} acknowledged events were lost"
    # Committed but killed before the key was printed: at most the batches in flight.
    assert len(set(stored) - set(acknowledged)) < 2000
    await assert_counters_recompute(database)

    # Restarted, it carries on: the same file takes new events, and a clean stop keeps all.
    again = await load(database, "b", tmp_path / "load-b.log")
    try:
        await again.wait_lines(300)
        again.terminate()
        assert await again.exit_code() == 0
    finally:
        await again.stop()
    assert integrity(database) == "ok"
    after = stored_keys(database)
    assert {k for k in after if k.startswith("a:")} == set(stored)
    assert {k for k in after if k.startswith("b:")} == {
        line for line in again.lines if line.startswith("b:")}


async def test_sigterm_under_load_drains_the_writer(tmp_path: Path) -> None:
    """A clean stop commits every queued event: each one the load started is acknowledged
    and stored, none is left failing with 'the event writer is closed'."""
    database = tmp_path / "events.sqlite3"
    child = await load(database, "t", tmp_path / "load.log")
    try:
        await child.wait_lines(800)
        child.terminate()
        assert await child.exit_code() == 0, child.log
    finally:
        await child.stop()
    assert child.lines[-1].startswith("closed ")
    queued = int(child.lines[-1].split()[1])
    acknowledged = {line for line in child.lines if line.startswith("t:")}
    assert not wal(database).exists(), "the database was not closed"
    assert len(acknowledged) == queued
    assert set(stored_keys(database)) == acknowledged
    assert integrity(database) == "ok"


# ---------------------------------------------------------------- the bot itself


async def test_sigkill_during_a_debate_resumes_at_the_right_phase(emulator: Emulator,
                                                                  tmp_path: Path) -> None:
    guild = emulator.create_guild("Crash Test")
    channel = guild.create_text_channel("debates")
    mo = guild.create_member("mo", roles=[guild.create_role("Mods", permissions=MANAGE_THREADS)])
    alice, bob = guild.create_member("alice"), guild.create_member("bob")
    carol, dave = guild.create_member("carol"), guild.create_member("dave")
    database = tmp_path / "bot.sqlite3"
    bot = await spawn_bot(emulator, database, tmp_path / "bot-1.log")
    try:
        thread, _, debate = await debate_with_two_debaters(
            emulator, channel, mo, alice, bob, format="oxford", phase_seconds=12)
        await mo.act().slash("moderate next", channel=thread, timeout=PATIENCE)
        pre = await emulator.wait_for_message(
            thread, lambda m: any("Pre-vote" in (e.get("title") or "") for e in m.embeds),
            timeout=PATIENCE)
        for member, side in ((carol, "pro"), (dave, "con")):
            v = await member.act().click(pre, f"deb:{debate}:vote-{side}", timeout=PATIENCE)
            assert v.content.startswith("Vote recorded")
        await mo.act().slash("moderate next", channel=thread, timeout=PATIENCE)
        await emulator.wait_for_message(thread, lambda m: _title(m) == "Phase 2/7 · Pro opening",
                                        timeout=PATIENCE)
        # The argument is the answer to alice's command, held a second by Discord; the bot
        # dies just after it lands: it is in the thread once, and never posted again.
        emulator.faults.delay(1.0, times=1, route="POST /interactions/{id}/{token}/callback")
        r = await alice.act().slash("debate argue", channel=thread, timeout=PATIENCE,
                                    text="Trust between neighbours rests on an honest past.")
        assert (await r.private_reply(timeout=PATIENCE)).startswith("Posted as argument #1")
        await emulator.wait_for(lambda: emulator.faults.count("delay") == 1, timeout=PATIENCE)
        bot.kill()
        assert await bot.exit_code() == -9
    finally:
        await bot.stop()
    await emulator.wait_for(lambda: not emulator.gateway.connected, timeout=PATIENCE)
    await emulator.wait_for(lambda: _arguments(emulator, thread) == 1, timeout=PATIENCE)
    assert integrity(database) == "ok"

    bot = await spawn_bot(emulator, database, tmp_path / "bot-2.log")
    try:
        status = await carol.act().slash("debate status", channel=thread, timeout=PATIENCE)
        assert status.embeds[0]["description"].startswith("**Now:** Pro opening (phase 2 of 7)")
        # The re-armed timer ends the phase on time; nothing was posted twice.
        await emulator.wait_for_message(thread, lambda m: _title(m) == "Phase 3/7 · Con opening",
                                        timeout=PATIENCE)
        assert _arguments(emulator, thread) == 1
        assert [_title(m) for m in emulator.messages(thread) if _title(m).startswith("Phase")
                ] == ["Phase 1/7 · Pre-vote", "Phase 2/7 · Pro opening",
                      "Phase 3/7 · Con opening"]
        await emulator.wait_for(lambda: count(database, "debate_outbox") == 0,
                                timeout=PATIENCE, description="the outbox worked off")
        assert _arguments(emulator, thread) == 1
        assert count(database, "debate_votes") == 2
        bot.terminate()
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()


async def test_sigterm_closes_the_bot_cleanly(emulator: Emulator, tmp_path: Path) -> None:
    """SIGTERM: the bot closes its gateway connection itself and does not come back, the
    database is closed (its WAL file checkpointed away), and the process exits 0.

    (discord.py 2.7 closes with code 4000 rather than 1000 — its read loop answers the
    close first — so Discord keeps the session resumable until it expires; harmless.)"""
    guild = emulator.create_guild("Stop Test")
    channel = guild.create_text_channel("general")
    alice = guild.create_member("alice")
    database = tmp_path / "bot.sqlite3"
    bot = await spawn_bot(emulator, database, tmp_path / "bot.log")
    try:
        r = await alice.act().slash("privacy opt-out", channel=channel, timeout=PATIENCE)
        assert "opted out" in r.content
        assert wal(database).exists()
        bot.terminate()
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()
    assert "stopped cleanly" in bot.log
    assert "Traceback" not in bot.log
    await emulator.wait_for(lambda: not emulator.gateway.connected, timeout=PATIENCE)
    assert [by_server for _, by_server in emulator.gateway.close_codes] == [None]
    assert emulator.gateway.identifies == 1 and emulator.gateway.resumes == 0
    assert not wal(database).exists()
    assert count(database, "privacy_opt_outs") == 1


def _title(message: object) -> str:
    embeds = getattr(message, "embeds", [])
    return (embeds[0].get("title") or "") if embeds else ""


def _arguments(emulator: Emulator, thread: object) -> int:
    return sum(1 for m in emulator.messages(thread)  # type: ignore[arg-type]
               for e in m.embeds if (e.get("footer") or {}).get("text", "").startswith(
                   "Argument #"))

