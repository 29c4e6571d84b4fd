"""The storage handle: one interface, two backends, and the migration runner they share.

`open_database(target)` (in `bot.storage.opening`) takes a SQLite path (or a `sqlite:///`
URL) or a `postgresql://` URL and returns the backend that serves it:
`bot.storage.sqlite.SqliteDatabase` (the embedded default) or
`bot.storage.postgres.PostgresDatabase` (asyncpg; several bot processes can share
it). Code above `bot/storage/` sees only this interface:

- `async with db.write() as tx:` — a write transaction, committed on exit and rolled back on
  error. Writes are serialised within a process on both backends (SQLite has one writer
  anyway; on PostgreSQL it keeps the group-commit writer and a privacy change from ever
  deadlocking each other). `tx` runs statements: `execute` (→ `Result(rowcount, rows)`),
  `executemany`, `fetchall`, `fetchone`, `iterate` (rows in batches) and `insert_rows` (bulk).
- `await db.transact([(sql, params), …])` — statements that commit together as one atomic
  unit, returning each one's rows. Units from concurrent callers share a transaction (group
  commit); each caller returns only once its unit committed, and a unit that fails does not
  fail the others it shared a transaction with.
- `db.fetchall / fetchone` — read-only queries outside any write transaction;
  `db.lookup` — the same for the small indexed reads users wait on (leaderboards, stats),
  which SQLite runs on the event loop's own thread; `db.execute` — one write statement in
  its own transaction; `db.read()` — one consistent read-only snapshot for several queries.
- `db.migrate()` — apply pending migrations (see below); `db.close()`.

SQL is written once, with `?` placeholders (or `:name` with a mapping of parameters); the
PostgreSQL backend translates them to `$1…`. Where the dialects truly differ, the difference
lives in `db.dialect` / `tx.dialect` (a `Dialect`), not in `if backend == …` branches.

Migrations are `migrations/NNNN_name.sql`, applied in order, each in its own transaction, and
recorded in `schema_migrations` (version, name, applied_at, checksum) on both backends. Where
a file's SQL is not portable, a variant next to it (`NNNN_name.postgres.sql`,
`NNNN_name.sqlite.sql`) replaces it for that backend. An applied migration whose file changed
is refused.
"""

from __future__ import annotations

import hashlib
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from bot.storage.batcher import Batcher, Commit, Pending

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgres))?\.sql$")
BACKENDS = ("sqlite", "postgres")

Params = Sequence[Any] | Mapping[str, Any]
Statement = tuple[str, Params]  # one statement of a `Database.transact` unit
Unit = Pending[list[Statement], list[list[Any]]]
"""One `Database.transact` call: statements that commit together, and its caller's rows."""


def _database_closed() -> RuntimeError:
    return RuntimeError("the database is closed")


def group_commit(run_batch: Commit[list[Statement], list[list[Any]]]
                 ) -> Batcher[list[Statement], list[list[Any]]]:
    """The queue of a backend's `transact` units: units of concurrent callers share a
    transaction; `run_batch` settles each unit with its rows or its error."""
    return Batcher(run_batch, name="rostrum-db-commits", closed_error=_database_closed)


class MigrationError(RuntimeError):
    """Migrations cannot be applied safely; the message says which file and why."""


class DatabaseUnavailable(RuntimeError):
    """The database server cannot be reached, or refused us; the message says where and why
    (without the password)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def discover_migrations(folder: Path = MIGRATIONS_DIR, *,
                        backend: str = "sqlite") -> list[Migration]:
    """The migrations `backend` runs from `folder`, ordered by version.

    A version's portable file (`0003_x.sql`) is replaced by its variant for this backend
    (`0003_x.postgres.sql`) when there is one; variants for other backends are ignored. Two
    files for one version and backend, or variants whose names disagree, are errors.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}")
    portable: dict[int, Migration] = {}
    variants: dict[int, Migration] = {}
    names: dict[int, tuple[str, Path]] = {}
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_FILE.match(path.name)
        if match is None:
            continue
        version, name, variant = int(match.group(1)), match.group(2), match.group(3)
        seen = names.setdefault(version, (name, path))
        if seen[0] != name:
            raise MigrationError(f"two migrations share version {version:04d}: "
                                 f"{seen[1].name} and {path.name}")
        if variant is not None and variant != backend:
            continue
        chosen = portable if variant is None else variants
        if version in chosen:
            raise MigrationError(f"two migrations share version {version:04d}: "
                                 f"{chosen[version].path.name} and {path.name}")
        chosen[version] = Migration(version, name, path, path.read_text("utf-8"))
    found = {**portable, **variants}
    return [found[v] for v in sorted(found)]


