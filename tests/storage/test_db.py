"""The storage handle and the migration runner, on real databases: every test but the
pragma check and the inline lookup's lock fallback runs on both backends (a SQLite file, a
PostgreSQL schema of its own)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from bot.storage.db import MIGRATIONS_DIR, Database, MigrationError, discover_migrations
from bot.storage.opening import open_database
from tests.backends import sqlite_only


def write_migrations(folder: Path, files: dict[str, str], backend: str = "sqlite") -> list:
    folder.mkdir(exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql, encoding="utf-8")
    return discover_migrations(folder, backend=backend)


async def test_pragmas_are_set_on_open(tmp_path: Path) -> None:
    async with await open_database(tmp_path / "sub" / "x.sqlite3") as db:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
        assert (await db.fetchone("PRAGMA synchronous"))[0] == 1  # NORMAL
    assert (tmp_path / "sub" / "x.sqlite3").exists()


async def test_fresh_database_gets_every_migration_once(database_target: Path | str) -> None:
    async with await open_database(database_target) as db:
        expected = discover_migrations(backend=db.backend)
        applied = await db.migrate()
        assert [m.path for m in applied] == [m.path for m in expected]
        assert applied[0].version == 1
        # Re-running is a no-op.
        assert await db.migrate() == []
    # A new process sees the same state and applies nothing.
    async with await open_database(database_target) as db:
        assert await db.migrate() == []
        recorded = await db.fetchall("SELECT version, name, applied_at, checksum "
                                     "FROM schema_migrations ORDER BY version")
        assert [(r["version"], r["name"], r["checksum"]) for r in recorded] == [
            (m.version, m.name, m.checksum) for m in expected]
        assert all(r["applied_at"] for r in recorded)


def test_each_backend_runs_its_own_variant_of_the_real_migrations() -> None:
    sqlite, postgres = (discover_migrations(backend=b) for b in ("sqlite", "postgres"))
    assert [m.version for m in sqlite] == [m.version for m in postgres]
    assert [m.name for m in sqlite] == [m.name for m in postgres]
    assert all(not m.path.name.endswith(".postgres.sql") for m in sqlite)
    assert [m.path.name for m in postgres] == [
        p.name for p in sorted(MIGRATIONS_DIR.glob("*.postgres.sql"))]


async def test_migrations_apply_in_numeric_order(database_target: Path | str,
                                                 tmp_path: Path) -> None:
    async with await open_database(database_target) as db:
        migrations = write_migrations(tmp_path / "m", {
            "0002_add_col.sql": "ALTER TABLE t ADD COLUMN b TEXT;",
            "0001_make_table.sql": "CREATE TABLE t (a INTEGER);",
            "0003_backend.mysql.sql": "not ours: no such backend",
        }, db.backend)
        assert [m.name for m in migrations] == ["make_table", "add_col"]
        await db.migrate(migrations)
        await db.execute("INSERT INTO t (a, b) VALUES (1, 'x')")
        assert (await db.fetchone("SELECT b FROM t"))["b"] == "x"


async def test_a_backend_variant_replaces_the_portable_file(database_target: Path | str,
                                                            tmp_path: Path) -> None:
    async with await open_database(database_target) as db:
        migrations = write_migrations(tmp_path / "m", {
            "0001_make_table.sql": "CREATE TABLE t (a INTEGER);",
            "0002_ids.sql": "CREATE TABLE u (id INTEGER PRIMARY KEY AUTOINCREMENT, w TEXT);",
            "0002_ids.postgres.sql": "CREATE TABLE u (id BIGINT GENERATED ALWAYS AS IDENTITY"
                                     " PRIMARY KEY, w TEXT);",
            "0003_only_here.sqlite.sql": "CREATE TABLE only_here (a INTEGER);",
        }, db.backend)
        chosen = {m.version: m.path.name for m in migrations}
        if db.backend == "postgres":
            assert chosen == {1: "0001_make_table.sql", 2: "0002_ids.postgres.sql"}
        else:
            assert chosen == {1: "0001_make_table.sql", 2: "0002_ids.sql",
                              3: "0003_only_here.sqlite.sql"}
        await db.migrate(migrations)
        await db.execute("INSERT INTO u (w) VALUES ('x')")
        recorded = await db.applied_migrations()
        assert recorded[2] == ("ids", migrations[1].checksum)


async def test_tampered_applied_migration_is_refused(database_target: Path | str,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "m"
    async with await open_database(database_target) as db:
        first = write_migrations(folder, {"0001_make_table.sql": "CREATE TABLE t (a INTEGER);"},
                                 db.backend)
        await db.migrate(first)
        tampered = write_migrations(folder, {"0001_make_table.sql":
                                             "CREATE TABLE t (a INTEGER, sneaky TEXT);"},
                                    db.backend)
        with pytest.raises(MigrationError, match="changed after it was applied"):
            await db.migrate(tampered)


async def test_failing_migration_leaves_nothing_behind(database_target: Path | str,
                                                       tmp_path: Path) -> None:
    async with await open_database(database_target) as db:
        migrations = write_migrations(tmp_path / "m", {
            "0001_half_broken.sql": "CREATE TABLE ok (a INTEGER);\nCREATE TABLE broken (;",
        }, db.backend)
        with pytest.raises(MigrationError, match=r"0001_half_broken\.sql"):
            await db.migrate(migrations)
        assert await db.applied_migrations() == {}
        assert "ok" not in await db.table_names()


async def test_processes_migrating_at_once_apply_each_migration_once(
        database_target: Path | str) -> None:
    # Two handles stand for two bot processes starting together on one database.
    handles = [await open_database(database_target) for _ in range(2)]
    try:
        if handles[0].backend == "sqlite":
            await handles[0].migrate()  # SQLite's processes do not share one; no race to test
            results = [await handles[1].migrate()]
        else:
            results = await asyncio.gather(*(h.migrate() for h in handles))
        applied = [m.version for result in results for m in result]
        expected = [m.version for m in discover_migrations(backend=handles[0].backend)]
        assert sorted(applied) == (expected if handles[0].backend == "postgres" else [])
        assert sorted(await handles[0].applied_migrations()) == expected
    finally:
        for handle in handles:
            await handle.close()


def test_duplicate_version_numbers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(MigrationError, match="share version 0001"):
        write_migrations(tmp_path / "m", {"0001_a.sql": "", "0001_b.sql": ""})
    with pytest.raises(MigrationError, match="share version 0002"):
        write_migrations(tmp_path / "n", {"0002_a.sql": "", "0002_b.postgres.sql": ""},
                         "postgres")


async def test_write_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(db.dialect.integrity_error):
        async with db.write() as conn:
            await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) "
                               "VALUES (1, 'now')")
            await conn.execute("INSERT INTO guild_settings (guild_id, updated_at) "
                               "VALUES (1, 'again')")
    assert await db.fetchall("SELECT * FROM guild_settings") == []


async def test_reads_cannot_write(db: Database) -> None:
    with pytest.raises((sqlite3.OperationalError, asyncpg.ReadOnlySQLTransactionError)):
        await db.fetchall("INSERT INTO guild_settings (guild_id, updated_at) VALUES (2, 'x')")
    async with db.read() as snapshot:
        with pytest.raises((sqlite3.OperationalError, asyncpg.ReadOnlySQLTransactionError)):
            await snapshot.execute("DELETE FROM guild_settings")


async def test_discord_ids_are_64_bit(db: Database) -> None:
    biggest = 2**63 - 1
    await db.execute("INSERT INTO guild_settings (guild_id, moderator_role_id, updated_at) "
                     "VALUES (?, ?, 'now')", (biggest, biggest - 1))
    row = await db.fetchone("SELECT guild_id, moderator_role_id FROM guild_settings")
    assert tuple(row) == (biggest, biggest - 1)


async def test_a_transaction_reports_rows_changed_and_returned(db: Database) -> None:
    async with db.write() as tx:
        inserted = await tx.execute(
            "INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, 'a'), (?, 'b') "
            "RETURNING guild_id", (5, 6))
        assert inserted.rowcount == 2 and sorted(r[0] for r in inserted.rows) == [5, 6]
        updated = await tx.execute("UPDATE guild_settings SET updated_at = :at "
                                   "WHERE guild_id >= :low", {"at": "c", "low": 6})
        assert (updated.rowcount, updated.rows) == (1, [])
        await tx.executemany("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?)",
                             [(7, "d"), (8, "e")])
        batches = [len(rows) async for rows in tx.iterate(
            "SELECT guild_id FROM guild_settings ORDER BY guild_id", size=3)]
        assert batches == [3, 1]
        assert (await tx.fetchone("SELECT count(*) FROM guild_settings"))[0] == 4
    assert await db.execute("DELETE FROM guild_settings WHERE guild_id > ?", (6,)) == 2


async def test_lookup_reads_what_was_just_committed(db: Database) -> None:
    await db.execute("CREATE TABLE board (user_id INTEGER PRIMARY KEY, points INTEGER)")
    await db.execute("INSERT INTO board VALUES (1, 5), (2, 9)")
    sql = "SELECT user_id, points FROM board ORDER BY points DESC"
    assert [tuple(r) for r in await db.lookup(sql)] == [(2, 9), (1, 5)]
    await db.execute("UPDATE board SET points = 20 WHERE user_id = 1")
    rows = await db.lookup(sql)
    assert [tuple(r) for r in rows] == [(1, 20), (2, 9)]
    assert rows[0]["points"] == 20  # rows by column name, as from fetchall
    with pytest.raises((sqlite3.OperationalError, asyncpg.ReadOnlySQLTransactionError)):
        await db.lookup("DELETE FROM board")


@sqlite_only
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
    first, second = await asyncio.gather(open_database(path), open_database(path))
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
