"""Copy a community's database to another backend: `python -m bot db copy --from … --to …`.

Typically from the embedded SQLite file to PostgreSQL, when several bot processes are to
share one database (any direction works). Both sides are migrated first, so they have the
same tables. Every table is copied in dependency order (debates before their members,
arguments, votes, …), in batches, inside one write transaction on the target and one
read snapshot on the source: the target ends up with all of it or none of it. Row counts
are compared per table before the target commits. Ids are copied as they are; PostgreSQL's
id sequences are moved past them. The target must be empty unless `force` is given, which
replaces what it holds. Stop the bot while copying: later writes to the source are not
carried over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.storage.db import Database

# Parents before children (debate_* rows reference debates). Every table of the schema is
# listed: a table this list does not know stops the copy instead of being left behind.
COPY_TABLES = (
    "guild_settings",
    "debates",
    "debate_members",
    "debate_names",
    "debate_phases",
    "debate_arguments",
    "debate_votes",
    "debate_audit",
    "debate_outbox",
    "participation_events",
    "member_counters",
    "member_topic_counters",
    "board_buckets",
    "topic_board_buckets",
    "privacy_opt_outs",
    "member_languages",
    "member_alerts",
    "argument_reports",
    "debate_schedules",
    "debate_speaker_votes",
    "guild_motions",
    "debate_judges",
    "debate_ballots",
)
# Tables whose `id` the database hands out (SQLite INTEGER PRIMARY KEY, PostgreSQL identity).
ID_TABLES = frozenset({"debates", "debate_audit", "debate_outbox", "participation_events",
                       "debate_schedules", "guild_motions"})
NOT_COPIED = frozenset({"schema_migrations"})  # each database records its own migrations
DEFAULT_BATCH = 5000


class CopyError(RuntimeError):
    """The copy was refused or failed; nothing was committed to the target."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    table: str
    rows: int


@dataclass(frozen=True, slots=True)
class CopyReport:
    tables: tuple[TableCopy, ...]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


async def row_counts(db: Database) -> dict[str, int]:
    """Rows per copied table."""
    return {table: (await db.fetchone(f"SELECT count(*) FROM {table}"))[0]
            for table in COPY_TABLES}


async def copy_database(source: Database, target: Database, *, force: bool = False,
                        batch: int = DEFAULT_BATCH,
                        progress: Callable[[TableCopy], None] | None = None) -> CopyReport:
    """Copy every table of `source` into `target` (see the module docstring).

    Raises CopyError (or MigrationError) with a one-line reason; the target is unchanged then.
    """
    if batch < 1:
        raise ValueError("batch must be ≥ 1")
    try:
        return await _copy(source, target, force=force, batch=batch, progress=progress)
    except (*source.dialect.errors, *target.dialect.errors) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CopyError(f"the copy failed, nothing was committed: {reason}") from exc


async def _copy(source: Database, target: Database, *, force: bool, batch: int,
                progress: Callable[[TableCopy], None] | None) -> CopyReport:
    started = time.perf_counter()
    await source.migrate()
    await target.migrate()
    unknown = (await source.table_names()) - set(COPY_TABLES) - NOT_COPIED
    if unknown:
        raise CopyError("the source has tables this version cannot copy: "
                        + ", ".join(sorted(unknown)))
    filled = {table: n for table, n in (await row_counts(target)).items() if n}
    if filled and not force:
        held = ", ".join(f"{table} ({n:,})" for table, n in filled.items())
        raise CopyError(f"the target is not empty: {held}; pass --force to replace what it "
                        "holds")
    copied = []
    async with source.read() as src, target.write() as dst:
        if filled:
            for table in reversed(COPY_TABLES):
                await dst.execute(f"DELETE FROM {table}")
        for table in COPY_TABLES:
            expected = (await src.fetchone(f"SELECT count(*) FROM {table}"))[0]
            async for rows in src.iterate(f"SELECT * FROM {table}", size=batch):
                await dst.insert_rows(table, list(rows[0].keys()), rows)
            stored = (await dst.fetchone(f"SELECT count(*) FROM {table}"))[0]
            if stored != expected:
                raise CopyError(f"{table}: {expected:,} rows in the source, {stored:,} "
                                "in the target; nothing was committed")
            if table in ID_TABLES and dst.dialect.restart_ids_sql is not None:
                await dst.execute(dst.dialect.restart_ids_sql.format(table=table))
            copied.append(TableCopy(table, stored))
            if progress is not None:
                progress(copied[-1])
    return CopyReport(tuple(copied), time.perf_counter() - started)
