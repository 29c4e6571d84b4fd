"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database
from tests.e2e.world import World, make_world

REPO_ROOT = Path(__file__).resolve().parents[1]


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
