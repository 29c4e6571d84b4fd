"""Interaction lifecycle: the initial callback (types 1, 4-9), followups and @original edits.

Discord's rules are enforced here: one initial response, within the deadline (3 s by default),
followups for 15 minutes, and every body checked against :mod:`playground.limits`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from playground import errors, limits
from playground.messages import (
    FLAG_SUPPRESS_EMBEDS,
    FLAG_SUPPRESS_NOTIFICATIONS,
    UploadedFile,
    create_message,
    edit_message,
)
from playground.model import (
    FLAG_COMPONENTS_V2,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    Channel,
    Host,
    Member,
    Message,
)

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5

PONG = 1
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9

_ALLOWED_RESPONSES = {
    PING: {PONG},
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    MESSAGE_COMPONENT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
        MODAL,
    },
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {
        CHANNEL_MESSAGE,
        DEFERRED_CHANNEL_MESSAGE,
        DEFERRED_UPDATE_MESSAGE,
        UPDATE_MESSAGE,
    },
}
_RESPONSE_FLAGS = (
    FLAG_EPHEMERAL | FLAG_SUPPRESS_EMBEDS | FLAG_SUPPRESS_NOTIFICATIONS | FLAG_COMPONENTS_V2
)


class InteractionFailed(AssertionError):
    """The bot did not (validly) answer an interaction in time: the user would see a failure."""


@dataclass(eq=False)
class InteractionResult:
    """One interaction a scripted user sent, and everything the bot did with it.

    ``type`` is the bot's initial response type (4 message, 5 deferred, 6 deferred update,
    7 update, 8 autocomplete, 9 modal) or ``None`` while unanswered. ``message`` is the original
    response message (type 4/5) or the component's message (type 6/7), with edits applied.
    """

    emulator: Host
    id: int
    token: str
    interaction_type: int
    payload: dict[str, Any]
    member: Member
    channel: Channel
    source_message: Message | None = None
    dispatched_at: float = 0.0
    responded_at: float | None = None
    type: int | None = None
    response: dict[str, Any] | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    rejections: list[errors.Violation] = field(default_factory=list)
    completed: bool = False
    #: A forged interaction the test expects the bot to ignore (left out of ``unanswered``).
    ignored_on_purpose: bool = False

    # ------------------------------------------------------------ what tests read

    @property
    def latency(self) -> float | None:
        """Seconds from INTERACTION_CREATE dispatch to the first accepted callback."""
        return None if self.responded_at is None else self.responded_at - self.dispatched_at

    @property
    def message(self) -> Message | None:
        return self.original

    @property
    def ephemeral(self) -> bool:
        if self.original is not None and self.type in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            return self.original.ephemeral
        data = (self.response or {}).get("data") or {}
        return bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL)

    @property
    def content(self) -> str:
        return self.original.content if self.original is not None else ""

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return self.original.embeds if self.original is not None else []

    @property
    def components(self) -> list[dict[str, Any]]:
        return self.original.components if self.original is not None else []

    @property
    def files(self) -> list[tuple[str, bytes]]:
        return self.original.files if self.original is not None else []

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (type 9): ``{"custom_id", "title", "components"}``."""
        return (self.response or {}).get("data") if self.type == MODAL else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        """Autocomplete choices (type 8)."""
        if self.type != AUTOCOMPLETE_RESULT:
            return None
        return list(((self.response or {}).get("data") or {}).get("choices") or [])

    @property
    def deadline(self) -> float:
        return self.dispatched_at + self.emulator.interaction_deadline

    async def wait_response(self, timeout: float | None = None) -> InteractionResult:  # noqa: ASYNC109 - public test API
        """Wait for the initial response; raise :class:`InteractionFailed` past the deadline."""
        limit = self.emulator.interaction_deadline + 0.25 if timeout is None else timeout
        try:
            await self.emulator.wait_for(lambda: self.type is not None, timeout=limit)
        except TimeoutError:
            raise InteractionFailed(self._failure_text("no initial response", limit)) from None
        return self

    async def private_reply(self, timeout: float = 5.0) -> str:  # noqa: ASYNC109 - public test API
        """What only the member was told: the ephemeral response, or the ephemeral followup
        after a public one (an argument shown in the thread, a card updated in place)."""
        def found() -> str | None:
            if self.original is not None and self.original.ephemeral:
                return self.original.content
            return next((m.content for m in self.followups if m.ephemeral), None)

        answer = await self.emulator.wait_for(found, timeout=timeout)
        return str(answer)

    async def wait_done(self, timeout: float = 5.0) -> InteractionResult:  # noqa: ASYNC109 - public test API
        """Wait until the response is complete: a deferred one edited or followed up."""
        await self.wait_response(timeout=max(timeout, self.emulator.interaction_deadline + 0.25))
        try:
            await self.emulator.wait_for(lambda: self.completed, timeout=timeout)
        except TimeoutError:
            raise InteractionFailed(
                self._failure_text("deferred response not edited/followed up", timeout)
            ) from None
        return self

    def _failure_text(self, what: str, seconds: float) -> str:
        data = self.payload.get("data") or {}
        name = data.get("name") or data.get("custom_id")
        extra = "; rejected: " + "; ".join(map(str, self.rejections)) if self.rejections else ""
        return f"interaction {name!r}: {what} within {seconds:.2f}s{extra}"


