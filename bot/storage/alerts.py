"""How members are alerted when it is their turn to speak (`/debate alerts`).

"mention" (the default: no row) mentions them on the phase card; "dm" sends them a direct
message instead; "off" does neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.storage.db import Database

MODES = ("mention", "dm", "off")
DEFAULT = "mention"


async def set_alerts(db: Database, user_id: int, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown alert mode {mode!r}")
    if mode == DEFAULT:
        await db.execute("DELETE FROM member_alerts WHERE user_id = ?", (user_id,))
        return
    await db.execute(
        "INSERT INTO member_alerts (user_id, mode, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, "
        "updated_at = excluded.updated_at",
        (user_id, mode, datetime.now(UTC).isoformat(timespec="seconds")))


async def modes(db: Database, user_ids: Iterable[int]) -> dict[int, str]:
    """Each of `user_ids`' alert mode."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = await db.fetchall(
        f"SELECT user_id, mode FROM member_alerts WHERE user_id IN ({marks})", wanted)
    chosen = {row["user_id"]: row["mode"] for row in rows}
    return {user: chosen.get(user, DEFAULT) for user in wanted}
