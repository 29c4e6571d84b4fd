"""Tables, percentiles and the final line every benchmark prints."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

FINAL_LINE = re.compile(
    r"^(?P<name>[a-z]+): (?P<value>[0-9]+(?:\.[0-9]+)?) (?P<unit>\S.*?) "
    r"\(ratio (?P<ratio>[0-9]+\.[0-9]{2}) vs baseline\)$")
"""What the last line of every benchmark's output looks like."""


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (`pct` in 0..100) of a non-empty sample."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


def number(value: float) -> str:
    """A figure with as many decimals as its size deserves (no exponent notation)."""
    size = abs(value)
    if size >= 100:
        return f"{value:.0f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def final_line(name: str, value: float, unit: str, ratio: float) -> str:
    return f"{name}: {number(value)} {unit} (ratio {ratio:.2f} vs baseline)"


@dataclass
class Outcome:
    """What a benchmark found: table rows, notes, and the headline for the final line."""

    name: str
    value: float
    unit: str
    ratio: float
    headers: tuple[str, ...] = ("measure", "Rostrum", "baseline", "ratio", "target")
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append(tuple(c if isinstance(c, str) else number(float(c))  # type: ignore[arg-type]
                               for c in cells))

    def table(self) -> str:
        rows = [self.headers, *self.rows]
        width = [max(len(row[i]) if i < len(row) else 0 for row in rows)
                 for i in range(len(self.headers))]
        lines = []
        for n, row in enumerate(rows):
            cells = [(row[i] if i < len(row) else "").ljust(width[i])
                     for i in range(len(self.headers))]
            lines.append("  ".join(cells).rstrip())
            if n == 0:
                lines.append("  ".join("-" * w for w in width))
        return "\n".join(lines)

    def render(self) -> str:
        parts = [f"== {self.name} ==", self.table()]
        parts += [f"  note: {note}" for note in self.notes]
        parts.append(final_line(self.name, self.value, self.unit, self.ratio))
        return "\n".join(parts)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
