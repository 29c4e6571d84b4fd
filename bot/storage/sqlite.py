"""SQLite backend (the embedded default): connection pragmas, one writer, a read connection.

There is exactly one writer connection. Every write goes through `SqliteDatabase.write()`,
which serialises writers with an asyncio lock and wraps the block in `BEGIN IMMEDIATE …
COMMIT`, so a read-modify-write never meets SQLITE_BUSY half-way. Reads use a second
connection, which in WAL mode never blocks on (or blocks) the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.db import Database, Dialect, Location, Migration, MigrationError, Params, Result

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)

SQLITE = Dialect(name="sqlite", greatest_function="max", typed_placeholders=False,
                 integrity_error=(sqlite3.IntegrityError,), errors=(sqlite3.Error,))


async def _configure(conn: aiosqlite.Connection) -> None:
    for pragma in PRAGMAS:
        await conn.execute(pragma)
    conn.row_factory = aiosqlite.Row


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
        rows = await self.connection.execute_fetchall(sql, params)
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


class SqliteDatabase(Database):
    """The storage handle on a SQLite file: one writer connection, one reader connection."""

    dialect = SQLITE

    def __init__(self, path: Path, writer: aiosqlite.Connection,
                 reader: aiosqlite.Connection) -> None:
        self.path = path
        self.location = Location("sqlite", path=path)
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def connect(cls, path: Path | str) -> SqliteDatabase:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await aiosqlite.connect(path, isolation_level=None)
        try:
            await _configure(writer)
            reader = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            await writer.close()
            raise
        try:
            await _configure(reader)
            await reader.execute("PRAGMA query_only=ON")
        except BaseException:
            await reader.close()
            await writer.close()
            raise
        return cls(path, writer, reader)

    async def close(self) -> None:
        """Close both connections; safe to call twice. Waits for a running write to finish."""
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            await self._writer.close()
        await self._reader.close()

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
                raise MigrationError(f"migration {migration.path.name} failed: {exc}") from exc
        return True
