"""events: durable participation events per second through Rostrum's group-commit writer.

Rostrum: `EventWriter` on a fresh, migrated file database; `tasks` concurrent tasks each
await `writer.log(event)` for their share of the events, one at a time, so every event is
acknowledged only after the transaction holding it committed (WAL, synchronous=NORMAL, the
bot's own pragmas). The writer stores the event, skips duplicates (RETURNING), checks
opt-outs and moves the counters and the leaderboard buckets, all in the batch's transaction.

Baseline: plain `sqlite3` in one thread, same pragmas, same event rows; per batch of 1,000
events one transaction with `executemany` for the event rows and for the counter upserts
(member and member-topic counters, week / month / all). It maintains no buckets and does no
duplicate or opt-out checks: less work than Rostrum does, so the ratio is conservative.

Rounds alternate baseline and Rostrum on fresh files; the figures are medians over rounds.

With `--backend postgres` (see `benchmarks.pg`), both sides run on one PostgreSQL server,
each round in fresh schemas created and dropped by the run: Rostrum is the same `EventWriter`
flow on a migrated schema (the bot's asyncpg pool); the baseline is plain asyncpg on one
connection doing the same rows and counter upserts with `executemany`, 1,000 events a
transaction, the same SQL (`?` numbered, `max` written `GREATEST`).
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import pg
from benchmarks.common import NOW, TOPICS, migrate_sync, scratch
from benchmarks.report import Outcome, median, percentile, verdict
from bot.core.scoring import POINTS, Kind, period_keys
from bot.storage.db import Database, Dialect
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event
from bot.storage.opening import open_database
from bot.storage.postgres import POSTGRES, translate
from bot.storage.sqlite import PRAGMAS, SQLITE

NAME = "events"
TARGET = 0.5
BASELINE_BATCH = 1_000
GUILDS = 10
KINDS = (Kind.VOTE_CAST, Kind.ARGUMENT_POSTED, Kind.VOTE_CAST, Kind.DEBATE_JOINED,
         Kind.ARGUMENT_POSTED, Kind.DEBATE_WON, Kind.VOTE_CAST, Kind.DEBATE_MODERATED)


@dataclass(frozen=True, slots=True)
class Size:
    events: int
    tasks: int
    rounds: int


DEFAULT = Size(events=100_000, tasks=1_000, rounds=3)
QUICK = Size(events=2_000, tasks=50, rounds=1)


def make_events(size: Size) -> list[list[Event]]:
    """Each task's events: one member of one of 10 guilds, a mix of kinds and topics."""
    per_task = size.events // size.tasks
    work = []
    for task in range(size.tasks):
        guild, user = 1_000 + task % GUILDS, 5_000_000 + task
        events = []
        for n in range(per_task):
            kind = KINDS[(task + n) % len(KINDS)]
            events.append(Event(
                guild_id=guild, user_id=user, kind=kind, points=POINTS[kind],
                at=NOW + n * 60 + task / 1_000, source_key=f"bench:{task}:{n}",
                debate_id=1 + n // 4, topic_id=TOPICS[(task + n) % len(TOPICS)]))
        work.append(events)
    return work


# --- Rostrum ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class WriterRun:
    seconds: float
    batches: int
    latencies: list[float]


async def _rostrum(db: Database, work: list[list[Event]]) -> WriterRun:
    latencies: list[float] = []

    async def member(events: list[Event]) -> None:
        for event in events:
            started = time.perf_counter()
            await writer.log(event)
            latencies.append(time.perf_counter() - started)

    writer = EventWriter(db)
    writer.start()
    started = time.perf_counter()
    await asyncio.gather(*(member(events) for events in work))
    seconds = time.perf_counter() - started
    batches = writer.batches
    await writer.close()
    stored = (await db.fetchone("SELECT count(*) FROM participation_events"))[0]
    expected = sum(len(events) for events in work)
    if stored != expected:
        raise RuntimeError(f"the writer stored {stored} events, expected {expected}")
    return WriterRun(seconds, batches, latencies)


async def _rostrum_sqlite(path: Path, work: list[list[Event]]) -> WriterRun:
    async with await open_database(path) as db:
        return await _rostrum(db, work)


def run_rostrum(path: Path, work: list[list[Event]]) -> WriterRun:
    migrate_sync(path)
    return asyncio.run(_rostrum_sqlite(path, work))


async def _rostrum_postgres(server: pg.Server, work: list[list[Event]]) -> WriterRun:
    async with pg.fresh_schema(server.url, NAME) as schema:
        async with await pg.open_schema(server.url, schema) as db:
            await db.migrate()
        async with await pg.open_schema(server.url, schema) as db:
            return await _rostrum(db, work)


def run_rostrum_postgres(server: pg.Server, work: list[list[Event]]) -> WriterRun:
    return asyncio.run(_rostrum_postgres(server, work))


# --- baseline --------------------------------------------------------------------------------

_COUNTS = ("debates_joined", "arguments", "votes", "wins", "moderated")
_COUNT_OF = {Kind.DEBATE_JOINED: 0, Kind.ARGUMENT_POSTED: 1, Kind.VOTE_CAST: 2,
             Kind.DEBATE_WON: 3, Kind.DEBATE_MODERATED: 4}
_EVENT_SQL = ("INSERT INTO participation_events (guild_id, user_id, kind, debate_id, topic_id,"
              " points, at, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
BaselineRow = tuple[Any, ...]


def _upsert_sql(table: str, key: tuple[str, ...], dialect: Dialect) -> str:
    """Add a row's points and counts to its counter (the old row's columns are named with the
    table: PostgreSQL finds bare names ambiguous next to `excluded`)."""
    columns = (*key, "points", *_COUNTS, "last_active")
    add = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in ("points", *_COUNTS))
    latest = dialect.greatest(f"{table}.last_active", "excluded.last_active")
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['?'] * len(columns))}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {add}, last_active = {latest}")


