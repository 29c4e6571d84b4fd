"""The PostgreSQL server of `--backend postgres` (the events and leaderboard benchmarks).

The server is `--postgres-url`, else `ROSTRUM_BENCH_POSTGRES_URL`, else
`ROSTRUM_TEST_POSTGRES_URL` (the tests' server). A run works only in schemas of its own on it,
named `rostrum_bench_…`: a fresh one for every measured database, dropped afterwards, and the
leaderboard's seeded schema, the one kept between runs (see `benchmarks.seed`). Nothing
outside those schemas is read or written.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from bot.storage.db import parse_location, redact_url
from bot.storage.postgres import PostgresDatabase

URL_OPTION = "--postgres-url"
URL_VARIABLES = ("ROSTRUM_BENCH_POSTGRES_URL", "ROSTRUM_TEST_POSTGRES_URL")
SCHEMA_PREFIX = "rostrum_bench_"
# What the figures depend on, shown in the benchmarks' notes.
SETTINGS = ("fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers")
CONNECT_TIMEOUT = 10.0


class ServerProblem(RuntimeError):
    """No usable PostgreSQL server; the message (one line) says why and what to do."""


@dataclass(frozen=True, slots=True)
class Server:
    """A reachable server: its URL, version and the settings the figures depend on."""

    url: str
    version: str
    settings: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        shown = ", ".join(f"{name}={value}" for name, value in self.settings)
        return f"PostgreSQL {self.version} at {redact_url(self.url)} ({shown})"


def server_url(given: str | None) -> str:
    """The server's URL: `given` (the option), else the first variable that is set."""
    for candidate in (given, *(os.environ.get(name) for name in URL_VARIABLES)):
        if candidate and candidate.strip():
            url = candidate.strip()
            try:
                location = parse_location(url, url_only=True)
            except ValueError as error:
                raise ServerProblem(f"the PostgreSQL URL {error}") from None
            if location.backend != "postgres":
                raise ServerProblem(f"not a PostgreSQL URL: {redact_url(url)}")
            return url
    raise ServerProblem(
        f"--backend postgres needs a server: pass {URL_OPTION} postgresql://user@host:port/db "
        f"or set {URL_VARIABLES[0]} (or {URL_VARIABLES[1]})")


async def connect(url: str, schema: str | None = None) -> asyncpg.Connection:
    """A plain driver connection (its search_path `schema`, when given)."""
    settings = {"search_path": schema} if schema is not None else {}
    try:
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT, server_settings=settings)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ServerProblem(f"cannot connect to {redact_url(url)}: {reason}") from error


async def probe(url: str) -> Server:
    """Check that the server answers, and read its version and settings."""
    conn = await connect(url)
    try:
        version = await conn.fetchval("SHOW server_version")
        settings = tuple([(name, await conn.fetchval(f"SHOW {name}")) for name in SETTINGS])
    finally:
        await conn.close()
    return Server(url, str(version).split()[0], settings)


async def open_schema(url: str, schema: str) -> PostgresDatabase:
    """The bot's own storage handle on `schema` (every pool connection's search_path)."""
    return await PostgresDatabase.connect(url, schema=schema)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@asynccontextmanager
async def fresh_schema(url: str, purpose: str) -> AsyncIterator[str]:
    """A new, empty schema with a unique name; dropped, with all it holds, on exit."""
    name = f"{SCHEMA_PREFIX}{purpose}_{secrets.token_hex(6)}"
    admin = await connect(url)
    try:
        await admin.execute(f"CREATE SCHEMA {quoted(name)}")
        try:
            yield name
        finally:
            await admin.execute(f"DROP SCHEMA {quoted(name)} CASCADE")
    finally:
        await admin.close()


async def schemas_named(conn: asyncpg.Connection, prefix: str) -> list[str]:
    """The schemas whose names start with `prefix`."""
    rows = await conn.fetch("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) "
                            "ORDER BY nspname", prefix)
    return [row[0] for row in rows]


async def drop_schemas(conn: asyncpg.Connection, names: list[str]) -> None:
    for name in names:
        await conn.execute(f"DROP SCHEMA IF EXISTS {quoted(name)} CASCADE")
