"""Run the real Rostrum in its own process against an emulator served by another process.

    python -m playground.child --api http://127.0.0.1:PORT/api/v10 \\
        --gateway ws://127.0.0.1:PORT/gateway

Settings come from the environment exactly as for ``python -m bot run`` (``DISCORD_TOKEN``
is the emulator's ``emu.token``, ``DATABASE_PATH``, ``CONTENT_DIR``, ``LOG_LEVEL``), and the
bot runs through the same :func:`bot.app.run_until_stopped`, so SIGTERM closes it as in
production. Tests use it to crash the bot for real (SIGKILL) and restart it on the same
database; benchmarks can use it to measure the bot in a process of its own.

Exit codes: 0 after a clean stop, 1 when the bot failed, 2 for bad settings or content.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings
from bot.core.content import ContentError, load_library

log = logging.getLogger("playground.child")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m playground.child",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True,
                        help="the emulator's API base (emu.api_base), e.g. "
                             "http://127.0.0.1:PORT/api/v10")
    parser.add_argument("--gateway", required=True,
                        help="the emulator's gateway URL (emu.gateway_url)")
    parser.add_argument("--guild-ready-timeout", type=float, default=0.05,
                        help="seconds discord.py waits after the last GUILD_CREATE before "
                             "on_ready (its default is 2)")
    return parser


async def _serve(settings: Settings, guild_ready_timeout: float) -> None:
    from bot.app import create_bot, run_until_stopped

    pack = load_library(settings.content_dir)
    bot = create_bot(settings, content=pack, guild_ready_timeout=guild_ready_timeout)
    await run_until_stopped(bot, settings.discord_token or "")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        settings.ensure_database_folder()
        load_library(settings.content_dir)  # fail fast, before connecting
    except (ConfigError, ContentError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    import discord.utils

    from playground.emulator import use_endpoints

    discord.utils.setup_logging(level=settings.log_level_number, root=True)
    with use_endpoints(args.api, args.gateway):
        try:
            asyncio.run(_serve(settings, args.guild_ready_timeout))
        except Exception:
            log.exception("the bot stopped with an error")
            return 1
    log.info("stopped cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
