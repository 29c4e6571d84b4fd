"""Online backup: a consistent copy of the live database, taken with SQLite's backup API.

The bot (or anything else) may keep writing while the copy is made: the backup runs as one
step inside a read transaction, which in WAL mode never blocks writers and always sees one
committed state, so the copy holds every transaction committed before it began and nothing
half-written. The copy is checked (`PRAGMA integrity_check`) before it replaces `target`,
and written beside it first, so a failed backup never leaves a broken file at `target`.
Restoring is copying the file back while the bot is stopped.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


class BackupError(RuntimeError):
    """The backup could not be made; the message says why. `target` was left untouched."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    target: Path
    bytes: int
    pages: int
    migrations: int


def backup_database(source: Path, target: Path) -> BackupReport:
    """Copy the database at `source` to `target` (replaced atomically). Blocking."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    if target.resolve() == source.resolve():
        raise BackupError("the backup must go to another file than the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src, \
                closing(sqlite3.connect(partial)) as dst:
            src.execute("PRAGMA query_only=ON")
            src.backup(dst)  # pages=-1: one step, one read transaction, one snapshot
            dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the copy failed its integrity check: {check}")
            pages = dst.execute("PRAGMA page_count").fetchone()[0]
            migrations = _count_migrations(dst)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except sqlite3.Error as error:
        raise BackupError(f"cannot back up {source}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, target.stat().st_size, pages, migrations)


async def backup(source: Path, target: Path) -> BackupReport:
    """`backup_database` in a worker thread, for callers inside the event loop."""
    return await asyncio.to_thread(backup_database, source, target)


def _count_migrations(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'schema_migrations'").fetchone()
    if exists is None:
        return 0
    return int(conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0])
