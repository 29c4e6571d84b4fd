"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from bot.storage.opening import open_database
from tests.backends import BACKENDS, fresh_target
from tests.e2e.world import World, make_world

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Where the shared-database tests (several bot processes, one database) run: a WAL SQLite
#: file, and a fresh schema on ROSTRUM_TEST_POSTGRES_URL (tests/backends.py; skipped without
#: a server unless ROSTRUM_REQUIRE_POSTGRES=1, as in CI).
SHARED_BACKENDS = BACKENDS


@pytest.fixture(params=BACKENDS)
async def database_target(request: pytest.FixtureRequest,
                          tmp_path: Path) -> AsyncIterator[Path | str]:
    """Where an empty database can be opened, once per backend: a real SQLite file under the
    test's temp folder, or a fresh schema on the test PostgreSQL server (see tests/backends)."""
    async with fresh_target(request.param, tmp_path) as target:
        yield target


@pytest.fixture
async def db(database_target: Path | str) -> AsyncIterator[Database]:
    """A migrated database, on each backend in turn (`sqlite_only` limits a test to SQLite)."""
    database = await open_database(database_target)
    try:
        await database.migrate()
        yield database
    finally:
        await database.close()


@pytest.fixture
async def world(emulator: object, tmp_path: Path) -> World:
    """The real Rostrum bot running in the emulator (tests under tests/e2e only)."""
    return await make_world(emulator, tmp_path)  # type: ignore[arg-type]


@pytest.fixture(params=SHARED_BACKENDS)
async def shared_database(request: pytest.FixtureRequest,
                          tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    """The settings (environment variables) that point bot processes at one shared database."""
    if request.param == "sqlite":
        yield {"DATABASE_PATH": str(tmp_path / "shared.sqlite3")}
        return
    async with fresh_target("postgres", tmp_path) as url:
        yield {"DATABASE_URL": str(url)}
