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
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import NOW, TOPICS, migrate_sync, scratch
from benchmarks.report import Outcome, median, percentile, verdict
from bot.core.scoring import POINTS, Kind, period_keys
from bot.storage.db import Database
from bot.storage.events import Event, EventWriter
from bot.storage.sqlite import PRAGMAS

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


async def _rostrum(path: Path, work: list[list[Event]]) -> WriterRun:
    latencies: list[float] = []

    async def member(events: list[Event]) -> None:
        for event in events:
            started = time.perf_counter()
            await writer.log(event)
            latencies.append(time.perf_counter() - started)

    async with await Database.open(path) as db:
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


def run_rostrum(path: Path, work: list[list[Event]]) -> WriterRun:
    migrate_sync(path)
    return asyncio.run(_rostrum(path, work))


# --- baseline --------------------------------------------------------------------------------

_COUNTS = ("debates_joined", "arguments", "votes", "wins", "moderated")
_COUNT_OF = {Kind.DEBATE_JOINED: 0, Kind.ARGUMENT_POSTED: 1, Kind.VOTE_CAST: 2,
             Kind.DEBATE_WON: 3, Kind.DEBATE_MODERATED: 4}
_ADD = ", ".join(f"{c} = {c} + excluded.{c}" for c in ("points", *_COUNTS))
_EVENT_SQL = ("INSERT INTO participation_events (guild_id, user_id, kind, debate_id, topic_id,"
              " points, at, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_MEMBER_SQL = (f"INSERT INTO member_counters (guild_id, user_id, period, points, "
               f"{', '.join(_COUNTS)}, last_active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
               f"ON CONFLICT (guild_id, user_id, period) DO UPDATE SET {_ADD}, "
               "last_active = max(last_active, excluded.last_active)")
_TOPIC_SQL = (f"INSERT INTO member_topic_counters (guild_id, user_id, period, topic_id, points, "
              f"{', '.join(_COUNTS)}, last_active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              f"ON CONFLICT (guild_id, user_id, period, topic_id) DO UPDATE SET {_ADD}, "
              "last_active = max(last_active, excluded.last_active)")


def run_baseline(path: Path, work: list[list[Event]]) -> float:
    migrate_sync(path)
    # The order the writer sees them in: one event of every task, round after round.
    rows = [(e.guild_id, e.user_id, e.kind.value, e.debate_id, e.topic_id, e.points, e.at,
             e.source_key, _COUNT_OF[e.kind])
            for round_ in zip(*work, strict=True) for e in round_]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        started = time.perf_counter()
        for start in range(0, len(rows), BASELINE_BATCH):
            batch = rows[start:start + BASELINE_BATCH]
            members, topics = [], []
            for guild, user, _, _, topic, points, at, _, column in batch:
                counts = [0, 0, 0, 0, 0]
                counts[column] = 1
                for period in period_keys(at):
                    members.append((guild, user, period, points, *counts, at))
                    topics.append((guild, user, period, topic, points, *counts, at))
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(_EVENT_SQL, [row[:8] for row in batch])
            conn.executemany(_MEMBER_SQL, members)
            conn.executemany(_TOPIC_SQL, topics)
            conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


# --- the benchmark ---------------------------------------------------------------------------

def run(quick: bool = False) -> Outcome:
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
                base_rates.append(total / run_baseline(folder / f"baseline-{n}.sqlite3", work))
                found = run_rostrum(folder / f"rostrum-{n}.sqlite3", work)
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
    outcome.notes.append("baseline: sqlite3 executemany, 1,000 events a transaction, events + "
                         "member and topic counters (no buckets, no duplicate/opt-out checks)")
    return outcome
