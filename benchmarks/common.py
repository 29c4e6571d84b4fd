"""Small helpers shared by the benchmarks: sizes, temp folders, seeded randomness."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bot.storage.opening import open_database

REPO = Path(__file__).resolve().parents[1]
CONTENT_DIR = REPO / "content"
TOPICS = (
    "history-versus-interests",
    "peace-through-strength-vs-diplomacy",
    "territorial-disputes-and-escalation",
    "trade-frictions-and-economic-policy",
    "alignment-with-regional-powers",
)
NOW = 1_800_000_000.0
"""A fixed "now" (2027-01-15, a Friday, UTC) for benchmarks that use a FakeClock or seeded data."""


@contextlib.contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder on disk (not tmpfs, where we can tell), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"rostrum-bench-{prefix}-") as folder:
        yield Path(folder)


def cache_dir() -> Path:
    """Where seeded databases are kept between runs (never in the repository)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path(tempfile.gettempdir()))
    folder = Path(base) / "rostrum-bench-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def migrated(path: Path) -> None:
    """Create (or bring up to date) a database file with the real migrations."""
    async with await open_database(path) as db:
        await db.migrate()


def migrate_sync(path: Path) -> None:
    asyncio.run(migrated(path))
