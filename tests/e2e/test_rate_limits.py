"""The playground's rate limits: Discord's buckets, headers and 429s, checked on the limiter
with an injected clock and end to end with a real discord.py client, which must pace itself
from the headers and ride out the 429s it gets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import discord
import pytest

from playground.barebot import BareBot
from playground.ratelimits import INVALID_WINDOW, Limit, RateLimits, bucket_hash
from tests.e2e.world import World

from .conftest import EmulatorWorld

POST = "POST /channels/{channel_id}/messages"
TOPIC = "history-versus-interests"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"


@pytest.fixture
async def bot(emulator_world: EmulatorWorld) -> AsyncIterator[BareBot]:
    client = BareBot()
    await emulator_world.emu.start_client(client)
    yield client
    await emulator_world.emu.stop_client(client)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_message_creates_are_five_per_five_seconds_per_channel() -> None:
    clock = Clock()
    limits = RateLimits(clock=clock, wall=lambda: 2_000_000_000.0)
    a, b = {"channel_id": "1"}, {"channel_id": "2"}
    remaining = [limits.admit(POST, a).headers["X-RateLimit-Remaining"] for _ in range(5)]
    assert remaining == ["4", "3", "2", "1", "0"]
    clock.now += 1.5
    refused = limits.admit(POST, a).refusal
    assert refused is not None and refused.scope == "user"
    assert refused.retry_after == 3.5  # until the window opened 5 s ago resets
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    other = limits.admit(POST, b)  # another channel: its own bucket, the same hash
    assert other.refusal is None and other.headers["X-RateLimit-Remaining"] == "4"
    assert other.headers["X-RateLimit-Bucket"] == refused.headers["X-RateLimit-Bucket"] \
        == bucket_hash(POST, Limit(5, 5.0))
    clock.now += 3.5
    after = limits.admit(POST, a)
    assert after.refusal is None and after.headers["X-RateLimit-Remaining"] == "4"
    assert float(after.headers["X-RateLimit-Reset-After"]) == 5.0
    assert float(after.headers["X-RateLimit-Reset"]) == 2_000_000_005.0


def test_the_global_limit_spares_interaction_callbacks() -> None:
    clock = Clock()
    limits = RateLimits(clock=clock, global_limit=3)
    for channel in range(3):
        assert limits.admit(POST, {"channel_id": str(channel)}).refusal is None
    refused = limits.admit("GET /channels/{channel_id}", {"channel_id": "9"}).refusal
    assert refused is not None and refused.scope == "global" and refused.retry_after == 1.0
    callback = limits.admit(CALLBACK, {"interaction_id": "5", "token": "t"})
    assert callback.refusal is None  # exempt from the token's global limit
    clock.now += 1.0
    assert limits.admit("GET /channels/{channel_id}", {"channel_id": "9"}).refusal is None
    assert limits.refused == [("GET /channels/{channel_id}", "global")]


def test_invalid_requests_are_counted_over_ten_minutes() -> None:
    clock = Clock()
    limits = RateLimits(clock=clock)
    for status, scope in ((401, None), (403, None), (429, "user"), (429, "global"),
                          (429, "shared"), (404, None), (200, None)):
        limits.answered(status, scope)
    assert limits.invalid_requests() == 4  # 401, 403 and non-shared 429s
    clock.now += INVALID_WINDOW + 1
    assert limits.invalid_requests() == 0


async def test_a_429_is_shaped_like_discords(emulator_world: EmulatorWorld) -> None:
    emu = emulator_world.emu
    emu.rate_limits.route_limits[POST] = Limit(1, 30.0)
    url = f"{emu.api_base}/channels/{emulator_world.channel.id}/messages"
    headers = {"Authorization": f"Bot {emu.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"content": "one"}, headers=headers) as first:
            assert first.status == 200
            assert first.headers["X-RateLimit-Remaining"] == "0"
        async with session.post(url, json={"content": "two"}, headers=headers) as second:
            body = await second.json()
            assert second.status == 429
            assert second.headers["Via"] and second.headers["X-RateLimit-Scope"] == "user"
            assert int(second.headers["Retry-After"]) >= 29
            assert isinstance(body["retry_after"], float) and body["global"] is False
    assert [m.content for m in emu.messages(emulator_world.channel)] == ["one"]
    assert emu.rate_limits.invalid_requests() == 1


async def test_discord_py_paces_itself_from_the_headers(emulator_world: EmulatorWorld,
                                                        bot: BareBot) -> None:
    """Sent one after another, messages never draw a 429: discord.py reads the bucket's
    remaining count and waits for its reset (a short window keeps the test quick)."""
    emu = emulator_world.emu
    emu.rate_limits.route_limits[POST] = Limit(2, 0.4)
    channel = bot.get_channel(emulator_world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    for n in range(7):
        await channel.send(f"message {n}")
    assert [m.content for m in emu.messages(emulator_world.channel)] == [
        f"message {n}" for n in range(7)]
    assert emu.rate_limits.refused == []


async def test_a_busy_token_draws_global_429s_that_discord_py_rides_out(
        emulator_world: EmulatorWorld, bot: BareBot) -> None:
    """A token with only 3 calls a second left: a burst gets global 429s, discord.py waits
    them out, and every message arrives once."""
    emu = emulator_world.emu
    emu.rate_limits.global_limit = 3
    channels = [emulator_world.guild.create_text_channel(f"c{n}") for n in range(4)]
    await asyncio.sleep(0.2)  # the bot hears of the new channels
    sends = [bot.get_channel(c.id).send(f"hello {n}")  # type: ignore[union-attr]
             for n, c in enumerate(channels) for _ in range(2)]
    await asyncio.gather(*sends)
    assert sorted(m.content for c in channels for m in emu.messages(c)) == sorted(
        f"hello {n}" for n in range(4) for _ in range(2))
    assert ("POST /channels/{channel_id}/messages", "global") in emu.rate_limits.refused


@pytest.mark.parametrize("budget", [1.5, 45.0], ids=["paced", "naive"])
async def test_three_debates_on_a_busy_token(world: World, budget: float) -> None:
    """The token has 2 calls a second left (other processes use the rest): three debates
    whose phases turn in the same second each post a card. Paced under its share
    (API_BUDGET 1.5, a margin for requests that reach Discord late) the bot draws no global
    429; told it has the usual 45, it does."""
    world.settings = replace(world.settings, api_budget=budget)
    await world.emu.stop_client(world.bot)
    world.emu.rate_limits.reset()
    world.emu.rate_limits.global_limit = 2
    await world.start_bot()
    rooms = [world.channel, *(world.guild.create_text_channel(f"room{n}") for n in range(2))]
    debates = []
    for room in rooms:
        r = await world.mo.act().slash("moderate start", channel=room, topic=TOPIC,
                                       format="quick", phase_seconds=60)
        await r.wait_done(timeout=10)
        thread = await world.emu.wait_for(lambda room=room: next(iter(world.emu.threads(room)),
                                                                 None))
        lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components),
                                                 timeout=10)
        debates.append((thread, lobby))
    for _, lobby in debates:
        debate = lobby.components[0]["components"][0]["custom_id"].split(":")[1]
        await world.alice.act().click(lobby, f"deb:{debate}:join-pro")
        await world.bob.act().click(lobby, f"deb:{debate}:join-con")
        await world.mo.act().click(lobby, f"deb:{debate}:begin")
    for phase in range(1, 5):
        for thread, _ in debates:
            await world.emu.wait_for_message(
                thread, lambda m, p=phase: any(f"Phase {p}/4" in (e.get("title") or "")
                                               for e in m.embeds), timeout=30)
        world.clock.advance(60)
    for thread, _ in debates:
        await world.emu.wait_for_message(thread, lambda m: any(
            "wins" in (e.get("title") or "") or "Draw" in (e.get("title") or "")
            for e in m.embeds), timeout=30)
    global_429s = [r for r in world.emu.rate_limits.refused if r[1] == "global"]
    if budget < 2:
        assert global_429s == []
    else:
        assert global_429s  # the test can tell
