"""Reading a scheduled debate's start time, and what a schedule has due when."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.debate import Refusal
from bot.core.schedule import GRACE, REMIND_BEFORE, Due, Schedule, ScheduleStatus
from bot.core.when import parse_when

# 2026-12-04 09:00 UTC = 18:00 in Tokyo and Seoul.
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("UTC")).timestamp()


@pytest.mark.parametrize(("text", "after"), [
    ("in 2h", 7200), ("in 90 minutes", 5400), ("1h30m", 5400), ("+45m", 2700),
    ("in 2 days", 2 * 86_400), ("IN 10 MIN", 600), (f"<t:{int(NOW) + 3600}:F>", 3600),
    (f"<t:{int(NOW) + 120}>", 120),
])
def test_relative_and_discord_times(text: str, after: int) -> None:
    assert parse_when(text, NOW) == NOW + after


def test_clock_times_are_read_in_the_moderators_timezone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    # 19:30 in Seoul (UTC+9) today is 10:30 UTC.
    assert parse_when("19:30", NOW, "Asia/Seoul") == datetime(
        2026, 12, 4, 19, 30, tzinfo=tokyo).timestamp()
    # 17:00 in Tokyo has passed (it is 18:00 there): tomorrow.
    assert parse_when("17:00", NOW, "Asia/Tokyo") == datetime(
        2026, 12, 5, 17, 0, tzinfo=tokyo).timestamp()
    assert parse_when("2026-12-24 20:00", NOW) == datetime(
        2026, 12, 24, 20, 0, tzinfo=ZoneInfo("UTC")).timestamp()


@pytest.mark.parametrize(("text", "zone", "code"), [
    ("tomorrow-ish", None, "bad_time"), ("in 3 fortnights", None, "bad_time"),
    ("25:00", None, "bad_time"), ("2026-02-30 10:00", None, "bad_time"),
    ("2026-12-01 10:00", None, "past_time"), ("in 30s", None, "bad_time"),
    (f"<t:{int(NOW) - 60}:R>", None, "past_time"), ("in 400 days", None, "too_far"),
    ("19:00", "Mars/Olympus", "bad_timezone"),
])
def test_bad_times_are_refused_with_the_reason(text: str, zone: str | None,
                                               code: str) -> None:
    with pytest.raises(Refusal) as refused:
        parse_when(text, NOW, zone)
    assert refused.value.code == code


def schedule(**changes: object) -> Schedule:
    base = Schedule(id=1, guild_id=10, channel_id=20, topic_id="trade", format_id="quick",
                    starts_at=NOW + 3600, created_by=5)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def test_a_schedule_reminds_then_starts() -> None:
    s = schedule()
    assert s.wakeup() == s.starts_at - REMIND_BEFORE
    assert s.due(s.starts_at - REMIND_BEFORE - 1) is None
    assert s.due(s.starts_at - REMIND_BEFORE) == Due.REMIND
    s.status = ScheduleStatus.REMINDED
    assert s.wakeup() == s.starts_at
    assert s.due(s.starts_at - 1) is None
    assert s.due(s.starts_at) == Due.START
    s.status = ScheduleStatus.STARTED
    assert s.wakeup() is None and s.due(s.starts_at + 5) is None


def test_a_start_missed_while_down_is_late_within_the_grace_then_given_up() -> None:
    s = schedule()  # never reminded: the bot was down through the reminder
    assert s.due(s.starts_at + 60) == Due.START and s.late_by(s.starts_at + 60) == 60
    assert s.due(s.starts_at + GRACE - 1) == Due.START
    assert s.due(s.starts_at + GRACE) == Due.MISS
    assert schedule(status=ScheduleStatus.CANCELLED).due(s.starts_at) is None
