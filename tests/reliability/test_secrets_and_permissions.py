"""Secrets stay secret (the token is never logged, never in a repr; .env and databases are
never committed) and the README asks for exactly the permissions the bot uses."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import discord
import pytest

from bot.config import Settings
from playground.emulator import Emulator
from tests.e2e.world import MANAGE_THREADS, REPO
from tests.reliability.helpers import (
    EXPECTED_THREAD,
    PATIENCE,
    ReliabilityWorld,
    make_reliability_world,
    outbox_empty,
    run_quick_debate,
    thread_lines,
)
from tests.reliability.processes import spawn_bot

SECRET = "SENTINELsecretPART0123456789abcdef"


def sentinel_token(emu: Emulator) -> str:
    """The emulator's token with a recognisable secret part (Discord tokens: id.ts.hmac)."""
    emu.token = emu.token.rsplit(".", 1)[0] + "." + SECRET
    return emu.token


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))  # message, args and traceback text


@pytest.fixture
def debug_log() -> Iterator[list[str]]:
    """Every log line of every logger at DEBUG level, formatted, tracebacks included."""
    handler = _Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_settings_never_show_the_token() -> None:
    token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gabcde." + SECRET
    settings = Settings.from_env({"DISCORD_TOKEN": token})
    assert settings.discord_token == token
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    with pytest.raises(ValueError) as refused:
        Settings.from_env({"DISCORD_TOKEN": f"{SECRET} with spaces"})
    assert SECRET not in str(refused.value)


async def test_token_is_never_logged(emulator: Emulator, tmp_path: Path,
                                     debug_log: list[str]) -> None:
    """A whole debate with DEBUG logging on every logger, through a rate limit, a 5xx and a
    gateway RESUME (which sends the token again): the token appears in no log line."""
    token = sentinel_token(emulator)
    world = await make_reliability_world(emulator, tmp_path)
    assert world.settings.discord_token == token
    emulator.faults.rate_limit(retry_after=0.2, times=1, every=3)
    emulator.faults.http(503, times=1, route="POST /channels/{id}/messages", every=4)

    async def reconnect(point: str) -> None:
        if point == "argued":
            await emulator.close_gateway(4000)
            await emulator.wait_for(lambda: emulator.gateway.resumes == 1
                                    and emulator.gateway.connected, timeout=PATIENCE)

    d = await run_quick_debate(world, reconnect)
    assert thread_lines(world, d) == EXPECTED_THREAD
    assert emulator.faults.count() == 2 and emulator.gateway.resumes == 1
    assert len(debug_log) > 100, "DEBUG logging was not captured"
    assert [line for line in debug_log if SECRET in line] == []


async def test_token_is_never_in_the_bot_process_output(emulator: Emulator,
                                                        tmp_path: Path) -> None:
    sentinel_token(emulator)
    guild = emulator.create_guild("Secrets")
    channel = guild.create_text_channel("general")
    alice = guild.create_member("alice")
    bot = await spawn_bot(emulator, tmp_path / "bot.sqlite3", tmp_path / "bot.log",
                          LOG_LEVEL="DEBUG")
    try:
        r = await alice.act().slash("topics", channel=channel, timeout=PATIENCE)
        assert r.embeds
        await emulator.close_gateway(4000)
        await emulator.wait_for(lambda: emulator.gateway.resumes == 1, timeout=PATIENCE)
        bot.terminate()
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()
    output = bot.log + "\n".join(bot.lines)
    assert "IDENTIFY" in output  # DEBUG output really was on
    assert SECRET not in output


def test_env_and_databases_are_never_committed() -> None:
    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", "--no-index", path],
                              cwd=REPO, check=False).returncode == 0

    for path in (".env", "data/rostrum.sqlite3", "backups/rostrum.sqlite3",
                 "rostrum.sqlite3-wal", "rostrum.sqlite3-shm"):
        assert ignored(path), f"{path} is not ignored by git"
    assert not ignored(".env.example")
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    assert not [f for f in tracked if f == ".env" or f.endswith((".sqlite3", "-wal", "-shm"))]


