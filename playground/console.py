"""The playground console: type slash commands as in Discord and watch the real bot answer.

`python -m bot playground` (and `run` without a token) starts the emulator and the bot
(:mod:`playground.runner`), then reads lines: ``/summary section:economic-relations``,
``click 1``, ``as alice``, ``go thread``, ``help``, ``quit``. On a terminal, prompt_toolkit
gives history and Tab completion (command and option names, choices, and the bot's own
autocomplete); otherwise (pipes, tests) lines are read from stdin one by one, each after the
bot has finished answering the previous one.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import dataclasses
import logging
import os
import re
import socket
import sys
import threading
import webbrowser
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import CompleteEvent, Completer, Completion, DummyCompleter
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.patch_stdout import patch_stdout
from rich.console import Console
from rich.text import Text

from bot.config import Settings
from bot.core.content import ContentPack
from playground import render
from playground.emulator import (
    Channel,
    InteractionFailed,
    InteractionResult,
    InvalidInvocation,
    Message,
    UserActor,
)
from playground.model import iter_components
from playground.runner import Playground, send_logs_to_file, start_playground
from playground.slash_line import (
    BOOLEAN,
    CHANNEL,
    MENTIONABLE,
    ROLE,
    USER,
    ParseError,
    chat_commands,
    convert_options,
    convert_value,
    find_channel,
    find_member,
    find_role,
    is_subcommand,
    option_key_pattern,
    parse_slash,
    split_path,
    suggest,
    unquote,
)

log = logging.getLogger(__name__)

MODAL, DEFERRED_MESSAGE, DEFERRED_UPDATE = 9, 5, 6
TEXT_INPUT, LABEL = 4, 18

EXAMPLES = (
    "/summary section:economic-relations length:full",
    "/topic topic:history-versus-interests",
    "/moderate start topic:history-versus-interests format:quick phase_seconds:60",
)
CONSOLE_HELP = (
    ("/command option:value …", "run a slash command, as in Discord (Tab completes; "
                                "values may contain spaces)"),
    ("click N  |  click <label>", "press button N of the last message with buttons"),
    ("select N <value> …", "choose in select menu N (option value, label or number)"),
    ("say <text>", "post a plain message in the current channel"),
    ("go #debates | go thread", "switch channel; `go thread` enters the newest thread"),
    ("channels", "list the channels and threads"),
    ("as <member>", "act as another member (as alice, as you)"),
    ("who", "list the members"),
    ("lang ja | lang ko | lang en", "set the Discord app language of the member you act as"),
    ("server-lang ja | ko | en", "set the server's Discord language"),
    ("help", "this list (`/help` asks the bot for its commands)"),
    ("quit | exit | Ctrl-D", "stop the bot and the playground"),
)
CONSOLE_WORDS = ("help", "as", "who", "lang", "server-lang", "go", "channels", "click", "select",
                 "say", "quit", "exit")
#: What `lang` and `server-lang` accept, as Discord names the locales.
LOCALES = {"en": "en-US", "ja": "ja", "ko": "ko", "fr": "fr", "de": "de"}
SETTLE_QUIET, SETTLE_LIMIT, DONE_TIMEOUT = 0.3, 4.0, 15.0
WATCH_INTERVAL = 0.2


# ---------------------------------------------------------------------------- input


class LineReader(Protocol):
    async def read(self, prompt: str, *, completion: bool = True) -> str | None:
        """The next line, or None at end of input."""
        ...


class PipeReader:
    """Lines from a non-terminal stdin. A daemon thread reads with os.read (no Python-level
    stdin lock held at exit) and hands complete lines to the event loop."""

    def __init__(self, fd: int = 0) -> None:
        self._fd = fd
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._pump, name="playground-stdin", daemon=True).start()

    def _pump(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        pending = ""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                chunk = b""
            pending += decoder.decode(chunk, final=not chunk)
            *lines, pending = pending.split("\n")
            for line in lines:
                self._put(line.rstrip("\r"))
            if not chunk:
                if pending:
                    self._put(pending)
                self._put(None)
                return

    def _put(self, item: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closed: we are exiting
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    async def read(self, prompt: str, *, completion: bool = True) -> str | None:
        return await self._queue.get()


class TerminalReader:
    """prompt_toolkit on a terminal: history, Tab completion, Ctrl-C clears or quits."""

    def __init__(self, completer: Completer) -> None:
        keys = KeyBindings()

        @keys.add("c-c")
        def _interrupt(event: KeyPressEvent) -> None:
            buffer = event.app.current_buffer
            if buffer.text:
                buffer.reset()
            else:
                event.app.exit(exception=EOFError())

        self._completer = completer
        self._session: PromptSession[str] = PromptSession(
            history=InMemoryHistory(), key_bindings=keys, complete_while_typing=True)

    async def read(self, prompt: str, *, completion: bool = True) -> str | None:
        try:
            return await self._session.prompt_async(
                prompt, completer=self._completer if completion else DummyCompleter())
        except (EOFError, KeyboardInterrupt):
            return None


# ---------------------------------------------------------------------------- completion


class SlashCompleter(Completer):
    """Completes console words, command and option names, choices, and the bot's
    autocomplete, which it asks through the emulator on the console's own event loop."""

    def __init__(self, console: PlaygroundConsole) -> None:
        self.console = console

    def get_completions(self, document: Document,
                        complete_event: CompleteEvent) -> Iterable[Completion]:
        return []

    async def get_completions_async(self, document: Document,
                                    complete_event: CompleteEvent
                                    ) -> AsyncGenerator[Completion, None]:
        try:
            found = await self.console.completions(document.text_before_cursor)
        except Exception:  # completion must never break the prompt
            log.debug("completion failed", exc_info=True)
            return
        for completion in found:
            yield completion


