"""Guild scheduled events: what members see in a server's Events tab.

The REST routes Discord documents for them (create, list, get, modify, delete, the users who
marked "Interested"), their checks (a name of 1–100 characters, a start in the future, an
external event's location and end time, the status moves Discord allows, the Manage Events
permission), and the GUILD_SCHEDULED_EVENT_* gateway events. `ScheduledEvent.mark_interested`
is what a member does when they click "Interested".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from playground import errors
from playground import permissions as perms
from playground.http_io import emulator_of, json_response, read_body
from playground.limits import FieldError
from playground.model import Guild, Member, iso

SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
EXTERNAL = 3
GUILD_ONLY = 2
NAME_MAX, DESCRIPTION_MAX, LOCATION_MAX = 100, 1000, 100
#: The moves Discord allows: a scheduled event starts or is cancelled; an active one ends.
MOVES = {SCHEDULED: {ACTIVE, CANCELED}, ACTIVE: {COMPLETED}}


@dataclass
class ScheduledEvent:
    id: int
    guild: Guild
    name: str
    start: float
    end: float | None
    creator_id: int
    entity_type: int = EXTERNAL
    location: str | None = None
    channel_id: int | None = None
    description: str | None = None
    status: int = SCHEDULED
    interested: dict[int, Member] = field(default_factory=dict)

    def to_dict(self, *, with_user_count: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id), "guild_id": str(self.guild.id), "name": self.name,
            "description": self.description, "creator_id": str(self.creator_id),
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "scheduled_start_time": iso(self.start),
            "scheduled_end_time": iso(self.end) if self.end is not None else None,
            "privacy_level": GUILD_ONLY, "status": self.status,
            "entity_type": self.entity_type, "entity_id": None,
            "entity_metadata": {"location": self.location} if self.location else None,
            "image": None, "recurrence_rule": None,
        }
        if with_user_count:
            data["user_count"] = len(self.interested)
        return data

    def mark_interested(self, member: Member) -> None:
        """A member clicks "Interested" in the Events tab."""
        self.interested[member.id] = member
        self.guild._emit("GUILD_SCHEDULED_EVENT_USER_ADD", self._user_event(member))

    def unmark_interested(self, member: Member) -> None:
        self.interested.pop(member.id, None)
        self.guild._emit("GUILD_SCHEDULED_EVENT_USER_REMOVE", self._user_event(member))

    def _user_event(self, member: Member) -> dict[str, Any]:
        return {"guild_scheduled_event_id": str(self.id), "user_id": str(member.id),
                "guild_id": str(self.guild.id)}


def _time(value: Any, path: str, problems: list[FieldError]) -> float | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        problems.append(FieldError((path,), "DATE_TIME_TYPE_PARSE", "Could not parse date."))
        return None


def _guild(request: web.Request) -> Guild:
    guild = emulator_of(request).guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        raise errors.error(404, 10004, "Unknown Guild")
    return guild


def _event(request: web.Request, guild: Guild) -> ScheduledEvent:
    event = guild.scheduled_events.get(int(request.match_info["event_id"]))
    if event is None:
        raise errors.error(404, 10070, "Unknown Guild Scheduled Event")
    return event


def _check(payload: dict[str, Any], event: ScheduledEvent | None) -> dict[str, Any]:
    """The fields of a create (event None) or a modify, checked as Discord checks them."""
    problems: list[FieldError] = []
    out: dict[str, Any] = {}
    name = payload.get("name", event.name if event else None)
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_MAX:
        problems.append(FieldError(("name",), "BASE_TYPE_BAD_LENGTH",
                                   f"Must be between 1 and {NAME_MAX} in length."))
    out["name"] = name
    description = payload.get("description", event.description if event else None)
    if description is not None and len(description) > DESCRIPTION_MAX:
        problems.append(FieldError(("description",), "BASE_TYPE_MAX_LENGTH",
                                   f"Must be {DESCRIPTION_MAX} or fewer in length."))
    out["description"] = description
    now = time.time()
    start = event.start if event else None
    if "scheduled_start_time" in payload:
        start = _time(payload["scheduled_start_time"], "scheduled_start_time", problems)
        if start is not None and start <= now:
            problems.append(FieldError(("scheduled_start_time",),
                                       "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                                       "Cannot schedule event in the past."))
    elif event is None:
        problems.append(FieldError(("scheduled_start_time",), "BASE_TYPE_REQUIRED",
                                   "This field is required"))
    end = event.end if event else None
    if payload.get("scheduled_end_time") is not None:
        end = _time(payload["scheduled_end_time"], "scheduled_end_time", problems)
    entity_type = payload.get("entity_type", event.entity_type if event else None)
    metadata = payload.get("entity_metadata") or {}
    location = metadata.get("location", event.location if event else None)
    if entity_type == EXTERNAL:
        if not location or len(location) > LOCATION_MAX:
            problems.append(FieldError(("entity_metadata", "location"), "BASE_TYPE_BAD_LENGTH",
                                       f"Must be between 1 and {LOCATION_MAX} in length."))
        if end is None:
            problems.append(FieldError(("scheduled_end_time",), "BASE_TYPE_REQUIRED",
                                       "This field is required"))
    if start is not None and end is not None and end <= start:
        problems.append(FieldError(("scheduled_end_time",),
                                   "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                                   "The end time must be after the start time."))
    if event is None and payload.get("privacy_level") != GUILD_ONLY:
        problems.append(FieldError(("privacy_level",), "BASE_TYPE_CHOICES",
                                   f"Value must be one of {{{GUILD_ONLY}}}."))
    if problems:
        raise errors.form_error(problems)
    out.update(start=start, end=end, entity_type=entity_type, location=location)
    return out


async def create_event(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    guild = _guild(request)
    if not guild.bot_member.permissions & (perms.MANAGE_EVENTS | perms.CREATE_EVENTS):
        perms.require(guild, perms.MANAGE_EVENTS)
    payload, _ = await read_body(request)
    fields = _check(payload, None)
    event = ScheduledEvent(id=emu.snowflake(), guild=guild, name=fields["name"],
                           start=fields["start"], end=fields["end"],
                           creator_id=emu.bot_user.id, entity_type=fields["entity_type"],
                           location=fields["location"], description=fields["description"])
    guild.scheduled_events[event.id] = event
    guild._emit("GUILD_SCHEDULED_EVENT_CREATE", event.to_dict())
    emu._changed()
    return json_response(event.to_dict())


async def list_events(request: web.Request) -> web.Response:
    guild = _guild(request)
    counts = request.query.get("with_user_count") in ("true", "1")
    return json_response([e.to_dict(with_user_count=counts)
                          for e in guild.scheduled_events.values()])


async def get_event(request: web.Request) -> web.Response:
    guild = _guild(request)
    counts = request.query.get("with_user_count") in ("true", "1")
    return json_response(_event(request, guild).to_dict(with_user_count=counts))


async def edit_event(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    guild = _guild(request)
    event = _event(request, guild)
    if event.creator_id != emu.bot_user.id:
        perms.require(guild, perms.MANAGE_EVENTS)
    payload, _ = await read_body(request)
    if event.status in (COMPLETED, CANCELED):
        raise errors.error(400, 180000, "Cannot modify a finished event")
    status = payload.get("status")
    if status is not None and status != event.status and status not in MOVES.get(event.status,
                                                                                  set()):
        raise errors.error(400, 180001, "Invalid status transition")
    fields = _check({k: v for k, v in payload.items() if k != "status"}, event)
    event.name, event.description = fields["name"], fields["description"]
    event.start, event.end, event.location = fields["start"], fields["end"], fields["location"]
    if status is not None:
        event.status = int(status)
    guild._emit("GUILD_SCHEDULED_EVENT_UPDATE", event.to_dict())
    emu._changed()
    return json_response(event.to_dict())


async def delete_event(request: web.Request) -> web.Response:
    emu = emulator_of(request)
    guild = _guild(request)
    event = _event(request, guild)
    if event.creator_id != emu.bot_user.id:
        perms.require(guild, perms.MANAGE_EVENTS)
    del guild.scheduled_events[event.id]
    guild._emit("GUILD_SCHEDULED_EVENT_DELETE", event.to_dict())
    emu._changed()
    return web.Response(status=204)


async def event_users(request: web.Request) -> web.Response:
    guild = _guild(request)
    event = _event(request, guild)
    limit = max(1, min(100, int(request.query.get("limit", "100"))))
    after = int(request.query.get("after", "0"))
    with_member = request.query.get("with_member") in ("true", "1")
    users = []
    for user_id in sorted(event.interested):
        if user_id <= after:
            continue
        member = event.interested[user_id]
        entry: dict[str, Any] = {"guild_scheduled_event_id": str(event.id),
                                 "user": member.user.to_dict()}
        if with_member:
            entry["member"] = member.to_dict(with_user=False)
        users.append(entry)
    return json_response(users[:limit])


def register(r: web.UrlDispatcher, api: str) -> None:
    base = f"{api}/guilds/{{guild_id:\\d+}}/scheduled-events"
    one = f"{base}/{{event_id:\\d+}}"
    r.add_get(base, list_events)
    r.add_post(base, create_event)
    r.add_get(one, get_event)
    r.add_patch(one, edit_event)
    r.add_delete(one, delete_event)
    r.add_get(f"{one}/users", event_users)