# --- where the database is -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Location:
    """A parsed database target: a SQLite file, or a PostgreSQL URL."""

    backend: str                    # "sqlite" or "postgres"
    path: Path | None = None        # SQLite
    url: str | None = field(default=None, repr=False)  # PostgreSQL (may hold a password)

    @property
    def target(self) -> Path | str:
        """What `open_database` takes."""
        return self.path if self.path is not None else self.url  # type: ignore[return-value]

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else redact_url(self.url or "")


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def parse_location(value: str | Path, *, url_only: bool = False) -> Location:
    """Parse a SQLite path, a `sqlite:///path` URL or a `postgresql://` URL.

    Raises ValueError with a one-line reason (never showing a password); with `url_only`, a
    plain path is refused too.
    """
    if isinstance(value, Path):
        return Location("sqlite", path=value)
    text = value.strip()
    if not text:
        raise ValueError("is empty")
    scheme = _SCHEME.match(text)
    if scheme is None:
        if url_only:
            raise ValueError("must be a URL: postgresql://user:password@host:port/database "
                             "or sqlite:///path/to/file.sqlite3")
        return Location("sqlite", path=Path(text))
    name = scheme.group(1).lower()
    if name == "sqlite":
        parts = urlsplit(text)
        if parts.netloc or not parts.path.startswith("/") or parts.query:
            raise ValueError("must look like sqlite:///relative/file.sqlite3 or "
                             "sqlite:////absolute/file.sqlite3 (three or four slashes, "
                             "no host, no options)")
        path = unquote(parts.path[1:])
        if not path or path.endswith("/"):
            raise ValueError("names no SQLite file after sqlite:///")
        return Location("sqlite", path=Path(path))
    if name in ("postgresql", "postgres"):
        parts = urlsplit(text)
        try:
            parts.port  # noqa: B018 (raises on a port that is not a number)
        except ValueError:
            raise ValueError(f"has a port that is not a number: {redact_url(text)}") from None
        host = parts.hostname or parse_qs(parts.query).get("host")
        if not host:
            raise ValueError(f"names no server: {redact_url(text)} (expected "
                             "postgresql://user:password@host:port/database)")
        if any(ch.isspace() for ch in text):
            raise ValueError(f"contains white space: {redact_url(text)}")
        return Location("postgres", url=text)
    raise ValueError(f"has an unsupported scheme {name + '://'!r} (use postgresql://… "
                     "or sqlite:///…)")


