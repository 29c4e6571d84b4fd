"""SQLite access: connection pragmas, one writer, a read connection, and the migration runner.

There is exactly one writer connection. Every write goes through `Database.write()`, which
serialises writers with an asyncio lock and wraps the block in `BEGIN IMMEDIATE … COMMIT`,
so a read-modify-write never meets SQLITE_BUSY half-way. Reads use a second connection,
which in WAL mode never blocks on (or blocks) the writer.

`lookup()` is for the reads users wait on most (leaderboards, stats): a few rows through an
index, tens of microseconds of SQLite (tests/storage/test_stats.py checks their plans). They
run on the event loop's own thread, on a plain `sqlite3` connection that never waits for a
lock: the hop to the reader's thread and back cost five times the query itself, and far more
at the 99th percentile on a busy machine. Should that connection ever meet a lock (WAL
recovery), the read goes to the reader's thread instead, so the loop is never held.

A third connection checkpoints the WAL into the database file in the background (PASSIVE,
about once a second after writes), so a commit does not stop to copy and fsync a thousand
pages while callers wait on the write lock (a debate's votes did: the slowest answers of
the interactions benchmark). The writer still checkpoints by itself past
`WRITER_AUTOCHECKPOINT` pages, should the background fall behind. Durability is the same:
with synchronous=NORMAL the WAL is synced at every checkpoint, whoever runs it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

PRAGMAS = (
    # First, so that switching a new file to WAL waits for another process opening it too.
    "PRAGMA busy_timeout=5000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)
Statement = tuple[str, Sequence[Any] | dict[str, Any]]

CHECKPOINT_DELAY = 1.0           # seconds after a write before the background checkpoint
WRITER_AUTOCHECKPOINT = 10_000   # pages (SQLite's default is 1,000)
LOOKUP_CACHE_KIB = 64 * 1024     # page cache of the lookup connection (SQLite's default: 2 MB)


class MigrationError(RuntimeError):
    """Migrations cannot be applied safely; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def discover_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Migrations in `folder`, ordered by version; a repeated version number is an error."""
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match is None:
            # Backend-specific variants (e.g. 0003_events.postgres.sql) are not ours to run.
            continue
        version = int(match.group(1))
        if version in found:
            raise MigrationError(f"two migrations share version {version:04d}: "
                                 f"{found[version].path.name} and {path.name}")
        found[version] = Migration(version, match.group(2), path, path.read_text("utf-8"))
    return [found[v] for v in sorted(found)]


async def _configure(conn: aiosqlite.Connection) -> None:
    for pragma in PRAGMAS:
        await conn.execute(pragma)
    conn.row_factory = aiosqlite.Row


def _inline_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for `Database.lookup`: it fails at once rather than wait."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("PRAGMA busy_timeout=0")
        # The counters of a big community's boards are tens of MB: with SQLite's default
        # 2 MB cache, one lookup in a hundred waited for pages to be read back in (p99 2.5 ms
        # against 0.2 ms with the cache). Pages are only held once read, so a small
        # community's bot stays small.
        conn.execute(f"PRAGMA cache_size=-{LOOKUP_CACHE_KIB}")
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


class Pipeline:
    """Statements for one connection, sent to its thread in order without a round trip each.

    `execute()` queues a statement and returns at once; `results()` then waits for every one,
    in order, and gives their rows. Inside a write transaction this turns a handful of round
    trips through the event loop into one, which matters while a lock is held. If a
    statement fails, the ones after it still run, and `results()` raises the first error
    once all are done, so the caller's transaction rolls back everything.
    """

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._tasks: list[asyncio.Task[Any]] = []

    def __len__(self) -> int:
        """Statements queued so far (their rows are at these positions in `results()`)."""
        return len(self._tasks)

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> None:
        # The task starts (and queues its statement) at the caller's next await, after every
        # statement queued before it.
        self._tasks.append(asyncio.ensure_future(self._conn.execute_fetchall(sql, params)))

    async def executemany(self, sql: str, params: Iterable[Sequence[Any]]) -> None:
        self._tasks.append(asyncio.ensure_future(self._conn.executemany(sql, params)))

    async def results(self) -> list[Any]:
        try:
            return [await task for task in self._tasks]
        except BaseException:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            raise


@dataclass(slots=True)
class _Unit:
    """Statements that commit together (see `Database.transact`)."""

    statements: list[Statement]
    done: asyncio.Future[list[list[Any]]]


def _fail(units: Iterable[_Unit], error: BaseException) -> None:
    for unit in units:
        if not unit.done.done():
            unit.done.set_exception(error)


class Database:
    """The bot's storage handle: one writer connection, one reader connection."""

    def __init__(self, path: Path, writer: aiosqlite.Connection,
                 reader: aiosqlite.Connection, checkpointer: aiosqlite.Connection,
                 inline: sqlite3.Connection) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._inline = inline
        self._checkpointer = checkpointer
        self._write_lock = asyncio.Lock()
        self._written = asyncio.Event()
        self._units: list[_Unit] = []
        self._committer: asyncio.Task[None] | None = None
        self._checkpoints = asyncio.get_running_loop().create_task(
            self._checkpoint_after_writes(), name="rostrum-wal-checkpoints")
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        opened: list[aiosqlite.Connection] = []
        try:
            for _ in range(3):
                opened.append(await aiosqlite.connect(path, isolation_level=None))
                await _configure(opened[-1])
            writer, reader, checkpointer = opened
            await writer.execute(f"PRAGMA wal_autocheckpoint={WRITER_AUTOCHECKPOINT}")
            await reader.execute("PRAGMA query_only=ON")
            inline = _inline_reader(path)
        except BaseException:
            for conn in reversed(opened):
                await conn.close()
            raise
        return cls(path, writer, reader, checkpointer, inline)

    async def close(self) -> None:
        """Close the connections; safe to call twice. Waits for a running write to finish."""
        if self._closed:
            return
        self._closed = True
        if self._committer is not None:
            await asyncio.gather(self._committer, return_exceptions=True)  # units queued
        self._checkpoints.cancel()
        await asyncio.gather(self._checkpoints, return_exceptions=True)
        await self._checkpointer.close()
        async with self._write_lock:
            await self._writer.close()  # the last connection checkpoints what is left
        await self._reader.close()
        self._inline.close()

    async def _checkpoint_after_writes(self) -> None:
        while True:
            await self._written.wait()
            await asyncio.sleep(CHECKPOINT_DELAY)  # let the writes of a busy second gather
            self._written.clear()
            try:
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                log.warning("background WAL checkpoint failed; the writer checkpoints "
                            "past %d pages", WRITER_AUTOCHECKPOINT, exc_info=True)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction (`BEGIN IMMEDIATE`); commits on exit, rolls back on error."""
        async with self._write_lock:
            conn = self._writer
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")
                self._written.set()

    async def transact(self, statements: Iterable[Statement]) -> list[list[Any]]:
        """Run `statements` in order as one atomic unit; return each one's rows.

        Units that arrive while a transaction is being written share the next one (group
        commit), and a unit's statements go to the writer's thread without a round trip
        each: a burst of changes from many debates costs a few transactions, not one each
        (the debates benchmark: 200 phase changes a second). If a shared transaction fails,
        its units run again one by one, so only a unit at fault fails. Returns once the unit
        committed; a cancelled caller still waits for that outcome before the cancellation
        propagates, so what it does next (e.g. reload its state) sees what was committed.
        """
        if self._closed:
            raise RuntimeError("the database is closed")
        loop = asyncio.get_running_loop()
        unit = _Unit(list(statements), loop.create_future())
        self._units.append(unit)
        if self._committer is None or self._committer.done():
            self._committer = loop.create_task(self._commit_units(), name="rostrum-db-commits")
        try:
            return await asyncio.shield(unit.done)
        except asyncio.CancelledError:
            await asyncio.wait([unit.done])
            raise

    async def _commit_units(self) -> None:
        while self._units:
            batch, self._units = self._units, []
            try:
                await self._run_units(batch)
            except Exception as error:
                if len(batch) == 1:
                    _fail(batch, error)
                    continue
                for unit in batch:  # alone, so that only the unit at fault fails
                    try:
                        await self._run_units([unit])
                    except Exception as alone:
                        _fail([unit], alone)
            except BaseException as error:
                _fail([*batch, *self._units], error)
                raise

    async def _run_units(self, batch: list[_Unit]) -> None:
        async with self.write() as conn:
            pipeline = Pipeline(conn)
            for unit in batch:
                for sql, params in unit.statements:
                    await pipeline.execute(sql, params)
            rows = await pipeline.results()
        start = 0
        for unit in batch:
            end = start + len(unit.statements)
            if not unit.done.done():
                unit.done.set_result(rows[start:end])
            start = end

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of a read-only query on the reader connection."""
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def lookup(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of a small indexed read, run on the loop's thread (see the module's docstring).

        Only for statements whose plan is an index search over a bounded number of rows.
        """
        try:
            return self._inline.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            return await self.fetchall(sql, params)

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in its own transaction; returns the changed row count.

        A single statement is atomic on its own (SQLite's autocommit), so it goes in one
        round trip to the writer's thread instead of three (BEGIN, statement, COMMIT): this
        is what marks every posted announcement, hundreds a second with many debates.
        """
        async with self._write_lock:
            cursor = await self._writer.execute(sql, params)
            self._written.set()
            return cursor.rowcount

    async def applied_migrations(self) -> dict[int, tuple[str, str]]:
        """version -> (name, checksum) of the migrations recorded in this database."""
        exists = await self.fetchone(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'")
        if exists is None:
            return {}
        rows = await self.fetchall("SELECT version, name, checksum FROM schema_migrations")
        return {row["version"]: (row["name"], row["checksum"]) for row in rows}

    async def migrate(self, migrations: Iterable[Migration] | None = None) -> list[Migration]:
        """Apply pending migrations in order, each in its own transaction; return those applied.

        An already-applied migration whose file changed is refused: the schema in the
        database no longer matches the code that describes it.
        """
        migrations = list(discover_migrations() if migrations is None else migrations)
        await self._writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL, checksum TEXT NOT NULL)")
        applied = await self.applied_migrations()
        for migration in migrations:
            recorded = applied.get(migration.version)
            if recorded is not None and recorded[1] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.path.name} was changed after it was applied "
                    f"(checksum {recorded[1][:12]} in the database, {migration.checksum[:12]} "
                    "on disk); add a new migration instead of editing an applied one")
        done = []
        for migration in migrations:
            if migration.version in applied:
                continue
            if await self._apply(migration):
                done.append(migration)
                log.info("applied migration %s", migration.path.name)
        return done

    async def _apply(self, migration: Migration) -> bool:
        """Apply one migration; False when another process sharing the file applied it
        while we waited for the write lock."""
        applied_at = datetime.now(UTC).isoformat(timespec="seconds")
        async with self._write_lock:
            conn = self._writer
            try:
                # executescript() runs the whole file; BEGIN/COMMIT make it one transaction.
                await conn.executescript(
                    "BEGIN IMMEDIATE;\n" + migration.sql + "\n;"
                    "INSERT INTO schema_migrations (version, name, applied_at, checksum) "
                    f"VALUES ({migration.version}, '{migration.name}', '{applied_at}', "
                    f"'{migration.checksum}');\nCOMMIT;")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
                recorded = await self.applied_migrations()
                if recorded.get(migration.version, ("", ""))[1] == migration.checksum:
                    return False
                raise MigrationError(f"migration {migration.path.name} failed: {exc}") from exc
        return True
