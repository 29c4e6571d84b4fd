"""Which bot the settings build: unsharded as always, or AutoShardedBot over SHARD_IDS."""

from __future__ import annotations

from pathlib import Path

from discord.ext import commands

from bot.app import Rostrum, ShardedRostrum, create_bot
from bot.config import Settings

REPO = Path(__file__).resolve().parents[1]


def settings(**env: str) -> Settings:
    return Settings.from_env({"CONTENT_DIR": str(REPO / "content"), **env})


async def test_without_shard_count_the_bot_is_unsharded() -> None:
    bot = create_bot(settings())
    assert type(bot) is Rostrum and not isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count is None and bot.ownership.describe() == "all guilds (unsharded)"


async def test_shard_settings_make_an_auto_sharded_bot_over_those_shards() -> None:
    bot = create_bot(settings(SHARD_COUNT="6", SHARD_IDS="0-1,4"))
    assert isinstance(bot, ShardedRostrum) and isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_count, bot.shard_ids) == (6, [0, 1, 4])
    assert bot.settings.shard_ids == (0, 1, 4) and bot.ownership.describe() == "shards 0, 1, 4 of 6"


async def test_a_shard_count_alone_runs_every_shard_in_this_process() -> None:
    bot = create_bot(settings(SHARD_COUNT="3"))
    assert isinstance(bot, ShardedRostrum)
    assert (bot.shard_count, bot.shard_ids) == (3, None)  # discord.py launches 0, 1 and 2
    assert bot.ownership.is_everything
