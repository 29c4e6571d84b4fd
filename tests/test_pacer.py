"""The pacer: turns at its rate, most urgent first, and only for rate-limited routes."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from bot.pacer import Pacer, Priority, install, prepaid


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        for _ in range(3):  # let whoever was just given a turn run first
            await asyncio.sleep(0)
        self.now += seconds


async def test_turns_come_at_the_rate_and_most_urgent_first() -> None:
    time = FakeTime()
    pacer = Pacer(1, now=time, sleep=time.sleep)
    order: list[tuple[str, float]] = []

    async def call(name: str, level: Priority) -> None:
        await pacer.turn(level)
        order.append((name, time.now))

    await call("first", Priority.OTHER)  # the burst: at once
    await asyncio.gather(call("refresh", Priority.DISPLAY), call("argument", Priority.ARGUMENT),
                         call("card", Priority.CARD), call("other", Priority.OTHER))
    assert order == [("first", 0.0), ("card", 1.0), ("argument", 2.0), ("refresh", 3.0),
                     ("other", 4.0)]
    assert pacer.granted[Priority.CARD] == 1 and pacer.waiting == 0


async def test_only_rate_limited_routes_wait_and_a_prepaid_turn_is_used_once() -> None:
    time = FakeTime()
    pacer = Pacer(1, now=time, sleep=time.sleep)
    sent: list[str] = []

    async def request(route: Any, *args: Any, **kwargs: Any) -> None:
        sent.append(f"{route.path} at {time.now:g}")

    http = SimpleNamespace(request=request)
    install(http, pacer)
    callback = SimpleNamespace(path="/interactions/{interaction_id}/{interaction_token}/callback")
    post = SimpleNamespace(path="/channels/{channel_id}/messages")
    await http.request(post)
    await http.request(callback)  # exempt: no turn taken, no wait
    await http.request(post)
    async with prepaid(pacer, Priority.DISPLAY):
        await http.request(post)  # uses the turn waited for above
        await http.request(post)  # a second request waits again
    assert sent == ["/channels/{channel_id}/messages at 0",
                    "/interactions/{interaction_id}/{interaction_token}/callback at 0",
                    "/channels/{channel_id}/messages at 1",
                    "/channels/{channel_id}/messages at 2",
                    "/channels/{channel_id}/messages at 3"]
