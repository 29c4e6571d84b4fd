"""Debate buttons and the argument modal.

Buttons are `DynamicItem`s whose custom_id carries the debate id and the action, so a
button on a message posted before a restart still reaches the right debate. The modal's
submission is routed by custom_id too (see `DebateCog.on_interaction`), for the same reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol, cast

import discord

from bot.errors import guarded
from bot.ui import debate_cards as cards
from bot.ui import text

if TYPE_CHECKING:
    from bot.app import Rostrum


class ButtonHandler(Protocol):
    """What a debate button needs from the cog that serves it (the "Debates" cog)."""

    async def on_button(self, interaction: discord.Interaction, debate_id: int,
                        action: str) -> None: ...

ACTIONS = {  # action -> (style, row); labels are in bot/ui
    "join-pro": (discord.ButtonStyle.success, 0),
    "join-con": (discord.ButtonStyle.danger, 0),
    "leave": (discord.ButtonStyle.secondary, 0),
    "argue": (discord.ButtonStyle.primary, 0),
    "vote-pro": (discord.ButtonStyle.success, 1),
    "vote-con": (discord.ButtonStyle.danger, 1),
    "vote-undecided": (discord.ButtonStyle.secondary, 1),
    "begin": (discord.ButtonStyle.primary, 2),
}
MODAL_ID = re.compile(r"deb:(?P<debate>\d+):argue")
TEXT_INPUT_ID = "argument"


class DebateButton(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"deb:(?P<debate>\d+):(?P<action>[a-z-]+)"):
    def __init__(self, debate_id: int, action: str) -> None:
        style, row = ACTIONS[action]
        label = cards.BUTTON_LABELS[action]
        self.debate_id = debate_id
        self.action = action
        super().__init__(discord.ui.Button(label=label, style=style, row=row,
                                           custom_id=f"deb:{debate_id}:{action}"))

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> DebateButton:
        action = match["action"]
        if action not in ACTIONS:
            raise ValueError(f"unknown debate action {action!r}")
        return cls(int(match["debate"]), action)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("Rostrum", interaction.client)
        cog = cast(ButtonHandler, bot.get_cog("Debates"))
        await cog.on_button(interaction, self.debate_id, self.action)


def debate_view(debate_id: int, actions: list[str]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in actions:
        view.add_item(DebateButton(debate_id, action))
    return view


def lobby_actions(has_votes: bool) -> list[str]:
    actions = ["join-pro", "join-con", "leave", "argue"]
    if has_votes:
        actions += ["vote-pro", "vote-con", "vote-undecided"]
    return [*actions, "begin"]


class ArgumentModal(discord.ui.Modal):
    """Collects an argument. Its submission is handled by the cog's interaction listener."""

    def __init__(self, debate_id: int, phase_title: str, side: str | None, max_chars: int) -> None:
        super().__init__(title=text.clip(cards.argument_form_title(phase_title), 45),
                         custom_id=f"deb:{debate_id}:argue", timeout=900)
        self.add_item(discord.ui.TextInput(
            label=text.clip(cards.argument_field_label(side, max_chars), 45),
            custom_id=TEXT_INPUT_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=min(max_chars, 4000),
            placeholder=cards.ARGUMENT_PLACEHOLDER,
        ))

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        """Handled by the listener, which also serves modals opened before a restart."""


def submitted_text(data: dict[str, Any]) -> str | None:
    """The argument text in a modal submission payload (action rows or labels)."""
    stack = list(data.get("components", []))
    while stack:
        component = stack.pop()
        if component.get("custom_id") == TEXT_INPUT_ID and "value" in component:
            return str(component["value"])
        stack.extend(component.get("components", []))
        if isinstance(component.get("component"), dict):
            stack.append(component["component"])
    return None
