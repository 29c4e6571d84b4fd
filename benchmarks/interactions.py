"""interactions: /summary and /debate vote end to end, at a steady 200 a second.

The playground emulator (127.0.0.1) runs in this process; the real bot runs in a child
process pointed at it (`benchmarks.launcher`), as it would face Discord: the emulator's own
work (it is Discord here) does not share the bot's event loop. Each interaction goes out as
INTERACTION_CREATE on the gateway; its latency is the emulator's `InteractionResult.latency`,
up to the moment it accepted the bot's first callback.

- /summary: every article entry in turn, short and full alternately; then again from
  Japanese and from Korean clients (the ja and ko packs and catalogs), each beside its own run
  of /ping.
- /debate vote: a quick debate brought to its vote phase with real commands (two debaters
  join, the moderator begins, `/moderate next` three times, `/moderate extend` by an hour), then
  every vote from a different audience member, pro / con / undecided in turn.

Baseline: `BareBot`, in its own child process and its own emulator with the same guild and
members, answering `/ping` with a fixed string. Both bots are up at once and are driven at
the same time, each at the same rate, their sends interleaved (a ping, then a Rostrum
interaction 2.5 ms later, and so on): the machine's stalls, which come and go on a shared
host, fall on both alike.
"""

from __future__ import annotations

import asyncio
import functools
import operator
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import Launched, launch
from benchmarks.common import CONTENT_DIR, scratch
from benchmarks.drive import Lane, Run, at_rate
from benchmarks.procs import Child
from benchmarks.report import Outcome, percentile, verdict
from bot.core.content import load_pack
from playground.barebot import PING_REPLY
from playground.emulator import Channel, Emulator, InteractionResult, Member, Message

NAME = "interactions"
RATE = 200.0
LIMIT = 3.0
TARGETS = {"/summary": 1.3, "/debate vote": 2.0}
#: /summary is also measured from Japanese and Korean clients (their content and replies).
LOCALES = ("ja", "ko")
MANAGE_THREADS = 1 << 34
TOPIC = "history-versus-interests"

Send = Callable[[int], Awaitable[InteractionResult]]


@dataclass(frozen=True, slots=True)
class Size:
    count: int   # interactions per Rostrum command (and pings beside each)


DEFAULT = Size(count=2_000)
QUICK = Size(count=40)


@dataclass
class Side:
    """One bot in its own process, facing its own emulator."""

    emu: Emulator
    channel: Channel
    members: list[Member]
    launched: Launched | None = None

    @property
    def child(self) -> Child:
        assert self.launched is not None
        return self.launched.child


def _side(emu: Emulator, channel_name: str, count: int) -> Side:
    guild = emu.create_guild("Bench")
    channel = guild.create_text_channel(channel_name)
    return Side(emu, channel, [guild.create_member(f"member{n}") for n in range(count)])


async def together(size: Size, bare: Side, ping: Send, rostrum: Side,
                   send: Send) -> tuple[Run, Run]:
    """Pings and Rostrum interactions, each at RATE, their sends interleaved."""
    cpu = (bare.child.cpu_seconds(), rostrum.child.cpu_seconds())
    pings, ours = await at_rate([Lane(bare.emu, ping), Lane(rostrum.emu, send)], size.count,
                                RATE)
    pings.cpu = bare.child.cpu_seconds() - cpu[0]
    ours.cpu = rostrum.child.cpu_seconds() - cpu[1]
    return pings, ours


async def card_titled(emu: Emulator, thread: Channel, title: str,
                      timeout: float = 10.0) -> Message:  # noqa: ASYNC109 - a deadline
    """The first message in `thread` with an embed whose title holds `title`."""
    return await emu.wait_for_message(
        thread, lambda m: any(title in (e.get("title") or "") for e in m.embeds),
        timeout=timeout)


