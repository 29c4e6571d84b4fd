"""Button spam is throttled per member without sleeping."""

from __future__ import annotations

import pytest

from bot.core.cooldown import Cooldown


def test_burst_then_refusals_then_refill() -> None:
    cooldown = Cooldown(rate=2, per=4.0)
    assert cooldown.hit("alice", 0.0) == 0
    assert cooldown.hit("alice", 0.1) == 0
    wait = cooldown.hit("alice", 0.2)
    assert wait == pytest.approx(1.8)
    assert cooldown.hit("alice", 2.0) == 0  # one token back after per/rate = 2 s
    assert cooldown.hit("alice", 2.1) > 0


def test_keys_are_independent() -> None:
    cooldown = Cooldown(rate=1, per=10.0)
    assert cooldown.hit(("debate", 1, "alice"), 0.0) == 0
    assert cooldown.hit(("debate", 1, "bob"), 0.0) == 0
    assert cooldown.hit(("debate", 2, "alice"), 0.0) == 0
    assert cooldown.hit(("debate", 1, "alice"), 1.0) > 0


def test_fifty_clicks_in_a_second_allow_one() -> None:
    cooldown = Cooldown(rate=1, per=2.0)
    allowed = [cooldown.hit("spammer", i / 50) == 0 for i in range(50)]
    assert allowed.count(True) == 1 and allowed[0]


def test_memory_stays_bounded() -> None:
    cooldown = Cooldown(rate=1, per=1.0, max_keys=10)
    for i in range(1000):
        cooldown.hit(i, float(i))
    assert len(cooldown._buckets) <= 10


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        Cooldown(rate=0, per=1)
