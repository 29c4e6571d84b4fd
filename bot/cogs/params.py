"""Slash-command parameters shared by several cogs: one lookup, one autocomplete each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.core.content import ContentPack, Format, Topic
from bot.core.search import Candidate, closest, rank
from bot.errors import UserError
from bot.i18n.reader import reader_pack, reader_say
from bot.ui import reading as render
from bot.ui import text

if TYPE_CHECKING:
    from bot.app import Rostrum


def topic_candidates(pack: ContentPack) -> list[Candidate]:
    return [Candidate(t.id, t.title) for t in pack.topics]


def find_topic(pack: ContentPack, query: str) -> Topic | None:
    """A topic by id, or by its exact title (any case), for members who type instead of pick."""
    query = query.strip().lower()
    return pack.topic(query) or next((t for t in pack.topics if t.title.lower() == query), None)


def _pack(interaction: discord.Interaction) -> ContentPack:
    """Searched and shown in the member's language; ids are the same in every language."""
    return reader_pack(interaction)


class TopicTransformer(app_commands.Transformer):
    """A debate topic of the loaded pack: searched as the member types, checked on submit.

    The pack is read at each use, so `/settings reload-content` is seen at once.
    """

    async def transform(self, interaction: discord.Interaction, value: str) -> Topic:
        pack = _pack(interaction)
        found = find_topic(pack, value)
        if found is None:
            guesses = closest(value, topic_candidates(pack))
            raise UserError(render.suggestions_message(
                "topic", value, [(g.id, g.title) for g in guesses], "/topics",
                reader_say(interaction)))
        return found

    async def autocomplete(self, interaction: discord.Interaction,  # type: ignore[override]
                           value: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=text.clip(c.title, text.CHOICE_NAME), value=c.id)
                for c in rank(value, topic_candidates(_pack(interaction)))]


TopicParam = app_commands.Transform[Topic, TopicTransformer]


def _server_motions(interaction: discord.Interaction) -> list[Topic]:
    bot: Rostrum = interaction.client  # type: ignore[assignment]
    return [topic for topic_id, topic in bot.motions.items()
            if bot.motion_guilds.get(topic_id) == interaction.guild_id]


class DebateTopicTransformer(TopicTransformer):
    """What a debate can be about: the article's topics, or a motion this server approved."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Topic:
        mine = next((t for t in _server_motions(interaction) if t.id == value.strip()), None)
        return mine if mine is not None else await super().transform(interaction, value)

    async def autocomplete(self, interaction: discord.Interaction,  # type: ignore[override]
                           value: str) -> list[app_commands.Choice[str]]:
        candidates = [*topic_candidates(_pack(interaction)),
                      *(Candidate(t.id, t.title) for t in _server_motions(interaction))]
        return [app_commands.Choice(name=text.clip(c.title, text.CHOICE_NAME), value=c.id)
                for c in rank(value, candidates)]


DebateTopicParam = app_commands.Transform[Topic, DebateTopicTransformer]


def find_format(pack: ContentPack, query: str) -> Format | None:
    query = query.strip().lower()
    return pack.format(query) or next((f for f in pack.formats if f.title.lower() == query),
                                      None)


class FormatTransformer(app_commands.Transformer):
    """A debate format of the loaded pack: a format added to formats.yaml is offered at once,
    with no code change (the choices are the pack's, not a list in the code)."""

    async def transform(self, interaction: discord.Interaction, value: str) -> Format:
        pack = _pack(interaction)
        found = find_format(pack, value)
        if found is None:
            raise UserError(render.suggestions_message(
                "format", value, [(f.id, f.title) for f in pack.formats], "/help",
                reader_say(interaction)))
        return found

    async def autocomplete(self, interaction: discord.Interaction,  # type: ignore[override]
                           value: str) -> list[app_commands.Choice[str]]:
        candidates = [Candidate(f.id, f.title) for f in _pack(interaction).formats]
        return [app_commands.Choice(name=text.clip(c.title, text.CHOICE_NAME), value=c.id)
                for c in rank(value, candidates)]


FormatParam = app_commands.Transform[Format, FormatTransformer]