# ---------------------------------------------------------------------------- the console


class PlaygroundConsole:
    """The state of one console session: who acts, where, and what has been printed."""

    def __init__(self, pg: Playground, out: Console, *, echo: bool,
                 files_dir: Path | None = None) -> None:
        self.pg = pg
        self.emu = pg.emu
        self.out = out
        self.echo = echo
        self.files_dir = files_dir
        self.member = pg.you
        #: Each member's Discord app language (`lang ja`); the server's is the guild's locale.
        self.locales: dict[int, str] = {}
        self.channel = pg.channel
        self.reader: LineReader | None = None
        self._printed: dict[int, tuple[int, bool]] = {}  # message id → (edits, deleted)
        self._recent: dict[int, None] = {}  # message ids, most recently printed last
        self._threads: set[int] = {c.id for c in pg.guild.threads}
        self._violations = len(self.emu.violations)
        self._hinted = False  # "click N / select N value" is explained once
        self.names = render.guild_names(pg.emu, pg.guild)

    @property
    def actor(self) -> UserActor:
        """The member you act as, with the Discord app language set for them (`lang`)."""
        return self.emu.as_user(self.member, locale=self.locales.get(self.member.id, "en-US"))

    def prompt(self) -> str:
        where = render.channel_label(self.channel)
        if len(where) > 32:
            where = where[:31] + "…"
        return f"{self.member.name} @ {where} › "

    def commands(self, *, all_of_them: bool = False) -> dict[str, dict[str, Any]]:
        """The commands this member sees (Discord hides ones needing missing permissions)."""
        synced = [*self.emu.commands(), *self.emu.commands(self.pg.guild)]
        return chat_commands(synced, None if all_of_them else self.member.permissions)

    # ------------------------------------------------------------------ output

    def info(self, message: str | Text, style: str = "") -> None:
        self.out.print(message if isinstance(message, Text) else Text(message, style=style),
                       soft_wrap=True)

    def error(self, message: str) -> None:
        self.out.print(Text(f"✗ {message}", style="bold red"), soft_wrap=True)

    def banner(self, log_path: Path | None, page_url: str | None = None) -> None:
        title = Text("Rostrum playground", style="bold")
        title.append(": the real bot, talking to a local stand-in for Discord "
                     f"({self.emu.base_url}).")
        self.info(title)
        if page_url:
            line = Text("Open ", style="bold")
            line.append(page_url, style="bold underline cyan")
            line.append(" to see it as Discord would show it, or type here.", style="bold")
            self.info(line)
        self.info(f'Server "{self.pg.guild.name}", channel #{self.channel.name}. You are '
                  f'"{self.member.name}" (a moderator); '
                  f"{', '.join(n for n in self.pg.members if n != 'you')} are here too.")
        self.info("Try:")
        for example in EXAMPLES:
            self.info(f"  {example}", style="cyan")
        self.info("Type help for console commands; Tab completes commands, options and values.",
                  style="dim")
        if log_path is not None:
            self.info(f"Logs go to {log_path}.", style="dim")
        self.info('To connect a real bot instead: set DISCORD_TOKEN in .env (see README, '
                  '"Inviting the bot to a server").', style="dim")

    def _watched_channels(self) -> list[Channel]:
        return [c for c in self.pg.guild.channels.values() if c.type == 0 or c.is_thread]

    def flush(self) -> None:
        """Print every bot message (and new thread) not printed yet in its current version."""
        events: list[tuple[float, int, Any]] = []
        for channel in self._watched_channels():
            if channel.is_thread and channel.id not in self._threads:
                events.append((channel.created_at, channel.id, channel))
            for message in self.emu.messages(channel):
                if message.loading:
                    continue
                version = (len(message.edits), message.deleted)
                if self._printed.get(message.id) != version:
                    changed = max(message.created_at, message.edited_at or 0.0)
                    events.append((changed, message.id, message))
        for violation in self.emu.violations[self._violations:]:
            self.info(f"⚠ The bot sent something Discord would reject: {violation}",
                      style="yellow")
        self._violations = len(self.emu.violations)
        for _, _, item in sorted(events, key=lambda e: (e[0], e[1])):
            if isinstance(item, Message):
                self._print_message(item)
            else:
                self._threads.add(item.id)
                parent = item.parent
                where = f" in #{parent.name}" if parent else ""
                self.info(f"🧵 Thread created{where}: {item.name}", style="bold magenta")

    def _print_message(self, message: Message) -> None:
        before = self._printed.get(message.id)
        self._printed[message.id] = (len(message.edits), message.deleted)
        if message.deleted:
            self._recent.pop(message.id, None)
            if before is not None:
                self.info(f"(a message from {message.author.username} in "
                          f"{render.channel_label(message.channel)} was deleted)", style="dim")
            return
        self._recent.pop(message.id, None)
        self._recent[message.id] = None
        width = max(40, min(self.out.width - 2, render.EMBED_WIDTH))
        hint = not self._hinted and bool(render.Controls.of(message))
        self._hinted = self._hinted or hint
        self.out.print(render.message_renderable(
            message, self.names, edited=before is not None, viewer_id=self.member.id,
            hint=hint, width=width))
        if message.attachments and self.files_dir is not None and before is None:
            self._save_files(message)
        self.out.print()

    def _save_files(self, message: Message) -> None:
        assert self.files_dir is not None
        try:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            for attachment in message.attachments:
                target = self.files_dir / Path(attachment.filename).name
                target.write_bytes(attachment.data)
                self.info(f"   saved to {target}", style="dim")
        except OSError as exc:
            self.error(f"could not save the attachment: {exc}")

    async def settle(self, quiet: float = SETTLE_QUIET, limit: float = SETTLE_LIMIT) -> None:
        """Wait until the emulator's messages stop changing for `quiet` s (at most `limit`)."""
        loop = asyncio.get_running_loop()
        start = stable_since = loop.time()
        last = self.pg.signature()
        while loop.time() - start < limit:
            await asyncio.sleep(0.05)
            signature = self.pg.signature()
            if signature != last:
                last, stable_since = signature, loop.time()
            elif loop.time() - stable_since >= quiet:
                return

    async def watch(self) -> None:
        """Print bot messages that arrive on their own (timers, phase cards, results)."""
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            try:
                self.flush()
            except Exception:
                log.exception("printing new messages failed")

    # ------------------------------------------------------------------ the loop

    async def run(self, reader: LineReader) -> None:
        self.reader = reader
        await self.settle(limit=1.0)
        self.flush()
        while True:
            line = await reader.read(self.prompt())
            if line is None:
                break
            if self.echo and line.strip():
                self.info(f"{self.prompt()}{line}", style="bold")
            if not await self.handle(line):
                break
        self.info("Stopping the bot and the playground…", style="dim")

    async def handle(self, line: str) -> bool:
        """Run one typed line; False means quit. Errors are one red line, never a traceback."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("/"):
            await self.guarded(self.slash(line), line)
            return True
        word, _, arg = line.partition(" ")
        word, arg = word.lower(), arg.strip()
        if word in ("quit", "exit"):
            return False
        handlers: dict[str, Callable[[str], Awaitable[object]]] = {
            "help": self.show_help, "as": self.switch_member, "who": self.who,
            "lang": self.set_language, "server-lang": self.set_server_language,
            "go": self.go, "channels": self.list_channels, "click": self.click,
            "select": self.select, "say": self.say}
        handler = handlers.get(word)
        if handler is not None:
            await self.guarded(handler(arg), line)
        elif word in self.commands():
            self.error(f"Slash commands start with a slash: /{line}")
        else:
            self.error(f"Unknown console command {word!r}.{suggest(word, handlers)} "
                       "Type help, or start a slash command with /.")
        self.flush()
        return True

    async def guarded(self, action: Awaitable[object], what: str) -> bool:
        """Run one user action; a problem becomes one red line (never a traceback), and the
        log gets the details. True when it went through."""
        try:
            await action
            return True
        except (ParseError, InvalidInvocation) as problem:
            self.error(str(problem))
        except InteractionFailed as failure:
            log.warning("interaction failed: %s", failure)
            self.error("The bot did not answer in time (Discord would say \"This interaction "
                       "failed\"). Details are in the log.")
        except Exception as exc:
            log.exception("playground action %r failed", what)
            self.error(f"{type(exc).__name__}: {exc} (details in the log)")
        return False

    # ------------------------------------------------------------------ slash commands

    async def slash(self, line: str) -> None:
        name = line.removeprefix("/").split(" ", 1)[0].lower()
        if name in self.commands(all_of_them=True) and name not in self.commands():
            raise ParseError(f"{self.member.name} cannot see /{name}: it needs permissions "
                             f"{self.member.name} does not have (try `as you`).")
        parsed = parse_slash(line, self.commands())
        values = convert_options(parsed, self.pg.guild)
        before = {c.id for c in self.pg.guild.threads}
        result = await self.actor.slash(parsed.path, channel=self.channel, options=values)
        await self.finish(result, threads_before=before)

    async def finish(self, result: InteractionResult, *,
                     threads_before: set[int] | None = None) -> None:
        """Wait for the whole answer (deferred ones too), print it, follow a new thread."""
        before = threads_before if threads_before is not None else {
            c.id for c in self.pg.guild.threads}
        if result.type == MODAL:
            self.flush()
            await self.fill_modal(result)
            return
        if result.type in (DEFERRED_MESSAGE, DEFERRED_UPDATE):
            await result.wait_done(timeout=DONE_TIMEOUT)
        await self.settle()
        self.flush()
        parent = self.channel
        new = [c for c in self.pg.guild.threads
               if c.id not in before and c.parent_id == parent.id]
        if new:
            self.channel = max(new, key=lambda c: c.id)
            self.info(f"→ You are now in the thread {self.channel.name!r} "
                      f"(go #{parent.name} to go back).", style="magenta")

    async def fill_modal(self, opened: InteractionResult) -> None:
        modal = opened.modal or {}
        inputs = list(modal_inputs(modal.get("components") or []))
        self.info(f"📝 {modal.get('title') or 'Form'}: type each field and press Enter "
                  "(an empty line cancels).", style="bold")
        values: dict[str, str] = {}
        for label, component in inputs:
            hint = component.get("placeholder")
            if hint:
                self.info(f"   {hint}", style="dim")
            question = f"   {label}: "
            assert self.reader is not None
            answer = await self.reader.read(question, completion=False)
            if self.echo and answer is not None:
                self.info(f"{question}{answer}")
            if answer is None or (answer == "" and component.get("required", True)):
                self.info("Form cancelled.", style="dim")
                return
            values[component["custom_id"]] = answer
        result = await self.actor.submit_modal(opened, values)
        await self.finish(result)

    # ------------------------------------------------------------------ components

    def _visible(self, message: Message) -> bool:
        return render.visible(message, self.member.id)

    def target_message(self) -> tuple[Message, render.Controls]:
        """The last printed message with buttons or menus this member can see (the current
        channel's first)."""
        candidates: list[Message] = []
        for message_id in reversed(self._recent):
            message = self.emu.messages_by_id.get(message_id)
            if message is not None and self._visible(message) and render.Controls.of(message):
                candidates.append(message)
        here = [m for m in candidates if m.channel is self.channel]
        if not (here or candidates):
            raise ParseError("No message with buttons or menus yet.")
        chosen = (here or candidates)[0]
        return chosen, render.Controls.of(chosen)

    async def click(self, arg: str) -> None:
        if not arg:
            raise ParseError("Which button? click 1, or click <label>.")
        message, controls = self.target_message()
        buttons = controls.buttons
        if arg.isdigit():
            number = int(arg)
            if not 1 <= number <= len(buttons):
                raise ParseError(f"There are {len(buttons)} button(s); pick 1–{len(buttons)}.")
            button = buttons[number - 1]
        else:
            wanted = arg.lower()
            labelled = [b for b in buttons if button_name(b).lower().startswith(wanted)]
            if not labelled:
                names = ", ".join(button_name(b) for b in buttons)
                raise ParseError(f"No button labelled {arg!r} (buttons: {names}).")
            button = labelled[0]
        if button.get("url"):
            self.info(f"That is a link: {button['url']}")
            return
        before = {c.id for c in self.pg.guild.threads}
        result = await self.actor.click(message, button.get("custom_id", ""))
        await self.finish(result, threads_before=before)

    async def select(self, arg: str) -> None:
        message, controls = self.target_message()
        words = arg.split()
        if not controls.selects:
            raise ParseError("The last message with components has no select menu.")
        number = 1
        if len(words) >= 2 and words[0].isdigit() and int(words[0]) <= len(controls.selects):
            number, words = int(words[0]), words[1:]
        if not words:
            raise ParseError("Usage: select N value (value, label or option number).")
        menu = controls.selects[number - 1]
        result = await self.actor.select(message, menu["custom_id"],
                                         self.select_values(menu, words))
        await self.finish(result)

    def select_values(self, menu: dict[str, Any], words: Sequence[str]) -> list[Any]:
        """What `words` choose in `menu`: option values, labels or numbers for a string
        select; member, role or channel names for the others."""
        chosen: list[Any] = []
        if menu.get("type") == render.STRING_SELECT:
            options = menu.get("options") or []
            joined = " ".join(words).lower()
            by_label = [o["value"] for o in options if o.get("label", "").lower() == joined]
            if by_label:
                chosen = by_label
            else:
                for word in (w for part in words for w in part.split(",") if w):
                    if word.isdigit() and 1 <= int(word) <= len(options):
                        chosen.append(options[int(word) - 1]["value"])
                    else:
                        chosen.append(word)
        else:
            guild = self.pg.guild
            for word in words:
                found = find_member(guild, word) or find_role(guild, word) or find_channel(
                    guild, word)
                if found is None:
                    raise ParseError(f"No member, role or channel called {word!r}.")
                chosen.append(found)
        return chosen

    # ------------------------------------------------------------------ console words

    async def show_help(self, _arg: str = "") -> None:
        width = max(len(usage) for usage, _ in CONSOLE_HELP)
        for usage, what in CONSOLE_HELP:
            line = Text(f"  {usage.ljust(width)}  ", style="bold")
            line.append(what)
            self.info(line)

    async def switch_member(self, arg: str) -> None:
        name = arg.lstrip("@").strip().lower()
        member = self.pg.members.get(name)
        if member is None:
            raise ParseError(f"No member {arg!r}. Members: {', '.join(self.pg.members)}.")
        self.member = member
        self.info(f"You are now {member.name}.", style="magenta")

    def _locale(self, arg: str) -> str:
        code = arg.strip().lower()
        if code not in LOCALES:
            raise ParseError(f"No language {arg!r}. Try: {', '.join(LOCALES)}.")
        return LOCALES[code]

    async def set_language(self, arg: str) -> None:
        self.locales[self.member.id] = self._locale(arg)
        self.info(f"{self.member.name}'s Discord app is now in {self.locales[self.member.id]}.",
                  style="magenta")

    async def set_server_language(self, arg: str) -> None:
        self.pg.guild.locale = self._locale(arg)
        self.info(f"The server's Discord language is now {self.pg.guild.locale}.",
                  style="magenta")

    async def who(self, _arg: str = "") -> None:
        for name, member in self.pg.members.items():
            roles = ", ".join(r.name for r in member.roles) or "no roles"
            mark = "  ← you are acting as them" if member is self.member else ""
            self.info(f"  {name} ({roles}){mark}")

    def _channel_list(self) -> list[Channel]:
        return render.channel_order(self.pg.guild, self.emu.threads)

    async def list_channels(self, _arg: str = "") -> None:
        for number, channel in enumerate(self._channel_list(), 1):
            indent = "    " if channel.is_thread else "  "
            state = " (archived)" if channel.archived else ""
            mark = "  ← here" if channel is self.channel else ""
            self.info(f"{indent}{number}. {render.channel_label(channel)}{state}{mark}")

    async def go(self, arg: str) -> None:
        target = arg.strip()
        channels = self._channel_list()
        found: Channel | None = None
        if target.lower() in ("thread", "🧵"):
            threads = [c for c in channels if c.is_thread]
            found = max(threads, key=lambda c: c.id) if threads else None
            if found is None:
                raise ParseError("There is no thread yet (a /moderate start creates one).")
        elif target.isdigit() and 1 <= int(target) <= len(channels):
            found = channels[int(target) - 1]
        elif target:
            wanted = target.lstrip("#").removeprefix("🧵").strip().lower()
            found = next((c for c in channels if c.name.lower() == wanted), None) or next(
                (c for c in channels if c.name.lower().startswith(wanted)), None)
        if found is None:
            raise ParseError(f"No channel {target!r}. Type channels to list them.")
        self.channel = found
        self.info(f"You are now in {render.channel_label(found)}.", style="magenta")

    async def say(self, arg: str) -> None:
        if not arg:
            raise ParseError("Usage: say <text>")
        await self.actor.say(self.channel, arg)
        await self.settle()

    # ------------------------------------------------------------------ completion

    async def completions(self, text: str) -> list[Completion]:
        stripped = text.lstrip()
        if stripped.startswith("/"):
            return await self._slash_completions(stripped[1:])
        word, space, arg = stripped.partition(" ")
        if not space:
            words = [*CONSOLE_WORDS, *(f"/{name}" for name in self.commands())]
            return [Completion(w, -len(word)) for w in words if w.startswith(word.lower())]
        if word == "as":
            return [Completion(n, -len(arg)) for n in self.pg.members if n.startswith(arg)]
        if word == "go":
            names = ["thread", *(f"#{c.name}" if not c.is_thread else c.name
                                 for c in self._channel_list())]
            return [Completion(n, -len(arg)) for n in names
                    if n.lower().startswith(arg.lower())]
        return []

    async def _slash_completions(self, body: str) -> list[Completion]:
        commands = self.commands()
        if " " not in body:
            return [Completion(name, -len(body), display_meta=c.get("description", ""))
                    for name, c in commands.items() if name.startswith(body.lower())]
        command = commands.get(body.split(" ", 1)[0].lower())
        if command is None:
            return []
        path, schema = [command["name"]], list(command.get("options") or [])
        rest = body.split(" ", 1)[1]
        while any(is_subcommand(o) for o in schema):
            word, space, after = rest.partition(" ")
            subs = {o["name"]: o for o in schema if is_subcommand(o)}
            if not space:
                return [Completion(n, -len(word), display_meta=s.get("description", ""))
                        for n, s in subs.items() if n.startswith(word.lower())]
            if word not in subs:
                return []
            path.append(word)
            schema, rest = list(subs[word].get("options") or []), after
        if not schema:
            return []
        by_name = {o["name"]: o for o in schema}
        matches = list(option_key_pattern(by_name).finditer(rest))
        used = {m.group(1) for m in matches}
        current = re.split(r"\s", rest)[-1]
        out: list[Completion] = []
        if ":" not in current:
            for option in schema:
                name = option["name"]
                if name not in used and name.startswith(current.lower()):
                    meta = ("required · " if option.get("required") else "") + option.get(
                        "description", "")
                    out.append(Completion(f"{name}:", -len(current), display_meta=meta))
        if matches and (":" in current or not out):
            last = matches[-1]
            option, value = by_name[last.group(1)], rest[last.end():]
            others = {m.group(1): unquote(rest[m.end():matches[i + 1].start()])
                      for i, m in enumerate(matches[:-1])}
            for name, shown in await self._values(" ".join(path), option, value, others):
                out.append(Completion(shown, -len(value), display=shown,
                                      display_meta=name if name != shown else ""))
        return out

    async def _values(self, path: str, option: dict[str, Any], typed: str,
                      others: dict[str, str]) -> list[tuple[str, str]]:
        """(label, value) suggestions for one option's value."""
        lowered = typed.lower()
        if option.get("choices"):
            return [(str(c["name"]), str(c["value"])) for c in option["choices"]
                    if str(c["value"]).lower().startswith(lowered)
                    or lowered in str(c["name"]).lower()]
        if option.get("autocomplete"):
            converted: dict[str, Any] = {}
            for name, raw in others.items():
                with contextlib.suppress(ParseError, StopIteration):
                    sibling = next(o for o in self._schema(path) if o["name"] == name)
                    converted[name] = convert_value(path, sibling, raw, self.pg.guild)
            try:
                choices = await self.actor.autocomplete(path, option["name"], typed,
                                                        channel=self.channel, options=converted)
            except (InvalidInvocation, InteractionFailed, TimeoutError):
                return []
            return [(str(c["name"]), str(c["value"])) for c in choices]
        kind = option.get("type")
        guild = self.pg.guild
        names: list[str] = []
        if kind in (USER, MENTIONABLE):
            names += list(self.pg.members)
        if kind in (ROLE, MENTIONABLE):
            names += [r.name for r in guild.roles.values() if r.id != guild.id]
        if kind == CHANNEL:
            names += [c.name for c in self._channel_list()]
        if kind == BOOLEAN:
            names += ["true", "false"]
        return [(n, n) for n in names if n.lower().startswith(lowered)]

    def _schema(self, path: str) -> list[dict[str, Any]]:
        with contextlib.suppress(ParseError):
            return split_path(path, self.commands())[2]
        return []


def button_name(button: dict[str, Any]) -> str:
    """What a button shows: its label, else its emoji (🌐)."""
    return str(button.get("label") or (button.get("emoji") or {}).get("name") or "")


def modal_inputs(components: Sequence[dict[str, Any]]) -> Iterable[tuple[str, dict[str, Any]]]:
    """(label, text input) for each text input of a modal (action rows or labels)."""
    for component in components:
        if component.get("type") == LABEL and isinstance(component.get("component"), dict):
            inner = component["component"]
            if inner.get("type") == TEXT_INPUT:
                yield str(component.get("label") or inner.get("custom_id")), inner
            continue
        for child in iter_components([component]):
            if child.get("type") == TEXT_INPUT:
                yield str(child.get("label") or child.get("custom_id")), child


# ---------------------------------------------------------------------------- entry point


async def play(settings: Settings, content: ContentPack | None = None, *,
               interactive: bool | None = None) -> int:
    """Start the playground, its browser page (unless PLAYGROUND_PORT is off) and the bot's
    public pages, and run the console until quit or end of input."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty() if interactive is None else (
        interactive)
    out = Console(highlight=False, force_terminal=True if interactive else None,
                  emoji=False)
    log_path = send_logs_to_file(settings)
    pages_port = settings.web_port or free_port()
    playground_settings = dataclasses.replace(settings, dev_guild_id=None, web_port=pages_port,
                                              web_host="127.0.0.1")
    async with start_playground(playground_settings, content=content) as pg:
        pg.log_path = log_path
        console = PlaygroundConsole(pg, out, echo=not interactive,
                                    files_dir=settings.database_path.parent / "playground-files")
        browser = None
        if settings.playground_port is not None:
            from playground.web.server import BrowserPlayground

            pages = f"http://127.0.0.1:{pages_port}/g/{pg.guild.id}"
            browser = BrowserPlayground(pg, pages_url=pages)
            await browser.start(settings.playground_port)
        console.banner(log_path, browser.url if browser else None)
        if browser is not None and interactive:
            open_browser(browser.url)
        watcher = asyncio.create_task(console.watch(), name="playground-watch")
        try:
            if interactive:
                reader: LineReader = TerminalReader(SlashCompleter(console))
                with patch_stdout(raw=True):
                    await console.run(reader)
            else:
                await console.run(PipeReader())
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            if browser is not None:
                await browser.stop()
    return 0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def open_browser(url: str) -> None:
    """Open the page where a desktop browser is at hand (not over SSH, not in CI)."""
    if os.environ.get("CI") or os.environ.get("SSH_CONNECTION"):
        return
    if sys.platform.startswith("linux") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return
    with contextlib.suppress(Exception):
        webbrowser.open(url, new=2)


def run_console(settings: Settings, content: ContentPack | None = None) -> int:
    """Blocking entry point for the CLI; exit code 0 on quit, EOF or Ctrl-C."""
    try:
        return asyncio.run(play(settings, content))
    except KeyboardInterrupt:
        return 0
