"""startup: from process start to ready, against the emulator.

Rostrum runs as `python -m benchmarks.launcher rostrum` through the production runner:
settings from the environment, the content pack loaded and checked, the database opened
and its migrations checked (none pending: it exists, migrated beforehand), cogs loaded, the
command tree compared with what the emulator holds (synced by the warm-up run), the gateway
connected. Measured from just before the spawn to:

- IDENTIFY: the emulator received the bot's IDENTIFY (it answers READY at once);
- first answer: the emulator accepted the bot's answer to a first command, sent the moment
  IDENTIFY arrived (`/sections`), so the bot had also taken in READY and its guild.

Baseline: `BareBot` started the same way, answering `/ping` (it syncs its commands on every
start, as its `setup_hook` does). One warm-up run of each is not counted; then the two
alternate, and the figures are medians.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import launch
from benchmarks.common import CONTENT_DIR, migrated, scratch
from benchmarks.report import Outcome, median, verdict
from playground.emulator import Emulator

NAME = "startup"
TARGET_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Size:
    warmups: int
    runs: int


DEFAULT = Size(warmups=1, runs=5)
QUICK = Size(warmups=0, runs=1)


@dataclass(frozen=True, slots=True)
class Start:
    identified: float   # seconds from spawn
    answered: float


async def start_once(emu: Emulator, kind: str, folder: Path, env: dict[str, str]) -> Start:
    guild = next(iter(emu.guilds.values()))
    channel = next(c for c in guild.channels.values() if not c.is_thread)
    member = next(m for m in guild.members.values() if not m.user.bot and m.user.username == "m")
    command = "sections" if kind == "rostrum" else "ping"
    launched = await launch(emu, kind, folder / f"{kind}.log",
                            lambda: member.act().slash(command, channel=channel, wait=False),
                            env=env)
    try:
        return Start(launched.identified - launched.spawned,
                     launched.answered - launched.spawned)
    finally:
        launched.child.stop()


async def _measure(size: Size, folder: Path) -> tuple[list[Start], list[Start]]:
    db_path = folder / "rostrum.sqlite3"
    await migrated(db_path)  # an existing database: start-up finds nothing to apply
    env = {"DATABASE_PATH": str(db_path), "CONTENT_DIR": str(CONTENT_DIR)}
    ours: list[Start] = []
    bare: list[Start] = []
    async with Emulator(set_endpoints=False) as emu, \
            Emulator(set_endpoints=False) as bare_emu:
        for each in (emu, bare_emu):
            guild = each.create_guild("Bench")
            guild.create_text_channel("general")
            guild.create_member("m")
        for n in range(size.warmups + size.runs):
            found_bare = await start_once(bare_emu, "bare", folder, {})
            found = await start_once(emu, "rostrum", folder, env)
            if n >= size.warmups:
                bare.append(found_bare)
                ours.append(found)
    return ours, bare


def run(quick: bool = False) -> Outcome:
    size = QUICK if quick else DEFAULT
    with scratch(NAME) as folder:
        ours, bare = asyncio.run(_measure(size, folder))
    answered = median([s.answered for s in ours])
    base_answered = median([s.answered for s in bare])
    identified = median([s.identified for s in ours])
    base_identified = median([s.identified for s in bare])
    ratio = answered / base_answered
    outcome = Outcome(NAME, answered, "s to first answer", ratio,
                      headers=("from spawn to", "Rostrum (s)", "BareBot (s)", "ratio",
                               "target"))
    outcome.add("IDENTIFY received", identified, base_identified,
                identified / base_identified, "")
    outcome.add("first command answered", answered, base_answered, ratio,
                f"≤ {TARGET_SECONDS:.0f} s ({verdict(answered <= TARGET_SECONDS)})")
    outcome.add("first answer, slowest run", max(s.answered for s in ours),
                max(s.answered for s in bare), "-", "")
    outcome.notes.append(f"medians of {size.runs} start(s) each, after {size.warmups} "
                         "warm-up(s); the two bots alternate; each start is a new Python "
                         "process (interpreter, imports, content check, migrations, sync "
                         "check, gateway)")
    return outcome
