"""A whole debate driven through the emulator, with timeouts generous enough for faults.

`run_quick_debate` plays the same quick debate every time (two debaters, three voters, a
warning and a card per phase, a result) and returns what a member reading the thread saw,
so a test can compare it with `EXPECTED_THREAD`: every announcement once, in order.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app import Rostrum
from bot.config import Settings
from bot.core.clock import FakeClock
from bot.storage.db import Database
from playground.emulator import Channel, Emulator, InteractionResult, Member, Message
from tests.e2e.world import MANAGE_THREADS, REPO, Debate, World, button

#: Seconds to wait for anything the bot does; faults (discord.py's own 5xx back-off is 1 s,
#: then 3 s) make some answers slow, and none of these is a timing assertion.
PATIENCE = 20.0
OUTBOX_RETRY_SECONDS = 0.3
PRO_TEXT = "Trust between neighbours rests on an honest account of the past, always."
CON_TEXT = "Courts cannot be allowed to run foreign policy for two democracies."

#: What a member reads in the thread of the quick debate `run_quick_debate` plays.
EXPECTED_THREAD = [
    "Debate #{id}: History versus interests",
    "Phase 1/4 · Opening",
    "Argument #1 · alice · Pro",
    "Argument #2 · bob · Con",
    "warning: Opening",
    "Phase 2/4 · Rebuttal",
    "warning: Rebuttal",
    "Phase 3/4 · Closing",
    "warning: Closing",
    "Phase 4/4 · Vote",
    "warning: Vote",
    "Vote closed",
    "Con wins · History versus interests",
]


@dataclass
class ReliabilityWorld(World):
    """`World` whose bot is built with extra `commands.Bot` options (e.g. heartbeat_timeout)."""

    bot_options: dict[str, Any] = field(default_factory=dict)

    async def start_bot(self) -> Rostrum:
        self.bot = Rostrum(self.settings, clock=self.clock, **self.bot_options)
        await self.emu.start_client(self.bot, timeout=PATIENCE)
        fast_outbox_retries()
        return self.bot


def fast_outbox_retries() -> None:
    """The outbox retries after 5 s in production; a fraction of that keeps tests short.

    Set on the module the running bot loaded: discord.py re-imports an extension's modules
    each time a bot loads it, so patching before start-up would patch a stale module.
    """
    sys.modules["bot.cogs.debates.announcer"].RETRY_SECONDS = OUTBOX_RETRY_SECONDS


def settings_for(database: Path, token: str | None = None) -> Settings:
    return Settings(discord_token=token, database_path=database, content_dir=REPO / "content",
                    dev_guild_id=None, log_level="INFO")


async def make_reliability_world(emu: Emulator, tmp_path: Path, *, start: bool = True,
                                 guild_options: dict[str, Any] | None = None,
                                 **bot_options: Any) -> ReliabilityWorld:
    """Lean posting is off unless asked for: these faults target the outbox, and with it
    off every argument, warning and vote-closed card goes through the outbox, so each kind
    of post meets the fault."""
    bot_options.setdefault("lean_posts", False)
    guild = emu.create_guild("Rostrum Test", **(guild_options or {}))
    mod_role = guild.create_role("Moderators", permissions=MANAGE_THREADS)
    world = ReliabilityWorld(
        emu=emu, guild=guild, channel=guild.create_text_channel("debates"), mod_role=mod_role,
        mo=guild.create_member("mo", roles=[mod_role]),
        alice=guild.create_member("alice"), bob=guild.create_member("bob"),
        carol=guild.create_member("carol"), dave=guild.create_member("dave"),
        settings=settings_for(tmp_path / "rostrum.sqlite3", emu.token),
        clock=FakeClock(1_800_000_000.0), bot_options=bot_options)
    if start:
        await world.start_bot()
    return world


# ---------------------------------------------------------------- reading the thread


def signature(message: Message) -> str:
    """One line per public bot message, stable across runs (ids and times left out)."""
    for embed in message.embeds:
        footer = (embed.get("footer") or {}).get("text", "")
        if footer.startswith("Argument #"):
            name, side = (embed.get("author") or {}).get("name", "").split(" · ")[:2]
            return f"{footer.split(' · ')[0]} · {name} · {side}"
        title = embed.get("title") or ""
        if title.endswith(" closed"):
            return "Vote closed"
        if title:
            return title
    if " left in " in message.content:
        return "warning: " + message.content.split(" left in ")[1].split(" (ends")[0]
    return message.content


def thread_lines(world: World, d: Debate) -> list[str]:
    return [signature(m).replace(f"#{d.id}:", "#{id}:")
            for m in world.emu.messages(d.thread) if not m.ephemeral and not m.deleted]


async def outbox_empty(world: World) -> None:
    """Wait until every announcement in the outbox was posted."""
    for _ in range(int(PATIENCE / 0.05)):
        row = await world.bot.db.fetchone("SELECT COUNT(*) AS n FROM debate_outbox")
        if row["n"] == 0:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("announcements were still pending in the outbox")


COUNTER_TABLES = {
    "member_counters": "guild_id, user_id, period",
    "member_topic_counters": "guild_id, user_id, period, topic_id",
    "board_buckets": "guild_id, period, points",
    "topic_board_buckets": "guild_id, topic_id, period, points",
}


async def counters_snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every counter and board-bucket row, in a stable order."""
    return {table: [tuple(row) for row in await db.fetchall(
        f"SELECT * FROM {table} ORDER BY {order}")] for table, order in COUNTER_TABLES.items()}