def _interaction_metadata(result: InteractionResult) -> dict[str, Any]:
    data = result.payload.get("data") or {}
    meta: dict[str, Any] = {
        "id": str(result.id),
        "type": result.interaction_type,
        "user": result.member.user.to_dict(),
        "authorizing_integration_owners": {"0": str(result.channel.guild.id)},
    }
    if result.interaction_type == APPLICATION_COMMAND:
        meta["name"] = data.get("name")
        meta["command_type"] = data.get("type", 1)
    if result.source_message is not None:
        meta["interacted_message_id"] = str(result.source_message.id)
    return meta


def _new_response_message(
    emu: Host,
    result: InteractionResult,
    data: dict[str, Any],
    files: list[UploadedFile],
    *,
    extra_flags: int = 0,
) -> Message:
    kind = 20 if result.interaction_type == APPLICATION_COMMAND else 0
    return create_message(
        emu,
        result.channel,
        emu.bot_user,
        data,
        files,
        flags_allowed=_RESPONSE_FLAGS,
        extra_flags=extra_flags,
        message_type=kind,
        webhook_id=emu.application_id,
        interaction_id=result.id,
        interaction_metadata=_interaction_metadata(result),
    )


def handle_callback(
    emu: Host,
    interaction_id: int,
    token: str,
    payload: dict[str, Any],
    files: list[UploadedFile],
    *,
    with_response: bool,
) -> dict[str, Any] | None:
    """``POST /interactions/{id}/{token}/callback``; returns the JSON body or ``None`` (204)."""
    result = emu.interactions_by_id.get(interaction_id)
    if result is None or result.token != token:
        raise errors.unknown_interaction()
    if result.type is not None:
        raise errors.already_acknowledged()
    if time.monotonic() > result.deadline:
        raise errors.DiscordError(
            404,
            {"code": 10062, "message": "Unknown interaction"},
            note=(
                f"answered {time.monotonic() - result.dispatched_at:.2f}s after dispatch, "
                f"deadline {emu.interaction_deadline}s"
            ),
        )
    rtype = payload.get("type")
    allowed = _ALLOWED_RESPONSES.get(result.interaction_type, set())
    if result.source_message is None:  # e.g. a modal opened from a slash command
        allowed = allowed - {DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE}
    if rtype not in allowed:
        choices = ", ".join(str(x) for x in sorted(allowed))
        raise errors.form_error(
            [
                limits.FieldError(
                    ("type",), "BASE_TYPE_CHOICES", f"Value must be one of {{{choices}}}."
                )
            ]
        )
    data = payload.get("data") or {}
    _validate_response(rtype, data, len(files))

    result.type = rtype
    result.response = payload
    result.responded_at = time.monotonic()
    if rtype == CHANNEL_MESSAGE:
        result.original = _new_response_message(emu, result, data, files)
        result.completed = True
    elif rtype == DEFERRED_CHANNEL_MESSAGE:
        flags = FLAG_LOADING | (int(data.get("flags") or 0) & FLAG_EPHEMERAL)
        result.original = _new_response_message(emu, result, {}, [], extra_flags=flags)
    elif rtype == DEFERRED_UPDATE_MESSAGE:
        result.original = result.source_message
    elif rtype == UPDATE_MESSAGE and result.source_message is not None:
        result.original = edit_message(emu, result.source_message, data, files)
        result.completed = True
    else:
        result.completed = True
    emu._changed()
    if not with_response:
        return None
    body: dict[str, Any] = {
        "interaction": {
            "id": str(result.id),
            "type": result.interaction_type,
            "activity_instance_id": None,
            "channel_id": str(result.channel.id),
            "guild_id": str(result.channel.guild.id),
        }
    }
    if result.original is not None and rtype in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
        body["interaction"].update(
            {
                "response_message_id": str(result.original.id),
                "response_message_loading": rtype == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": result.original.ephemeral,
            }
        )
    if rtype in (CHANNEL_MESSAGE, UPDATE_MESSAGE) and result.original is not None:
        body["resource"] = {"type": rtype, "message": result.original.to_dict()}
    return body


