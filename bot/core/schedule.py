"""A scheduled debate: when it reminds, when it starts, and what a late start means.

Pure, like the debate engine: the scheduler asks `wakeup()` for the next time something is
due and calls `due(now)` then. A start missed while the bot was down is made late (with a
note) within `GRACE` seconds of its time, and given up after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: Members who marked the event "Interested", and the channel, are reminded this long before.
REMIND_BEFORE = 10 * 60
#: A start the bot missed (it was down) still happens this long after its time.
GRACE = 15 * 60
WEEK = 7 * 86_400


class ScheduleStatus(StrEnum):
    SCHEDULED = "scheduled"
    REMINDED = "reminded"
    STARTED = "started"
    CANCELLED = "cancelled"
    MISSED = "missed"


class Due(StrEnum):
    REMIND = "remind"
    START = "start"
    MISS = "miss"


@dataclass(slots=True)
class Schedule:
    id: int
    guild_id: int
    channel_id: int
    topic_id: str
    format_id: str
    starts_at: float
    created_by: int
    language: str = "en"
    phase_seconds: int | None = None
    weekly: bool = False
    event_id: int | None = None
    status: ScheduleStatus = ScheduleStatus.SCHEDULED
    debate_id: int | None = None

    @property
    def pending(self) -> bool:
        return self.status in (ScheduleStatus.SCHEDULED, ScheduleStatus.REMINDED)

    def wakeup(self) -> float | None:
        """When `due` next has something to say (None once started, cancelled or missed)."""
        if self.status == ScheduleStatus.SCHEDULED:
            return self.starts_at - REMIND_BEFORE
        if self.status == ScheduleStatus.REMINDED:
            return self.starts_at
        return None

    def due(self, now: float) -> Due | None:
        """What is due at `now`. A reminder whose time passed unsent is skipped once the
        start itself is due (nobody needs "starts in 10 minutes" after the start)."""
        if not self.pending:
            return None
        if now >= self.starts_at + GRACE:
            return Due.MISS
        if now >= self.starts_at:
            return Due.START
        if self.status == ScheduleStatus.SCHEDULED and now >= self.starts_at - REMIND_BEFORE:
            return Due.REMIND
        return None

    def late_by(self, now: float) -> float:
        return max(0.0, now - self.starts_at)

    def next_week(self) -> float:
        return self.starts_at + WEEK
