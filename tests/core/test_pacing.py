"""A process's share of the token's budget, and the bucket that spends it (injected time)."""

from __future__ import annotations

import pytest

from bot.core.pacing import DEFAULT_BUDGET, SlidingWindow, share_of


def test_no_second_ever_holds_more_than_the_rate() -> None:
    window = SlidingWindow(5)
    assert [window.take(100.0) for _ in range(6)] == [True] * 5 + [False]
    assert window.wait(100.5) == pytest.approx(0.5)
    assert not window.take(100.99)
    assert window.take(101.0)
    # Requests spread over time: every 1 s interval holds at most 5.
    window, times, t = SlidingWindow(5), [], 200.0
    while len(times) < 40:
        if window.take(t):
            times.append(t)
        t = round(t + 0.05, 2)
    assert all(sum(1 for x in times if start <= x < start + 1.0) <= 5 for start in times)


def test_a_fractional_rate_keeps_its_average() -> None:
    window = SlidingWindow(22.5)
    assert window.count == 22 and window.period == 1.0
    slow = SlidingWindow(0.5)  # one request every 2 s
    assert slow.take(0.0) and not slow.take(1.9) and slow.take(2.0)


def test_each_shard_process_takes_its_share() -> None:
    assert share_of(DEFAULT_BUDGET, None, None) == 45
    assert share_of(45, 4, (0, 1, 2, 3)) == 45    # every shard in one process
    assert share_of(45, 4, (0, 1)) == 22.5        # two processes of two shards
    assert share_of(45, 4, (3,)) == 11.25         # four processes
    assert share_of(45, 5, (0, 1)) == 15          # 3 processes (2 + 2 + 1)
    with pytest.raises(ValueError):
        share_of(0, None, None)
