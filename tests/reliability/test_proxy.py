"""Behind a rate-limit proxy: the bot sends its REST requests to DISCORD_API_BASE (here the
playground stands where nirn-proxy would, in front of Discord; the child's own API address
is a dead one, so only the setting can reach it), leaves pacing to the proxy with
API_BUDGET=off, and rides out the proxy's own 429s, which carry no `Via` header (discord.py
raises them as plain HTTP errors)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from playground.emulator import Emulator
from tests.e2e.world import MANAGE_THREADS
from tests.reliability.processes import PATIENCE, bot_env, spawn

THREAD_POSTS = "POST /channels/{id}/messages"


async def test_the_bot_runs_behind_a_rate_limit_proxy(emulator: Emulator,
                                                      tmp_path: Path) -> None:
    guild = emulator.create_guild("Proxy Test")
    channel = guild.create_text_channel("debates")
    mo = guild.create_member("mo", roles=[guild.create_role("Mods", permissions=MANAGE_THREADS)])
    env = bot_env(emulator, tmp_path / "bot.sqlite3", DISCORD_API_BASE=emulator.api_base,
                  API_BUDGET="off")
    nowhere = "http://127.0.0.1:9/api/v10"  # the discard port: nothing answers there
    bot = await spawn(["-m", "playground.child", "--api", nowhere,
                       "--gateway", emulator.gateway_url], env, tmp_path / "bot.log")
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PATIENCE
        while "ready as " not in bot.log:
            assert bot.proc.returncode is None and loop.time() < deadline, bot.log[-2000:]
            await asyncio.sleep(0.05)
        assert "API budget: off (not paced)" in bot.log
        emulator.faults.rate_limit(0.2, via=False, times=2, route=THREAD_POSTS)
        r = await mo.act().slash("moderate start", channel=channel, timeout=PATIENCE,
                                 topic="history-versus-interests", format="quick")
        await r.wait_done(timeout=PATIENCE)
        [thread] = await emulator.wait_for(lambda: emulator.threads(channel) or None,
                                           timeout=PATIENCE)
        # The lobby card met the proxy's 429s twice; the outbox tried again and posted it.
        lobby = await emulator.wait_for_message(thread, lambda m: bool(m.components),
                                                timeout=PATIENCE)
        assert lobby.embeds[0]["title"].startswith("Debate #1")
        assert emulator.faults.count("rate_limit") == 2
        bot.terminate()
        assert await bot.exit_code() == 0
    finally:
        await bot.stop()
    assert "Traceback" not in bot.log
    assert "not posted (HTTPException: 429" in bot.log  # a warning, not a bug report
