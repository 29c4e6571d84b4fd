"""The fault injector itself: each fault happens where, when and how often it was asked for,
and looks like Discord's (so discord.py treats it as it would treat the real one)."""

from __future__ import annotations

import aiohttp
import pytest

from playground.emulator import Emulator

ME = "GET /users/@me"


async def _get_me(emu: Emulator, session: aiohttp.ClientSession) -> int:
    async with session.get(f"{emu.api_base}/users/@me",
                           headers={"Authorization": f"Bot {emu.token}"}) as response:
        await response.read()
        return response.status


async def test_status_faults_hit_their_route_every_nth_time_then_stop(
        emulator: Emulator) -> None:
    emulator.faults.http(503, times=2, route="GET /users/{id}", every=3)  # not /users/@me
    emulator.faults.http(502, times=2, route=ME, every=3)
    async with aiohttp.ClientSession() as session:
        statuses = [await _get_me(emulator, session) for _ in range(9)]
    assert statuses == [200, 200, 502, 200, 200, 502, 200, 200, 200]
    assert [i.detail for i in emulator.faults.injected] == ["502", "502"]
    assert emulator.faults.pending == [emulator.faults.rules[0]]


async def test_a_rate_limit_looks_like_discords(emulator: Emulator) -> None:
    emulator.faults.rate_limit(retry_after=0.25, global_=True, times=None)
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{emulator.api_base}/users/@me",
                               headers={"Authorization": f"Bot {emulator.token}"}) as r:
            body = await r.json()
            assert r.status == 429 and r.headers["Via"] and r.headers["Retry-After"]
            assert r.headers["X-RateLimit-Global"] == "true"
        assert body == {"message": "You are being rate limited.", "retry_after": 0.25,
                        "global": True, "code": 0}
        emulator.faults.clear()
        assert await _get_me(emulator, session) == 200


async def test_processed_faults_do_the_work_and_lose_the_answer(emulator: Emulator) -> None:
    guild = emulator.create_guild("G")
    channel = guild.create_text_channel("general")
    emulator.faults.http(503, route="POST /channels/{id}/messages", processed=True)
    url = f"{emulator.api_base}/channels/{channel.id}/messages"
    auth = {"Authorization": f"Bot {emulator.token}"}
    async with aiohttp.ClientSession() as session, \
            session.post(url, json={"content": "hello"}, headers=auth) as r:
        assert r.status == 503
    assert [m.content for m in emulator.messages(channel)] == ["hello"]


async def test_a_disconnect_answers_nothing_and_does_nothing(emulator: Emulator) -> None:
    """(A POST: aiohttp itself quietly retries an idempotent GET on a fresh connection.)"""
    channel = emulator.create_guild("G").create_text_channel("general")
    emulator.faults.disconnect(route="POST /channels/{id}/messages")
    url = f"{emulator.api_base}/channels/{channel.id}/messages"
    auth = {"Authorization": f"Bot {emulator.token}"}
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):
            async with session.post(url, json={"content": "lost"}, headers=auth):
                pass
        async with session.post(url, json={"content": "kept"}, headers=auth) as r:
            assert r.status == 200
    assert emulator.faults.count("disconnect") == 1
    assert [m.content for m in emulator.messages(channel)] == ["kept"]


def test_bad_fault_settings_are_refused(emulator: Emulator) -> None:
    with pytest.raises(ValueError):
        emulator.faults.http(404)
    with pytest.raises(ValueError):
        emulator.faults.delay(1.0, times=0)
    with pytest.raises(ValueError):
        emulator.faults.rate_limit(every=0)
