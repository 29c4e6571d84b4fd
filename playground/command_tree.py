"""The application commands a bot synced, and building invocations that match them.

Real Discord clients only let a user send what the synced schema allows; :class:`CommandRegistry`
does the same checks and raises :class:`InvalidInvocation` for anything a user could not send.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playground.model import Attachment, Channel, Member, Role, User

# Option types
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11


class InvalidInvocation(ValueError):
    """The scripted user tried something Discord's client would not let a user send."""


@dataclass
class Invocation:
    """What the scripted user picked: the top-level command and the interaction ``data``."""

    command: dict[str, Any]
    data: dict[str, Any]
    guild_id: int | None


@dataclass
class CommandRegistry:
    """Synced commands per scope (``None`` = global, else a guild id), as Discord stores them."""

    application_id: int
    snowflake: Callable[[], int]
    scopes: dict[int | None, list[dict[str, Any]]] = field(default_factory=dict)

    def list(self, guild_id: int | None = None) -> builtins.list[dict[str, Any]]:
        return list(self.scopes.get(guild_id, []))

    def overwrite(
        self, guild_id: int | None, payload: builtins.list[dict[str, Any]]
    ) -> builtins.list[dict[str, Any]]:
        """Bulk overwrite; keeps the id and bumps the version of commands that already existed."""
        old = {(c["type"], c["name"]): c for c in self.scopes.get(guild_id, [])}
        stored = [
            self._store(guild_id, cmd, old.get((cmd.get("type", 1), cmd["name"])))
            for cmd in payload
        ]
        self.scopes[guild_id] = stored
        return stored

    def upsert(self, guild_id: int | None, cmd: dict[str, Any]) -> dict[str, Any]:
        current = self.scopes.setdefault(guild_id, [])
        key = (cmd.get("type", 1), cmd["name"])
        for i, existing in enumerate(current):
            if (existing["type"], existing["name"]) == key:
                current[i] = self._store(guild_id, cmd, existing)
                return current[i]
        stored = self._store(guild_id, cmd, None)
        current.append(stored)
        return stored

    def get(self, guild_id: int | None, command_id: int) -> dict[str, Any] | None:
        return next((c for c in self.scopes.get(guild_id, []) if int(c["id"]) == command_id), None)

    def edit(
        self, guild_id: int | None, command_id: int, patch: dict[str, Any]
    ) -> dict[str, Any] | None:
        cmd = self.get(guild_id, command_id)
        if cmd is None:
            return None
        merged = {**cmd, **patch}
        return self.upsert(guild_id, merged)

    def delete(self, guild_id: int | None, command_id: int) -> bool:
        current = self.scopes.get(guild_id, [])
        for i, cmd in enumerate(current):
            if int(cmd["id"]) == command_id:
                del current[i]
                return True
        return False

    def _store(
        self, guild_id: int | None, cmd: dict[str, Any], existing: dict[str, Any] | None
    ) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "id": existing["id"] if existing else str(self.snowflake()),
            "application_id": str(self.application_id),
            "version": str(self.snowflake()),
            "type": cmd.get("type", 1),
            "name": cmd["name"],
            "name_localizations": cmd.get("name_localizations"),
            "description": cmd.get("description", ""),
            "description_localizations": cmd.get("description_localizations"),
            "default_member_permissions": _str_or_none(cmd.get("default_member_permissions")),
            "dm_permission": cmd.get("dm_permission", True),
            "nsfw": cmd.get("nsfw", False),
            "contexts": cmd.get("contexts"),
            "integration_types": cmd.get("integration_types") or [0],
        }
        if cmd.get("options"):
            stored["options"] = cmd["options"]
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    # ----------------------------------------------------------------- invocations

    def find(self, name: str, guild_id: int,
             kind: int = 1) -> tuple[dict[str, Any], int | None]:
        """A command of `kind` (1 chat input, 2 user menu, 3 message menu) visible in the
        guild (guild commands shadow global ones)."""
        for scope in (guild_id, None):
            for cmd in self.scopes.get(scope, []):
                if cmd["type"] == kind and cmd["name"] == name:
                    return cmd, scope
        known = sorted({c["name"] for s in (guild_id, None) for c in self.scopes.get(s, [])
                        if c["type"] == kind})
        what = "command /" if kind == 1 else "context menu "
        raise InvalidInvocation(f"unknown {what}{name} (synced: {known or 'none'})")

    def menu(self, name: str, kind: int, target_id: int, resolved: dict[str, Any], *,
             guild_id: int) -> Invocation:
        """``data`` for the context menu `name` (2: on a user, 3: on a message) on a target."""
        command, scope = self.find(name, guild_id, kind)
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": kind,
                                "target_id": str(target_id), "resolved": resolved}
        if scope is not None:
            data["guild_id"] = str(scope)
        return Invocation(command, data, scope)

    def build(
        self,
        path: str,
        values: dict[str, Any],
        *,
        guild_id: int,
        resolve: Resolver,
        focused: str | None = None,
    ) -> Invocation:
        """Build ``data`` for ``/path`` with ``values`` (``focused`` makes it an autocomplete)."""
        parts = path.strip().lstrip("/").split()
        if not parts:
            raise InvalidInvocation("empty command name")
        command, scope = self.find(parts[0], guild_id)
        data: dict[str, Any] = {
            "id": command["id"],
            "name": command["name"],
            "type": 1,
        }
        if scope is not None:
            data["guild_id"] = str(scope)
        container: dict[str, Any] = data
        schema = command.get("options") or []
        for depth, part in enumerate(parts[1:], start=1):
            sub = next(
                (
                    o
                    for o in schema
                    if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
                ),
                None,
            )
            if sub is None:
                names = [o["name"] for o in schema if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
                raise InvalidInvocation(
                    f"/{' '.join(parts[:depth])} has no subcommand {part!r} ({names})"
                )
            node: dict[str, Any] = {"type": sub["type"], "name": sub["name"], "options": []}
            container.setdefault("options", []).append(node)
            container = node
            schema = sub.get("options") or []
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
            names = [o["name"] for o in schema]
            raise InvalidInvocation(f"/{path} needs a subcommand: one of {names}")
        resolved: dict[str, dict[str, Any]] = {}
        options = self._build_options(path, schema, values, focused, resolve, resolved)
        if container is data:
            if options:
                data["options"] = options
        else:
            container["options"] = options
        if resolved:
            data["resolved"] = resolved
        return Invocation(command=command, data=data, guild_id=scope)

    def _build_options(
        self,
        path: str,
        schema: builtins.list[dict[str, Any]],
        values: dict[str, Any],
        focused: str | None,
        resolve: Resolver,
        resolved: dict[str, dict[str, Any]],
    ) -> builtins.list[dict[str, Any]]:
        by_name = {o["name"]: o for o in schema}
        for name in values:
            if name not in by_name:
                raise InvalidInvocation(
                    f"/{path} has no option {name!r} (options: {list(by_name)})"
                )
        if focused is not None and focused not in by_name:
            raise InvalidInvocation(f"/{path} has no option {focused!r} to autocomplete")
        if focused is not None and not by_name[focused].get("autocomplete"):
            raise InvalidInvocation(f"option {focused!r} of /{path} has no autocomplete")
        out: builtins.list[dict[str, Any]] = []
        for opt in schema:
            name = opt["name"]
            if name == focused:
                out.append(
                    {
                        "type": opt["type"],
                        "name": name,
                        "value": str(values.get(name, "")),
                        "focused": True,
                    }
                )
                continue
            if name not in values:
                if opt.get("required") and focused is None:
                    raise InvalidInvocation(f"/{path}: required option {name!r} is missing")
                continue
            value = coerce(path, opt, values[name], resolve, resolved)
            out.append({"type": opt["type"], "name": name, "value": value})
        return out


class Resolver:
    """Turns models into ``resolved`` entries; implemented by the emulator."""

    def user(self, who: Member | User) -> tuple[dict[str, Any], dict[str, Any] | None]:
        raise NotImplementedError

    def channel(self, channel: Channel) -> dict[str, Any]:
        raise NotImplementedError

    def role(self, role: Role) -> dict[str, Any]:
        raise NotImplementedError

    def attachment(self, filename: str, data: bytes) -> Attachment:
        raise NotImplementedError


def coerce(
    path: str,
    opt: dict[str, Any],
    value: Any,
    resolve: Resolver,
    resolved: dict[str, dict[str, Any]],
) -> Any:
    """Check ``value`` against the option schema and return the wire value."""
    otype, name = opt["type"], opt["name"]
    where = f"/{path} option {name!r}"
    if otype == STRING:
        if not isinstance(value, str):
            raise InvalidInvocation(f"{where} expects a string, got {value!r}")
        if len(value) < opt.get("min_length", 0) or len(value) > opt.get("max_length", 6000):
            raise InvalidInvocation(f"{where}: length {len(value)} outside the allowed range")
    elif otype == INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInvocation(f"{where} expects an integer, got {value!r}")
        _check_range(where, opt, value)
    elif otype == NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInvocation(f"{where} expects a number, got {value!r}")
        _check_range(where, opt, value)
    elif otype == BOOLEAN:
        if not isinstance(value, bool):
            raise InvalidInvocation(f"{where} expects a boolean, got {value!r}")
    elif otype in (USER, MENTIONABLE) and isinstance(value, Member | User):
        user, member = resolve.user(value)
        resolved.setdefault("users", {})[user["id"]] = user
        if member is not None:
            resolved.setdefault("members", {})[user["id"]] = member
        return user["id"]
    elif otype in (ROLE, MENTIONABLE) and isinstance(value, Role):
        role = resolve.role(value)
        resolved.setdefault("roles", {})[role["id"]] = role
        return role["id"]
    elif otype == CHANNEL and isinstance(value, Channel):
        allowed = opt.get("channel_types")
        if allowed and value.type not in allowed:
            raise InvalidInvocation(f"{where} accepts channel types {allowed}, got {value.type}")
        chan = resolve.channel(value)
        resolved.setdefault("channels", {})[chan["id"]] = chan
        return chan["id"]
    elif otype == ATTACHMENT and isinstance(value, tuple) and len(value) == 2:
        att = resolve.attachment(value[0], value[1])
        resolved.setdefault("attachments", {})[str(att.id)] = att.to_dict()
        return str(att.id)
    else:
        kinds = {
            6: "Member/User",
            7: "Channel",
            8: "Role",
            9: "Member/User/Role",
            11: "(filename, bytes)",
        }
        raise InvalidInvocation(f"{where} expects a {kinds.get(otype, otype)}, got {value!r}")
    choices = opt.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise InvalidInvocation(f"{where}: {value!r} is not one of {[c['value'] for c in choices]}")
    return value


def _check_range(where: str, opt: dict[str, Any], value: float) -> None:
    low, high = opt.get("min_value"), opt.get("max_value")
    if low is not None and value < low:
        raise InvalidInvocation(f"{where}: {value} is below the minimum {low}")
    if high is not None and value > high:
        raise InvalidInvocation(f"{where}: {value} is above the maximum {high}")


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)
