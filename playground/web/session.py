"""One browser request acting in the playground: the console's command handling (slash lines,
autocomplete, select values, error lines), as a given member in a given channel, with what it
would have printed collected as notes for the page."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from playground import render
from playground.console import PlaygroundConsole
from playground.emulator import InteractionResult
from playground.model import Channel, Member, Message
from playground.runner import Playground


class BrowserSession(PlaygroundConsole):
    """Lives for one request. A modal the bot opens is kept (``opened_modal``) for the page to
    show as a form, instead of being asked for line by line."""

    def __init__(self, pg: Playground, member: Member, channel: Channel,
                 locales: dict[int, str]) -> None:
        self._buffer = io.StringIO()
        out = Console(file=self._buffer, width=200, color_system=None, emoji=False,
                      highlight=False, soft_wrap=True)
        super().__init__(pg, out, echo=False)
        self.member = member
        self.channel = channel
        self.locales = locales  # shared across requests: a member's app language sticks
        self.opened_modal: InteractionResult | None = None
        self.failed = False

    def flush(self) -> None:
        """The page redraws from the emulator's state; nothing to print."""

    def error(self, message: str) -> None:
        self.failed = True
        super().error(message)

    async def fill_modal(self, opened: InteractionResult) -> None:
        self.opened_modal = opened

    def notes(self) -> list[str]:
        return [line for line in self._buffer.getvalue().splitlines() if line.strip()]

    # ------------------------------------------------------------------ page actions

    def _shown(self, message_id: int) -> Message | None:
        """The message a page action names, if this member can still see it."""
        message = self.emu.messages_by_id.get(message_id)
        if message is None or not self._visible(message):
            self.error("That message is gone.")
            return None
        return message

    async def press(self, message_id: int, custom_id: str) -> None:
        message = self._shown(message_id)
        if message is not None:
            await self.guarded(self._press(message, custom_id), f"click {custom_id}")

    async def _press(self, message: Message, custom_id: str) -> None:
        before = {c.id for c in self.pg.guild.threads}
        result = await self.actor.click(message, custom_id)
        await self.finish(result, threads_before=before)

    async def choose(self, message_id: int, custom_id: str, values: list[str]) -> None:
        message = self._shown(message_id)
        if message is not None:
            await self.guarded(self._choose(message, custom_id, values), f"select {custom_id}")

    async def _choose(self, message: Message, custom_id: str, values: list[str]) -> None:
        menus = render.Controls.of(message).selects
        menu = next((c for c in menus if c.get("custom_id") == custom_id), None)
        chosen: list[Any] = list(values)
        if menu is not None and menu.get("type") != render.STRING_SELECT:  # names, not values
            chosen = self.select_values(menu, values)
        result = await self.actor.select(message, custom_id, chosen)
        await self.finish(result)

    async def submit(self, opened: InteractionResult, values: dict[str, str]) -> None:
        await self.guarded(self._submit(opened, values), "modal")

    async def _submit(self, opened: InteractionResult, values: dict[str, str]) -> None:
        result = await self.actor.submit_modal(opened, values)
        await self.finish(result)

