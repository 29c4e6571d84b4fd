"""Fault injection: make the emulator misbehave the way Discord sometimes does.

Every emulator has one :class:`Faults` at ``emu.faults``; nothing is injected until a test
asks, and :meth:`Faults.clear` stops everything::

    emu.faults.http(503, times=3, route="POST /channels/{id}/messages")   # 5xx on a route
    emu.faults.http(502, processed=True)                                  # done, answer lost
    emu.faults.rate_limit(retry_after=0.5, global_=True)                  # 429 (+ global flag;
                                                                          #  never on callbacks)
    emu.faults.delay(2.0, times=2)                                        # slow answers
    emu.faults.disconnect(route="POST /channels/{id}/threads")            # connection reset
    emu.faults.drop_heartbeat_acks()                                      # silent gateway
    emu.faults.injected                                                   # what was injected

HTTP rules apply to REST requests under ``/api/v10`` (interaction callbacks and webhooks
included, the websocket upgrade excluded). A request that draws an error status is *not*
carried out, as when Discord's edge refuses it, so a client retry never makes a duplicate.
``route`` is a route template as in :attr:`Emulator.requests` (``"POST
/channels/{channel_id}/messages"``); placeholder names do not matter (``{id}`` matches
``{channel_id}``), and ``None`` matches every route. ``times=None`` keeps a rule until
:meth:`clear`.

Gateway faults: :meth:`drop_heartbeat_acks` stops answering heartbeats, so a client that
hears nothing for its heartbeat timeout reconnects and RESUMEs. Close codes are injected
with :meth:`Emulator.close_gateway` (4000 resumable, 1006 abnormal) and op 7 with
``emu.gateway.send_reconnect()``.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Literal

from aiohttp import hdrs, web

from playground.ratelimits import EXEMPT_PREFIXES

Kind = Literal["status", "rate_limit", "delay", "disconnect", "heartbeat_ack"]
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
#: Statuses :meth:`Faults.http` can inject (Discord's edge and API errors).
SERVER_ERRORS = (500, 502, 503, 504)


def _normalise(route: str) -> str:
    method, _, path = route.strip().partition(" ")
    return f"{method.upper()} {_PLACEHOLDER.sub('{}', path.strip())}"


@dataclass
class Injected:
    """One fault that actually happened (tests assert their fault fired)."""

    kind: Kind
    route: str
    detail: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class HttpRule:
    """One switched-on HTTP fault. ``remaining`` is ``None`` for "until cleared"."""

    kind: Kind
    route: str | None
    remaining: int | None
    status: int = 0
    retry_after: float = 0.0
    global_: bool = False
    seconds: float = 0.0
    every: int = 1
    processed: bool = False
    via: bool = True
    seen: int = 0
    hits: int = 0

    def matches(self, route: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        return self.route is None or _normalise(self.route) == _normalise(route)

    def due(self) -> bool:
        """Count a matching request; True when this one gets the fault (every `every`-th)."""
        self.seen += 1
        return self.seen % self.every == 0

    def take(self) -> None:
        self.hits += 1
        if self.remaining is not None:
            self.remaining -= 1

    @property
    def spent(self) -> bool:
        return self.remaining is not None and self.remaining <= 0


class Faults:
    """The switchboard of injected faults for one emulator."""

    def __init__(self) -> None:
        self.rules: list[HttpRule] = []
        self.injected: list[Injected] = []
        self._heartbeat_drops: int | None = 0

    # ------------------------------------------------------------------ switching on

    def http(self, status: int = 503, *, times: int | None = 1, route: str | None = None,
             every: int = 1, processed: bool = False) -> HttpRule:
        """Answer ``times`` matching requests with ``status`` (500, 502, 503, 504): the next
        ones, or every ``every``-th one, so faults spread over a whole scenario.

        With ``processed`` the request is carried out first and only its answer is lost (a
        gateway timeout after Discord did the work), so a blind client retry duplicates it.
        """
        if status not in SERVER_ERRORS:
            raise ValueError(f"status must be one of {SERVER_ERRORS}, not {status}")
        return self._add(HttpRule("status", route, times, status=status, every=every,
                                  processed=processed))

    def rate_limit(self, retry_after: float = 0.5, *, global_: bool = False,
                   times: int | None = 1, route: str | None = None,
                   every: int = 1, via: bool = True) -> HttpRule:
        """Answer 429 with ``retry_after`` (and the global flag when ``global_``). Without
        ``via`` it is a rate-limit proxy's own 429 (nirn-proxy's have no ``Via`` header)."""
        if retry_after < 0:
            raise ValueError("retry_after must be ≥ 0")
        return self._add(HttpRule("rate_limit", route, times, status=429,
                                  retry_after=retry_after, global_=global_, every=every,
                                  via=via))

    def delay(self, seconds: float, *, times: int | None = 1, route: str | None = None,
              every: int = 1) -> HttpRule:
        """Hold ``times`` matching requests ``seconds`` before serving them."""
        if seconds < 0:
            raise ValueError("seconds must be ≥ 0")
        return self._add(HttpRule("delay", route, times, seconds=seconds, every=every))

    def disconnect(self, *, times: int | None = 1, route: str | None = None,
                   every: int = 1) -> HttpRule:
        """Drop the connection of matching requests without an answer (nothing is done), as
        when a proxy or Discord's edge resets it: the client sees a disconnect, not a status."""
        return self._add(HttpRule("disconnect", route, times, every=every))

    def drop_heartbeat_acks(self, times: int | None = None) -> None:
        """Leave heartbeats unanswered (the next ``times``, or all until :meth:`clear`)."""
        self._heartbeat_drops = times

    def clear(self) -> None:
        """Switch every fault off (what was injected stays in :attr:`injected`)."""
        self.rules.clear()
        self._heartbeat_drops = 0

    def _add(self, rule: HttpRule) -> HttpRule:
        if rule.remaining is not None and rule.remaining < 1:
            raise ValueError("times must be ≥ 1 (or None for until cleared)")
        if rule.every < 1:
            raise ValueError("every must be ≥ 1")
        self.rules.append(rule)
        return rule

    # ------------------------------------------------------------------ reading

    def count(self, kind: Kind | None = None) -> int:
        """How many faults of ``kind`` (any kind when ``None``) were injected."""
        return sum(1 for i in self.injected if kind is None or i.kind == kind)

    @property
    def pending(self) -> list[HttpRule]:
        """Rules that still have injections left."""
        return [r for r in self.rules if not r.spent]

    # ------------------------------------------------------------------ hooks

    async def before_request(self, route: str) -> web.Response | None:
        """Called by the HTTP middleware first: an error to answer instead of serving, or
        :data:`DISCONNECT` to drop the connection."""
        for rule in self.rules:
            if rule.kind == "disconnect" and rule.matches(route) and rule.due():
                rule.take()
                self.injected.append(Injected("disconnect", route, "connection dropped"))
                return DISCONNECT
            if rule.kind == "rate_limit" and rule.global_ and route.startswith(EXEMPT_PREFIXES):
                continue  # as on Discord: interaction endpoints never get a global 429
            if (rule.kind in ("status", "rate_limit") and not rule.processed
                    and rule.matches(route) and rule.due()):
                rule.take()
                if rule.kind == "status":
                    self.injected.append(Injected("status", route, str(rule.status)))
                    return _server_error(rule.status)
                scope = "global" if rule.global_ else "route"
                self.injected.append(
                    Injected("rate_limit", route, f"{scope} {rule.retry_after:.2f}s"))
                return _too_many_requests(rule.retry_after, rule.global_, via=rule.via)
        return None

    async def after_request(self, route: str,
                            response: web.StreamResponse) -> web.StreamResponse:
        """Called once a request was carried out: hold its answer back for delays, or lose
        it if a rule says so. (The work is done before the wait, as when Discord is slow
        to answer: a client that gives up meanwhile still finds it done.)"""
        if response.status >= 400:
            return response
        for rule in [r for r in self.rules if r.kind == "delay" and r.matches(route)]:
            if not rule.due():
                continue
            rule.take()
            self.injected.append(Injected("delay", route, f"{rule.seconds:.2f}s"))
            await asyncio.sleep(rule.seconds)
        for rule in self.rules:
            if rule.kind == "status" and rule.processed and rule.matches(route) and rule.due():
                rule.take()
                self.injected.append(Injected("status", route, f"{rule.status} after processing"))
                return _server_error(rule.status)
        return response

    def drop_heartbeat_ack(self) -> bool:
        """Called by the gateway on each heartbeat: True when its ACK must not be sent."""
        if self._heartbeat_drops is not None and self._heartbeat_drops <= 0:
            return False
        if self._heartbeat_drops is not None:
            self._heartbeat_drops -= 1
        self.injected.append(Injected("heartbeat_ack", "gateway", "ACK dropped"))
        return True


#: The answer that is no answer: the middleware aborts the connection instead of replying.
DISCONNECT = web.Response(status=499)


def _json(body: dict[str, object], status: int, headers: dict[str, str]) -> web.Response:
    return web.Response(body=json.dumps(body).encode(), status=status,
                        headers={hdrs.CONTENT_TYPE: "application/json", **headers})


def _server_error(status: int) -> web.Response:
    return _json({"message": f"{status}: Emulated server error", "code": 0}, status, {})


def _too_many_requests(retry_after: float, global_: bool, *, via: bool = True) -> web.Response:
    """Discord's 429: JSON body with ``retry_after`` and ``global``, and the headers a real
    one has (``Via`` marks it as Discord's rather than a Cloudflare ban)."""
    headers = {
        **({"Via": "1.1 google"} if via else {}),
        hdrs.RETRY_AFTER: f"{max(retry_after, 0.0):.3f}",
        "X-RateLimit-Scope": "global" if global_ else "user",
    }
    if global_:
        headers["X-RateLimit-Global"] = "true"
    else:
        headers.update({
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Bucket": secrets.token_hex(8),
        })
    body = {"message": "You are being rate limited.", "retry_after": retry_after,
            "global": global_, "code": 0}
    return _json(body, 429, headers)
