"""Reading the start time a moderator types for a scheduled debate.

Accepted, in the moderator's timezone (an IANA name such as Asia/Tokyo; UTC by default):
- a Discord timestamp, as the client writes it: `<t:1767225600>` or `<t:1767225600:F>`;
- a relative time: `in 2h`, `in 90 minutes`, `1h30m`, `+45m`, `in 2 days`;
- a date and time, `2026-12-24 19:30`, or a time today, `19:30` (tomorrow once it has passed).
Pure: `now` comes in, a Unix time goes out, or a `Refusal` saying what was wrong.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.debate import Refusal

#: How far ahead a debate may be scheduled (Discord allows events up to five years ahead;
#: a community's calendar rarely looks further than a year).
MAX_AHEAD = 366 * 86_400
#: A start this close to now is refused as past: there would be no time to announce it.
MIN_AHEAD = 60

_DISCORD = re.compile(r"<t:(-?\d{1,13})(?::[tdfr])?>")
_UNITS = {"d": 86_400, "day": 86_400, "days": 86_400, "h": 3600, "hr": 3600, "hrs": 3600,
          "hour": 3600, "hours": 3600, "m": 60, "min": 60, "mins": 60, "minute": 60,
          "minutes": 60}
_PART = re.compile(r"(\d{1,4})\s*([a-z]+)")
_RELATIVE = re.compile(r"(?:in\s+|\+)?((?:\d{1,4}\s*[a-z]+\s*)+)")
_DATE_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name.strip() if name and name.strip() else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise Refusal("bad_timezone", name=name) from None


def parse_when(text: str, now: float, timezone: str | None = None) -> float:
    """The Unix time `text` names (see the module docstring), checked to be ahead of `now`."""
    tz = zone(timezone)
    raw = text.strip().lower()
    when = _read(raw, now, tz)
    if when is None:
        raise Refusal("bad_time", text=text.strip()[:100])
    if when < now + MIN_AHEAD:
        raise Refusal("past_time", when=int(when))
    if when > now + MAX_AHEAD:
        raise Refusal("too_far", days=MAX_AHEAD // 86_400)
    return float(when)


def _read(raw: str, now: float, tz: ZoneInfo) -> float | None:
    if match := _DISCORD.fullmatch(raw):
        return float(match[1])
    if match := _DATE_TIME.fullmatch(raw):
        year, month, day, hour, minute = map(int, match.groups())
        try:
            return datetime(year, month, day, hour, minute, tzinfo=tz).timestamp()
        except ValueError:
            return None
    if match := _TIME.fullmatch(raw):
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            return None
        today = datetime.fromtimestamp(now, tz)
        at = today.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if at.timestamp() <= now:
            at = (at + timedelta(days=1)).replace(hour=hour, minute=minute)
        return at.timestamp()
    if match := _RELATIVE.fullmatch(raw):
        seconds = 0
        for amount, unit in _PART.findall(match[1]):
            if unit not in _UNITS:
                return None
            seconds += int(amount) * _UNITS[unit]
        return now + seconds if seconds else None
    return None
