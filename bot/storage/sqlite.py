"""SQLite backend (the embedded default): connection pragmas, one writer, a read connection.

There is exactly one writer connection, and every write holds one asyncio lock while it
uses it. `SqliteDatabase.write()` wraps a block in `BEGIN IMMEDIATE … COMMIT`, so a
read-modify-write never meets SQLITE_BUSY half-way. Reads use a second
connection, which in WAL mode never blocks on (or blocks) the writer.

`transact` units (see `Database.transact`) go to the writer's thread as one call: BEGIN
IMMEDIATE, every statement of the batch, COMMIT, in a single round trip, which matters while
the write lock is held. If a shared transaction fails, its units run again one by one, so only
a unit at fault fails.

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
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.db import (
    Database,
    Dialect,
    Location,
    Migration,
    MigrationError,
    Params,
    Result,
    Statement,
    Unit,
    group_commit,
)

log = logging.getLogger(__name__)

PRAGMAS = (
    # First, so that switching a new file to WAL waits for another process opening it too.
    "PRAGMA busy_timeout=5000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
)

CHECKPOINT_DELAY = 1.0           # seconds after a write before the background checkpoint
WRITER_AUTOCHECKPOINT = 10_000   # pages (SQLite's default is 1,000)
LOOKUP_CACHE_KIB = 64 * 1024     # page cache of the lookup connection (SQLite's default: 2 MB)
OPEN_LOCK_WAIT = 5.0             # seconds a pragma at open waits for another process's lock

SQLITE = Dialect(name="sqlite", greatest_function="max", typed_placeholders=False,
                 integrity_error=(sqlite3.IntegrityError,), errors=(sqlite3.Error,))


async def _configure(conn: aiosqlite.Connection) -> None:
    for pragma in PRAGMAS:
        await _run_pragma(conn, pragma)
    conn.row_factory = aiosqlite.Row


async def _run_pragma(conn: aiosqlite.Connection, pragma: str) -> None:
    """Run `pragma`, retrying while another process holds a lock it needs.

    SQLite does not call the busy handler for every lock a pragma takes (switching a new
    file to WAL while a second bot process opens it too answered "database is locked" at
    once), so the wait that `busy_timeout` gives elsewhere is given here by hand.
    """
    deadline = time.monotonic() + OPEN_LOCK_WAIT
    delay = 0.005
    while True:
        try:
            await conn.execute(pragma)
            return
        except sqlite3.OperationalError as error:
            locked = error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not locked or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.1)


def _inline_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection for `SqliteDatabase.lookup`: it fails at once rather than wait."""
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


