"""Child processes for crash tests: the real bot (playground.child) and the event load.

Children write their logs to a file (never a pipe nobody reads); the event-load child
prints one acknowledged source key per line on stdout, which `Child.lines` collects.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from playground.emulator import Emulator
from tests.e2e.world import REPO

PATIENCE = 30.0


@dataclass
class Child:
    proc: asyncio.subprocess.Process
    log_path: Path
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    async def wait_log(self, text: str, timeout: float = PATIENCE) -> None:  # noqa: ASYNC109
        """Wait until the child's log contains `text` (or it exits)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while text not in self.log:
            if self.proc.returncode is not None:
                raise AssertionError(f"child exited {self.proc.returncode}:\n{self.log}")
            if loop.time() > deadline:
                raise TimeoutError(f"{text!r} not in the child's log:\n{self.log[-3000:]}")
            await asyncio.sleep(0.05)

    async def wait_lines(self, count: int, timeout: float = PATIENCE) -> None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.lines) < count:
            if self.proc.returncode is not None or loop.time() > deadline:
                raise AssertionError(f"only {len(self.lines)} lines:\n{self.log[-3000:]}")
            await asyncio.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs in the child."""
        self.proc.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.proc.send_signal(signal.SIGTERM)

    async def exit_code(self, timeout: float = PATIENCE) -> int:  # noqa: ASYNC109
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout)
        return code

    async def stop(self) -> None:
        """Make sure the child is gone (test clean-up)."""
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


async def spawn(args: list[str], env: dict[str, str], log_path: Path) -> Child:
    with log_path.open("ab") as log_file:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, cwd=REPO, env={**os.environ, **env},
            stdout=asyncio.subprocess.PIPE, stderr=log_file, stdin=asyncio.subprocess.DEVNULL)
    child = Child(proc, log_path)

    async def read() -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            child.lines.append(raw.decode().rstrip("\n"))

    child._reader = asyncio.create_task(read())
    return child


def bot_env(emu: Emulator, database: Path, **extra: str) -> dict[str, str]:
    return {"DISCORD_TOKEN": emu.token, "DATABASE_PATH": str(database),
            "CONTENT_DIR": str(REPO / "content"), "DEV_GUILD_ID": "", "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1", **extra}


async def spawn_bot(emu: Emulator, database: Path, log_path: Path, **env: str) -> Child:
    """The real Rostrum in a child process, connected to `emu`; returns once it is ready."""
    child = await spawn(["-m", "playground.child", "--api", emu.api_base,
                         "--gateway", emu.gateway_url], bot_env(emu, database, **env), log_path)
    start = child.log.count("ready as ")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE
    while child.log.count("ready as ") <= start:
        if child.proc.returncode is not None or loop.time() > deadline:
            await child.stop()
            raise AssertionError(f"the bot did not get ready:\n{child.log[-3000:]}")
        await asyncio.sleep(0.05)
    return child
