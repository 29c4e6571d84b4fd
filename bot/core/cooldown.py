"""Per-key rate limiting (token bucket) with an injected clock, for button spam."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class Cooldown:
    """Allow `rate` actions per `per` seconds for each key, with bursts up to `rate`.

    `hit(key, now)` returns 0 when the action may go ahead, else the seconds to wait.
    Buckets that have refilled are forgotten, so memory stays bounded by active keys.
    """

    def __init__(self, rate: int, per: float, *, max_keys: int = 100_000) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("rate must be ≥ 1 and per > 0")
        self.rate = rate
        self.per = per
        self.max_keys = max_keys
        self._buckets: dict[Hashable, _Bucket] = {}

    def hit(self, key: Hashable, now: float) -> float:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.rate), now)
        refill = (now - bucket.updated) * self.rate / self.per
        bucket.tokens = min(float(self.rate), bucket.tokens + max(refill, 0.0))
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) * self.per / self.rate

    def _forget_full(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            if bucket.tokens + (now - bucket.updated) * self.rate / self.per >= self.rate:
                del self._buckets[key]
