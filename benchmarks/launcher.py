"""Runs one bot in a child process, pointed at an emulator in the parent process.

`python -m benchmarks.launcher rostrum|bare` reads the emulator's endpoints and token from
the environment (see `child_environment`), sets discord.py's `Route.BASE` and
`DiscordWebSocket.DEFAULT_GATEWAY` (what `playground.emulator.use_endpoints` does, without
importing the emulator into the child), and runs the bot until SIGTERM, then closes it
cleanly. Rostrum takes its settings from the environment like `python -m bot run`
(DATABASE_PATH, CONTENT_DIR, LOG_LEVEL), loads and checks its content pack and applies
migrations in `setup_hook`, and runs through `bot.app.run_until_stopped`, as in production.
The bare bot gets the same signal handling, written out here.

Both bots wait 0.05 s after the last GUILD_CREATE before on_ready (discord.py's
`guild_ready_timeout`, 2 s by default), as the emulator's `start_client` sets it for tests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Mapping
from typing import Any

API = "ROSTRUM_BENCH_API"
GATEWAY = "ROSTRUM_BENCH_GATEWAY"
TOKEN = "ROSTRUM_BENCH_TOKEN"
CHARTS = "ROSTRUM_BENCH_CHARTS"
GUILD_READY_TIMEOUT = 0.05


def child_environment(api: str, gateway: str, token: str,
                      extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DISCORD_TOKEN"}
    env.update({API: api, GATEWAY: gateway, TOKEN: token, "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1", **(extra or {})})
    return env


def _make_bot(kind: str) -> Any:
    options: dict[str, Any] = {"guild_ready_timeout": GUILD_READY_TIMEOUT}
    if kind == "bare":
        from playground.barebot import BareBot

        return BareBot(**options)
    from bot.app import create_bot
    from bot.config import Settings

    #: ROSTRUM_BENCH_CHARTS=off: no chart pictures (the pictures benchmark's baseline bot).
    charts = os.environ.get(CHARTS, "on") != "off"
    return create_bot(Settings.from_env(), charts=charts, **options)


async def _serve(kind: str) -> None:
    bot = _make_bot(kind)
    if kind == "rostrum":
        from bot.app import run_until_stopped

        await run_until_stopped(bot, os.environ[TOKEN])  # as `python -m bot run` does
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with bot:
        running = asyncio.create_task(bot.start(os.environ[TOKEN]))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        await bot.close()
        stopping.cancel()
        if running.done() and running.exception() is not None:
            raise running.exception()  # type: ignore[misc]


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    if kind not in ("rostrum", "bare"):
        print("usage: python -m benchmarks.launcher rostrum|bare", file=sys.stderr)
        return 2
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    Route.BASE = os.environ[API]
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ[GATEWAY])
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve(kind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
