"""Parsing a typed slash-command line (`/debate argue text:…`) against the synced schema.

A value runs until the next ` name:` that is a real option of that command, so values may
contain spaces and colons; member, role and channel values are looked up by name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.emulator import Channel, Guild, Member, Role

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3, 4, 5, 6, 7, 8, 9, 10, 11)
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "on", "1"), ("false", "no", "off", "0")

class ParseError(ValueError):
    """A typed line that cannot become an invocation; the message is shown as is."""


@dataclass(frozen=True)
class SlashLine:
    """A parsed ``/command sub option:value …`` line (values still raw strings)."""

    command: dict[str, Any]
    path: str
    schema: list[dict[str, Any]]
    options: dict[str, str]

    def option(self, name: str) -> dict[str, Any]:
        return next(o for o in self.schema if o["name"] == name)


def is_visible(command: dict[str, Any], permissions: int | None) -> bool:
    """Discord hides commands whose default_member_permissions the member lacks."""
    needed = command.get("default_member_permissions")
    if needed is None or permissions is None:
        return True
    return permissions & int(needed) == int(needed)


def chat_commands(commands: Iterable[dict[str, Any]],
                  permissions: int | None = None) -> dict[str, dict[str, Any]]:
    """Chat-input commands by name (later entries, e.g. guild commands, shadow earlier)."""
    return {c["name"]: c for c in commands
            if c.get("type", 1) == 1 and is_visible(c, permissions)}


def is_subcommand(option: dict[str, Any]) -> bool:
    return option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP)


def suggest(word: str, names: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return f" Did you mean {close[0]}?" if close else ""


def split_path(body: str, commands: dict[str, dict[str, Any]]
               ) -> tuple[dict[str, Any], list[str], list[dict[str, Any]], str]:
    """``debate start topic:x`` → (command, ["debate", "start"], start's options, "topic:x")."""
    name, _, rest = body.strip().partition(" ")
    if not name:
        raise ParseError("Type a command name after the slash, e.g. /help (Tab lists them).")
    command = commands.get(name.lower())
    if command is None:
        hint = suggest(f"/{name}", [f"/{c}" for c in commands])
        raise ParseError(f"Unknown command /{name}.{hint} Type /help for the bot's commands, "
                         "or press Tab after /.")
    path, schema = [command["name"]], list(command.get("options") or [])
    while any(is_subcommand(o) for o in schema):
        subs = {o["name"]: o for o in schema if is_subcommand(o)}
        word, _, after = rest.strip().partition(" ")
        sub = subs.get(word.lower())
        if sub is None:
            listed = ", ".join(subs)
            what = f"has no subcommand {word!r}." if word else "needs a subcommand."
            hint = suggest(word, subs) if word else ""
            raise ParseError(f"/{' '.join(path)} {what}{hint} Pick one of: {listed}.")
        path.append(sub["name"])
        schema, rest = list(sub.get("options") or []), after
    return command, path, schema, rest.strip()


def option_key_pattern(names: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(r"(?<!\S)(" + "|".join(map(re.escape, ordered)) + r"):")


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def split_options(path: str, schema: list[dict[str, Any]], rest: str) -> dict[str, str]:
    """``name:value`` pairs; a value runs until the next `` name:`` that is an option of this
    command, so values may contain spaces (and colons that are not option names)."""
    if not rest:
        return {}
    names = [o["name"] for o in schema]
    if not names:
        raise ParseError(f"/{path} takes no options (got {rest!r}).")
    matches = list(option_key_pattern(names).finditer(rest))
    found: dict[str, str] = {}
    lead = rest[:matches[0].start()] if matches else rest
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(rest)
        name = match.group(1)
        if name in found:
            raise ParseError(f"/{path}: option {name} is given twice.")
        found[name] = unquote(rest[match.end():end])
    for value in found.values():
        for word in re.findall(r"(?<!\S)([a-z][a-z0-9_-]*):", value):
            if word not in names and difflib.get_close_matches(word, names, 1, 0.8):
                raise ParseError(f"/{path} has no option {word}.{suggest(word, names)}")
    lead = lead.strip()
    if lead:
        key = re.match(r"([a-z][a-z0-9_-]*):", lead)
        if key:
            raise ParseError(f"/{path} has no option {key.group(1)}."
                             f"{suggest(key.group(1), names)} Options: {', '.join(names)}.")
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in found]
        if not missing:
            raise ParseError(f"Options are written name:value, e.g. {names[0]}:… "
                             f"(/{path} options: {', '.join(names)}).")
        found[missing[0]] = unquote(lead)
    return found


def parse_slash(line: str, commands: dict[str, dict[str, Any]]) -> SlashLine:
    """Parse a typed slash command against the synced schema; ParseError explains problems."""
    body = line.strip().removeprefix("/")
    command, path_parts, schema, rest = split_path(body, commands)
    path = " ".join(path_parts)
    options = split_options(path, schema, rest)
    for option in schema:
        name = option["name"]
        if option.get("required") and name not in options:
            about = option.get("description") or ""
            raise ParseError(f"/{path} needs {name}:… ({about})." if about
                             else f"/{path} needs {name}:….")
        if name in options and options[name] == "":
            raise ParseError(f"/{path}: option {name} needs a value after {name}:.")
    return SlashLine(command, path, schema, options)


def find_member(guild: Guild, name: str) -> Member | None:
    wanted = name.strip().lstrip("@").lower()
    for member in guild.members.values():
        if wanted in (member.name.lower(), (member.nick or "").lower(), str(member.id)):
            return member
    return None


def find_role(guild: Guild, name: str) -> Role | None:
    wanted = name.strip().lstrip("@").lower()
    return next((r for r in guild.roles.values()
                 if wanted in (r.name.lower().lstrip("@"), str(r.id))), None)


def find_channel(guild: Guild, name: str) -> Channel | None:
    wanted = name.strip().lstrip("#").lower()
    return next((c for c in guild.channels.values()
                 if wanted in (c.name.lower(), str(c.id))), None)


def convert_value(path: str, option: dict[str, Any], raw: str, guild: Guild | None) -> Any:
    """A raw typed value → what the emulator's scripted user takes for this option type."""
    name, kind = option["name"], option.get("type", STRING)
    choices = option.get("choices") or []
    if choices:
        for choice in choices:
            if raw == str(choice["value"]) or raw.lower() in (str(choice["value"]).lower(),
                                                             str(choice["name"]).lower()):
                return choice["value"]
        listed = ", ".join(str(c["value"]) for c in choices)
        raise ParseError(f"/{path}: {name} must be one of {listed} (got {raw!r}).")
    if kind == INTEGER:
        try:
            return int(raw)
        except ValueError:
            raise ParseError(f"/{path}: {name} must be a whole number (got {raw!r}).") from None
    if kind == NUMBER:
        try:
            return float(raw)
        except ValueError:
            raise ParseError(f"/{path}: {name} must be a number (got {raw!r}).") from None
    if kind == BOOLEAN:
        if raw.lower() in TRUE_WORDS + FALSE_WORDS:
            return raw.lower() in TRUE_WORDS
        raise ParseError(f"/{path}: {name} must be true or false (got {raw!r}).")
    if kind in (USER, ROLE, CHANNEL, MENTIONABLE) and guild is not None:
        found: Any = None
        if kind in (USER, MENTIONABLE):
            found = find_member(guild, raw)
        if found is None and kind in (ROLE, MENTIONABLE):
            found = find_role(guild, raw)
        if kind == CHANNEL:
            found = find_channel(guild, raw)
        if found is None:
            what = {USER: "member", ROLE: "role", CHANNEL: "channel"}.get(kind, "member or role")
            raise ParseError(f"/{path}: there is no {what} called {raw!r} here.")
        return found
    if kind == ATTACHMENT:
        file = Path(raw).expanduser()
        if not file.is_file():
            raise ParseError(f"/{path}: {name} takes a file path; {raw!r} is not a file.")
        return (file.name, file.read_bytes())
    return raw


def convert_options(parsed: SlashLine, guild: Guild | None) -> dict[str, Any]:
    return {name: convert_value(parsed.path, parsed.option(name), raw, guild)
            for name, raw in parsed.options.items()}
