"""PostgreSQL backend (asyncpg): a connection pool that several bot processes can share.

Every pool connection starts with `default_transaction_read_only = on`, so reads outside a
transaction cannot write (as on SQLite's read connection); `write()` opens `BEGIN READ WRITE`
on one pooled connection. Write transactions are serialised within a process, like SQLite's
single writer: the group-commit writer and a privacy change never wait on each other's row
locks (processes are sharded by guild, so they do not touch the same rows).

The storage modules write SQL once, with `?` (or `:name`) placeholders; `translate` turns
them into `$1…` once per statement text (cached). It skips quoted literals, quoted names and
comments, so a `?` there is left alone. Migrations run as written, whole files at a time,
under an advisory lock so two processes starting together apply each migration once.

`transact` units (see `Database.transact`) queued together share one transaction on one
pooled connection. A statement that fails rejects its own unit: the transaction rolls back
and the batch runs again without that unit, so the others still commit, and nothing is
written twice since nothing was committed. Anything else (a lost connection, a failed
COMMIT, whose outcome is unknown) fails every unit of the batch, which is never retried.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import asyncpg

from bot.storage.db import (
    Database,
    DatabaseUnavailable,
    Dialect,
    Location,
    Migration,
    MigrationError,
    Params,
    Result,
    Unit,
    group_commit,
    redact_url,
)
from bot.storage.db import Statement as UnitStatement

log = logging.getLogger(__name__)

POSTGRES = Dialect(
    name="postgres", greatest_function="GREATEST", typed_placeholders=True,
    integrity_error=(asyncpg.IntegrityConstraintViolationError,),
    errors=(asyncpg.PostgresError, asyncpg.InterfaceError),
    restart_ids_sql=("SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     "coalesce(max(id), 0) + 1, false) FROM {table}"))

# What a statement of a `transact` unit may raise on its own account (bad SQL or parameters, a
# broken constraint), as opposed to a lost connection or an operator's intervention.
_UNIT_ERRORS = (asyncpg.PostgresError, TypeError, ValueError)
_BATCH_ERRORS = (asyncpg.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError)

POOL_MIN, POOL_MAX = 1, 10
CONNECT_TIMEOUT = 10.0
# Serialises migrations of one schema across processes (transaction-scoped advisory lock).
_MIGRATION_LOCK = ("SELECT pg_advisory_xact_lock("
                   "hashtextextended('rostrum migrations ' || current_schema(), 0))")


# --- placeholders ----------------------------------------------------------------------------

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::|['"]|\?"""
                    r"""|:([A-Za-z_][A-Za-z0-9_]*)""", re.S)
_RETURNS_ROWS = re.compile(r"^\s*\(*\s*(SELECT|WITH|VALUES|TABLE|SHOW|EXPLAIN)\b|\bRETURNING\b",
                           re.I)


class Statement:
    """A statement translated for PostgreSQL: its text, how to order its parameters, and
    whether it returns rows."""

    __slots__ = ("names", "placeholders", "returns_rows", "text")

    def __init__(self, text: str, names: tuple[str, ...] | None, placeholders: int,
                 returns_rows: bool) -> None:
        self.text = text
        self.names = names
        self.placeholders = placeholders
        self.returns_rows = returns_rows

    def args(self, params: Params) -> Sequence[Any]:
        if self.names is not None:
            if not isinstance(params, Mapping):
                raise TypeError("this statement takes named parameters (a mapping)")
            return [params[name] for name in self.names]
        if isinstance(params, Mapping):
            if params or self.placeholders:
                raise TypeError("this statement takes positional parameters (a sequence)")
            return ()
        if len(params) != self.placeholders:
            holders = "placeholder" if self.placeholders == 1 else "placeholders"
            given = "parameter was" if len(params) == 1 else "parameters were"
            raise TypeError(f"the statement has {self.placeholders} {holders}, "
                            f"{len(params)} {given} given")
        return params


@lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    """`?` → `$1, $2, …` in order; `:name` → `$k`, one number per distinct name.

    Quoted literals ('…'), quoted names ("…"), comments and `::` casts are copied as they
    are. Raises ValueError on an unterminated quote or on a mix of both placeholder styles.
    """
    positional = 0
    names: dict[str, int] = {}

    def substitute(match: re.Match[str]) -> str:
        nonlocal positional
        token = match.group(0)
        if token == "?":
            positional += 1
            return f"${positional}"
        if match.group(1) is not None:
            return f"${names.setdefault(match.group(1), len(names) + 1)}"
        if token in ("'", '"'):
            raise ValueError(f"unterminated {token} in SQL: {sql[:80]!r}")
        return token

    text = _TOKEN.sub(substitute, sql)
    if positional and names:
        raise ValueError(f"SQL mixes ? and :name placeholders: {sql[:80]!r}")
    return Statement(text, tuple(names) if names else None, positional,
                     _RETURNS_ROWS.search(_TOKEN.sub(_blank_literals, sql)) is not None)


def _blank_literals(match: re.Match[str]) -> str:
    """Comments become a space and quoted text an empty literal, so that what they contain
    (a "RETURNING", say) is not mistaken for SQL."""
    token = match.group(0)
    if token.startswith(("--", "/*")):
        return " "
    return "''" if token[:1] in ("'", '"') and len(token) > 1 else token


def _rowcount(status: str) -> int:
    """Rows changed, from a command status such as "UPDATE 3" or "INSERT 0 5"."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


# --- transactions ----------------------------------------------------------------------------

class PostgresTransaction:
    """Statements on one pooled connection, inside the caller's transaction.

    asyncpg runs one operation at a time per connection; a lock queues concurrent calls
    (first come, first served), so callers may issue them as tasks, as on SQLite."""

    __slots__ = ("_lock", "connection")
    dialect = POSTGRES

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self._lock = asyncio.Lock()

    async def execute(self, sql: str, params: Params = ()) -> Result:
        statement = translate(sql)
        args = statement.args(params)
        async with self._lock:
            if statement.returns_rows:
                rows = await self.connection.fetch(statement.text, *args)
                return Result(len(rows), rows)
            status = await self.connection.execute(statement.text, *args)
        return Result(_rowcount(status), [])

    async def executemany(self, sql: str, params: Iterable[Params]) -> None:
        statement = translate(sql)
        rows = [statement.args(p) for p in params]
        if rows:
            async with self._lock:
                await self.connection.executemany(statement.text, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        statement = translate(sql)
        args = statement.args(params)
        async with self._lock:
            return await self.connection.fetch(statement.text, *args)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def iterate(self, sql: str, params: Params = (), *,
                      size: int = 5000) -> AsyncIterator[list[Any]]:
        statement = translate(sql)
        args = statement.args(params)
        async with self._lock:
            cursor = await self.connection.cursor(statement.text, *args)
        while True:
            async with self._lock:
                rows = await cursor.fetch(size)
            if not rows:
                return
            yield rows

    async def insert_rows(self, table: str, columns: Sequence[str],
                          rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            async with self._lock:
                await self.connection.copy_records_to_table(
                    table, records=[tuple(row) for row in rows], columns=list(columns))


class _UnitFailed(Exception):
    """A statement of the batch's unit number `index` failed with `error`."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


# --- the database ----------------------------------------------------------------------------

