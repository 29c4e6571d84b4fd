"""Motions servers wrote themselves (see `bot.core.motions`)."""

from __future__ import annotations

from typing import Any

from bot.core.motions import Motion, MotionStatus
from bot.storage.db import Database


def _motion(row: Any) -> Motion:
    return Motion(id=row["id"], guild_id=row["guild_id"], text=row["text"],
                  framing=row["framing"], status=MotionStatus(row["status"]),
                  proposed_by=row["proposed_by"])


async def add(db: Database, guild_id: int, text: str, framing: str | None,
              status: MotionStatus, proposed_by: int, *, now: float) -> Motion:
    decided_by = proposed_by if status is MotionStatus.APPROVED else None
    async with db.write() as conn:
        row = await conn.fetchone(
            "INSERT INTO guild_motions (guild_id, text, framing, status, proposed_by,"
            " decided_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (guild_id, text, framing, status.value, proposed_by, decided_by, now))
    return Motion(row[0], guild_id, text, framing, status, proposed_by)


async def decide(db: Database, guild_id: int, motion_id: int, status: MotionStatus,
                 decided_by: int) -> Motion | None:
    """Approve or reject a proposed motion of this guild; None when there is none."""
    async with db.write() as conn:
        rows = await conn.fetchall(
            "UPDATE guild_motions SET status = ?, decided_by = ? WHERE id = ? AND guild_id = ?"
            " AND status = 'proposed' RETURNING *",
            (status.value, decided_by, motion_id, guild_id))
    return _motion(rows[0]) if rows else None


async def approved(db: Database) -> list[Motion]:
    """Every server's approved motions (the bot keeps them as topics)."""
    rows = await db.fetchall("SELECT * FROM guild_motions WHERE status = 'approved'")
    return [_motion(r) for r in rows]


async def of_guild(db: Database, guild_id: int, status: MotionStatus,
                   limit: int = 25) -> list[Motion]:
    rows = await db.fetchall(
        "SELECT * FROM guild_motions WHERE guild_id = ? AND status = ? ORDER BY id DESC"
        " LIMIT ?", (guild_id, status.value, limit))
    return [_motion(r) for r in rows]