def _validate_response(rtype: int, data: dict[str, Any], n_files: int) -> None:
    if rtype == CHANNEL_MESSAGE:
        field_errors, other = limits.check_message(data, base=("data",), n_files=n_files)
    elif rtype == UPDATE_MESSAGE:
        field_errors, other = limits.check_message(
            data, base=("data",), n_files=n_files, creating=False
        )
    elif rtype == AUTOCOMPLETE_RESULT:
        field_errors, other = limits.check_autocomplete(data), None
    elif rtype == MODAL:
        field_errors, other = limits.check_modal(data), None
    else:
        field_errors, other = [], None
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)


def _for_token(emu: Host, application_id: int, token: str) -> InteractionResult:
    result = emu.interactions_by_token.get(token)
    if result is None or application_id != emu.application_id:
        raise errors.unknown_webhook()
    if time.monotonic() - result.dispatched_at > emu.followup_window:
        raise errors.invalid_webhook_token()
    if result.type is None or result.type in (AUTOCOMPLETE_RESULT, MODAL, PONG):
        raise errors.unknown_webhook()
    return result


def create_followup(
    emu: Host,
    application_id: int,
    token: str,
    payload: dict[str, Any],
    files: list[UploadedFile],
    *,
    thread_id: int | None = None,
) -> Message:
    """``POST /webhooks/{application_id}/{token}``: a followup message."""
    result = _for_token(emu, application_id, token)
    field_errors, other = limits.check_message(payload, n_files=len(files))
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    original = result.original
    if (result.type == DEFERRED_CHANNEL_MESSAGE and original is not None and original.loading
            and not original.deleted):
        # The first followup after a deferred response replaces the "thinking…" message
        # (and takes its visibility); once that message is deleted, a followup is new.
        message = edit_message(emu, original, payload, files, finish_loading=True)
    else:
        channel = result.channel
        if thread_id is not None:
            target = channel.guild.channels.get(thread_id)
            if target is None or target.parent_id != channel.id:
                raise errors.unknown_channel()
            channel = target
        previous, result.channel = result.channel, channel
        try:
            message = create_message(
                emu,
                channel,
                emu.bot_user,
                payload,
                files,
                flags_allowed=_RESPONSE_FLAGS,
                webhook_id=emu.application_id,
                interaction_id=result.id,
                interaction_metadata=_interaction_metadata(result),
            )
        finally:
            result.channel = previous
    result.followups.append(message)
    result.completed = True
    emu._changed()
    return message


def webhook_message(
    emu: Host, application_id: int, token: str, message_id: str
) -> tuple[InteractionResult, Message]:
    """Resolve ``@original`` or a followup id for ``/webhooks/{app}/{token}/messages/{id}``."""
    result = _for_token(emu, application_id, token)
    if message_id == "@original":
        message = result.original
    else:
        wanted = int(message_id) if message_id.isdigit() else -1
        candidates = [m for m in result.followups if m.id == wanted]
        if result.original is not None and result.original.id == wanted:
            candidates.append(result.original)
        message = candidates[0] if candidates else None
    if message is None or message.deleted:
        raise errors.unknown_message()
    return result, message


def edit_webhook_message(
    emu: Host,
    application_id: int,
    token: str,
    message_id: str,
    payload: dict[str, Any],
    files: list[UploadedFile],
) -> Message:
    """``PATCH /webhooks/{app}/{token}/messages/{id}``: edit @original or a followup."""
    result, message = webhook_message(emu, application_id, token, message_id)
    field_errors, other = limits.check_message(payload, n_files=len(files), creating=False)
    if field_errors:
        raise errors.form_error(field_errors)
    if other is not None:
        raise errors.DiscordError(400, other)
    edit_message(emu, message, payload, files, finish_loading=True)
    if message is result.original:
        result.completed = True
    emu._changed()
    return message
