"""Discord's JSON error answers, and the records tests read when something was rejected."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Any

from playground.limits import FieldError, invalid_form_body


class DiscordError(Exception):
    """Raised by route handlers; the HTTP layer answers ``status`` with ``body`` as JSON.

    ``field_errors`` lists the offending fields of a 50035; ``note`` adds context to the recorded
    violation (not to the body); ``record`` says whether the rejection is a bot mistake that goes
    into :attr:`Emulator.violations`.
    """

    def __init__(
        self,
        status: int,
        body: dict[str, Any],
        *,
        note: str = "",
        record: bool = True,
        field_errors: list[FieldError] | None = None,
    ) -> None:
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status = status
        self.body = body
        self.note = note
        self.record = record
        self.field_errors = field_errors or []


@dataclass(frozen=True)
class Violation:
    """Something the bot sent that real Discord would have rejected.

    ``route`` is the route template (``POST /channels/{channel_id}/messages``), ``path`` the
    concrete URL path, ``field`` the dotted field path (``embeds.0.description``; empty when the
    whole request was refused), ``code``/``message`` Discord's error code and text.
    """

    route: str
    path: str
    field: str
    code: str | int
    message: str
    status: int
    at: float = dataclasses.field(default_factory=time.time)

    def __str__(self) -> str:
        where = f" {self.field}:" if self.field else ""
        return f"{self.status} {self.route}{where} [{self.code}] {self.message}"


def form_error(field_errors: list[FieldError]) -> DiscordError:
    """400 / 50035 Invalid Form Body with Discord's nested per-field errors."""
    return DiscordError(400, invalid_form_body(field_errors), field_errors=field_errors)


def error(status: int, code: int, message: str, *, record: bool = True) -> DiscordError:
    return DiscordError(status, {"code": code, "message": message}, record=record)


def unknown_interaction() -> DiscordError:
    return error(404, 10062, "Unknown interaction")


def already_acknowledged() -> DiscordError:
    return error(400, 40060, "Interaction has already been acknowledged.")


def unknown_webhook() -> DiscordError:
    return error(404, 10015, "Unknown Webhook")


def invalid_webhook_token() -> DiscordError:
    return error(401, 50027, "Invalid Webhook Token")


def unknown_message() -> DiscordError:
    return error(404, 10008, "Unknown Message")


def unknown_channel() -> DiscordError:
    return error(404, 10003, "Unknown Channel")


def unknown_guild() -> DiscordError:
    return error(404, 10004, "Unknown Guild")


def unknown_member() -> DiscordError:
    return error(404, 10007, "Unknown Member")


def unknown_role() -> DiscordError:
    return error(404, 10011, "Unknown Role")


def unknown_command() -> DiscordError:
    return error(404, 10063, "Unknown application command")


def unknown_user() -> DiscordError:
    return error(404, 10013, "Unknown User")


def unauthorized() -> DiscordError:
    return error(401, 0, "401: Unauthorized")


def not_found() -> DiscordError:
    return error(404, 0, "404: Not Found", record=False)
