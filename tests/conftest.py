"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests.backends import BACKENDS, fresh_target
from tests.e2e.world import World, make_world

REPO_ROOT = Path(__file__).resolve().parents[1]


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
    database = await Database.open(database_target)
    try:
        await database.migrate()
        yield database
    finally:
        await database.close()


@pytest.fixture
async def world(emulator: object, tmp_path: Path) -> World:
    """The real Rostrum bot running in the emulator (tests under tests/e2e only)."""
    return await make_world(emulator, tmp_path)  # type: ignore[arg-type]