async def _vote_phase(emu: Emulator, mo: Member, alice: Member, bob: Member,
                      channel: Channel) -> Channel:
    """A quick debate with two debaters, moved on to its vote phase and given an hour."""
    r = await mo.act().slash("moderate start", channel=channel, topic=TOPIC, format="quick",
                             phase_seconds=60, timeout=10)
    await r.wait_done(timeout=10)
    thread = await emu.wait_for(lambda: next(iter(emu.threads(channel)[-1:]), None),
                                description="the debate thread")
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components), timeout=10)
    debate_id = lobby.components[0]["components"][0]["custom_id"].split(":")[1]
    await alice.act().click(lobby, f"deb:{debate_id}:join-pro", timeout=10)
    await bob.act().click(lobby, f"deb:{debate_id}:join-con", timeout=10)
    await mo.act().click(lobby, f"deb:{debate_id}:begin", timeout=10)
    await card_titled(emu, thread, "Phase 1/4")
    for card in ("Phase 2/4", "Phase 3/4", "Phase 4/4 · Vote"):
        await mo.act().slash("moderate next", channel=thread, timeout=10)
        await card_titled(emu, thread, card)
    await mo.act().slash("moderate extend", channel=thread, seconds=3600, timeout=10)
    return thread


@dataclass(frozen=True, slots=True)
class Found:
    summary_pings: Run
    summaries: Run
    vote_pings: Run
    votes: Run
    problems: int
    #: Under Discord's limits (on in the emulator): 429s answered, and 401/403/429s counted
    #: towards the 10,000-per-10-minutes ban, over both emulators.
    rate_limited: int
    invalid: int
    #: /summary from Japanese and Korean clients (their pings beside them, then theirs).
    localized: dict[str, tuple[Run, Run]]


