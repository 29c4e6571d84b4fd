"""pictures: what the charts cost, on the Oxford result card and on /stats.

Two Rostrum bots, each in its own process facing its own emulator with the same server (a
moderator, two debaters, an audience): one draws the charts, the other is started with
ROSTRUM_BENCH_CHARTS=off (the baseline). Both are driven at the same time, so the machine's
stalls fall on both alike.

- Result card: Oxford debates run to their end with real commands and votes (the audience
  votes pro before, and splits after, so there is a swing to draw); the figure is the time
  from the moderator's last `/moderate next` being sent to the result card being stored,
  where the picture is drawn (in a thread) and uploaded with the card.
- /stats: each audience member asks for their own card (they have points this week, so the
  chart is drawn), at a steady rate; the figure is the interaction's latency.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.child import Launched, launch
from benchmarks.common import CONTENT_DIR, scratch
from benchmarks.drive import Lane, Run, Send, at_rate
from benchmarks.interactions import card_titled
from benchmarks.launcher import CHARTS
from benchmarks.report import Outcome, percentile
from playground.emulator import Channel, Emulator, InteractionResult, Member, Message

NAME = "pictures"
MANAGE_THREADS = 1 << 34
TOPIC = "history-versus-interests"
STATS_RATE = 50.0
WAIT = 20.0


@dataclass(frozen=True, slots=True)
class Size:
    debates: int
    audience: int
    stats: int


DEFAULT = Size(debates=20, audience=6, stats=600)
QUICK = Size(debates=3, audience=4, stats=40)


@dataclass
class Server:
    """One bot's side: its emulator, channel and members."""

    emu: Emulator
    channel: Channel
    mo: Member
    alice: Member
    bob: Member
    audience: list[Member]
    launched: Launched | None = None


def _server(emu: Emulator, size: Size) -> Server:
    guild = emu.create_guild("Bench")
    channel = guild.create_text_channel("debates")
    mo = guild.create_member("mo", roles=[guild.create_role("Moderators",
                                                            permissions=MANAGE_THREADS)])
    return Server(emu, channel, mo, guild.create_member("alice"), guild.create_member("bob"),
                  [guild.create_member(f"voter{n}") for n in range(size.audience)])


def _buttons(message: Message) -> dict[str, str]:
    """A message's buttons by the last part of their custom id ("join-pro", "vote-con")."""
    return {c["custom_id"].rsplit(":", 1)[-1]: c["custom_id"]
            for c in message.iter_components() if c.get("custom_id")}


async def _oxford(server: Server) -> float:
    """One Oxford debate to its end; seconds from the last /moderate next to the result."""
    emu, mo = server.emu, server.mo
    before = len(emu.threads(server.channel))
    await mo.act().slash("moderate start", channel=server.channel, topic=TOPIC, format="oxford",
                         phase_seconds=600, timeout=WAIT)
    thread = await emu.wait_for(lambda: next(iter(emu.threads(server.channel)[before:]), None),
                                description="the debate thread", timeout=WAIT)
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components), timeout=WAIT)
    ids = _buttons(lobby)
    await server.alice.act().click(lobby, ids["join-pro"], timeout=WAIT)
    await server.bob.act().click(lobby, ids["join-con"], timeout=WAIT)
    for number in range(1, 8):
        await mo.act().slash("moderate next", channel=thread, timeout=WAIT)
        card = await card_titled(emu, thread, f"Phase {number}/7", timeout=WAIT)
        if number in (1, 7):
            votes = _buttons(card)
            for index, voter in enumerate(server.audience):
                side = "pro" if number == 1 or index % 2 else "con"
                await voter.act().click(card, votes[f"vote-{side}"], timeout=WAIT)
    loop = asyncio.get_running_loop()
    sent = loop.time()
    await mo.act().slash("moderate next", channel=thread, timeout=WAIT)
    await emu.wait_for_message(thread, lambda m: any("/debate transcript" in str(
        (e.get("footer") or {}).get("text")) for e in m.embeds), timeout=WAIT)
    return loop.time() - sent


async def _measure(size: Size, folder: Path) -> tuple[list[float], list[float], Run, Run,
                                                          int]:
    async with Emulator(set_endpoints=False) as drawn_emu, \
            Emulator(set_endpoints=False) as plain_emu:
        drawn, plain = _server(drawn_emu, size), _server(plain_emu, size)
        try:
            for server, name, charts in ((drawn, "drawn", "on"), (plain, "plain", "off")):
                env = {"DATABASE_PATH": str(folder / f"{name}.sqlite3"),
                       "CONTENT_DIR": str(CONTENT_DIR), CHARTS: charts}

                def probe(server: Server = server) -> Awaitable[InteractionResult]:
                    return server.mo.act().slash("topics", channel=server.channel, wait=False)

                server.launched = await launch(server.emu, "rostrum", folder / f"{name}.log",
                                               probe, env=env)
            with_chart: list[float] = []
            without: list[float] = []
            for _ in range(size.debates):
                a, b = await asyncio.gather(_oxford(drawn), _oxford(plain))
                with_chart.append(a)
                without.append(b)

            def stats(server: Server) -> Send:
                def send(n: int) -> Awaitable[InteractionResult]:
                    member = server.audience[n % len(server.audience)]
                    return member.act().slash("stats", channel=server.channel, wait=False)
                return send

            drawn_stats, plain_stats = await at_rate(
                [Lane(drawn_emu, stats(drawn)), Lane(plain_emu, stats(plain))],
                size.stats, STATS_RATE)
            pictures = sum(1 for r in drawn_stats.results
                           if r.message is not None and r.message.attachments)
        finally:
            for server in (drawn, plain):
                if server.launched is not None:
                    server.launched.child.stop()
    return with_chart, without, drawn_stats, plain_stats, pictures


def run(quick: bool = False) -> Outcome:
    size = QUICK if quick else DEFAULT
    with scratch(NAME) as folder:
        with_chart, without, drawn_stats, plain_stats, pictures = asyncio.run(
            _measure(size, folder))
    outcome = Outcome(NAME, 0.0, "ms p99", 0.0,
                      headers=("what", "p50 ms", "p99 ms", "max ms", "unanswered",
                               "p99 / without p99"))
    for name, drawn, plain, unanswered in (
            ("result card", with_chart, without, (0, 0)),
            ("/stats", drawn_stats.latencies, plain_stats.latencies,
             (drawn_stats.unanswered, plain_stats.unanswered))):
        base = percentile(plain, 99)
        outcome.add(f"  {name} without chart", percentile(plain, 50) * 1e3, base * 1e3,
                    max(plain) * 1e3, f"{unanswered[1]}", "1.00")
        p99 = percentile(drawn, 99)
        outcome.add(f"{name} with chart", percentile(drawn, 50) * 1e3, p99 * 1e3,
                    max(drawn) * 1e3, f"{unanswered[0]}", p99 / base)
        outcome.value, outcome.ratio = p99 * 1e3, p99 / base  # the last one: /stats
    outcome.notes.append(
        f"{size.debates} Oxford debates per bot (result card: last /moderate next → card "
        f"stored), then {size.stats:,} /stats per bot at {STATS_RATE:.0f}/s; both bots at once, "
        "each in its own process; the baseline bot has charts off")
    outcome.notes.append(f"/stats answers that carried the chart: {pictures:,}/{size.stats:,}")
    outcome.notes.append("final line: /stats with chart p99")
    return outcome
