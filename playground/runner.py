"""Start the emulator, a small guild, and the real Rostrum bot logged in to it."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord

from bot.app import Rostrum
from bot.config import Settings
from bot.core.clock import Clock
from bot.core.content import ContentPack
from playground.emulator import Channel, Emulator, Guild, Member, Role

GUILD_NAME = "Rostrum Playground"
CHANNEL_NAME = "debates"
#: The console's own member first; the others are there to join debates and vote.
MEMBER_NAMES = ("you", "alice", "bob", "carol")
MODERATORS = discord.Permissions(manage_threads=True).value
ADMINS = discord.Permissions(manage_guild=True).value


@dataclass
class Playground:
    """Everything the console needs: the emulator, where it is, who is there, and the bot."""

    emu: Emulator
    guild: Guild
    channel: Channel
    mod_role: Role
    members: dict[str, Member]
    bot: Rostrum
    log_path: Path | None = None

    @property
    def you(self) -> Member:
        return self.members["you"]

    def signature(self) -> tuple[Any, ...]:
        """Changes whenever something a reader would see changes: messages (edits, deletions,
        answers given), channels and threads (archived, locked), interactions, the server's
        language, requests Discord would have refused. The console waits for it to settle;
        the browser page redraws when it moves."""
        emu = self.emu
        messages = emu.messages_by_id.values()
        edits = sum(len(m.edits) + m.deleted + 2 * m.loading for m in messages)
        channels = self.guild.channels.values()
        return (len(emu.messages_by_id), edits, len(self.guild.channels),
                sum(c.archived + 2 * c.locked for c in channels), len(emu.interactions),
                self.guild.locale, len(emu.violations))


def log_file_for(settings: Settings) -> Path:
    """Where the playground writes library and bot logs: beside the database."""
    return settings.database_path.parent / "playground.log"


def send_logs_to_file(settings: Settings) -> Path:
    """Route every log record to data/playground.log so nothing scribbles over the console."""
    path = log_file_for(settings)
    settings.ensure_database_folder()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)-8s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level_number)
    return path


@contextlib.asynccontextmanager
async def start_playground(settings: Settings, *, content: ContentPack | None = None,
                           clock: Clock | None = None) -> AsyncIterator[Playground]:
    """The emulator with guild "Rostrum Playground" (#debates, a Moderators role with Manage
    Threads; members you (moderator, and Manage Server for /settings), alice, bob, carol) and
    the real bot on the settings' database and content; all stopped on exit."""
    settings.ensure_database_folder()
    async with Emulator(bot_name="Rostrum") as emu:
        guild = emu.create_guild(GUILD_NAME)
        channel = guild.create_text_channel(
            CHANNEL_NAME, topic="Structured debates about Japan–Korea relations")
        mod_role = guild.create_role("Moderators", permissions=MODERATORS)
        admin_role = guild.create_role("Admins", permissions=ADMINS)
        members = {"you": guild.create_member("you", roles=[mod_role, admin_role])}
        for name in MEMBER_NAMES[1:]:
            members[name] = guild.create_member(name)
        bot = Rostrum(settings, content=content, clock=clock)
        await emu.start_client(bot, timeout=30.0)
        try:
            yield Playground(emu=emu, guild=guild, channel=channel, mod_role=mod_role,
                             members=members, bot=bot)
        finally:
            await emu.stop_client(bot)
