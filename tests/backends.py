"""The two storage backends in tests: a SQLite file, or a schema of its own on a PostgreSQL
server.

The server is `ROSTRUM_TEST_POSTGRES_URL` (`.ci/run` starts a throwaway one and sets it).
Without a reachable server, PostgreSQL tests skip with the reason, except where the server
is required (`CI` or `ROSTRUM_REQUIRE_POSTGRES` set to a true value, as in `.ci/run`): there
a missing server fails them, so CI can never pass by skipping.

Each PostgreSQL test gets a fresh schema with a random name (every pool connection's
`search_path`), dropped with everything in it afterwards: tests never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from bot.storage.db import redact_url

BACKENDS = ("sqlite", "postgres")
URL_VARIABLE = "ROSTRUM_TEST_POSTGRES_URL"
REQUIRE_VARIABLES = ("CI", "ROSTRUM_REQUIRE_POSTGRES")

# Tests that check SQLite itself (pragmas, its query planner, files): the `db` fixture (or
# `database_target`) is SQLite only for them.
sqlite_only = pytest.mark.parametrize("database_target", ["sqlite"], indirect=True)

_reachable: dict[str, str | None] = {}  # url -> why it cannot be used (None: it can)


def postgres_required() -> bool:
    return any(os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")
               for name in REQUIRE_VARIABLES)


async def server_url() -> str:
    """The test server's URL; skips the calling test when there is none (fails it in CI)."""
    url = os.environ.get(URL_VARIABLE, "").strip()
    if not url:
        problem = f"{URL_VARIABLE} is not set"
    else:
        if url not in _reachable:
            try:
                conn = await asyncpg.connect(url, timeout=5)
                await conn.close()
                _reachable[url] = None
            except (OSError, TimeoutError, asyncpg.PostgresError,
                    asyncpg.InterfaceError) as error:
                _reachable[url] = f"no PostgreSQL at {redact_url(url)} ({error})"
        problem = _reachable[url]
    if problem is not None:
        if postgres_required():
            pytest.fail(f"PostgreSQL is required here (CI or ROSTRUM_REQUIRE_POSTGRES is set), "
                        f"but {problem}", pytrace=False)
        pytest.skip(f"PostgreSQL tests need a server: {problem}; .ci/run starts one")
    return url


def with_schema(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema` (asyncpg passes unknown
    query parameters to the server as settings)."""
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}"


@asynccontextmanager
async def fresh_schema(url: str) -> AsyncIterator[str]:
    """A new, empty schema with a random name; dropped, with all it holds, on exit."""
    name = f"test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield name
        finally:
            await admin.execute(f'DROP SCHEMA "{name}" CASCADE')
    finally:
        await admin.close()


@asynccontextmanager
async def fresh_target(backend: str, folder: Path) -> AsyncIterator[Path | str]:
    """Where an empty database of `backend` can be opened (as often as needed)."""
    if backend == "sqlite":
        yield folder / "rostrum.sqlite3"
        return
    url = await server_url()
    async with fresh_schema(url) as schema:
        yield with_schema(url, schema)
