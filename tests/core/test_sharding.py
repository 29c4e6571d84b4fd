"""Guild -> shard (Discord's formula), SHARD_IDS parsing, and which guilds a process owns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.sharding import Ownership, parse_shard_ids, shard_for

# The snowflake of Discord's documentation: its timestamp part is 41944705796 ms.
DOCUMENTED = 175928847299117063


def guild_on(shard: int, count: int, base: int = DOCUMENTED) -> int:
    """A guild id that lands on `shard` (moves its timestamp part forward a little)."""
    return base + (((shard - (base >> 22)) % count) << 22)


def test_the_formula_is_discords() -> None:
    assert DOCUMENTED >> 22 == 41944705796
    assert shard_for(DOCUMENTED, 1) == 0
    assert shard_for(DOCUMENTED, 2) == 0
    assert shard_for(DOCUMENTED, 16) == 4
    assert shard_for(DOCUMENTED + (1 << 22), 16) == 5


@given(st.integers(min_value=0, max_value=2**63 - 1), st.integers(min_value=1, max_value=64))
def test_every_guild_lands_on_one_shard_and_its_neighbours_follow(guild_id: int,
                                                                 count: int) -> None:
    shard = shard_for(guild_id, count)
    assert 0 <= shard < count
    next_millisecond = (guild_id | ((1 << 22) - 1)) + 1
    assert shard_for(next_millisecond, count) == (shard + 1) % count


def test_low_bits_do_not_move_a_guild() -> None:
    # Only the timestamp part counts: ids made in the same millisecond share a shard.
    start = (DOCUMENTED >> 22) << 22
    assert {shard_for(start + low, 7) for low in range(0, 1 << 22, 4099)} == {
        shard_for(DOCUMENTED, 7)}


def test_a_shard_count_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        shard_for(DOCUMENTED, 0)


@pytest.mark.parametrize(("text", "count", "ids"), [
    ("0-3", 4, (0, 1, 2, 3)),
    ("4,5", 6, (4, 5)),
    ("0-1,3", 4, (0, 1, 3)),
    (" 5 , 0 - 1 ", 8, (0, 1, 5)),
    ("2", 3, (2,)),
    ("3-3", 4, (3,)),
])
def test_shard_ids_are_parsed(text: str, count: int, ids: tuple[int, ...]) -> None:
    assert parse_shard_ids(text, count) == ids


@pytest.mark.parametrize(("text", "count", "message"), [
    ("4", 4, "shards are numbered 0 to 3"),
    ("0-4", 4, "shards are numbered 0 to 3"),
    ("3-1", 4, "runs backwards"),
    ("0,,1", 4, "must be shard ids like"),
    ("a-b", 4, "must be shard ids like"),
    ("-1", 4, "must be shard ids like"),
    ("1-", 4, "must be shard ids like"),
    ("\u00b2", 4, "must be shard ids like"),  # a superscript two is a digit, not a number
    ("0-2,2", 4, "names shard 2 more than once"),
])
def test_bad_shard_ids_say_why(text: str, count: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shard_ids(text, count)


def test_unsharded_owns_every_guild() -> None:
    everything = Ownership.of(None, None)
    assert all(everything.owns(guild_on(shard, 5)) for shard in range(5))
    assert everything.describe() == "all guilds (unsharded)"


def test_a_slice_owns_exactly_the_guilds_on_its_shards() -> None:
    mine = Ownership.of(4, (1, 3))
    owned = {shard for shard in range(4) if mine.owns(guild_on(shard, 4))}
    assert owned == {1, 3}
    assert mine.describe() == "shards 1, 3 of 4"


def test_processes_over_disjoint_slices_own_each_guild_once() -> None:
    slices = [Ownership.of(4, (0, 1)), Ownership.of(4, (2,)), Ownership.of(4, (3,))]
    for shard in range(4):
        guild = guild_on(shard, 4, base=DOCUMENTED + shard * 12345)
        assert sum(s.owns(guild) for s in slices) == 1


def test_a_count_without_ids_runs_every_shard() -> None:
    assert Ownership.of(3, None) == Ownership(3, frozenset({0, 1, 2}))
    assert Ownership.of(3, None).owns(guild_on(2, 3))
