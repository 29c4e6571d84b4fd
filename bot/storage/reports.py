"""Members' reports of debate arguments, and where a server wants them posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.db import Database


@dataclass(frozen=True, slots=True)
class Reported:
    """An argument members reported that still stands (not redacted)."""

    debate_id: int
    seq: int
    author_id: int
    thread_id: int | None
    message_id: int | None
    reports: int
    first_at: float


async def add(db: Database, debate_id: int, seq: int, reporter_id: int,
              at: float) -> int | None:
    """Record a report; the argument's number of reports, or None if this member had
    already reported it (a second report from one member adds nothing)."""
    async with db.write() as conn:
        inserted = await conn.fetchall(
            "INSERT INTO argument_reports (debate_id, seq, reporter_id, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (debate_id, seq, reporter_id) DO NOTHING RETURNING seq",
            (debate_id, seq, reporter_id, at))
        if not inserted:
            return None
        row = await conn.fetchone(
            "SELECT COUNT(*) FROM argument_reports WHERE debate_id = ? AND seq = ?",
            (debate_id, seq))
        return int(row[0])


async def standing(db: Database, guild_id: int, limit: int = 20) -> list[Reported]:
    """The server's reported arguments that still stand, most reported first."""
    rows = await db.fetchall(
        "SELECT r.debate_id, r.seq, a.user_id, d.thread_id, a.message_id,"
        " COUNT(*) AS reports, MIN(r.at) AS first_at"
        " FROM argument_reports r"
        " JOIN debate_arguments a ON a.debate_id = r.debate_id AND a.seq = r.seq"
        " JOIN debates d ON d.id = r.debate_id"
        " WHERE d.guild_id = ? AND a.redacted = 0"
        " GROUP BY r.debate_id, r.seq, a.user_id, d.thread_id, a.message_id"
        " ORDER BY COUNT(*) DESC, MIN(r.at) LIMIT ?", (guild_id, limit))
    return [Reported(r["debate_id"], r["seq"], r["user_id"], r["thread_id"], r["message_id"],
                     r["reports"], r["first_at"]) for r in rows]


async def report_channel(db: Database, guild_id: int) -> int | None:
    row = await db.fetchone(
        "SELECT report_channel_id FROM guild_settings WHERE guild_id = ?", (guild_id,))
    return row["report_channel_id"] if row else None


async def set_report_channel(db: Database, guild_id: int, channel_id: int | None) -> None:
    await db.execute(
        "INSERT INTO guild_settings (guild_id, report_channel_id, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (guild_id) DO UPDATE SET report_channel_id = excluded.report_channel_id, "
        "updated_at = excluded.updated_at",
        (guild_id, channel_id, datetime.now(UTC).isoformat(timespec="seconds")))
