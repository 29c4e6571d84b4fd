"""A running Rostrum inside the emulator: a guild, its members, and the real bot."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import discord

from bot.app import Rostrum
from bot.config import Settings
from bot.core.clock import FakeClock
from playground.emulator import Channel, Emulator, Guild, Member, Message, Role

REPO = Path(__file__).resolve().parents[2]
MANAGE_THREADS = discord.Permissions(manage_threads=True).value


@dataclass
class World:
    emu: Emulator
    guild: Guild
    channel: Channel
    mod_role: Role
    mo: Member
    alice: Member
    bob: Member
    carol: Member
    dave: Member
    settings: Settings
    clock: FakeClock
    bot: Rostrum = field(init=False)

    async def start_bot(self) -> Rostrum:
        self.bot = Rostrum(self.settings, clock=self.clock)
        await self.emu.start_client(self.bot)
        return self.bot

    async def restart_bot(self) -> Rostrum:
        """Stop the bot process' client and start a fresh one on the same database."""
        await self.emu.stop_client(self.bot)
        return await self.start_bot()


async def make_world(emu: Emulator, tmp_path: Path, content_dir: Path | None = None) -> World:
    guild = emu.create_guild("Rostrum Test")
    channel = guild.create_text_channel("debates")
    mod_role = guild.create_role("Moderators", permissions=MANAGE_THREADS)
    world = World(
        emu=emu, guild=guild, channel=channel, mod_role=mod_role,
        mo=guild.create_member("mo", roles=[mod_role]),
        alice=guild.create_member("alice"),
        bob=guild.create_member("bob"),
        carol=guild.create_member("carol"),
        dave=guild.create_member("dave"),
        settings=Settings(discord_token=None, database_path=tmp_path / "rostrum.sqlite3",
                          content_dir=content_dir or REPO / "content", dev_guild_id=None,
                          log_level="INFO"),
        clock=FakeClock(1_800_000_000.0),
    )
    await world.start_bot()
    return world


# ---------------------------------------------------------------- debate helpers


@dataclass
class Debate:
    id: int
    thread: Channel
    lobby: Message


async def start(world: World, fmt: str = "quick", seconds: int = 60,
                topic: str = "history-versus-interests") -> Debate:
    r = await world.mo.act().slash("moderate start", channel=world.channel, topic=topic,
                                   format=fmt, phase_seconds=seconds)
    await r.wait_done(timeout=5)
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)[-1:]),
                                                   None), description="the debate thread")
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components))
    debate_id = int(lobby.components[0]["components"][0]["custom_id"].split(":")[1])
    return Debate(debate_id, thread, lobby)


def button(d: Debate, action: str) -> str:
    return f"deb:{d.id}:{action}"


def cards(world: World, d: Debate) -> list[str]:
    """Titles of the bot's public embeds in the thread, in order (ephemerals left out)."""
    return [e.get("title") or e.get("author", {}).get("name", "")
            for m in world.emu.messages(d.thread) if not m.ephemeral for e in m.embeds]


async def wait_card(world: World, d: Debate, title_part: str) -> Message:
    return await world.emu.wait_for_message(
        d.thread, lambda m: not m.ephemeral and any(
            title_part in (e.get("title") or "") for e in m.embeds))


async def advance(world: World, d: Debate, seconds: float, expect: str) -> Message:
    """Move the bot's clock and wait for the card the timer should post."""
    world.clock.advance(seconds)
    return await wait_card(world, d, expect)


async def join(world: World, d: Debate, member: Member, side: str) -> str:
    r = await member.act().click(d.lobby, button(d, f"join-{side}"))
    return await r.private_reply()
