"""capacity: how many concurrent debates one bot token sustains under Discord's limits.

The real bot runs in a child process (through the production runner) against the emulator,
whose rate limits are on as on Discord: 50 rate-limited requests a second for the token,
5 posts per 5 s per thread, 429s for anything over. Quick-round debates with 5-second
phases are created through the storage API (as in the debates benchmark: `/moderate start`
refuses phases under 10 s) and begun with `/moderate next`, spread over one phase, so every
second a fifth of them turn a phase and post a card.

Steps of more and more debates run until one falls behind: a step is sustained when the
phase cards reach Discord at most 1 s after their deadlines (p99), no request was invalid
(401/403/429: Discord bans an IP at 10,000 in 10 minutes), and no debate lost a card.
Rostrum paced (API_BUDGET 45, its default) runs beside the naive baseline (API_BUDGET=off:
discord.py alone, which only reacts to 429s), each step on a fresh emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import launch
from benchmarks.common import CONTENT_DIR, scratch
from benchmarks.debates import Size, all_cards_posted, build_world, drift, seed
from benchmarks.drive import Lane, at_rate
from benchmarks.report import Outcome, percentile, verdict
from playground.emulator import Emulator, InteractionResult

NAME = "capacity"
TARGET_P99 = 1.0  # seconds from deadline to card


@dataclass(frozen=True, slots=True)
class Plan:
    steps: tuple[int, ...]
    phase_seconds: int


DEFAULT = Plan(steps=(50, 100, 150, 200, 250, 300), phase_seconds=5)
QUICK = Plan(steps=(4, 8), phase_seconds=2)
MODES = (("paced", "45"), ("naive", "off"))


@dataclass(frozen=True, slots=True)
class Step:
    debates: int
    p99: float
    limited: int   # 429s answered
    invalid: int   # 401/403/429 in the last 10 minutes
    lost: int      # debates that did not post every card

    @property
    def sustained(self) -> bool:
        return self.p99 <= TARGET_P99 and self.invalid == 0 and self.lost == 0


async def _step(folder: Path, count: int, plan: Plan, budget: str) -> Step:
    size = Size(debates=count, guilds=max(1, count // 50), members=2,
                phase_seconds=plan.phase_seconds, format_id="quick", phases=4,
                bare_sampling=0.0)
    db_path = folder / f"{budget}-{count}.sqlite3"
    async with Emulator(set_endpoints=False) as emu:
        debates = build_world(emu, size)
        await seed(db_path, CONTENT_DIR, size, debates)
        first = debates[0]
        env = {"DATABASE_PATH": str(db_path), "CONTENT_DIR": str(CONTENT_DIR),
               "API_BUDGET": budget}
        launched = await launch(
            emu, "rostrum", folder / f"{budget}-{count}.log",
            lambda: first.moderator.act().slash("sections", channel=first.channel, wait=False),
            env=env, timeout=120)
        try:
            def begin(n: int) -> Awaitable[InteractionResult]:
                d = debates[n]
                return d.moderator.act().slash("moderate next", channel=d.thread, wait=False)

            rate = count / plan.phase_seconds  # 1/phase_seconds of them turn a phase a second
            await at_rate([Lane(emu, begin)], count, rate, settle=10)
            with contextlib.suppress(TimeoutError):  # reported as lost cards
                await emu.wait_for(lambda: all(all_cards_posted(emu, d, size.phases)
                                               for d in debates),
                                   timeout=size.phases * plan.phase_seconds * 3 + 30)
            lost = sum(1 for d in debates if not all_cards_posted(emu, d, size.phases))
            found = drift(emu, debates, db_path)
            p99 = percentile(found, 99) if found else float("inf")
            return Step(count, p99, len(emu.rate_limits.refused),
                        emu.rate_limits.invalid_requests(), lost)
        finally:
            launched.child.stop()


async def _ramp(folder: Path, plan: Plan, budget: str) -> list[Step]:
    steps = []
    for count in plan.steps:
        step = await _step(folder, count, plan, budget)
        steps.append(step)
        if not step.sustained:
            break
    return steps


def _capacity(steps: list[Step]) -> int:
    return max((s.debates for s in steps if s.sustained), default=0)


def run(quick: bool = False) -> Outcome:
    plan = QUICK if quick else DEFAULT
    ramps = {}
    with scratch(NAME) as folder:
        for mode, budget in MODES:
            ramps[mode] = asyncio.run(_ramp(folder, plan, budget))
    paced, naive = _capacity(ramps["paced"]), _capacity(ramps["naive"])
    outcome = Outcome(NAME, paced, "concurrent debates sustained by one token",
                      paced / max(1, naive),
                      headers=("mode", "debates", "card delay p99 (s)", "429s",
                               "invalid requests", "lost cards", "sustained"))
    for mode, _ in MODES:
        for step in ramps[mode]:
            outcome.add(mode, f"{step.debates}", step.p99, f"{step.limited}",
                        f"{step.invalid}", f"{step.lost}", verdict(step.sustained))
    outcome.notes.append(
        f"quick rounds (4 phases), {plan.phase_seconds} s phases, begun over one phase so "
        f"1/{plan.phase_seconds} of them turn a phase each second; sustained = card delay p99 "
        "≤ 1 s, no invalid request, no lost card")
    outcome.notes.append(f"capacity: paced {paced}, naive {naive} (the last sustained step; "
                         "the ramp stops at the first step that is not)")
    return outcome
