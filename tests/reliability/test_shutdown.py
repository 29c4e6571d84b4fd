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
