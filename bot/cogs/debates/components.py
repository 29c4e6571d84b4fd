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
from bot.ui.voice import ENGLISH_VOICE, Voice

if TYPE_CHECKING:
    from bot.app import Rostrum


class ButtonHandler(Protocol):
    """What a debate button needs from the cog that serves it (the "Debates" cog)."""

    async def on_button(self, interaction: discord.Interaction, debate_id: int,
                        action: str) -> None: ...

    async def on_speaker(self, interaction: discord.Interaction, debate_id: int,
                         speaker_id: int) -> None: ...

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
#: The 🌐 button of a public card: shows that card privately in the clicker's language.
#: Its action names the card: show-lobby, show-phase-<index>, show-result.
SHOW_CARD = re.compile(r"show-(?P<card>lobby|result|phase-(?P<index>\d{1,2}))")
SHOW_ROW = 2
MODAL_ID = re.compile(r"deb:(?P<debate>\d+):argue")
TEXT_INPUT_ID = "argument"


class DebateButton(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"deb:(?P<debate>\d+):(?P<action>[a-z0-9-]+)"):
    def __init__(self, debate_id: int, action: str, voice: Voice = ENGLISH_VOICE) -> None:
        self.debate_id = debate_id
        self.action = action
        custom_id = f"deb:{debate_id}:{action}"
        button: discord.ui.Button[Any]
        if SHOW_CARD.fullmatch(action):
            button = discord.ui.Button(emoji="🌐", style=discord.ButtonStyle.secondary,
                                       row=SHOW_ROW, custom_id=custom_id)
        else:
            style, row = ACTIONS[action]
            button = discord.ui.Button(label=cards.button_label(action, voice), style=style,
                                       row=row, custom_id=custom_id)
        super().__init__(button)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> DebateButton:
        action = match["action"]
        if action not in ACTIONS and not SHOW_CARD.fullmatch(action):
            raise ValueError(f"unknown debate action {action!r}")
        return cls(int(match["debate"]), action)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("Rostrum", interaction.client)
        cog = cast(ButtonHandler, bot.get_cog("Debates"))
        await cog.on_button(interaction, self.debate_id, self.action)


SPEAKER_ROW = 3


class SpeakerSelect(discord.ui.DynamicItem[discord.ui.Select],
                    template=r"spk:(?P<debate>\d+)"):
    """On the closing vote's card: the audience names its best speaker."""

    def __init__(self, debate_id: int, candidates: list[tuple[int, str]] | None = None,
                 voice: Voice = ENGLISH_VOICE) -> None:
        self.debate_id = debate_id
        options = [discord.SelectOption(label=text.clip(name, 100), value=str(user_id))
                   for user_id, name in (candidates or [])[:25]]
        select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=f"spk:{debate_id}", row=SPEAKER_ROW,
            placeholder=text.clip(cards.speaker_placeholder(voice), 150),
            options=options or [discord.SelectOption(label="-", value="0")])
        super().__init__(select)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> SpeakerSelect:
        return cls(int(match["debate"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = cast("Rostrum", interaction.client)
        cog = cast(ButtonHandler, bot.get_cog("Debates"))
        data: dict[str, Any] = dict(interaction.data or {})
        values = list(data.get("values") or ["0"])
        await cog.on_speaker(interaction, self.debate_id, int(str(values[0])))


def debate_view(debate_id: int, actions: list[str],
                voice: Voice = ENGLISH_VOICE) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in actions:
        view.add_item(DebateButton(debate_id, action, voice))
    return view


def lobby_actions(has_votes: bool) -> list[str]:
    actions = ["join-pro", "join-con", "leave", "argue"]
    if has_votes:
        actions += ["vote-pro", "vote-con", "vote-undecided"]
    return [*actions, "begin", "show-lobby"]


def phase_actions(index: int, is_vote: bool) -> list[str]:
    actions = ["vote-pro", "vote-con", "vote-undecided"] if is_vote else ["argue"]
    return [*actions, f"show-phase-{index}"]


RESULT_ACTIONS = ["show-result"]


class ArgumentModal(discord.ui.Modal):
    """Collects an argument. Its submission is handled by the cog's interaction listener."""

    def __init__(self, debate_id: int, phase_title: str, side: str | None, max_chars: int,
                 voice: Voice = ENGLISH_VOICE) -> None:
        super().__init__(title=text.clip(cards.argument_form_title(phase_title, voice), 45),
                         custom_id=f"deb:{debate_id}:argue", timeout=900)
        self.add_item(discord.ui.TextInput(
            label=text.clip(cards.argument_field_label(side, max_chars, voice), 45),
            custom_id=TEXT_INPUT_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=min(max_chars, 4000),
            placeholder=text.clip(cards.argument_placeholder(voice), 100),
        ))

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        """Handled by the listener, which also serves modals opened before a restart."""


def submitted_text(data: dict[str, Any], field: str = TEXT_INPUT_ID) -> str | None:
    """A text input's value in a modal submission payload (action rows or labels); by
    default the argument's."""
    stack = list(data.get("components", []))
    while stack:
        component = stack.pop()
        if component.get("custom_id") == field and "value" in component:
            return str(component["value"])
        stack.extend(component.get("components", []))
        if isinstance(component.get("component"), dict):
            stack.append(component["component"])
    return None