# ---------------------------------------------------------------- invite permissions


def readme_permissions() -> dict[str, int]:
    """The permission table under "Inviting the bot" in the README: name -> bit."""
    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("| Permission | Why |", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"^\s*\| ([A-Z][A-Za-z ]+?) \|", table, flags=re.MULTILINE)
    found = {}
    for name in names:
        attribute = name.lower().replace(" ", "_").replace("view_channels", "view_channel")
        value = getattr(discord.Permissions, attribute, None)
        assert isinstance(value, property) or value is not None, f"unknown permission {name}"
        found[name] = discord.Permissions(**{attribute: True}).value
    assert found, "no permission table found in the README"
    return found


async def _short_run(world: ReliabilityWorld, bot_permissions: int, tag: str) -> None:
    """Start a debate, join, begin and argue in a new server with these bot permissions,
    with slash commands only (a missing permission may cost the buttons)."""
    emu = world.emu
    guild = emu.create_guild(f"Perms {tag}", bot_permissions=bot_permissions,
                             everyone_permissions=0)
    channel = guild.create_text_channel("debates")
    mo = guild.create_member("mo", roles=[guild.create_role("Mods", permissions=MANAGE_THREADS)])
    alice, bob = guild.create_member("alice"), guild.create_member("bob")
    r = await mo.act().slash("moderate start", channel=channel, timeout=PATIENCE,
                             topic="history-versus-interests", format="quick")
    await r.wait_done(timeout=PATIENCE)
    refused = await emu.wait_for(lambda: emu.threads(channel) or [
        m for m in r.followups if m.ephemeral], timeout=PATIENCE)
    if not emu.threads(channel):
        assert "Nothing was started" in refused[0].content
        return
    thread = emu.threads(channel)[0]
    for member, side in ((alice, "pro"), (bob, "con")):
        await member.act().slash("debate join", channel=thread, side=side, timeout=PATIENCE)
    await mo.act().slash("moderate next", channel=thread, timeout=PATIENCE)
    await alice.act().slash("debate argue", channel=thread, timeout=PATIENCE,
                            text="Trust between neighbours rests on an honest past.")
    r = await alice.act().slash("debate transcript", channel=thread, timeout=PATIENCE)
    await r.wait_done(timeout=PATIENCE)
    await outbox_empty(world)  # every announcement posted, or refused and dropped


@pytest.mark.emulator_expects_rejections
async def test_readme_permissions_are_exactly_what_the_bot_needs(emulator: Emulator,
                                                                 tmp_path: Path) -> None:
    """With exactly the README's permissions (and nothing from @everyone) a whole debate runs
    without one refused request; without any single one of them, something is refused."""
    listed = readme_permissions()
    granted = 0
    for bit in listed.values():
        granted |= bit
    world = await make_reliability_world(
        emulator, tmp_path, guild_options={"bot_permissions": granted,
                                           "everyone_permissions": 0})
    d = await run_quick_debate(world)
    assert thread_lines(world, d) == EXPECTED_THREAD
    r = await world.carol.act().slash("debate transcript", channel=d.thread, timeout=PATIENCE)
    await r.wait_done(timeout=PATIENCE)
    assert r.files
    for command in ("leaderboard", "summary", "topics", "help"):
        options = {"section": "economic-relations"} if command == "summary" else {}
        r = await world.carol.act().slash(command, channel=world.channel, options=options,
                                          timeout=PATIENCE)
        assert r.type is not None
    assert [str(v) for v in emulator.violations] == []

    for name, bit in listed.items():
        before = len(emulator.violations)
        await _short_run(world, granted & ~bit, name)
        refused = [str(v) for v in emulator.violations[before:]]
        assert refused, f"the bot never needed {name}: the README should not ask for it"
    assert emulator.unhandled_routes == [] and emulator.unanswered == []
