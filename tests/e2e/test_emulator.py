"""The Discord emulator driven by a real discord.py client (playground/barebot.py)."""

from __future__ import annotations

import asyncio
import json
import time
import zlib
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from discord.ext import commands
from discord.http import Route

from playground import limits
from playground.barebot import CSV_BYTES, PERSISTENT_ID, PING_REPLY, TOPICS, BareBot
from playground.emulator import (
    Emulator,
    InteractionFailed,
    InvalidInvocation,
)

from .conftest import EmulatorWorld

LONG_DESCRIPTION = "x" * 4097


class LaterView(discord.ui.View):
    """A button answered with a deferred update (type 6), then an @original edit."""

    @discord.ui.button(label="Later", custom_id="probe:later")
    async def later(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="updated later", view=None)


class ProbeBot(BareBot):
    """BareBot plus commands that misbehave on purpose, to prove the checks bite."""

    def __init__(self, **options: Any) -> None:
        self.http_errors: list[discord.HTTPException] = []
        self.release_late = asyncio.Event()
        super().__init__(**options)

    def _register(self) -> None:
        super()._register()
        tree = self.tree

        @tree.command(name="too_long", description="Sends an over-limit embed")
        async def too_long(interaction: discord.Interaction) -> None:
            embed = discord.Embed(description=LONG_DESCRIPTION)
            try:
                await interaction.response.send_message(embed=embed)
            except discord.HTTPException as exc:
                self.http_errors.append(exc)
                await interaction.response.send_message("fallback")

        @tree.command(name="twice", description="Answers twice")
        async def twice(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("first")
            adapter = discord.webhook.async_.async_context.get()
            params = discord.webhook.async_.interaction_response_params(4, {"content": "second"})
            try:
                await adapter.create_interaction_response(
                    interaction.id, interaction.token, session=interaction._session, params=params
                )
            except discord.HTTPException as exc:
                self.http_errors.append(exc)

        @tree.command(name="late", description="Answers after the deadline")
        async def late(interaction: discord.Interaction) -> None:
            await self.release_late.wait()
            try:
                await interaction.response.send_message("too late")
            except discord.HTTPException as exc:
                self.http_errors.append(exc)

        @tree.command(name="mention", description="Mentions a user")
        async def mention(
            interaction: discord.Interaction, who: discord.Member, quiet: bool
        ) -> None:
            allowed = discord.AllowedMentions.none() if quiet else discord.utils.MISSING
            await interaction.response.send_message(f"hi {who.mention}", allowed_mentions=allowed)

        @tree.command(
            name="ephemeral_followups", description="Defers ephemerally, follows up twice"
        )
        async def ephemeral_followups(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.followup.send("first followup", ephemeral=True)
            await interaction.followup.send("second followup", ephemeral=True)

        @tree.command(name="later", description="A button that defers, then edits")
        async def later(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("waiting", view=LaterView())

        @tree.command(name="followup_late", description="Defers, follows up when released")
        async def followup_late(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await self.release_late.wait()
            try:
                await interaction.followup.send("too late for a followup")
            except discord.HTTPException as exc:
                self.http_errors.append(exc)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py waits 5 s before a re-IDENTIFY (identify rate limit); not needed here."""

    async def post(self, channel_id: int, **kwargs: Any) -> discord.Message:
        channel = self.get_channel(channel_id)
        assert isinstance(channel, discord.TextChannel | discord.Thread)
        return await channel.send(**kwargs)


@pytest.fixture
async def barebot(emulator_world: EmulatorWorld) -> Any:
    bot = ProbeBot()
    await emulator_world.emu.start_client(bot)
    yield bot
    await emulator_world.emu.stop_client(bot)


# ----------------------------------------------------------------------------- connection


async def test_ready_and_guild_visible(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    emu, world = emulator_world.emu, emulator_world
    assert barebot.is_ready() and barebot.ready_count == 1
    assert barebot.user is not None and barebot.user.id == emu.bot_user.id
    guild = barebot.get_guild(world.guild.id)
    assert guild is not None and guild.name == "Rostrum Test"
    channel = guild.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel) and channel.topic == "Japan–Korea relations"
    assert guild.get_role(world.mod_role.id) is not None
    assert guild.me is not None and guild.me.guild_permissions.manage_threads
    assert emu.gateway.identifies == 1
    assert emu.base_url.startswith("http://127.0.0.1:")
    assert {r.remote for r in emu.requests} == {"127.0.0.1"}
    assert emu.gateway.connect_params[0]["compress"] == (
        discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
    )
    assert emu.api_base == Route.BASE


async def test_endpoints_restored_after_exit() -> None:
    before = Route.BASE
    async with Emulator() as emu:
        assert emu.api_base == Route.BASE
    assert before == Route.BASE


async def test_command_sync_produces_stored_tree(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    stored = {c["name"]: c for c in emulator_world.emu.commands()}
    assert set(stored) == {c.name for c in barebot.tree.get_commands()}
    debate = stored["debate"]
    assert {o["name"]: o["type"] for o in debate["options"]} == {"start": 1, "stop": 1}
    start = debate["options"][0]
    options = {o["name"]: o for o in start["options"]}
    assert options["topic"]["type"] == 3 and options["topic"]["required"]
    assert (options["rounds"]["min_value"], options["rounds"]["max_value"]) == (1, 5)
    assert [c["value"] for c in options["side"]["choices"]] == ["pro", "contra"]
    fetched = await barebot.tree.fetch_commands()
    assert {c.id for c in fetched} == {int(c["id"]) for c in stored.values()}


# ----------------------------------------------------------------------------- slash commands


async def test_slash_command_creates_message(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    r = await world.alice.act().slash("ping", channel=world.channel)
    assert (r.type, r.content, r.ephemeral) == (4, PING_REPLY, False)
    assert r.message is not None and r.message.author_id == emu.bot_user.id
    assert r.message.type == 20 and r.message.interaction_metadata["name"] == "ping"
    assert emu.messages(world.channel) == [r.message]
    assert r.latency is not None and 0 <= r.latency < 1
    assert emu.interaction_latencies == [r.latency]
    payload = r.payload
    assert {
        "id",
        "application_id",
        "type",
        "token",
        "version",
        "guild_id",
        "channel_id",
        "channel",
        "member",
        "app_permissions",
        "locale",
        "guild_locale",
        "entitlements",
        "authorizing_integration_owners",
        "context",
        "data",
    } <= set(payload)
    assert (payload["type"], payload["version"], payload["context"]) == (2, 1, 0)
    assert payload["member"]["permissions"] == str(world.alice.permissions)
    assert payload["member"]["user"]["id"] == str(world.alice.id)
    assert payload["app_permissions"] == str(world.guild.bot_member.permissions)
    assert abs(discord.utils.snowflake_time(r.id).timestamp() - time.time()) < 5
    assert payload["data"]["id"] == next(c["id"] for c in emu.commands() if c["name"] == "ping")


async def test_subcommand_options_are_nested_and_resolved(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    r = await world.alice.act().slash(
        "debate start", channel=world.channel, topic="trade", rounds=2, moderator=world.mo
    )
    assert r.content == "debate on trade: 2 rounds, pro moderated by mo"
    data = r.payload["data"]
    assert data["options"][0]["type"] == 1 and data["options"][0]["name"] == "start"
    assert data["options"][0]["options"][:2] == [
        {"type": 3, "name": "topic", "value": "trade"},
        {"type": 4, "name": "rounds", "value": 2},
    ]
    assert str(world.mo.id) in data["resolved"]["members"]


async def test_invalid_invocations_never_reach_the_bot(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    user, channel = emulator_world.alice.act(), emulator_world.channel
    with pytest.raises(InvalidInvocation, match="unknown command"):
        await user.slash("nope", channel=channel)
    with pytest.raises(InvalidInvocation, match="no option"):
        await user.slash("ping", channel=channel, extra="x")
    with pytest.raises(InvalidInvocation, match="required option 'topic'"):
        await user.slash("debate start", channel=channel)
    with pytest.raises(InvalidInvocation, match="not one of"):
        await user.slash("debate start", channel=channel, topic="t", side="neutral")
    with pytest.raises(InvalidInvocation, match="above the maximum"):
        await user.slash("debate start", channel=channel, topic="t", rounds=9)
    with pytest.raises(InvalidInvocation, match="needs a subcommand"):
        await user.slash("debate", channel=channel)
    with pytest.raises(InvalidInvocation, match="default_member_permissions"):
        await user.slash("purge", channel=channel)
    assert emulator_world.emu.interactions == []
    allowed = await emulator_world.mo.act().slash("purge", channel=channel)
    assert allowed.content == "purged"


async def test_autocomplete_returns_at_most_25(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    user, channel = emulator_world.alice.act(), emulator_world.channel
    everything = await user.autocomplete("search", "topic", "", channel=channel)
    assert len(everything) == 25 < len(TOPICS)
    econ = await user.autocomplete("search", "topic", "econ", channel=channel)
    assert econ == [{"name": "economic-relations", "value": "economic-relations"}]
    sent = emulator_world.emu.interactions[-1].payload
    assert sent["type"] == 4
    assert sent["data"]["options"] == [
        {"type": 3, "name": "topic", "value": "econ", "focused": True}
    ]


# ----------------------------------------------------------------------------- components


async def test_button_click_runs_callback_and_edits(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    r = await world.alice.act().slash("button", channel=world.channel)
    assert r.message is not None and r.message.custom_ids == ["barebot:agree"]
    click = await world.mo.act().click(r.message, "barebot:agree")
    assert click.type == 7
    assert r.message.content == "agreed by mo" and r.message.components == []
    assert len(r.message.edits) == 1 and r.message.edits[0].content == "do you agree?"
    with pytest.raises(InvalidInvocation, match="no component"):
        await world.mo.act().click(r.message, "barebot:agree")


async def test_select_on_ephemeral_message(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    r = await world.alice.act().slash("select", channel=world.channel)
    assert r.ephemeral and r.message is not None and r.message.ephemeral
    chosen = await world.alice.act().select(r, "barebot:side", ["contra"])
    assert chosen.content == "you picked contra" and chosen.ephemeral
    assert chosen.payload["message"]["flags"] & 64
    assert chosen.payload["data"] == {
        "custom_id": "barebot:side",
        "component_type": 3,
        "values": ["contra"],
    }
    with pytest.raises(InvalidInvocation, match="not in"):
        await world.alice.act().select(r, "barebot:side", ["maybe"])
    with pytest.raises(InvalidInvocation, match="not visible"):
        await world.mo.act().select(r, "barebot:side", ["pro"])


async def test_modal_round_trip(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    world = emulator_world
    user = world.alice.act()
    r = await user.slash("argue", channel=world.channel)
    opened = await user.click(r, "barebot:argue")
    assert opened.type == 9 and opened.modal is not None
    assert opened.modal["title"] == "Make an argument"
    with pytest.raises(InvalidInvocation, match="required"):
        await user.submit_modal(opened, {})
    with pytest.raises(InvalidInvocation, match="has no inputs"):
        await user.submit_modal(opened, {"other": "x"})
    submitted = await user.submit_modal(opened, {"barebot:argument": "my text"})
    assert submitted.type == 4 and submitted.content == "argument: my text"
    assert submitted.payload["message"]["id"] == str(r.message.id)
    direct = await user.slash("modal", channel=world.channel)
    done = await user.submit_modal(direct, {"barebot:argument": "direct"})
    assert done.content == "argument: direct" and "message" not in done.payload


async def test_defer_then_edit(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    world = emulator_world
    r = await world.alice.act().slash("slow", channel=world.channel)
    assert r.type == 5 and r.message is not None and r.message.loading
    await r.wait_done(timeout=5)
    assert r.content == "done thinking" and not r.message.loading


async def test_deferred_followups_replace_then_add(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    r = await world.alice.act().slash("ephemeral_followups", channel=world.channel)
    await emulator_world.emu.wait_for(lambda: len(r.followups) == 2)
    assert r.content == "first followup" and r.ephemeral
    assert r.followups[0] is r.message
    assert r.followups[1].content == "second followup" and r.followups[1].ephemeral


async def test_deferred_update_then_edit_original(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    r = await world.alice.act().slash("later", channel=world.channel)
    click = await world.alice.act().click(r, "probe:later")
    assert click.type == 6 and click.message is r.message
    await click.wait_done()
    assert r.message.content == "updated later" and r.message.components == []


@pytest.mark.emulator_expects_rejections
@pytest.mark.emulator_options(followup_window=0.1)
async def test_followups_expire_with_the_token(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    r = await world.alice.act().slash("followup_late", channel=world.channel)
    assert r.type == 5
    await asyncio.sleep(0.15)  # let the 0.1 s token lifetime run out
    barebot.release_late.set()
    await emu.wait_for(lambda: barebot.http_errors)
    assert (barebot.http_errors[0].status, barebot.http_errors[0].code) == (401, 50027)
    assert [v.code for v in emu.violations] == [50027] and r.message.loading


# ----------------------------------------------------------------------------- threads & files


async def test_thread_created_and_members_can_post(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    r = await world.alice.act().slash("thread", channel=world.channel, name="round-1")
    await emu.wait_for(lambda: emu.threads(world.channel), description="a thread")
    thread = emu.threads(world.channel)[0]
    assert thread.parent_id == world.channel.id and thread.name == "round-1"
    assert r.message is not None and thread.id == r.message.id and r.message.thread is thread
    welcome = await emu.wait_for_message(thread)
    assert welcome.content == "welcome to the thread"
    client_thread = barebot.get_guild(world.guild.id).get_thread(thread.id)
    assert client_thread is not None and client_thread.parent_id == world.channel.id
    said = await world.alice.act().say(thread, "my opening statement")
    seen = await emu.wait_for(
        lambda: [m for m in barebot.seen_messages if m.id == said.id], description="on_message"
    )
    assert seen[0].channel.id == thread.id and seen[0].content == "my opening statement"


async def test_standalone_thread_and_thread_edits(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    channel = barebot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    private = await channel.create_thread(name="private room")
    public = await channel.create_thread(name="open room", type=discord.ChannelType.public_thread)
    assert [t.id for t in emu.threads(world.channel)] == [private.id, public.id]
    assert [t.type for t in emu.threads(world.channel)] == [12, 11]
    await public.send("posted by the bot")
    stored = emu.threads(world.channel)[1]
    assert [m.content for m in emu.messages(stored)] == ["posted by the bot"]
    await public.edit(locked=True, archived=True)
    assert stored.locked and stored.archived
    fetched = await barebot.fetch_channel(public.id)
    assert (
        isinstance(fetched, discord.Thread) and fetched.locked and fetched.parent_id == channel.id
    )


async def test_file_upload_bytes_readable(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    world = emulator_world
    r = await world.alice.act().slash("upload", channel=world.channel)
    assert r.files == [("data.csv", CSV_BYTES)]
    channel = barebot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    fetched = await channel.fetch_message(r.message.id)
    assert await fetched.attachments[0].read() == CSV_BYTES


async def test_channel_history_and_allowed_mentions(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    world = emulator_world
    sent = [await barebot.post(world.channel.id, content=f"m{i}") for i in range(5)]
    channel = barebot.get_channel(world.channel.id)
    assert isinstance(channel, discord.TextChannel)
    newest = [m.content async for m in channel.history(limit=2)]
    assert newest == ["m4", "m3"]
    middle = [m.content async for m in channel.history(limit=10, before=sent[3], after=sent[0])]
    assert middle == ["m1", "m2"]  # discord.py yields oldest first when `after` is given
    assert [m.content async for m in channel.history(limit=2, after=sent[2])] == ["m3", "m4"]
    await sent[1].delete()
    await sent[2].edit(content="m2 edited")
    await sent[0].add_reaction("👍")
    await sent[0].pin()
    stored = {m.id: m for m in world.emu.messages(world.channel)}
    assert stored[sent[1].id].deleted and stored[sent[2].id].edits[0].content == "m2"
    assert stored[sent[0].id].reactions == {"👍": {world.emu.bot_user.id}}
    assert stored[sent[0].id].pinned

    quiet = await world.alice.act().slash(
        "mention", channel=world.channel, who=world.mo, quiet=True
    )
    loud = await world.alice.act().slash(
        "mention", channel=world.channel, who=world.mo, quiet=False
    )
    assert quiet.message.allowed_mentions == {"parse": []} and quiet.message.pings == []
    assert loud.message.allowed_mentions_sent is None
    assert loud.message.pings == [f"user:{world.mo.id}"]


# ----------------------------------------------------------------------------- enforcement


@pytest.mark.emulator_expects_rejections
async def test_over_limit_embed_is_rejected(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    r = await world.alice.act().slash("too_long", channel=world.channel)
    assert r.content == "fallback"
    (exc,) = barebot.http_errors
    assert exc.status == 400 and exc.code == 50035
    assert "data.embeds.0.description" in str(exc)
    with pytest.raises(discord.HTTPException) as direct:
        await barebot.post(world.channel.id, embed=discord.Embed(description=LONG_DESCRIPTION))
    assert direct.value.code == 50035
    assert [(v.route, v.field, v.code, v.message) for v in emu.violations] == [
        (
            "POST /interactions/{interaction_id}/{token}/callback",
            "data.embeds.0.description",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 4096 or fewer in length.",
        ),
        (
            "POST /channels/{channel_id}/messages",
            "embeds.0.description",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 4096 or fewer in length.",
        ),
    ]
    assert r.rejections == emu.violations[:1]
    assert emu.messages(world.channel) == [r.message]


@pytest.mark.emulator_expects_rejections
async def test_answering_twice_is_40060(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    emu, world = emulator_world.emu, emulator_world
    r = await world.alice.act().slash("twice", channel=world.channel)
    await emu.wait_for(lambda: barebot.http_errors)
    assert r.content == "first"
    assert (barebot.http_errors[0].status, barebot.http_errors[0].code) == (400, 40060)
    assert [(v.code, v.message) for v in emu.violations] == [
        (40060, "Interaction has already been acknowledged.")
    ]


@pytest.mark.emulator_expects_rejections
@pytest.mark.emulator_options(interaction_deadline=0.2)
async def test_answering_late_is_10062(emulator_world: EmulatorWorld, barebot: ProbeBot) -> None:
    emu, world = emulator_world.emu, emulator_world
    with pytest.raises(InteractionFailed, match="no initial response"):
        await world.alice.act().slash("late", channel=world.channel)
    barebot.release_late.set()
    await emu.wait_for(lambda: barebot.http_errors)
    assert (barebot.http_errors[0].status, barebot.http_errors[0].code) == (404, 10062)
    assert [v.code for v in emu.violations] == [10062]
    assert emu.interactions[0].type is None and emu.interactions[0].rejections
    assert emu.unanswered == emu.interactions


@pytest.mark.emulator_expects_rejections
async def test_unknown_routes_are_recorded(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    with pytest.raises(discord.NotFound) as exc:
        await barebot.http.request(Route("GET", "/voice/regions"))
    assert exc.value.code == 0 and exc.value.text == "404: Not Found"
    assert emulator_world.emu.unhandled_routes == ["GET /voice/regions"]


@pytest.mark.emulator_expects_rejections
async def test_bot_permissions_are_enforced(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    view_and_commands = (1 << 10) | (1 << 31)
    locked = emu.create_guild(
        "Read only", bot_permissions=view_and_commands, everyone_permissions=view_and_commands
    )
    channel = locked.create_text_channel("news")
    alice = locked.create_member("alice")
    await emu.wait_for(lambda: barebot.get_channel(channel.id))
    with pytest.raises(discord.Forbidden) as exc:
        await barebot.post(channel.id, content="hello")
    assert exc.value.code == 50013
    r = await alice.act().slash("ping", channel=channel)  # interaction responses need no perms
    assert r.content == PING_REPLY
    with pytest.raises(discord.Forbidden):
        client_channel = barebot.get_channel(channel.id)
        assert isinstance(client_channel, discord.TextChannel) and r.message is not None
        await client_channel.get_partial_message(r.message.id).create_thread(name="nope")
    assert [(v.status, v.code) for v in emu.violations] == [(403, 50013), (403, 50013)]
    assert "SEND_MESSAGES" in emu.violations[0].message
    assert "CREATE_PUBLIC_THREADS" in emu.violations[1].message
    member = barebot.get_guild(world.guild.id).get_member(world.alice.id)
    role = barebot.get_guild(world.guild.id).get_role(world.mod_role.id)
    await barebot.http.add_role(world.guild.id, world.alice.id, role.id)
    assert world.mod_role in world.alice.roles and member is None  # no members intent


def test_limit_checks_build_discords_error_shape() -> None:
    def fields(payload: dict[str, Any]) -> list[str]:
        return [e.field for e in limits.check_message(payload)[0]]

    assert fields({"content": "x" * 2001}) == ["content"]
    assert fields({"embeds": [{"title": "t"}] * 11}) == ["embeds"]
    assert fields({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}) == [
        "embeds"
    ]
    assert fields({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}) == [
        "embeds.0.fields.0.value"
    ]
    button = {"type": 2, "style": 1, "label": "b", "custom_id": "c"}
    rows = [{"type": 1, "components": [dict(button, custom_id=f"r{i}")]} for i in range(6)]
    assert fields({"content": "x", "components": rows}) == ["components"]
    wide = [dict(button, custom_id=f"b{i}") for i in range(6)]
    assert fields({"content": "x", "components": [{"type": 1, "components": wide}]}) == [
        "components.0.components"
    ]
    select = {"type": 3, "custom_id": "s", "options": [{"label": "a", "value": "a"}]}
    mixed = [{"type": 1, "components": [select, button]}]
    assert fields({"content": "x", "components": mixed}) == ["components.0.components"]
    dup = [{"type": 1, "components": [button, dict(button)]}]
    assert fields({"content": "x", "components": dup}) == ["components.0.components.1.custom_id"]
    assert limits.check_message({})[1] == {"code": 50006, "message": "Cannot send an empty message"}
    modal = {"title": "t" * 46, "custom_id": "m", "components": []}
    assert [e.field for e in limits.check_modal(modal)] == ["data.title", "data.components"]
    choices = {"choices": [{"name": "n", "value": "v"}] * 26}
    assert [e.field for e in limits.check_autocomplete(choices)] == ["data.choices"]
    errs = limits.check_message({"embeds": [{"description": "d" * 4097}]})[0]
    assert limits.invalid_form_body(errs) == {
        "code": 50035,
        "message": "Invalid Form Body",
        "errors": {
            "embeds": {
                "0": {
                    "description": {
                        "_errors": [
                            {
                                "code": "BASE_TYPE_MAX_LENGTH",
                                "message": "Must be 4096 or fewer in length.",
                            }
                        ]
                    }
                }
            }
        },
    }


def test_limits_agree_with_discords_openapi_description() -> None:
    spec_path = Path(__file__).resolve().parents[3] / "shared" / "discord-api" / "openapi.json"
    if not spec_path.exists():
        pytest.skip("shared/discord-api/openapi.json is not beside the repository")
    schemas = json.loads(spec_path.read_text())["components"]["schemas"]

    def prop(schema: str, name: str, key: str = "maxLength") -> int:
        return schemas[schema]["properties"][name][key]

    assert prop("RichEmbed", "title") == limits.EMBED_TITLE_MAX
    assert prop("RichEmbed", "description") == limits.EMBED_DESCRIPTION_MAX
    assert prop("RichEmbed", "fields", "maxItems") == limits.EMBED_FIELDS_MAX
    assert prop("RichEmbedField", "name") == limits.EMBED_FIELD_NAME_MAX
    assert prop("RichEmbedField", "value") == limits.EMBED_FIELD_VALUE_MAX
    assert prop("RichEmbedFooter", "text") == limits.EMBED_FOOTER_TEXT_MAX
    assert prop("RichEmbedAuthor", "name") == limits.EMBED_AUTHOR_NAME_MAX
    assert prop("IncomingWebhookInteractionRequest", "content") == limits.CONTENT_MAX
    assert prop("IncomingWebhookInteractionRequest", "embeds", "maxItems") == limits.EMBEDS_MAX
    assert prop("ButtonComponentForMessageRequest", "label") == limits.BUTTON_LABEL_MAX
    assert prop("ButtonComponentForMessageRequest", "custom_id") == limits.CUSTOM_ID_MAX
    assert prop("ActionRowComponentForMessageRequest", "components", "maxItems") == limits.ROW_WIDTH
    assert prop("StringSelectComponentForMessageRequest", "options", "maxItems") == (
        limits.SELECT_OPTIONS_MAX
    )
    assert prop("ModalInteractionCallbackRequestData", "title") == limits.MODAL_TITLE_MAX
    assert prop("TextInputComponentForModalRequest", "max_length", "maximum") == (
        limits.TEXT_INPUT_LENGTH_MAX
    )
    assert prop(
        "InteractionApplicationCommandAutocompleteCallbackStringData", "choices", "maxItems"
    ) == (limits.AUTOCOMPLETE_CHOICES_MAX)
    assert prop("ApplicationCommandOptionStringChoice", "name") == limits.CHOICE_NAME_MAX


# ----------------------------------------------------------------------------- restarts & faults


async def test_restart_keeps_state_and_old_buttons_work(emulator_world: EmulatorWorld) -> None:
    emu, world = emulator_world.emu, emulator_world
    first = ProbeBot()
    await emu.start_client(first)
    posted = await world.alice.act().slash("persistent", channel=world.channel)
    await world.alice.act().slash("thread", channel=world.channel, name="kept")
    await emu.wait_for(lambda: emu.threads(world.channel))
    await emu.stop_client(first)
    assert first.is_closed()

    second = ProbeBot(sync_commands=False)
    await emu.start_client(second)
    try:
        assert emu.gateway.identifies == 2
        thread = emu.threads(world.channel)[0]
        assert second.get_guild(world.guild.id).get_thread(thread.id) is not None
        assert posted.message in emu.messages(world.channel)
        click = await world.mo.act().click(posted.message, PERSISTENT_ID)
        assert click.content == "persistent click 1" and click.ephemeral
        assert (first.persistent_clicks, second.persistent_clicks) == (0, 1)
    finally:
        await emu.stop_client(second)


async def test_close_4000_resumes_without_losing_dispatches(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    await emu.close_gateway(4000)
    missed = await world.alice.act().say(world.channel, "said while disconnected")
    await emu.wait_for(lambda: barebot.resumed_count == 1, description="RESUMED")
    await emu.wait_for(lambda: [m for m in barebot.seen_messages if m.id == missed.id])
    assert (emu.gateway.identifies, emu.gateway.resumes) == (1, 1)
    assert barebot.ready_count == 1
    r = await world.alice.act().slash("ping", channel=world.channel)
    assert r.content == PING_REPLY


async def test_dropped_connection_1006_resumes(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    await emu.close_gateway(1006)
    await emu.wait_for(lambda: emu.gateway.resumes == 1 and emu.gateway.connected, timeout=10)
    r = await world.alice.act().slash("ping", channel=world.channel)
    assert r.content == PING_REPLY and emu.gateway.identifies == 1


# ----------------------------------------------------------------------------- gateway details


async def test_gateway_protocol_by_hand(emulator_world: EmulatorWorld) -> None:
    emu = emulator_world.emu
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"{emu.gateway_url}?v=10&encoding=json") as ws:
            hello = await ws.receive(timeout=2)
            assert hello.type is aiohttp.WSMsgType.TEXT and hello.json()["op"] == 10
            await ws.send_json({"op": 2, "d": {"token": "wrong", "intents": 0, "properties": {}}})
            closed = await ws.receive(timeout=2)
            assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4004
        async with session.ws_connect(f"{emu.gateway_url}?v=10&encoding=json") as ws:
            await ws.receive(timeout=2)
            await ws.send_json({"op": 6, "d": {"token": emu.token, "session_id": "x", "seq": 1}})
            assert (await ws.receive_json(timeout=2)) == {"op": 9, "d": False}
            await ws.send_json({"op": 2, "d": {"token": emu.token, "intents": 1, "properties": {}}})
            ready = await ws.receive_json(timeout=2)
            assert (ready["t"], ready["s"]) == ("READY", 1)
            assert ready["d"]["guilds"] == [
                {"id": str(emulator_world.guild.id), "unavailable": True}
            ]
            assert ready["d"]["resume_gateway_url"] == emu.gateway_url
            guild_create = await ws.receive_json(timeout=2)
            assert guild_create["t"] == "GUILD_CREATE"
            members = guild_create["d"]["members"]
            assert [m["user"]["id"] for m in members] == [str(emu.bot_user.id)]  # no members intent
            await ws.send_json({"op": 1, "d": 2})
            assert (await ws.receive_json(timeout=2)) == {"op": 11}
        async with session.ws_connect(f"{emu.gateway_url}?v=10&compress=zlib-stream") as ws:
            frame = await ws.receive(timeout=2)
            assert frame.type is aiohttp.WSMsgType.BINARY and frame.data.endswith(
                b"\x00\x00\xff\xff"
            )
            assert json.loads(zlib.decompressobj().decompress(frame.data))["op"] == 10
        async with session.ws_connect(f"{emu.gateway_url}?v=10&compress=zstd-stream") as ws:
            frame = await ws.receive(
                timeout=2
            )  # no zstd here: plain text, which discord.py accepts
            assert frame.type is aiohttp.WSMsgType.TEXT and frame.json()["op"] == 10


async def test_members_intent_gets_chunked_members(emulator_world: EmulatorWorld) -> None:
    intents = discord.Intents.default()
    intents.members = True
    bot = BareBot(intents=intents, sync_commands=False)
    await emulator_world.emu.start_client(bot)
    try:
        guild = bot.get_guild(emulator_world.guild.id)
        assert guild is not None and guild.chunked
        names = {m.name for m in guild.members}
        assert {"alice", "mo", "owner", emulator_world.emu.bot_user.username} <= names
        assert guild.get_member(emulator_world.mo.id).get_role(emulator_world.mod_role.id)
    finally:
        await emulator_world.emu.stop_client(bot)


async def test_message_content_needs_the_intent(emulator_world: EmulatorWorld) -> None:
    emu, world = emulator_world.emu, emulator_world
    bot = BareBot(intents=discord.Intents.default(), sync_commands=False)
    await emu.start_client(bot)
    try:
        plain = await world.alice.act().say(world.channel, "secret words")
        pinged = await world.alice.act().say(world.channel, f"{emu.bot_user.mention} hello")
        await emu.wait_for(lambda: len(bot.seen_messages) == 2)
        by_id = {m.id: m for m in bot.seen_messages}
        assert by_id[plain.id].content == ""
        assert by_id[pinged.id].content.endswith("hello")
        assert by_id[pinged.id].mentions[0].id == emu.bot_user.id
    finally:
        await emu.stop_client(bot)


async def test_live_guild_changes_reach_the_client(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    channel = world.guild.create_text_channel("announcements")
    role = world.guild.create_role("Judges", permissions=1 << 13)
    other = emu.create_guild("Second Guild")
    guild = barebot.get_guild(world.guild.id)
    await emu.wait_for(lambda: guild.get_channel(channel.id) and guild.get_role(role.id))
    await emu.wait_for(lambda: barebot.get_guild(other.id))
    world.alice.add_role(role)
    assert world.alice.permissions & (1 << 13)


async def test_nothing_left_running_after_exit() -> None:
    async with Emulator() as emu:
        emu.create_guild("g").create_text_channel("c")
        bot = BareBot()
        await emu.start_client(bot)
    assert bot.is_closed()
    await asyncio.sleep(0)
    leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftover == []


async def test_reconnect_and_invalid_session_ops(
    emulator_world: EmulatorWorld, barebot: ProbeBot
) -> None:
    emu, world = emulator_world.emu, emulator_world
    await emu.gateway.send_reconnect()
    await emu.wait_for(lambda: barebot.resumed_count == 1, description="RESUMED after op 7")
    await emu.gateway.invalidate_sessions()
    await emu.wait_for(lambda: emu.gateway.identifies == 2 and emu.gateway.connected)
    await emu.wait_for(lambda: barebot.ready_count == 2, description="a second READY")
    r = await world.alice.act().slash("ping", channel=world.channel)
    assert r.content == PING_REPLY


async def test_auto_sharded_bot_uses_gateway_bot(emulator_world: EmulatorWorld) -> None:
    emu = emulator_world.emu
    bot = commands.AutoShardedBot(command_prefix="!", intents=discord.Intents.default())
    await emu.start_client(bot)
    try:
        assert bot.shard_count == 1 and bot.get_guild(emulator_world.guild.id) is not None
        assert any(r.route == "GET /gateway/bot" for r in emu.requests)
    finally:
        await emu.stop_client(bot)
