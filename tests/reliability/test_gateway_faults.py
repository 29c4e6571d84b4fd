"""A whole debate while the gateway connection breaks: close codes 4000 and 1006, op 7
RECONNECT, op 9 INVALID_SESSION, and heartbeats nobody answers.

The bot must reconnect (RESUME where Discord allows it), keep its live debates, timers and
buttons, and the thread must read exactly as in a run without the fault.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from playground.emulator import Emulator
from tests.reliability.helpers import (
    EXPECTED_THREAD,
    PATIENCE,
    ReliabilityWorld,
    run_quick_debate,
    thread_lines,
)


async def _reconnected(emu: Emulator, *, resumes: int, identifies: int) -> None:
    await emu.wait_for(lambda: emu.gateway.connected and emu.gateway.resumes >= resumes
                       and emu.gateway.identifies >= identifies, timeout=PATIENCE,
                       description="the bot back on the gateway")


def _break_at(point: str, emu: Emulator,
              fault: Callable[[], Awaitable[None]], *, resume: bool = True,
              times: int = 1) -> Callable[[str], Awaitable[None]]:
    """A checkpoint that injects `fault` at `point` and waits for the bot to come back."""

    async def at(reached: str) -> None:
        if reached != point:
            return
        resumes, identifies = emu.gateway.resumes, emu.gateway.identifies
        for attempt in range(1, times + 1):
            await fault()
            await _reconnected(emu, resumes=resumes + (attempt if resume else 0),
                               identifies=identifies + (0 if resume else attempt))

    return at


async def test_gateway_close_4000_resumes(rworld: ReliabilityWorld, emulator: Emulator) -> None:
    at = _break_at("argued", emulator, lambda: emulator.close_gateway(4000), times=2)
    d = await run_quick_debate(rworld, at)
    assert thread_lines(rworld, d) == EXPECTED_THREAD
    assert emulator.gateway.resumes == 2 and emulator.gateway.identifies == 1


async def test_gateway_abnormal_close_1006_resumes(rworld: ReliabilityWorld,
                                                   emulator: Emulator) -> None:
    """The TCP connection drops without a close frame, twice, in the middle of the vote."""
    at = _break_at("Vote", emulator, lambda: emulator.close_gateway(1006), times=2)
    d = await run_quick_debate(rworld, at)
    assert thread_lines(rworld, d) == EXPECTED_THREAD
    assert emulator.gateway.resumes == 2 and emulator.gateway.identifies == 1


async def test_gateway_op7_reconnect_resumes(rworld: ReliabilityWorld,
                                             emulator: Emulator) -> None:
    at = _break_at("begun", emulator, emulator.gateway.send_reconnect)
    d = await run_quick_debate(rworld, at)
    assert thread_lines(rworld, d) == EXPECTED_THREAD
    assert emulator.gateway.resumes == 1


async def test_gateway_invalid_session_reidentifies(rworld: ReliabilityWorld,
                                                    emulator: Emulator) -> None:
    """A session Discord will not resume: a fresh IDENTIFY (READY and GUILD_CREATE again);
    the live debate carries on from memory and the database."""
    at = _break_at("Rebuttal", emulator, emulator.gateway.invalidate_sessions, resume=False)
    d = await run_quick_debate(rworld, at)
    assert thread_lines(rworld, d) == EXPECTED_THREAD
    assert emulator.gateway.identifies == 2


@pytest.mark.emulator_options(heartbeat_interval=0.2)
@pytest.mark.bot_options(heartbeat_timeout=1.0)
async def test_unanswered_heartbeats_force_a_reconnect(rworld: ReliabilityWorld,
                                                       emulator: Emulator) -> None:
    """The gateway goes silent (no heartbeat ACK, nothing else): the bot gives up on the
    connection after its heartbeat timeout, reconnects and RESUMEs."""

    async def silence() -> None:
        emulator.faults.drop_heartbeat_acks()
        resumes = emulator.gateway.resumes
        await emulator.wait_for(lambda: emulator.gateway.resumes > resumes, timeout=PATIENCE,
                                description="a RESUME after the silence")
        emulator.faults.clear()

    at = _break_at("Closing", emulator, silence)
    d = await run_quick_debate(rworld, at)
    assert thread_lines(rworld, d) == EXPECTED_THREAD
    assert emulator.faults.count("heartbeat_ack") >= 3
    assert emulator.gateway.resumes >= 1 and emulator.gateway.identifies == 1
