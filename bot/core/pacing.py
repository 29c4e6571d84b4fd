"""How fast this process may call Discord: its share of the bot token's global budget.

Discord allows a bot token about 50 rate-limited requests a second (interaction callbacks
and webhooks are exempt). discord.py only reacts to a global 429; it does not keep a token
under the limit, and separate shard processes each have their own client. So each process
takes a share (`share_of`) and spends it through a `SlidingWindow`: requests wait for a token
instead of drawing 429s, which also count towards Discord's invalid-request ban.
"""

from __future__ import annotations

import math
from collections import deque

#: Requests a second Discord allows a bot token on rate-limited routes.
TOKEN_GLOBAL_LIMIT = 50
#: What one process uses by default: a margin under the limit for clock skew and for the
#: odd call made outside the pacer.
DEFAULT_BUDGET = 45.0


def share_of(budget: float, shard_count: int | None, shard_ids: tuple[int, ...] | None) -> float:
    """This process's share of `budget` when the shards are split over processes: each
    process runs `len(shard_ids)` of `shard_count` shards, so the token's processes are
    `shard_count / len(shard_ids)` (rounded up); unsharded, or all shards here, the whole."""
    if budget <= 0:
        raise ValueError("the budget must be positive")
    if shard_count is None or shard_ids is None or not shard_ids:
        return budget
    processes = -(-shard_count // len(shard_ids))
    return budget / processes


class SlidingWindow:
    """At most `rate` requests in any one second (whole requests: `floor(rate)`, at least
    one, over a window stretched to keep the average at `rate`). Sliding, so it holds for
    however Discord's own windows fall. Time is given, never read."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.count = max(1, math.floor(rate))
        self.period = max(1.0, self.count / rate)
        self._recent: deque[float] = deque()

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - self.period:
            self._recent.popleft()

    def wait(self, now: float) -> float:
        """Seconds until a request may go (0: now)."""
        self._forget(now)
        if len(self._recent) < self.count:
            return 0.0
        return self._recent[0] + self.period - now

    def take(self, now: float) -> bool:
        """Count a request now if the window has room."""
        if self.wait(now) > 0:
            return False
        self._recent.append(now)
        return True