class PostgresDatabase(Database):
    """The storage handle on a PostgreSQL database: an asyncpg pool."""

    dialect = POSTGRES

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        self.location = Location("postgres", url=url)
        self._pool = pool
        self._write_lock = asyncio.Lock()
        self._commits = group_commit(self._run_batch)
        self._closed = False

    @classmethod
    async def connect(cls, url: str, *, schema: str | None = None,
                      min_size: int = POOL_MIN, max_size: int = POOL_MAX) -> PostgresDatabase:
        """Open a pool on `url`; with `schema`, every connection's search_path is that schema."""
        settings = {"default_transaction_read_only": "on"}
        if schema is not None:
            settings["search_path"] = schema
        try:
            pool = await asyncpg.create_pool(url, min_size=min_size, max_size=max_size,
                                             timeout=CONNECT_TIMEOUT, server_settings=settings)
        except (OSError, TimeoutError, ValueError, asyncpg.PostgresError,
                asyncpg.InterfaceError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise DatabaseUnavailable(f"cannot connect to {redact_url(url)}: {reason}") from exc
        return cls(pool, url)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._commits.close()
        async with self._write_lock:
            await self._pool.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[PostgresTransaction]:
        """A write transaction (`BEGIN READ WRITE`); commits on exit, rolls back on error."""
        async with self._write_lock, self._pool.acquire() as conn:
            await conn.execute("BEGIN READ WRITE")
            try:
                yield PostgresTransaction(conn)
            except BaseException:
                try:
                    await conn.execute("ROLLBACK")
                except Exception:  # a broken connection: drop it, the pool makes another
                    log.warning("rollback failed; closing the connection", exc_info=True)
                    conn.terminate()
                raise
            else:
                await conn.execute("COMMIT")

    async def transact(self, statements: Iterable[UnitStatement]) -> list[list[Any]]:
        return await self._commits.submit(list(statements))

    async def _run_batch(self, batch: list[Unit]) -> None:
        pending = batch
        while pending:
            try:
                rows = await self._write_units(pending)
            except _UnitFailed as failed:  # rolled back: run the others again, without it
                pending[failed.index].fail(failed.error)
                pending = pending[:failed.index] + pending[failed.index + 1:]
                continue
            for unit, unit_rows in zip(pending, rows, strict=True):
                unit.succeed(unit_rows)
            return

    async def _write_units(self, units: list[Unit]) -> list[list[list[Any]]]:
        """Every unit's statements in one write transaction; each unit's rows once committed."""
        results: list[list[list[Any]]] = []
        async with self.write() as tx:
            for index, unit in enumerate(units):
                rows: list[list[Any]] = []
                for sql, params in unit.payload:
                    try:
                        rows.append((await tx.execute(sql, params)).rows)
                    except _BATCH_ERRORS:
                        raise
                    except _UNIT_ERRORS as error:
                        raise _UnitFailed(index, error) from error
                results.append(rows)
        return results

    @asynccontextmanager
    async def read(self) -> AsyncIterator[PostgresTransaction]:
        """A read-only, repeatable-read transaction: one snapshot for every query in it."""
        async with self._pool.acquire() as conn, \
                conn.transaction(isolation="repeatable_read", readonly=True):
            yield PostgresTransaction(conn)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        statement = translate(sql)
        return await self._pool.fetch(statement.text, *statement.args(params))

    async def table_names(self) -> set[str]:
        rows = await self.fetchall(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {row[0] for row in rows}

    async def _create_migrations_table(self) -> None:
        try:
            async with self.write() as tx:
                await tx.execute(_MIGRATION_LOCK)
                await tx.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at TEXT NOT NULL, checksum TEXT NOT NULL)")
        except asyncpg.PostgresError as exc:  # e.g. a search_path naming no schema
            raise MigrationError(f"cannot record migrations in {self.location}: {exc}") from exc

    async def _apply(self, migration: Migration) -> bool:
        applied_at = datetime.now(UTC).isoformat(timespec="seconds")
        async with self.write() as tx:
            await tx.execute(_MIGRATION_LOCK)
            if await tx.fetchone("SELECT 1 FROM schema_migrations WHERE version = ?",
                                 (migration.version,)) is not None:
                return False  # another process applied it while we waited for the lock
            try:
                await tx.connection.execute(migration.sql)  # the file as written, no placeholders
            except asyncpg.PostgresError as exc:
                raise MigrationError(f"migration {migration.path.name} failed: {exc}") from exc
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at, checksum) "
                "VALUES (?, ?, ?, ?)",
                (migration.version, migration.name, applied_at, migration.checksum))
        return True