async def _measure(size: Size, folder: Path) -> Found:
    entries = [e.id for e in load_pack(CONTENT_DIR).article.entries]
    async with Emulator(set_endpoints=False) as bare_emu, \
            Emulator(set_endpoints=False) as emu:
        bare = _side(bare_emu, "general", size.count)
        ours = _side(emu, "debates", size.count)
        guild = ours.channel.guild
        mo = guild.create_member("mo", roles=[guild.create_role(
            "Moderators", permissions=MANAGE_THREADS)])
        alice, bob = guild.create_member("alice"), guild.create_member("bob")

        def ping(n: int) -> Awaitable[InteractionResult]:
            return bare.members[n].act().slash("ping", channel=bare.channel, wait=False)

        def summary(n: int) -> Awaitable[InteractionResult]:
            return ours.members[n].act().slash(
                "summary", channel=ours.channel, section=entries[n % len(entries)],
                length=("short", "full")[n // len(entries) % 2], wait=False)

        env = {"DATABASE_PATH": str(folder / "rostrum.sqlite3"), "CONTENT_DIR": str(CONTENT_DIR)}
        bare.launched = await launch(bare_emu, "bare", folder / "bare.log", lambda: ping(0))
        try:
            ours.launched = await launch(emu, "rostrum", folder / "rostrum.log",
                                         lambda: summary(0), env=env)
            summary_pings, summaries = await together(size, bare, ping, ours, summary)
            localized = {}
            for locale in LOCALES:
                def summary_in(n: int, locale: str = locale) -> Awaitable[InteractionResult]:
                    return emu.as_user(ours.members[n], locale=locale).slash(
                        "summary", channel=ours.channel, section=entries[n % len(entries)],
                        length=("short", "full")[n // len(entries) % 2], wait=False)

                localized[locale] = await together(size, bare, ping, ours, summary_in)
            thread = await _vote_phase(emu, mo, alice, bob, ours.channel)

            def vote(n: int) -> Awaitable[InteractionResult]:
                return ours.members[n].act().slash(
                    "debate vote", channel=thread, side=("pro", "con", "undecided")[n % 3],
                    wait=False)

            vote_pings, votes = await together(size, bare, ping, ours, vote)
            problems = sum(len(e.violations) + len(e.unhandled_routes) for e in (bare_emu, emu))
            rate_limited = sum(len(e.rate_limits.refused) for e in (bare_emu, emu))
            invalid = sum(e.rate_limits.invalid_requests() for e in (bare_emu, emu))
        finally:
            for side in (bare, ours):
                if side.launched is not None:
                    side.child.stop()
    return Found(summary_pings, summaries, vote_pings, votes, problems, rate_limited, invalid,
                 localized)


def _joined(first: Run, *more: Run) -> Run:
    return functools.reduce(operator.add, more, first)


def _pong(result: InteractionResult) -> bool:
    return result.content == PING_REPLY


def run(quick: bool = False) -> Outcome:
    size = QUICK if quick else DEFAULT
    with scratch(NAME) as folder:
        found = asyncio.run(_measure(size, folder))
    outcome = Outcome(NAME, 0.0, "ms p99", 0.0,
                      headers=("command", "p50 ms", "p99 ms", "max ms", "unanswered",
                               "bot CPU ms each", "p99 / baseline p99", "target"))
    runs = (("/summary", found.summary_pings, found.summaries),
            *((f"/summary ({locale})", *found.localized[locale]) for locale in LOCALES),
            ("/debate vote", found.vote_pings, found.votes))
    for name, pings, ours in runs:
        base_p99 = percentile(pings.latencies, 99)
        outcome.add(f"  /ping beside {name}", percentile(pings.latencies, 50) * 1e3,
                    base_p99 * 1e3, max(pings.latencies) * 1e3, f"{pings.unanswered}",
                    pings.cpu / size.count * 1e3, "1.00", "(baseline)")
        p99 = percentile(ours.latencies, 99)
        ratio = p99 / base_p99
        slow = sum(1 for x in ours.latencies if x > LIMIT) + ours.unanswered
        target = TARGETS[name.split(" (")[0]]  # a locale's /summary has /summary's target
        met = ratio <= target and slow == 0
        outcome.add(name, percentile(ours.latencies, 50) * 1e3, p99 * 1e3,
                    max(ours.latencies) * 1e3, f"{ours.unanswered}",
                    ours.cpu / size.count * 1e3, ratio,
                    f"≤ {target}×, none over {LIMIT:.0f} s ({verdict(met)})")
        outcome.value, outcome.ratio = p99 * 1e3, ratio  # the last one: /debate vote
    lags = [x for _, pings, ours in runs for x in (*pings.lag, *ours.lag)]
    outcome.notes.append(
        f"{size.count:,} interactions per command, and as many /ping sent beside them at the "
        f"same time, each at {RATE:.0f}/s; ratio = p99 / baseline p99")
    outcome.notes.append(f"send schedule kept: lag p99 {percentile(lags, 99) * 1e3:.1f} ms, "
                         f"max {max(lags) * 1e3:.1f} ms; each bot ran in its own process")
    outcome.notes.append("final line: /debate vote p99")
    answers = (
        ("/ping answered pong",
         _joined(found.summary_pings, found.vote_pings,
                    *(found.localized[locale][0] for locale in LOCALES)),
         _pong, 2 + len(LOCALES)),
        ("/summary answered with an embed",
         _joined(found.summaries, *(found.localized[locale][1] for locale in LOCALES)),
         lambda r: bool(r.embeds), 1 + len(LOCALES)),
        ("/debate vote recorded", found.votes,
         lambda r: r.content.startswith("Vote recorded"), 1),
    )
    outcome.notes.append("answers checked: " + ", ".join(
        f"{what} {found_run.count(check):,}/{times * size.count:,}"
        for what, found_run, check, times in answers))
    outcome.notes.append(f"under Discord's rate limits (emulated): {found.rate_limited:,} "
                         f"429s, {found.invalid:,} invalid requests in 10 minutes")
    if found.problems:
        outcome.notes.append(f"emulators recorded {found.problems} rejected payload(s) or "
                             "route(s)")
    return outcome
