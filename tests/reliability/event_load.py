"""Event load for crash tests: log ~RATE events a second through the real EventWriter.

    python -m tests.reliability.event_load DATABASE PREFIX [RATE]

Each event's source key is PREFIX:N. The moment `writer.log()` returns (the event's batch
committed), the key is printed on stdout and flushed, so the parent knows exactly which
events were acknowledged before it killed this process. SIGTERM stops the load and closes
the writer, which commits everything queued; the process then prints "closed N" (N events
were queued in all) and exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path

from bot.core.scoring import Kind
from bot.storage.event_writer import EventWriter
from bot.storage.events import Event
from bot.storage.opening import open_database

GUILD = 424242424242424242
KINDS = list(Kind)
TOPICS = [None, "history-versus-interests", "trade-frictions-and-economic-policy"]
TICK = 0.01  # seconds between bursts


def event(prefix: str, n: int) -> Event:
    return Event(guild_id=GUILD, user_id=1 + n % 37, kind=KINDS[n % len(KINDS)],
                 points=n % 7, at=1_800_000_000.0 + n * 97.0, source_key=f"{prefix}:{n}",
                 debate_id=1 + n % 11, topic_id=TOPICS[n % len(TOPICS)])


async def main(database: Path, prefix: str, rate: int) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    db = await open_database(database)
    await db.migrate()
    writer = EventWriter(db)
    writer.start()
    out = sys.stdout
    tasks: set[asyncio.Task[None]] = set()

    async def log_one(n: int) -> None:
        ev = event(prefix, n)
        await writer.log(ev)
        out.write(ev.source_key + "\n")
        out.flush()

    per_tick = max(1, round(rate * TICK))
    n = 0
    print("started", flush=True)
    while not stop.is_set():
        for _ in range(per_tick):
            task = asyncio.create_task(log_one(n))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            n += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TICK)
    await writer.close()          # commits everything queued: every log() above returns
    await asyncio.gather(*tasks)  # ... and prints its key
    await db.close()
    print(f"closed {n}", flush=True)
    return 0


if __name__ == "__main__":
    rate = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    sys.exit(asyncio.run(main(Path(sys.argv[1]), sys.argv[2], rate)))
