"""Participation events: the `Event` record of one participation act, and what became of it.

Every participation act is one `Event` row in `participation_events` (possibly worth 0
points, e.g. a second argument in a phase), named by a source key that is UNIQUE per guild,
so a retried or replayed act is stored (and counted) once. Events are validated when they are
built, before they are queued, so one malformed event cannot poison a batch.

Storing an event and moving its counters is `bot.storage.counters`; the one way events get in
is `bot.storage.event_writer.EventWriter`. When a debate's points are logged, and why there
are never negative events, is decided in `bot.core.scoring`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from bot.core.scoring import MAX_EVENT_POINTS, Award, Kind

MAX_ID = 2**63 - 1
MAX_SOURCE_KEY = 200
MAX_TOPIC_ID = 64


class Outcome(StrEnum):
    """What became of a logged event."""

    NEW = "new"                # stored and counted
    DUPLICATE = "duplicate"    # its source key was already stored: nothing changed
    OPTED_OUT = "opted_out"    # the member opted out in this guild: not stored
    BOT = "bot"                # bots never score: not stored

    @property
    def stored(self) -> bool:
        return self is Outcome.NEW


def _check_id(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise ValueError(f"{name} must be a positive 64-bit integer, not {value!r}")


@dataclass(frozen=True, slots=True)
class Event:
    """One participation act. Validated on construction, so only well-formed events queue.

    `at` is Unix seconds (UTC); `source_key` names the act (see the `*_key` helpers in
    `bot.core.scoring`); `is_bot` events are never stored.
    """

    guild_id: int
    user_id: int
    kind: Kind
    points: int
    at: float
    source_key: str
    debate_id: int | None = None
    topic_id: str | None = None
    is_bot: bool = False

    def __post_init__(self) -> None:
        _check_id("guild_id", self.guild_id)
        _check_id("user_id", self.user_id)
        _check_id("debate_id", self.debate_id, optional=True)
        object.__setattr__(self, "kind", Kind(self.kind))
        if (isinstance(self.points, bool) or not isinstance(self.points, int)
                or not 0 <= self.points <= MAX_EVENT_POINTS):
            raise ValueError(f"points must be an integer in 0..{MAX_EVENT_POINTS}, "
                             f"not {self.points!r}")
        if (isinstance(self.at, bool) or not isinstance(self.at, int | float)
                or not math.isfinite(self.at) or self.at < 0):
            raise ValueError(f"at must be a finite, non-negative Unix time, not {self.at!r}")
        object.__setattr__(self, "at", float(self.at))
        if not isinstance(self.source_key, str) or not 0 < len(self.source_key) <= MAX_SOURCE_KEY:
            raise ValueError(f"source_key must be 1..{MAX_SOURCE_KEY} characters")
        if self.topic_id is not None and (not isinstance(self.topic_id, str)
                                          or not 0 < len(self.topic_id) <= MAX_TOPIC_ID):
            raise ValueError(f"topic_id must be None or 1..{MAX_TOPIC_ID} characters")
        if not isinstance(self.is_bot, bool):
            raise ValueError("is_bot must be a bool")

    @classmethod
    def from_award(cls, award: Award, *, guild_id: int, at: float,
                   is_bot: bool = False) -> Event:
        """The event recording a `bot.core.scoring.Award` of a finished debate."""
        return cls(guild_id=guild_id, user_id=award.user_id, kind=award.kind,
                   points=award.points, at=at, source_key=award.source_key,
                   debate_id=award.debate_id, topic_id=award.topic_id, is_bot=is_bot)
