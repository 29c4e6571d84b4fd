"""`python -m bot db backup PATH` while the bot runs a debate and events pour in; the copy is
restored and the bot carries on from it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.storage.backup import BackupError, backup_database
from playground.emulator import Emulator
from tests.e2e.world import MANAGE_THREADS, REPO
from tests.reliability.helpers import PATIENCE, debate_with_two_debaters
from tests.reliability.processes import bot_env, spawn, spawn_bot
from tests.reliability.test_crash_durability import (
    assert_counters_recompute,
    integrity,
    stored_keys,
)


async def run_backup(emulator: Emulator, database: Path, target: Path) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "db", "backup", str(target), cwd=REPO,
        env={**os.environ, **bot_env(emulator, database)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), PATIENCE)
    assert proc.returncode == 0, out.decode()
    return out.decode()


async def test_backup_while_the_bot_runs_restores_consistent(emulator: Emulator,
                                                             tmp_path: Path) -> None:
    guild = emulator.create_guild("Backup Test")
    channel = guild.create_text_channel("debates")
    mo = guild.create_member("mo", roles=[guild.create_role("Mods", permissions=MANAGE_THREADS)])
    alice, bob = guild.create_member("alice"), guild.create_member("bob")
    database, copy = tmp_path / "live.sqlite3", tmp_path / "backups" / "copy.sqlite3"
    bot = await spawn_bot(emulator, database, tmp_path / "bot.log")
    load = None
    try:
        thread, lobby, debate = await debate_with_two_debaters(
            emulator, channel, mo, alice, bob, format="quick", phase_seconds=600)
        await mo.act().click(lobby, f"deb:{debate}:begin", timeout=PATIENCE)
        r = await alice.act().slash("debate argue", channel=thread, timeout=PATIENCE,
                                    text="Trust between neighbours rests on an honest past.")
        assert (await r.private_reply(timeout=PATIENCE)).startswith("Posted as argument #1")

        # Events pour into the same file from another process while the copy is taken.
        load = await spawn(["-m", "tests.reliability.event_load", str(database), "k", "1000"],
                           {}, tmp_path / "load.log")
        await load.wait_lines(500)
        acknowledged_before = {line for line in load.lines if line.startswith("k:")}
        out = await run_backup(emulator, database, copy)
        assert "integrity ok" in out
        load.terminate()
        assert await load.exit_code() == 0
    finally:
        if load is not None:
            await load.stop()
        bot.terminate()
        await bot.exit_code()
        await bot.stop()

    # The copy is one consistent moment: intact, every event acknowledged before the backup
    # began, nothing that never happened, and counters matching its own event log.
    assert integrity(copy) == "ok"
    in_copy = set(stored_keys(copy))
    assert acknowledged_before <= in_copy
    assert in_copy <= set(stored_keys(database))
    await assert_counters_recompute(copy)

    # Restore: the bot starts on the copy and the debate is live at the phase it was in.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(copy, restored)
    bot = await spawn_bot(emulator, restored, tmp_path / "bot-restored.log")
    try:
        status = await bob.act().slash("debate status", channel=thread, timeout=PATIENCE)
        assert status.embeds[0]["description"].startswith("**Now:** Opening (phase 1 of 4)")
        r = await bob.act().slash("debate argue", channel=thread, timeout=PATIENCE,
                                  text="Interests come first for any government, always.")
        assert (await r.private_reply(timeout=PATIENCE)).startswith("Posted as argument #2")
        bot.terminate()
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()
    with closing(sqlite3.connect(restored)) as conn:
        texts = [row[0] for row in conn.execute(
            "SELECT text FROM debate_arguments ORDER BY seq")]
    assert texts == ["Trust between neighbours rests on an honest past.",
                     "Interests come first for any government, always."]


def test_backup_refuses_to_overwrite_the_database_and_keeps_the_target(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    with pytest.raises(BackupError, match="another file"):
        backup_database(database, database)
    with pytest.raises(BackupError, match="no database"):
        backup_database(tmp_path / "missing.sqlite3", tmp_path / "out.sqlite3")
    assert not (tmp_path / "out.sqlite3").exists()
    report = backup_database(database, tmp_path / "out.sqlite3")
    assert report.bytes > 0 and integrity(report.target) == "ok"