class SqliteTransaction:
    """Statements on one aiosqlite connection, inside the caller's transaction.

    aiosqlite runs a connection's calls on its own thread, in the order they were made, so
    statements may be queued as concurrent tasks (see `bot.storage.events`)."""

    __slots__ = ("connection",)
    dialect = SQLITE

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self.connection = connection

    async def execute(self, sql: str, params: Params = ()) -> Result:
        cursor = await self.connection.execute(sql, params)
        if cursor.description is None:  # no rows to read: one round trip, as before
            return Result(cursor.rowcount, [])
        rows = list(await cursor.fetchall())
        return Result(len(rows), rows)

    async def executemany(self, sql: str, params: Iterable[Params]) -> None:
        await self.connection.executemany(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        return list(await self.connection.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        rows = list(await self.connection.execute_fetchall(sql, params))
        return rows[0] if rows else None

    async def iterate(self, sql: str, params: Params = (), *,
                      size: int = 5000) -> AsyncIterator[list[Any]]:
        cursor = await self.connection.execute(sql, params)
        try:
            while rows := await cursor.fetchmany(size):
                yield list(rows)
        finally:
            await cursor.close()

    async def insert_rows(self, table: str, columns: Sequence[str],
                          rows: Sequence[Sequence[Any]]) -> None:
        placeholders = ", ".join("?" * len(columns))
        await self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows)


async def _on_connection_thread(conn: aiosqlite.Connection,
                                fn: Callable[[sqlite3.Connection, Any], Any], arg: Any) -> Any:
    """Run `fn(raw_connection, arg)` on the connection's own thread, in one round trip.

    aiosqlite sends each call to its thread and wakes the event loop for each answer; a
    transaction of BEGIN, three statements and COMMIT was three waits and five wake-ups,
    each paid again whenever the loop or the thread waited for the other. `_execute` and
    `_conn` are aiosqlite's own (stable across the versions pyproject allows).
    """
    raw = conn._conn
    return await conn._execute(fn, raw, arg)


def _transaction(raw: sqlite3.Connection, statements: list[Statement]) -> list[list[Any]]:
    """BEGIN IMMEDIATE, the statements, COMMIT; rolled back if any of them fails."""
    raw.execute("BEGIN IMMEDIATE")
    try:
        rows = [raw.execute(sql, params).fetchall() for sql, params in statements]
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:
            raw.execute("ROLLBACK")
        raise
    return rows


class SqliteDatabase(Database):
    """The storage handle on a SQLite file: one writer connection, one reader connection
    (plus one for inline lookups, and one that checkpoints the WAL in the background)."""

    dialect = SQLITE

    def __init__(self, path: Path, writer: aiosqlite.Connection,
                 reader: aiosqlite.Connection, checkpointer: aiosqlite.Connection,
                 inline: sqlite3.Connection) -> None:
        self.path = path
        self.location = Location("sqlite", path=path)
        self._writer = writer
        self._reader = reader
        self._inline = inline
        self._checkpointer = checkpointer
        self._write_lock = asyncio.Lock()
        self._written = asyncio.Event()
        self._commits = group_commit(self._run_batch)
        self._checkpoints = asyncio.get_running_loop().create_task(
            self._checkpoint_after_writes(), name="rostrum-wal-checkpoints")
        self._closed = False

    @classmethod
    async def connect(cls, path: Path | str) -> SqliteDatabase:
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
        """Close the connections; safe to call twice. Waits for queued units and a running
        write to finish."""
        if self._closed:
            return
        self._closed = True
        await self._commits.close()
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

    @asynccontextmanager
    async def write(self) -> AsyncIterator[SqliteTransaction]:
        """A write transaction (`BEGIN IMMEDIATE`); commits on exit, rolls back on error."""
        async with self._write_lock:
            conn = self._writer
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(conn)
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")
                self._written.set()

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement in its own transaction; returns the changed row count.

        A single statement is atomic on its own (SQLite's autocommit), so it goes in one
        round trip to the writer's thread instead of three (BEGIN, statement, COMMIT): this
        is what marks every posted announcement, hundreds a second with many debates.
        """
        async with self._write_lock:
            cursor = await self._writer.execute(sql, params)
            self._written.set()
            return cursor.rowcount

    async def transact(self, statements: Iterable[Statement]) -> list[list[Any]]:
        return await self._commits.submit(list(statements))

    async def _run_batch(self, batch: list[Unit]) -> None:
        try:
            await self._run_units(batch)
        except Exception:
            if len(batch) == 1:
                raise
            for unit in batch:  # alone, so that only the unit at fault fails
                try:
                    await self._run_units([unit])
                except Exception as alone:
                    unit.fail(alone)

    async def _run_units(self, batch: list[Unit]) -> None:
        statements = [statement for unit in batch for statement in unit.payload]
        async with self._write_lock:
            rows = await _on_connection_thread(self._writer, _transaction, statements)
            self._written.set()
        start = 0
        for unit in batch:
            end = start + len(unit.payload)
            unit.succeed(rows[start:end])
            start = end

    @asynccontextmanager
    async def read(self) -> AsyncIterator[SqliteTransaction]:
        """One read transaction on the reader connection: a single WAL snapshot."""
        conn = self._reader
        await conn.execute("BEGIN")
        try:
            yield SqliteTransaction(conn)
        finally:
            await conn.execute("COMMIT")

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows of a read-only query on the reader connection."""
        return list(await self._reader.execute_fetchall(sql, params))

    async def lookup(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows of a small indexed read, run on the loop's thread (see the module's docstring).

        Only for statements whose plan is an index search over a bounded number of rows.
        """
        try:
            return self._inline.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
            return await self.fetchall(sql, params)

    async def table_names(self) -> set[str]:
        rows = await self.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        return {row[0] for row in rows}

    async def _create_migrations_table(self) -> None:
        await self._writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL, checksum TEXT NOT NULL)")

    async def _apply(self, migration: Migration) -> bool:
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
                # Another process sharing the file applied it while we waited for the lock.
                recorded = await self.applied_migrations()
                if recorded.get(migration.version, ("", ""))[1] == migration.checksum:
                    return False
                raise MigrationError(f"migration {migration.path.name} failed: {exc}") from exc
        return True
