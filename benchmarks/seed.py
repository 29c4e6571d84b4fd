"""A seeded participation log for the leaderboard benchmark, cached between runs.

The event rows are written with plain `sqlite3.executemany` in big transactions; the
counters and board buckets then come from Rostrum's own `rebuild_counters`, so they are
exactly what the bot would have built event by event. The file is cached in
`benchmarks.common.cache_dir()` under a name keyed by the migrations' checksums, the
generator's version and the size, and is rebuilt whenever one of them changes.

On PostgreSQL the same file is copied into a schema of the server with the project's own
copy tool (`bot.storage.copy`, what `python -m bot db copy` runs), then its tables are
vacuumed and analysed (what autovacuum would soon do after such a load, done now so that it
does not happen while queries are timed). The schema is the cache there:
`rostrum_bench_leaderboard_<key>`, keyed like the file (plus the PostgreSQL migrations and
how the copy is made), kept between runs, built under a temporary name and renamed when
complete. `--fresh` drops every such schema on the server before the run (and builds the
one it needs again); `DROP SCHEMA rostrum_bench_leaderboard_<key> CASCADE` drops one by hand.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import asyncpg

from benchmarks import pg
from benchmarks.common import NOW, TOPICS, cache_dir
from bot.core.scoring import POINTS, Kind
from bot.storage.copy import COPY_TABLES, copy_database
from bot.storage.counters import rebuild_counters
from bot.storage.db import Database, discover_migrations
from bot.storage.opening import open_database
from bot.storage.sqlite import PRAGMAS

GENERATOR_VERSION = 1
POSTGRES_LOAD_VERSION = 1    # how the seed gets into PostgreSQL: bump when that changes
POSTGRES_CACHE_PREFIX = f"{pg.SCHEMA_PREFIX}leaderboard_"
SPAN = 26 * 7 * 86_400       # events fall in the 26 weeks before NOW
BIG_GUILD = 1_000_000_001    # the largest guild's id; others follow it
USER_BASE = 10_000_000_000
KIND_WEIGHTS = ((Kind.VOTE_CAST, 45), (Kind.ARGUMENT_POSTED, 30), (Kind.DEBATE_JOINED, 15),
                (Kind.DEBATE_WON, 6), (Kind.DEBATE_MODERATED, 4))


@dataclass(frozen=True, slots=True)
class SeedSize:
    events: int
    guilds: int
    big_members: int       # members of the largest guild
    big_share: float       # the largest guild's share of the events
    small_members: tuple[int, int]  # members of every other guild: a range


def _key(size: SeedSize, backends: tuple[str, ...] = ("sqlite",), extra: str = "") -> str:
    digest = hashlib.sha256()
    for backend in backends:
        for migration in discover_migrations(backend=backend):
            digest.update(f"{migration.version}:{migration.checksum};".encode())
    digest.update(f"v{GENERATOR_VERSION}:{size!r}{extra}".encode())
    return digest.hexdigest()[:16]


def _guilds(size: SeedSize, rng: random.Random) -> list[tuple[int, int, int]]:
    """(guild id, members, events) of every guild; the first is the largest."""
    small = [rng.randint(*size.small_members) for _ in range(size.guilds - 1)]
    big_events = int(size.events * size.big_share)
    rest = size.events - big_events
    shares = [rest * n // sum(small) for n in small]
    shares[-1] += rest - sum(shares)
    return [(BIG_GUILD, size.big_members, big_events),
            *((BIG_GUILD + 1 + i, n, e) for i, (n, e) in enumerate(zip(small, shares,
                                                                     strict=True)))]


def _rows(size: SeedSize) -> Iterator[tuple[object, ...]]:
    rng = random.Random(20_270_115)
    kinds = [kind for kind, weight in KIND_WEIGHTS for _ in range(weight)]
    serial = 0
    for guild, members, count in _guilds(size, rng):
        for _ in range(count):
            serial += 1
            # Activity is skewed: a few members do much, many do little.
            user = USER_BASE + int(members * rng.random() ** 2)
            kind = rng.choice(kinds)
            points = POINTS[kind] if kind is not Kind.ARGUMENT_POSTED or rng.random() < 0.7 else 0
            yield (guild, user, kind.value, 1 + serial // 40, rng.choice(TOPICS), points,
                   NOW - SPAN * rng.random(), f"seed:{serial}")


def _write_events(path: Path, size: SeedSize) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(pragma)
        rows = _rows(size)
        while True:
            chunk = list(islice(rows, 100_000))
            if not chunk:
                break
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                "INSERT INTO participation_events (guild_id, user_id, kind, debate_id, "
                "topic_id, points, at, source_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", chunk)
            conn.execute("COMMIT")
    finally:
        conn.close()


async def _build(path: Path, size: SeedSize) -> None:
    async with await open_database(path) as db:
        await db.migrate()
    _write_events(path, size)
    async with await open_database(path) as db:
        await rebuild_counters(db)
    # The last connection to close checkpoints the WAL into the file and removes it.


def _cached_file(size: SeedSize) -> Path:
    return cache_dir() / f"leaderboard-{_key(size)}.sqlite3"


@dataclass(frozen=True, slots=True)
class Seeded:
    path: Path                  # the SQLite file (on PostgreSQL: the file it was copied from)
    cached: bool
    seconds: float    # time spent seeding in this run (0 when the cache was used)
    big_guild: int
    big_members: int
    server: pg.Server | None = None  # on PostgreSQL: the server, and the schema on it
    schema: str | None = None

    async def open(self) -> Database:
        """The bot's storage handle on the seeded database."""
        if self.server is None or self.schema is None:
            return await open_database(self.path)
        return await pg.open_schema(self.server.url, self.schema)


