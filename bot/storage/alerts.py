"""Whether members are alerted when it is their turn to speak (`/debate alerts`).

Alerts are on unless a member turned them off; only the members who did have a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.storage.db import Database


async def set_alerts(db: Database, user_id: int, on: bool) -> None:
    if on:
        await db.execute("DELETE FROM member_alerts WHERE user_id = ?", (user_id,))
        return
    await db.execute(
        "INSERT INTO member_alerts (user_id, mode, updated_at) VALUES (?, 'off', ?) "
        "ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, "
        "updated_at = excluded.updated_at",
        (user_id, datetime.now(UTC).isoformat(timespec="seconds")))


async def alerts_on(db: Database, user_id: int) -> bool:
    return not await silenced(db, [user_id])


async def silenced(db: Database, user_ids: Iterable[int]) -> set[int]:
    """Those of `user_ids` who turned their alerts off."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT user_id FROM member_alerts WHERE mode = 'off' AND user_id IN ({marks})",
        wanted)
    return {row["user_id"] for row in rows}