def redact_url(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


# --- what both backends offer ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Dialect:
    """The few places where the two SQL dialects differ, as data."""

    name: str                                   # "sqlite" or "postgres"
    greatest_function: str                      # two-argument maximum: max() / GREATEST()
    typed_placeholders: bool                    # a bare placeholder needs a type (VALUES lists)
    integrity_error: tuple[type[Exception], ...]  # what a broken constraint raises
    errors: tuple[type[Exception], ...]         # what the driver raises (all of it)
    restart_ids_sql: str | None = None          # after rows with explicit ids were copied in

    def greatest(self, a: str, b: str) -> str:
        return f"{self.greatest_function}({a}, {b})"

    def param(self, sql_type: str) -> str:
        """A `?` placeholder, typed where the dialect cannot infer it (e.g. in `VALUES`)."""
        return f"CAST(? AS {sql_type})" if self.typed_placeholders else "?"


@dataclass(frozen=True, slots=True)
class Result:
    """What a statement did: rows changed (or returned), and the rows it returned."""

    rowcount: int
    rows: list[Any]


class Transaction(Protocol):
    """Statements inside one transaction of `Database.write()` or `Database.read()`.

    Rows support `row["column"]`, `row[0]` and `tuple(row)`. Calls may be issued
    concurrently (e.g. queued as tasks): they run one after the other, in call order.
    """

    dialect: Dialect

    async def execute(self, sql: str, params: Params = ()) -> Result: ...

    async def executemany(self, sql: str, params: Iterable[Params]) -> None: ...

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Any: ...

    def iterate(self, sql: str, params: Params = (), *,
                size: int = 5000) -> AsyncIterator[list[Any]]:
        """The query's rows, `size` at a time (without holding them all in memory)."""
        ...

    async def insert_rows(self, table: str, columns: Sequence[str],
                          rows: Sequence[Sequence[Any]]) -> None:
        """Bulk insert (COPY on PostgreSQL); `table` and `columns` are trusted names."""
        ...


class Database(ABC):
    """The bot's storage handle; see the module docstring.

    Open one with `bot.storage.opening.open_database`."""

    dialect: Dialect
    location: Location

    @property
    def backend(self) -> str:
        return self.dialect.name

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @abstractmethod
    async def close(self) -> None:
        """Close every connection; safe to call twice. Waits for a running write to finish."""

    @abstractmethod
    def write(self) -> AbstractAsyncContextManager[Transaction]:
        """A write transaction; commits on exit, rolls back on error."""

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Transaction]:
        """A read-only transaction: one consistent snapshot for several queries."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows of a read-only query."""

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def lookup(self, sql: str, params: Params = ()) -> list[Any]:
        """Rows of a small indexed read-only query (a few rows through an index), which a
        backend may run by a faster path than `fetchall`; by default it is `fetchall`.

        Only for statements whose plan is an index search over a bounded number of rows.
        """
        return await self.fetchall(sql, params)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write statement in its own transaction; returns the changed row count."""
        async with self.write() as tx:
            return (await tx.execute(sql, params)).rowcount

    @abstractmethod
    async def transact(self, statements: Iterable[Statement]) -> list[list[Any]]:
        """Run `statements` in order as one atomic unit; return each one's rows.

        Units that arrive while a transaction is being written share the next one (group
        commit): a burst of changes from many debates costs a few transactions, not one
        each. A unit that fails raises to its caller alone; the units it shared a
        transaction with still commit. Returns once the unit committed; a cancelled caller
        still waits for that outcome before the cancellation propagates, so what it does
        next (e.g. reload its state) sees what was committed.
        """

    @abstractmethod
    async def table_names(self) -> set[str]:
        """The tables of this database (of the current schema on PostgreSQL)."""

    # --- migrations --------------------------------------------------------------------------

    async def applied_migrations(self) -> dict[int, tuple[str, str]]:
        """version -> (name, checksum) of the migrations recorded in this database."""
        if "schema_migrations" not in await self.table_names():
            return {}
        rows = await self.fetchall("SELECT version, name, checksum FROM schema_migrations")
        return {row["version"]: (row["name"], row["checksum"]) for row in rows}

    async def migrate(self, migrations: Iterable[Migration] | None = None) -> list[Migration]:
        """Apply pending migrations in order, each in its own transaction; return those applied.

        An already-applied migration whose file changed is refused: the schema in the
        database no longer matches the code that describes it.
        """
        migrations = list(discover_migrations(backend=self.backend) if migrations is None
                          else migrations)
        await self._create_migrations_table()
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

    @abstractmethod
    async def _create_migrations_table(self) -> None:
        """CREATE TABLE IF NOT EXISTS schema_migrations (version, name, applied_at, checksum)."""

    @abstractmethod
    async def _apply(self, migration: Migration) -> bool:
        """Run one migration and record it, in one transaction; False if another process
        recorded it first. Raises MigrationError naming the file when it fails."""
