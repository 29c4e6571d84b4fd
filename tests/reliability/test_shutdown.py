"""Stopping the bot while a member's command is still at work: nothing is logged as a bug,
and nothing half-done blocks the channel after the restart."""

from __future__ import annotations

from pathlib import Path

from bot.storage import debates as store
from bot.storage.opening import open_database
from playground.emulator import Emulator
from tests.e2e.world import button
from tests.reliability.helpers import (
    PATIENCE,
    ReliabilityWorld,
    make_reliability_world,
    outbox_empty,
    start_debate,
    thread_lines,
    wait_line,
)
from tests.reliability.processes import spawn_bot

THREAD_FROM_MESSAGE = "POST /channels/{id}/messages/{id}/threads"


async def test_shutdown_while_a_debate_is_starting(rworld: ReliabilityWorld,
                                                   emulator: Emulator) -> None:
    """Discord is slow to answer the thread creation and the bot stops meanwhile: the
    moderator's command dies quietly, and after the restart the channel is free again."""
    world = rworld
    emulator.faults.delay(1.0, times=1, route=THREAD_FROM_MESSAGE)
    r = await world.mo.act().slash("moderate start", channel=world.channel, wait=False,
                                   topic="history-versus-interests", format="quick")
    await emulator.wait_for(lambda: emulator.faults.count("delay") == 1, timeout=PATIENCE)
    await emulator.stop_client(world.bot)
    assert r.type == 5  # it had been deferred: the member saw "thinking", not a failure

    await world.start_bot()
    d = await start_debate(world)
    assert d.lobby.embeds[0]["title"].startswith(f"Debate #{d.id}")


async def test_a_start_killed_before_its_thread_does_not_block_the_channel(
        emulator: Emulator, tmp_path: Path) -> None:
    """The process died between saving a new debate and creating its thread (SIGKILL, power
    cut): at the next start the orphan is dropped and the channel takes a new debate."""
    world = await make_reliability_world(emulator, tmp_path, start=False)
    db = await open_database(world.settings.database_path)
    try:
        await db.migrate()
        orphan = await store.create(db, guild_id=world.guild.id, channel_id=world.channel.id,
                                    topic_id="history-versus-interests", format_id="quick",
                                    phase_seconds=None, created_by=world.mo.id, now=1.0)
    finally:
        await db.close()
    await world.start_bot()
    d = await start_debate(world)
    assert d.lobby.embeds[0]["title"].startswith(f"Debate #{d.id}")
    row = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM debates WHERE thread_id IS NULL")
    assert row["n"] == 0 and orphan == 1


async def test_announcements_cut_off_by_a_shutdown_go_out_at_the_next_start(
        rworld: ReliabilityWorld, emulator: Emulator) -> None:
    world = rworld
    d = await start_debate(world)
    emulator.faults.http(503, times=None, route="POST /channels/{id}/messages")
    await world.mo.act().click(d.lobby, button(d, "begin"), timeout=PATIENCE)
    await emulator.wait_for(lambda: emulator.faults.count("status") >= 1, timeout=PATIENCE)
    announcer = world.bot.get_cog("Debates").announcer  # type: ignore[union-attr]
    await emulator.stop_client(world.bot)
    await announcer.flush(d.id)  # a retry that fires while (or after) the bot stops
    emulator.faults.clear()

    await world.start_bot()
    await wait_line(world, d, "Phase 1/4 · Opening")
    await outbox_empty(world)
    assert thread_lines(world, d) == ["Debate #{id}: History versus interests",
                                      "Phase 1/4 · Opening"]


async def test_sigterm_lets_a_command_in_progress_answer_and_turns_new_ones_away(
        emulator: Emulator, tmp_path: Path) -> None:
    """A moderator's /moderate start is waiting on Discord (its thread takes 2 s) when the
    process gets SIGTERM: the start still completes and answers, a command sent meanwhile
    is told privately that Rostrum is restarting, the process exits 0, and the debate's
    lobby card, still in the outbox, is posted by the next start."""
    guild = emulator.create_guild("Drain Test")
    channel = guild.create_text_channel("debates")
    mod_role = guild.create_role("Moderators", permissions=1 << 34)
    mo, alice = guild.create_member("mo", roles=[mod_role]), guild.create_member("alice")
    database = tmp_path / "bot.sqlite3"
    bot = await spawn_bot(emulator, database, tmp_path / "bot.log")
    try:
        emulator.faults.delay(2.0, times=1, route=THREAD_FROM_MESSAGE)
        start = await mo.act().slash("moderate start", channel=channel, wait=False,
                                     topic="history-versus-interests", format="quick")
        await emulator.wait_for(lambda: emulator.faults.count("delay") == 1, timeout=PATIENCE)
        bot.terminate()
        await bot.wait_log("finishing what is in progress")
        late = await alice.act().slash("sections", channel=channel, timeout=PATIENCE)
        assert late.ephemeral and late.content == "Rostrum is restarting; try again in a minute."
        await start.wait_done(timeout=PATIENCE)
        assert start.followups and "📣" in start.followups[0].content  # the start answered
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()
    assert "Traceback" not in bot.log
    [thread] = emulator.threads(channel)
    bot = await spawn_bot(emulator, database, tmp_path / "bot-2.log")
    try:
        lobby = await emulator.wait_for_message(thread, lambda m: bool(m.components),
                                                timeout=PATIENCE)
        assert lobby.embeds[0]["title"].startswith("Debate #1")
    finally:
        bot.terminate()
        await bot.exit_code()
        await bot.stop()
