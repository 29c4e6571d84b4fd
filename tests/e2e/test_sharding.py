"""The emulator shards like Discord: a session IDENTIFY'd with ``shard: [id, count]`` sees only
the guilds on its shard, and each guild's events reach only the client that owns its shard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands

from bot.core.sharding import shard_for
from playground.barebot import PING_REPLY, BareBot
from playground.emulator import Emulator, Guild
from playground.interactions import InteractionFailed


class ShardedBareBot(BareBot, commands.AutoShardedBot):
    """The emulator's reference bot over some shards; remembers whose interactions it got."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.interaction_guilds: list[int | None] = []
        self.add_listener(self._seen, "on_interaction")

    async def _seen(self, interaction: discord.Interaction) -> None:
        self.interaction_guilds.append(interaction.guild_id)


async def identify(ws: aiohttp.ClientWebSocketResponse, emu: Emulator, **extra: Any) -> None:
    assert (await ws.receive_json(timeout=2))["op"] == 10  # HELLO
    await ws.send_json({"op": 2, "d": {"token": emu.token, "intents": 1, "properties": {},
                                       **extra}})


@pytest.fixture
def guilds(emulator: Emulator) -> tuple[Guild, Guild]:
    """One guild on each shard of two, with a #debates channel."""
    a = emulator.create_guild("Shard Zero", shard=(0, 2))
    b = emulator.create_guild("Shard One", shard=(1, 2))
    for guild in (a, b):
        guild.create_text_channel("debates")
    return a, b


def test_guild_ids_can_be_made_on_a_chosen_shard(emulator: Emulator) -> None:
    made = [emulator.snowflake.on_shard(shard, 3) for shard in (2, 0, 1, 1, 2)]
    assert [shard_for(guild_id, 3) for guild_id in made] == [2, 0, 1, 1, 2]
    assert made == sorted(set(made)) and emulator.snowflake() > made[-1]


async def test_a_sharded_session_sees_only_its_shards_guilds(
        emulator: Emulator, guilds: tuple[Guild, Guild]) -> None:
    a, b = guilds
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{emulator.gateway_url}?v=10&encoding=json") as ws:
            await identify(ws, emulator, shard=[1, 2])
            ready = await ws.receive_json(timeout=2)
            assert ready["t"] == "READY" and ready["d"]["shard"] == [1, 2]
            assert ready["d"]["guilds"] == [{"id": str(b.id), "unavailable": True}]
            first = await ws.receive_json(timeout=2)
            assert (first["t"], first["d"]["id"]) == ("GUILD_CREATE", str(b.id))
            emulator.create_guild("Later Zero", shard=(0, 2))  # not for this session
            later = emulator.create_guild("Later One", shard=(1, 2))
            b.create_text_channel("news")
            a.create_text_channel("elsewhere")  # shard 0: not for this session
            frames = [await ws.receive_json(timeout=2) for _ in range(2)]
            assert [(f["t"], f["d"].get("name")) for f in frames] == [
                ("GUILD_CREATE", "Later One"), ("CHANNEL_CREATE", "news")]
            assert frames[0]["d"]["id"] == str(later.id)
        async with session.ws_connect(f"{emulator.gateway_url}?v=10&encoding=json") as ws:
            await identify(ws, emulator, shard=[2, 2])
            closed = await ws.receive(timeout=2)
            assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4010
        async with session.get(f"{emulator.api_base}/gateway/bot",
                               headers={"Authorization": f"Bot {emulator.token}"}) as answer:
            assert (await answer.json())["shards"] == emulator.recommended_shards == 1


@pytest.fixture
async def sharded_bots(emulator: Emulator,
                       guilds: tuple[Guild, Guild]) -> AsyncIterator[list[ShardedBareBot]]:
    """Two clients of one application, on shard 0 and on shard 1 of two."""
    bots = [ShardedBareBot(shard_count=2, shard_ids=[shard]) for shard in (0, 1)]
    for bot in bots:
        await emulator.start_client(bot)
    yield bots
    for bot in bots:
        await emulator.stop_client(bot)


async def test_each_sharded_client_gets_only_its_guilds_and_their_interactions(
        emulator: Emulator, guilds: tuple[Guild, Guild],
        sharded_bots: list[ShardedBareBot]) -> None:
    a, b = guilds
    zero, one = sharded_bots
    assert [g.id for g in zero.guilds] == [a.id]
    assert [g.id for g in one.guilds] == [b.id]
    assert (zero.get_guild(a.id).shard_id, one.get_guild(b.id).shard_id) == (0, 1)  # type: ignore[union-attr]

    for guild in (a, b, b, a):
        member = guild.create_member(f"member-{guild.name}")
        channel = next(c for c in guild.channels.values() if c.name == "debates")
        r = await member.act().slash("ping", channel=channel)
        await r.wait_done(timeout=5)
        assert r.content == PING_REPLY
    assert zero.interaction_guilds == [a.id, a.id]
    assert one.interaction_guilds == [b.id, b.id]


async def test_a_guild_whose_shard_is_not_connected_gets_no_answer(
        emulator: Emulator, guilds: tuple[Guild, Guild]) -> None:
    a, b = guilds
    bot = ShardedBareBot(shard_count=2, shard_ids=[1])
    await emulator.start_client(bot)
    try:
        assert [g.id for g in bot.guilds] == [b.id]
        channel = next(c for c in a.channels.values() if c.name == "debates")
        with pytest.raises(InteractionFailed, match="for guild"):
            await a.create_member("nobody").act().slash("ping", channel=channel)
        assert bot.interaction_guilds == []
    finally:
        await emulator.stop_client(bot)
