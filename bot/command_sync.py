"""Does the command tree need a sync? Compare every field Discord stores, defaults filled in.

Syncing is rate limited (and every process of a sharded bot starts by checking), so the bot
syncs only when what it would send differs from what Discord holds. Both sides are raw API
payloads: the local one built exactly as `CommandTree.sync` builds it (translations included),
the remote one as Discord returns it. Discord fills in defaults the bot leaves out and adds
bookkeeping fields (ids, versions), so each payload is first reduced to a canonical form: the
fields a member or moderator can notice, with missing, null, false and empty made equal where
Discord treats them so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

CHAT_INPUT = 1
#: Discord's default when a command names no installation context: guild install.
DEFAULT_INTEGRATION_TYPES = (0,)
_FLAGS = ("required", "autocomplete", "nsfw")  # absent means false
_TEXT = ("name", "description", "value")
_NUMBERS = ("min_value", "max_value", "min_length", "max_length")
_LOCALIZED = ("name_localizations", "description_localizations")


def canonical_command(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a top-level command that Discord stores, in a comparable form."""
    out = _canonical_node(payload)
    out["type"] = payload.get("type") or CHAT_INPUT
    permissions = payload.get("default_member_permissions")
    out["default_member_permissions"] = None if permissions is None else str(int(permissions))
    contexts = payload.get("contexts")
    out["contexts"] = None if contexts is None else sorted(int(c) for c in contexts)
    installs = payload.get("integration_types") or DEFAULT_INTEGRATION_TYPES
    out["integration_types"] = sorted(int(i) for i in installs)
    return out


def _canonical_node(payload: Mapping[str, Any]) -> dict[str, Any]:
    """An option, a choice or the common part of a command."""
    out: dict[str, Any] = {key: payload[key] for key in _TEXT if key in payload}
    if not out.get("description"):  # context menus have none; Discord stores ""
        out.pop("description", None)
    if "type" in payload:
        out["type"] = payload["type"]
    for key in _FLAGS:
        if payload.get(key):
            out[key] = True
    for key in _NUMBERS:
        if payload.get(key) is not None:
            out[key] = float(payload[key])
    for key in _LOCALIZED:
        if payload.get(key):
            out[key] = dict(sorted(payload[key].items()))
    if payload.get("channel_types"):
        out["channel_types"] = sorted(payload["channel_types"])
    if payload.get("choices"):
        out["choices"] = [_canonical_node(choice) for choice in payload["choices"]]
    if payload.get("options"):
        out["options"] = [_canonical_node(option) for option in payload["options"]]
    return out


def trees_differ(local: Sequence[Mapping[str, Any]],
                 remote: Sequence[Mapping[str, Any]]) -> bool:
    """True when syncing `local` would change what Discord stores (order does not matter)."""
    def by_name(commands: Sequence[Mapping[str, Any]]) -> dict[tuple[int, str], Any]:
        shaped = (canonical_command(command) for command in commands)
        return {(command["type"], command["name"]): command for command in shaped}

    return by_name(local) != by_name(remote)