def seeded_database(size: SeedSize, *, fresh: bool = False) -> Seeded:
    """The path of a database seeded at `size`, built now unless a cached copy exists
    (or `fresh`: then it is built again)."""
    path = _cached_file(size)
    if fresh:
        path.unlink(missing_ok=True)
    if path.exists():
        return Seeded(path, True, 0.0, BIG_GUILD, size.big_members)
    started = time.perf_counter()
    partial = path.with_name(f"{path.stem}.{os.getpid()}.partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    asyncio.run(_build(partial, size))
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.replace(path)  # atomic: a half-built file is never taken for a cached one
    return Seeded(path, False, time.perf_counter() - started, BIG_GUILD, size.big_members)


# --- PostgreSQL ------------------------------------------------------------------------------

def seeded_postgres(size: SeedSize, server: pg.Server, *, fresh: bool = False) -> Seeded:
    """The schema on `server` seeded at `size`: copied now from the SQLite seed unless a
    cached one exists (`fresh`: every cached seed on the server is dropped first)."""
    schema = POSTGRES_CACHE_PREFIX + _key(size, ("sqlite", "postgres"),
                                          f":postgres-v{POSTGRES_LOAD_VERSION}")
    if asyncio.run(_cached_schema(server.url, schema, fresh)):
        return Seeded(_cached_file(size), True, 0.0, BIG_GUILD, size.big_members, server, schema)
    started = time.perf_counter()
    source = seeded_database(size)
    asyncio.run(_load(source.path, server.url, schema))
    return Seeded(source.path, False, time.perf_counter() - started, BIG_GUILD,
                  size.big_members, server, schema)


async def _cached_schema(url: str, schema: str, fresh: bool) -> bool:
    conn = await pg.connect(url)
    try:
        if fresh:
            await pg.drop_schemas(conn, await pg.schemas_named(conn, POSTGRES_CACHE_PREFIX))
        return schema in await pg.schemas_named(conn, schema)
    finally:
        await conn.close()


async def _load(path: Path, url: str, schema: str) -> None:
    """Copy the SQLite seed at `path` into a new schema, complete, then named `schema` (so a
    half-built one is never taken for the cache)."""
    partial = f"{schema}_partial_{os.getpid()}"
    conn = await pg.connect(url)
    try:
        await pg.drop_schemas(conn, [partial])
        await conn.execute(f"CREATE SCHEMA {pg.quoted(partial)}")
        try:
            async with await open_database(path) as source, \
                    await pg.open_schema(url, partial) as target:
                await copy_database(source, target)
            for table in COPY_TABLES:
                await conn.execute(f"VACUUM (ANALYZE) {pg.quoted(partial)}.{table}")
            await conn.execute(
                f"ALTER SCHEMA {pg.quoted(partial)} RENAME TO {pg.quoted(schema)}")
        except asyncpg.DuplicateSchemaError:  # another run cached it first: use theirs
            await pg.drop_schemas(conn, [partial])
        except BaseException:
            await pg.drop_schemas(conn, [partial])
            raise
    finally:
        await conn.close()