# ---------------------------------------------------------------- acting


async def answered(result: InteractionResult) -> InteractionResult:
    """Wait for a deferred answer to be completed."""
    return await result.wait_done(timeout=PATIENCE)


async def slash(member: Member, command: str, **options: Any) -> InteractionResult:
    return await member.act().slash(command, timeout=PATIENCE, **options)


async def click(member: Member, message: Message, custom_id: str) -> InteractionResult:
    return await member.act().click(message, custom_id, timeout=PATIENCE)


async def wait_line(world: World, d: Debate, line: str) -> Message:
    return await world.emu.wait_for_message(
        d.thread, lambda m: not m.ephemeral and signature(m) == line, timeout=PATIENCE)


async def start_debate(world: World, fmt: str = "quick", seconds: int = 60) -> Debate:
    before = {t.id for t in world.emu.threads(world.channel)}
    r = await slash(world.mo, "moderate start", channel=world.channel,
                    topic="history-versus-interests", format=fmt, phase_seconds=seconds)
    await answered(r)
    assert not r.ephemeral and r.content.startswith("📣 **Debate #"), r.content
    thread = await world.emu.wait_for(
        lambda: next((t for t in world.emu.threads(world.channel) if t.id not in before),
                     None), timeout=PATIENCE, description="the new debate thread")
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components),
                                             timeout=PATIENCE)
    debate_id = int(lobby.components[0]["components"][0]["custom_id"].split(":")[1])
    return Debate(debate_id, thread, lobby)


Checkpoint = Callable[[str], Awaitable[None]]


async def _nothing(point: str) -> None:
    return None


async def run_quick_debate(world: World, at: Checkpoint = _nothing) -> Debate:
    """A whole quick debate; asserts every member gets the right private answer.

    `at(point)` runs at "started", "begun", "argued", "Rebuttal", "Closing", "Vote" and
    "voted", for tests that inject a fault at a particular moment.
    """
    d = await start_debate(world)
    await at("started")
    for member, side in ((world.alice, "pro"), (world.bob, "con")):
        r = await click(member, d.lobby, button(d, f"join-{side}"))
        assert r.ephemeral and f"You joined the **{side}** side" in r.content, r.content
    r = await click(world.mo, d.lobby, button(d, "begin"))
    assert r.ephemeral and r.content == "Debate begun.", r.content
    opening = await wait_line(world, d, "Phase 1/4 · Opening")
    await at("begun")

    form = await click(world.alice, opening, button(d, "argue"))
    assert form.modal is not None
    r = await world.alice.act().submit_modal(form, {"argument": PRO_TEXT}, timeout=PATIENCE)
    assert r.ephemeral and r.content.startswith("Posted as argument #1"), r.content
    await wait_line(world, d, "Argument #1 · alice · Pro")
    r = await slash(world.bob, "debate argue", channel=d.thread, text=CON_TEXT)
    assert r.ephemeral and r.content.startswith("Posted as argument #2"), r.content
    await wait_line(world, d, "Argument #2 · bob · Con")
    await at("argued")

    phases = ["Opening", "Rebuttal", "Closing", "Vote"]
    vote: Message | None = None
    for number, phase in enumerate(phases, start=1):
        world.clock.advance(50)
        await wait_line(world, d, f"warning: {phase}")
        if number < len(phases):
            world.clock.advance(10)
            card = await wait_line(world, d, f"Phase {number + 1}/4 · {phases[number]}")
            await at(phases[number])
            if phases[number] == "Vote":
                vote = card
                for member, side in ((world.carol, "pro"), (world.dave, "con"),
                                     (world.mo, "con")):
                    r = await click(member, card, button(d, f"vote-{side}"))
                    assert r.ephemeral and r.content.startswith(
                        f"Vote recorded: **{side}**"), r.content
                await at("voted")
    assert vote is not None
    world.clock.advance(10)
    await wait_line(world, d, "Con wins · History versus interests")
    await outbox_empty(world)
    return d


async def debate_with_two_debaters(emu: Emulator, channel: Channel, moderator: Member,
                                   pro: Member, con: Member, *, format: str,
                                   phase_seconds: int) -> tuple[Channel, Message, str]:
    """`/moderate start` in `channel`, then `pro` and `con` join from the lobby card.

    Returns the debate's thread, its lobby card and the debate id from the card's buttons.
    """
    r = await moderator.act().slash("moderate start", channel=channel, timeout=PATIENCE,
                                    topic="history-versus-interests", format=format,
                                    phase_seconds=phase_seconds)
    await r.wait_done(timeout=PATIENCE)
    thread = await emu.wait_for(lambda: next(iter(emu.threads(channel)), None),
                                timeout=PATIENCE)
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components), timeout=PATIENCE)
    debate = lobby.components[0]["components"][0]["custom_id"].split(":")[1]
    for member, side in ((pro, "pro"), (con, "con")):
        await member.act().click(lobby, f"deb:{debate}:join-{side}", timeout=PATIENCE)
    return thread, lobby, debate
