"""Opening the database a target names: the one place that knows both backends.

Kept apart from `bot.storage.db` (the interface both backends implement), so the interface
never imports its implementations.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.db import Database, parse_location


async def open_database(target: str | Path) -> Database:
    """Open (creating a SQLite file if needed) the database `target` names.

    `target`: a path or `sqlite:///path` (SQLite), or `postgresql://…` (PostgreSQL).
    """
    location = parse_location(target)
    if location.backend == "postgres":
        # asyncpg is imported only by deployments that use PostgreSQL.
        from bot.storage.postgres import PostgresDatabase

        return await PostgresDatabase.connect(location.url or "")
    from bot.storage.sqlite import SqliteDatabase

    assert location.path is not None
    return await SqliteDatabase.connect(location.path)