def baseline_sql(dialect: Dialect) -> tuple[str, str, str]:
    """The baseline's (event, member counter, topic counter) statements, `?` placeholders."""
    return (_EVENT_SQL,
            _upsert_sql("member_counters", ("guild_id", "user_id", "period"), dialect),
            _upsert_sql("member_topic_counters", ("guild_id", "user_id", "period", "topic_id"),
                        dialect))


def baseline_rows(work: list[list[Event]]) -> list[BaselineRow]:
    """The event rows in the order the writer sees them: one event of every task, round
    after round; each row ends with its event's count column."""
    return [(e.guild_id, e.user_id, e.kind.value, e.debate_id, e.topic_id, e.points, e.at,
             e.source_key, _COUNT_OF[e.kind])
            for round_ in zip(*work, strict=True) for e in round_]


def baseline_batches(rows: list[BaselineRow]) -> Iterator[tuple[list[BaselineRow], ...]]:
    """Per batch of 1,000 events (computed as it is asked for, i.e. inside the timing): the
    event rows, the member counter rows and the topic counter rows."""
    for start in range(0, len(rows), BASELINE_BATCH):
        batch = rows[start:start + BASELINE_BATCH]
        members, topics = [], []
        for guild, user, _, _, topic, points, at, _, column in batch:
            counts = [0, 0, 0, 0, 0]
            counts[column] = 1
            for period in period_keys(at):
                members.append((guild, user, period, points, *counts, at))
                topics.append((guild, user, period, topic, points, *counts, at))
        yield [row[:8] for row in batch], members, topics


def run_baseline(path: Path, work: list[list[Event]]) -> float:
    migrate_sync(path)
    rows = baseline_rows(work)
    statements = baseline_sql(SQLITE)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        started = time.perf_counter()
        for batch in baseline_batches(rows):
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in zip(statements, batch, strict=True):
                conn.executemany(sql, params)
            conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


async def _baseline_postgres(server: pg.Server, work: list[list[Event]]) -> float:
    rows = baseline_rows(work)
    statements = [translate(sql).text for sql in baseline_sql(POSTGRES)]
    async with pg.fresh_schema(server.url, NAME) as schema:
        async with await pg.open_schema(server.url, schema) as db:
            await db.migrate()
        conn = await pg.connect(server.url, schema)
        try:
            started = time.perf_counter()
            for batch in baseline_batches(rows):
                async with conn.transaction():
                    for sql, params in zip(statements, batch, strict=True):
                        await conn.executemany(sql, params)
            return time.perf_counter() - started
        finally:
            await conn.close()


def run_baseline_postgres(server: pg.Server, work: list[list[Event]]) -> float:
    return asyncio.run(_baseline_postgres(server, work))


# --- the benchmark ---------------------------------------------------------------------------

def _round(n: int, folder: Path, server: pg.Server | None,
           work: list[list[Event]]) -> tuple[float, WriterRun]:
    """Round `n`: the baseline's seconds, then Rostrum's run, each on a fresh database (files
    in `folder`, or schemas on `server`)."""
    if server is None:
        return (run_baseline(folder / f"baseline-{n}.sqlite3", work),
                run_rostrum(folder / f"rostrum-{n}.sqlite3", work))
    return run_baseline_postgres(server, work), run_rostrum_postgres(server, work)


def run(quick: bool = False, server: pg.Server | None = None) -> Outcome:
    """Measure on SQLite files, or on PostgreSQL at `server`."""
    size = QUICK if quick else DEFAULT
    work = make_events(size)
    total = sum(len(events) for events in work)
    base_rates: list[float] = []
    rates: list[float] = []
    batches: list[float] = []
    latencies: list[float] = []
    # The pre-built events are the harness's, not the bot's: keep them out of GC scans.
    gc.collect()
    gc.freeze()
    try:
        with scratch(NAME) as folder:
            for n in range(size.rounds):
                base_seconds, found = _round(n, folder, server, work)
                base_rates.append(total / base_seconds)
                rates.append(total / found.seconds)
                batches.append(found.batches)
                latencies.extend(found.latencies)
    finally:
        gc.unfreeze()
    rate, base_rate = median(rates), median(base_rates)
    # Each round's pair ran back to back: the median of their ratios resists the machine's
    # drifts better than a ratio of medians.
    ratio = median([r / b for r, b in zip(rates, base_rates, strict=True)])
    outcome = Outcome(NAME, rate, "events/s", ratio)
    outcome.add("durable events/s", rate, base_rate, ratio,
                f"≥ {TARGET}× ({verdict(ratio >= TARGET)})")
    outcome.add("log() latency p50 (ms)", percentile(latencies, 50) * 1e3, "-", "-", "")
    outcome.add("log() latency p99 (ms)", percentile(latencies, 99) * 1e3, "-", "-", "")
    outcome.add("events per commit (mean)", total / median(batches), f"{BASELINE_BATCH}", "-", "")
    outcome.notes.append(
        f"{total:,} events from {size.tasks:,} concurrent tasks, medians of {size.rounds} "
        "round(s); ratio = median over rounds of Rostrum rate / baseline rate")
    driver = "sqlite3" if server is None else "asyncpg (one connection)"
    outcome.notes.append(f"baseline: {driver} executemany, 1,000 events a transaction, events + "
                         "member and topic counters (no buckets, no duplicate/opt-out checks)")
    if server is not None:
        outcome.notes.append(f"server: {server.describe()}; a fresh schema per side and round, "
                             "dropped afterwards")
    return outcome
