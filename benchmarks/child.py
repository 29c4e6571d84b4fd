"""Start a bot in a child process against an emulator in this one, and wait until it answers.

The emulator binds 127.0.0.1 only; the child reaches it through `benchmarks.launcher`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks.launcher import child_environment
from benchmarks.procs import Child, spawn
from playground.emulator import Emulator, InteractionResult

OP_IDENTIFY = 2
Probe = Callable[[], Awaitable[InteractionResult]]


class ChildFailed(RuntimeError):
    """The bot process exited or never answered; the message ends with its log's tail."""


@dataclass(frozen=True, slots=True)
class Launched:
    child: Child
    spawned: float      # time.monotonic() just before the spawn
    identified: float   # when the emulator received IDENTIFY (it answers READY at once)
    answered: float     # when the emulator accepted the bot's answer to the probe


async def launch(emu: Emulator, kind: str, log: Path, probe: Probe, *,
                 env: Mapping[str, str] | None = None,
                 timeout: float = 60.0) -> Launched:  # noqa: ASYNC109 - a deadline
    """Spawn `kind` ("rostrum" or "bare"), wait for its IDENTIFY, then send `probe` (one
    interaction) at once and wait for its answer: the bot is then fully up."""
    identifies = sum(1 for e in emu.gateway.received if e.op == OP_IDENTIFY)
    spawned = time.monotonic()
    child = spawn(kind, child_environment(emu.api_base, emu.gateway_url, emu.token, env), log)
    deadline = spawned + timeout
    while not (emu.gateway.connected and _identified(emu) > identifies):
        if not child.alive() or time.monotonic() > deadline:
            child.stop()
            raise ChildFailed(f"{kind} bot never connected:\n{child.tail()}")
        await asyncio.sleep(0.002)
    identified = next(e.at for e in reversed(emu.gateway.received) if e.op == OP_IDENTIFY)
    result = await probe()
    while result.responded_at is None:
        if not child.alive() or time.monotonic() > deadline:
            child.stop()
            raise ChildFailed(f"{kind} bot never answered its first command:\n{child.tail()}")
        await asyncio.sleep(0.002)
    return Launched(child, spawned, identified, result.responded_at)


def _identified(emu: Emulator) -> int:
    return sum(1 for e in emu.gateway.received if e.op == OP_IDENTIFY)
