"""Discord's rate limits, enforced by the emulator (on by default; ``emu.rate_limits``).

What Discord documents and what bots observe, kept faithful where a client can tell:

- **Global**: each bot token may make ``global_limit`` requests a second (50) to routes that
  need its token. Interaction callbacks and interaction webhooks (``/interactions/…``,
  ``/webhooks/{application_id}/{token}…``) are exempt. Over it: a 429 with ``global: true``,
  ``X-RateLimit-Global: true`` and ``X-RateLimit-Scope: global``.
- **Per route**: a bucket per route and *major parameter* (channel, guild, or webhook and
  token), with the limits of :data:`ROUTE_LIMITS` (creating messages: 5 per 5 s per channel)
  else :data:`DEFAULT_LIMIT`. Every answer carries ``X-RateLimit-Limit``, ``-Remaining``,
  ``-Reset`` (epoch seconds), ``-Reset-After`` and ``-Bucket`` (a stable hash per route
  limit, shared by all its major parameters, as Discord's are). Over it: a 429 with
  ``X-RateLimit-Scope: user`` and the bucket headers at 0 remaining.
- **Every 429** has a JSON body with ``retry_after`` (float seconds), ``global`` and
  ``message``, a ``Retry-After`` header, and ``Via`` (without it discord.py takes a 429 for a
  Cloudflare ban).
- **Invalid requests**: 401, 403 and 429 answers (not ``shared`` 429s) are counted over a
  sliding 10 minutes; Discord bans an IP for an hour at 10,000. The emulator only counts
  (:meth:`RateLimits.invalid_requests`): the benchmarks report it, and a test can assert 0.

Windows are fixed (a bucket refills all at once when its reset time comes), as Discord's are.
Time is the emulator's monotonic clock unless a test injects another.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import hdrs, web

#: Routes that do not count towards the token's global limit (they use no bot token).
EXEMPT_PREFIXES = ("POST /interactions/", "GET /webhooks/", "POST /webhooks/",
                   "PATCH /webhooks/", "DELETE /webhooks/")
#: The path parameters that make a route's bucket separate (Discord's "major parameters").
MAJOR_PARAMETERS = ("channel_id", "guild_id", "interaction_id", "token")
INVALID_STATUSES = (401, 403, 429)
INVALID_WINDOW = 600.0
INVALID_BAN_THRESHOLD = 10_000
GLOBAL_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Limit:
    requests: int
    per: float  # seconds


#: Per-route limits where Discord's differ from the default (route templates as the
#: emulator names them: ``METHOD /path/{param}``). Discord publishes no table; these are the
#: limits its headers announce for a bot token (messages: 5 per 5 s per channel).
ROUTE_LIMITS: dict[str, Limit] = {
    "POST /channels/{channel_id}/messages": Limit(5, 5.0),
    "PATCH /channels/{channel_id}/messages/{message_id}": Limit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/{message_id}": Limit(5, 1.0),
}
DEFAULT_LIMIT = Limit(50, 1.0)


def bucket_hash(route: str, limit: Limit) -> str:
    """Stable for a route's limit (every channel's message-create bucket has the same hash)."""
    return hashlib.blake2b(f"{route}|{limit.requests}/{limit.per}".encode(),
                           digest_size=8).hexdigest()


@dataclass
class _Window:
    limit: int
    per: float
    used: int = 0
    resets_at: float = 0.0  # monotonic

    def roll(self, now: float) -> None:
        if now >= self.resets_at:
            self.used = 0
            self.resets_at = now + self.per


@dataclass
class Refusal:
    """A 429 the emulator answers instead of serving the request."""

    retry_after: float
    scope: str  # "user" or "global"
    headers: dict[str, str]

    def response(self) -> web.Response:
        body = {"message": "You are being rate limited.", "retry_after": self.retry_after,
                "global": self.scope == "global", "code": 0}
        headers = {hdrs.CONTENT_TYPE: "application/json", "Via": "1.1 google",
                   hdrs.RETRY_AFTER: str(max(1, math.ceil(self.retry_after))),
                   "X-RateLimit-Scope": self.scope, **self.headers}
        if self.scope == "global":
            headers["X-RateLimit-Global"] = "true"
        return web.Response(body=json.dumps(body).encode(), status=429, headers=headers)


@dataclass
class Admission:
    """The outcome of one request at the limiter: its headers, or the 429 instead."""

    headers: dict[str, str] = field(default_factory=dict)
    refusal: Refusal | None = None


class RateLimits:
    """The token's global window, the route buckets, and the invalid-request count."""

    def __init__(self, *, enabled: bool = True, global_limit: int = GLOBAL_LIMIT,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.enabled = enabled
        #: Requests a second the token may make to non-exempt routes (50 on Discord; lower it
        #: to play a token that other processes already use).
        self.global_limit = global_limit
        self.route_limits = dict(ROUTE_LIMITS)
        self.default_limit = DEFAULT_LIMIT
        self._clock, self._wall = clock, wall
        self._global = _Window(global_limit, 1.0)
        self._buckets: dict[tuple[str, str], _Window] = {}
        self._invalid: deque[float] = deque()
        #: Every 429 the limiter answered: (route, scope).
        self.refused: list[tuple[str, str]] = []
        #: Non-exempt requests served, by second (int(monotonic)) - for "at most N a second".
        self.served_per_second: dict[int, int] = {}

    # ------------------------------------------------------------------ admission

    def admit(self, route: str, params: dict[str, str]) -> Admission:
        """Count one request to `route` (``"POST /channels/{channel_id}/messages"``) with its
        path `params`; the 429 to answer when it is over a limit."""
        if not self.enabled:
            return Admission()
        now = self._clock()
        exempt = route.startswith(EXEMPT_PREFIXES)
        if not exempt:
            self._global.limit = self.global_limit
            self._global.roll(now)
            if self._global.used >= self._global.limit:
                refusal = Refusal(round(self._global.resets_at - now, 3), "global", {})
                self.refused.append((route, "global"))
                return Admission(refusal=refusal)
        limit = self.route_limits.get(route, self.default_limit)
        major = "/".join(params.get(name, "") for name in MAJOR_PARAMETERS)
        bucket = self._buckets.get((route, major))
        if bucket is None:
            bucket = self._buckets[(route, major)] = _Window(limit.requests, limit.per)
        bucket.roll(now)
        if bucket.used >= bucket.limit:
            headers = self._bucket_headers(route, limit, bucket, now)
            self.refused.append((route, "user"))
            return Admission(refusal=Refusal(round(bucket.resets_at - now, 3), "user", headers))
        bucket.used += 1
        if not exempt:
            self._global.used += 1
            second = int(now)
            self.served_per_second[second] = self.served_per_second.get(second, 0) + 1
        return Admission(headers=self._bucket_headers(route, limit, bucket, now))

    def _bucket_headers(self, route: str, limit: Limit, bucket: _Window,
                        now: float) -> dict[str, str]:
        after = max(0.0, bucket.resets_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.limit - bucket.used)),
            "X-RateLimit-Reset": f"{self._wall() + after:.3f}",
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(route, limit),
        }

    # ------------------------------------------------------------------ invalid requests

    def answered(self, status: int, scope: str | None = None) -> None:
        """Count an answer towards the invalid-request limit (401, 403, non-shared 429)."""
        if status in INVALID_STATUSES and scope != "shared":
            self._invalid.append(self._clock())

    def invalid_requests(self) -> int:
        """Invalid requests in the last 10 minutes (Discord bans the IP at 10,000)."""
        cutoff = self._clock() - INVALID_WINDOW
        while self._invalid and self._invalid[0] < cutoff:
            self._invalid.popleft()
        return len(self._invalid)

    def busiest_second(self) -> int:
        """The most non-exempt requests served within one second."""
        return max(self.served_per_second.values(), default=0)

    def reset(self) -> None:
        """Forget every window and count (a test switching scenarios)."""
        self._global = _Window(self.global_limit, 1.0)
        self._buckets.clear()
        self._invalid.clear()
        self.refused.clear()
        self.served_per_second.clear()
