"""SQLite access: connection pragmas, one writer, a read connection, and the migration runner.

There is exactly one writer connection. Every write goes through `Database.write()`, which
serialises writers with an asyncio lock and wraps the block in `BEGIN IMMEDIATE … COMMIT`,
so a read-modify-write never meets SQLITE_BUSY half-way. Reads use a second connection,
which in WAL mode never blocks on (or blocks) the writer.
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
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


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


class Database:
    """The bot's storage handle: one writer connection, one reader connection."""

    def __init__(self, path: Path, writer: aiosqlite.Connection,
                 reader: aiosqlite.Connection) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(cls, path: Path | str) -> Database:
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

    async def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        """Rows of a read-only query on the reader connection."""
        return list(await self._reader.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement in its own transaction; returns the changed row count."""
        async with self.write() as conn:
            cursor = await conn.execute(sql, params)
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
            await self._apply(migration)
            done.append(migration)
            log.info("applied migration %s", migration.path.name)
        return done

    async def _apply(self, migration: Migration) -> None:
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
