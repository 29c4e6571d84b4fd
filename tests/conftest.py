"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests.e2e.world import World, make_world

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Where the shared-database tests (several bot processes, one database) run. A WAL SQLite
#: file for now; with the PostgreSQL backend merged, add "postgres" here and they run there
#: too (a fresh schema on ROSTRUM_TEST_POSTGRES_URL, through tests/backends.py).
SHARED_BACKENDS = ("sqlite",)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in a real SQLite file under the test's temp folder."""
    database = await Database.open(tmp_path / "rostrum.sqlite3")
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
    from tests.backends import fresh_target  # the PostgreSQL backend's test helpers

    async with fresh_target("postgres", tmp_path) as url:
        yield {"DATABASE_URL": str(url)}
