"""Scheduled debates (see `bot.core.schedule`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.schedule import Schedule, ScheduleStatus
from bot.storage.db import Database

_COLUMNS = ("guild_id, channel_id, topic_id, format_id, phase_seconds, starts_at, weekly,"
            " event_id, language, status, debate_id, created_by")


def _schedule(row: Any) -> Schedule:
    return Schedule(id=row["id"], guild_id=row["guild_id"], channel_id=row["channel_id"],
                    topic_id=row["topic_id"], format_id=row["format_id"],
                    starts_at=row["starts_at"], created_by=row["created_by"],
                    language=row["language"], phase_seconds=row["phase_seconds"],
                    weekly=bool(row["weekly"]), event_id=row["event_id"],
                    status=ScheduleStatus(row["status"]), debate_id=row["debate_id"])


async def add(db: Database, schedule: Schedule, *, now: float) -> Schedule:
    """Store a new schedule; returns it with its id."""
    s = schedule
    async with db.write() as conn:
        row = await conn.fetchone(
            f"INSERT INTO debate_schedules ({_COLUMNS}, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (s.guild_id, s.channel_id, s.topic_id, s.format_id, s.phase_seconds, s.starts_at,
             int(s.weekly), s.event_id, s.language, s.status.value, s.debate_id, s.created_by,
             now))
    s.id = row[0]
    return s


async def save(db: Database, schedule: Schedule) -> None:
    """Write a schedule's changing fields (time, event, status, debate)."""
    s = schedule
    await db.execute(
        "UPDATE debate_schedules SET starts_at = ?, event_id = ?, status = ?, debate_id = ?"
        " WHERE id = ?", (s.starts_at, s.event_id, s.status.value, s.debate_id, s.id))


async def pending(db: Database, guilds: Callable[[int], bool] | None = None) -> list[Schedule]:
    """Every schedule still to remind or start (of the guilds `guilds` accepts)."""
    rows = await db.fetchall(
        "SELECT * FROM debate_schedules WHERE status IN ('scheduled', 'reminded')"
        " ORDER BY starts_at")
    return [_schedule(r) for r in rows if guilds is None or guilds(r["guild_id"])]


async def upcoming(db: Database, guild_id: int, limit: int = 25) -> list[Schedule]:
    rows = await db.fetchall(
        "SELECT * FROM debate_schedules WHERE guild_id = ?"
        " AND status IN ('scheduled', 'reminded') ORDER BY starts_at LIMIT ?",
        (guild_id, limit))
    return [_schedule(r) for r in rows]


async def get(db: Database, guild_id: int, schedule_id: int) -> Schedule | None:
    row = await db.fetchone("SELECT * FROM debate_schedules WHERE id = ? AND guild_id = ?",
                            (schedule_id, guild_id))
    return _schedule(row) if row else None
