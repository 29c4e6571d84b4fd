"""A bot in a child process: spawn it, read its memory and CPU from /proc, stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from benchmarks.common import REPO

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    spawned_at: float          # time.perf_counter() just before the spawn
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        """Resident set size now (VmRSS), in MB."""
        return _status_kb(self.pid, "VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        """Peak resident set size so far (VmHWM), in MB."""
        return _status_kb(self.pid, "VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM (the launcher closes the bot cleanly), then SIGKILL if it hangs."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise LookupError(f"{key} not in /proc/{pid}/status")


def spawn(kind: str, env: Mapping[str, str], log: Path) -> Child:
    """Start `python -m benchmarks.launcher <kind>`; its output goes to `log`."""
    out: IO[bytes] = log.open("wb")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.launcher", kind],
                               cwd=REPO, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    out.close()
    return Child(process, started, log)
