"""The SQLite handle and the migration runner, on real files."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database, MigrationError, discover_migrations


def write_migrations(folder: Path, files: dict[str, str]) -> list:
    folder.mkdir(exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return discover_migrations(folder)


async def test_pragmas_are_set_on_open(tmp_path: Path) -> None:
    async with await Database.open(tmp_path / "sub" / "x.sqlite3") as db:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # NORMAL
    assert (tmp_path / "sub" / "x.sqlite3").exists()


async def test_fresh_database_gets_every_migration_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    async with await Database.open(path) as db:
        applied = await db.migrate()
        assert [m.version for m in applied] == [m.version for m in discover_migrations()]
        assert applied[0].version == 1
        # Re-running is a no-op.
        assert await db.migrate() == []
    # A new process sees the same state and applies nothing.
    async with await Database.open(path) as db:
        assert await db.migrate() == []
        recorded = await db.fetchall("SELECT version, name, applied_at, checksum "
                                     "FROM schema_migrations ORDER BY version")
        assert [r["version"] for r in recorded] == [m.version for m in discover_migrations()]
        assert all(len(r["checksum"]) == 64 and r["applied_at"] for r in recorded)


async def test_migrations_apply_in_numeric_order(tmp_path: Path) -> None:
    migrations = write_migrations(tmp_path / "m", {
        "0002_add_col.sql": "ALTER TABLE t ADD COLUMN b TEXT;",
        "0001_make_table.sql": "CREATE TABLE t (a INTEGER);",
        "0003_backend.postgres.sql": "this is not sqlite",
    })
    assert [m.name for m in migrations] == ["make_table", "add_col"]
    async with await Database.open(tmp_path / "o.sqlite3") as db:
        await db.migrate(migrations)
        await db.execute("INSERT INTO t (a, b) VALUES (1, 'x')")
        assert (await db.fetchone("SELECT b FROM t"))["b"] == "x"


async def test_tampered_applied_migration_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    first = write_migrations(folder, {"0001_make_table.sql": "CREATE TABLE t (a INTEGER);"})
    async with await Database.open(tmp_path / "t.sqlite3") as db:
        await db.migrate(first)
        tampered = write_migrations(folder, {"0001_make_table.sql":
                                             "CREATE TABLE t (a INTEGER, sneaky TEXT);"})
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await db.migrate(tampered)


async def test_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    migrations = write_migrations(tmp_path / "m", {
        "0001_half_broken.sql": "CREATE TABLE ok (a INTEGER);\nCREATE TABLE broken (;",
    })
    async with await Database.open(tmp_path / "f.sqlite3") as db:
        with pytest.raises(MigrationError, match=r"0001_half_broken\.sql"):
            await db.migrate(migrations)
        assert await db.applied_migrations() == {}
        tables = await db.fetchall("SELECT name FROM sqlite_master WHERE name='ok'")
        assert tables == []


async def test_duplicate_version_numbers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="share version 0001"):
        write_migrations(tmp_path / "m", {"0001_a.sql": "", "0001_b.sql": ""})


async def test_write_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.write() as conn:
            await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) "
                               "VALUES (1, 'now')")
            await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) "
                               "VALUES (1, 'again')")
    assert await db.fetchall("SELECT * FROM guild_settings") == []


async def test_reader_connection_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError):
        await db.fetchall("INSERT INTO guild_settings (guild_id, updated_at) VALUES (2, 'x')")


async def test_lookup_reads_what_was_just_committed(db: Database) -> None:
    await db.execute("CREATE TABLE board (user_id INTEGER PRIMARY KEY, points INTEGER)")
    await db.execute("INSERT INTO board VALUES (1, 5), (2, 9)")
    sql = "SELECT user_id, points FROM board ORDER BY points DESC"
    assert [tuple(r) for r in await db.lookup(sql)] == [(2, 9), (1, 5)]
    await db.execute("UPDATE board SET points = 20 WHERE user_id = 1")
    rows = await db.lookup(sql)
    assert [tuple(r) for r in rows] == [(1, 20), (2, 9)]
    assert rows[0]["points"] == 20  # rows by column name, as from fetchall
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.lookup("DELETE FROM board")


async def test_lookup_never_holds_the_loop_on_a_lock(db: Database, tmp_path: Path) -> None:
    """A lookup that meets a lock goes to the reader's thread; the loop keeps running."""
    await db.execute("CREATE TABLE t (a INTEGER)")
    await db.execute("INSERT INTO t VALUES (7)")
    # Point the inline connection at a file another connection holds exclusively (the same
    # SQLITE_BUSY a lookup could meet during WAL recovery; the bot's own file cannot be
    # locked that way while its connections are open).
    locked = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("CREATE TABLE t (a INTEGER)")
    inline = db._inline
    db._inline = sqlite3.connect(locked, isolation_level=None)
    db._inline.execute("PRAGMA busy_timeout=0")
    try:
        assert [tuple(r) for r in await db.lookup("SELECT a FROM t")] == [(7,)]
    finally:
        db._inline.close()
        db._inline = inline
        holder.close()


async def test_two_processes_migrating_one_new_file_apply_each_migration_once(
        tmp_path: Path) -> None:
    # Two handles on one file lock it as two processes would (separate connections).
    path = tmp_path / "shared.sqlite3"
    first, second = await asyncio.gather(Database.open(path), Database.open(path))
    try:
        applied = await asyncio.gather(first.migrate(), second.migrate())
        versions = sorted(m.version for done in applied for m in done)
        assert versions == [m.version for m in discover_migrations()]
        assert await second.migrate() == []
        recorded = await first.fetchall("SELECT version FROM schema_migrations")
        assert len(recorded) == len(versions)
    finally:
        await first.close()
        await second.close()
