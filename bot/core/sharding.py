"""Which shard a guild lives on, and which guilds this process owns.

Discord routes a guild's gateway events to shard `(guild_id >> 22) % shard_count`. When the
bot runs as several processes, each over a slice of the shards, a process owns exactly the
guilds on its shards: it answers their interactions (Discord sends it no others) and runs
their debates' timers and announcements, so no two processes ever drive the same debate.
"""

from __future__ import annotations

from dataclasses import dataclass


def shard_for(guild_id: int, shard_count: int) -> int:
    """The shard that receives `guild_id`'s events (Discord's formula)."""
    if shard_count < 1:
        raise ValueError("shard_count must be at least 1")
    return (guild_id >> 22) % shard_count


def parse_shard_ids(text: str, shard_count: int) -> tuple[int, ...]:
    """Shard ids from `0-3`, `4,5` or mixes like `0-1,3`, sorted; each below `shard_count`.

    Raises ValueError with a message fit to show after the variable's name.
    """
    ids: list[int] = []
    for raw in text.split(","):
        item = raw.strip()
        low, dash, high = item.partition("-")
        low, high = low.strip(), high.strip()
        if not low.isdecimal() or (dash and not high.isdecimal()):
            raise ValueError(f"must be shard ids like 0-3, 4,5 or 0-1,3; got {text!r}")
        first, last = int(low), int(high) if dash else int(low)
        if first > last:
            raise ValueError(f"has a range that runs backwards ({item!r})")
        if last >= shard_count:
            raise ValueError(f"has shard {last}, but shards are numbered 0 to "
                             f"{shard_count - 1} (SHARD_COUNT is {shard_count})")
        ids.extend(range(first, last + 1))
    repeated = sorted({shard for shard in ids if ids.count(shard) > 1})
    if repeated:
        raise ValueError(f"names shard {repeated[0]} more than once ({text!r})")
    return tuple(sorted(ids))


@dataclass(frozen=True, slots=True)
class Ownership:
    """The shards one process runs, out of `shard_count`; unsharded, it owns every guild."""

    shard_count: int = 1
    shard_ids: frozenset[int] = frozenset({0})

    @classmethod
    def of(cls, shard_count: int | None, shard_ids: tuple[int, ...] | None) -> Ownership:
        """From the settings: no count is one process for everything; no ids is every shard."""
        if shard_count is None:
            return cls()
        ids = range(shard_count) if shard_ids is None else shard_ids
        return cls(shard_count, frozenset(ids))

    @property
    def syncs_commands(self) -> bool:
        """Whether this process checks and syncs the slash commands (one process does)."""
        return 0 in self.shard_ids

    @property
    def is_everything(self) -> bool:
        return len(self.shard_ids) == self.shard_count

    def owns(self, guild_id: int) -> bool:
        """True when `guild_id`'s events come to this process."""
        return self.is_everything or shard_for(guild_id, self.shard_count) in self.shard_ids

    def describe(self) -> str:
        """For the log: `shards 0, 1 of 4`, or `all guilds`."""
        if self.shard_count == 1:
            return "all guilds (unsharded)"
        listed = ", ".join(str(shard) for shard in sorted(self.shard_ids))
        return f"shard{'s' if len(self.shard_ids) > 1 else ''} {listed} of {self.shard_count}"
