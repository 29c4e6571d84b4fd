"""Who may steer a debate: moderators only, checked by the bot on every path (commands,
buttons, forged commands); removed members are refused everywhere; clicking fast costs
nothing; and nothing done in one server touches a debate in another."""

from __future__ import annotations

import asyncio

import discord
import pytest

from playground.emulator import Channel, Emulator, Guild, Member, Message
from tests.e2e.world import Debate, button
from tests.reliability.helpers import (
    PATIENCE,
    ReliabilityWorld,
    start_debate,
    wait_line,
)

NOT_MODERATOR = "Only debate moderators can do that"
MODERATOR_COMMANDS = [("moderate next", {}), ("moderate pause", {}), ("moderate resume", {}),
                      ("moderate end", {}), ("moderate cancel", {}),
                      ("moderate extend", {"seconds": 60})]
TEXT = "Trust between neighbours rests on an honest account of the past, always."


async def _rows(world: ReliabilityWorld, sql: str, *params: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in await world.bot.db.fetchall(sql, params)]


async def _debate_row(world: ReliabilityWorld, d: Debate) -> tuple[object, ...]:
    [row] = await _rows(world, "SELECT status, phase_index, deadline, paused_remaining "
                               "FROM debates WHERE id = ?", d.id)
    return row


async def _joined(world: ReliabilityWorld, *sides: tuple[Member, str]) -> Debate:
    d = await start_debate(world)
    for member, side in sides:
        r = await member.act().click(d.lobby, button(d, f"join-{side}"), timeout=PATIENCE)
        assert "joined" in r.content
    return d


async def test_members_cannot_steer_by_command_button_or_forged_command(
        rworld: ReliabilityWorld) -> None:
    world = rworld
    d = await _joined(world, (world.alice, "pro"), (world.bob, "con"))
    for member in (world.alice, world.carol):
        r = await member.act().click(d.lobby, button(d, "begin"), timeout=PATIENCE)
        assert r.ephemeral and NOT_MODERATOR in r.content
        # Discord hides /moderate from them; a modified client sends it anyway.
        r = await member.act().forge_slash("moderate next", channel=d.thread, timeout=PATIENCE)
        assert r.ephemeral and NOT_MODERATOR in r.content
    assert (await _debate_row(world, d))[0] == "lobby"

    await world.mo.act().click(d.lobby, button(d, "begin"), timeout=PATIENCE)
    await wait_line(world, d, "Phase 1/4 · Opening")
    before = await _debate_row(world, d)
    for member in (world.alice, world.carol):
        for command, options in [*MODERATOR_COMMANDS, ("moderate remove", {"member": world.bob})]:
            r = await member.act().forge_slash(command, channel=d.thread, options=options,
                                               timeout=PATIENCE)
            assert r.ephemeral and NOT_MODERATOR in r.content, (command, r.content)
        r = await member.act().forge_slash("moderate start", channel=world.channel,
                                           timeout=PATIENCE,
                                           topic="trade-frictions-and-economic-policy",
                                           format="quick")
        assert r.ephemeral and NOT_MODERATOR in r.content
    assert await _debate_row(world, d) == before
    assert await _rows(world, "SELECT actor_id, action FROM debate_audit") == [
        (world.mo.id, "begin")]
    assert await _rows(world, "SELECT user_id, removed FROM debate_members ORDER BY user_id"
                       ) == sorted([(world.alice.id, 0), (world.bob.id, 0)])

    # /settings is hidden from members without Manage Server; a modified client sends it
    # anyway, to make its own role the moderator role: refused by the bot itself.
    helpers = world.guild.create_role("Helpers")
    world.alice.add_role(helpers)
    r = await world.alice.act().forge_slash("settings moderator-role", channel=world.channel,
                                            role=helpers)
    assert r.ephemeral and "Manage Server" in r.content
    r = await world.alice.act().forge_slash("moderate pause", channel=d.thread,
                                            timeout=PATIENCE)
    assert NOT_MODERATOR in r.content


async def test_a_moderator_who_loses_the_role_is_refused_at_once(rworld: ReliabilityWorld) -> None:
    world = rworld
    d = await _joined(world, (world.alice, "pro"), (world.bob, "con"))
    host = world.guild.create_member("host", roles=[world.mod_role])
    r = await host.act().slash("moderate next", channel=d.thread, timeout=PATIENCE)
    assert r.content == "Debate begun."
    host.remove_role(world.mod_role)
    r = await host.act().forge_slash("moderate pause", channel=d.thread, timeout=PATIENCE)
    assert r.ephemeral and NOT_MODERATOR in r.content
    assert (await _debate_row(world, d))[0] == "running"


async def test_a_removed_member_is_refused_everywhere(rworld: ReliabilityWorld) -> None:
    world = rworld
    d = await _joined(world, (world.alice, "pro"), (world.bob, "con"), (world.carol, "con"))
    await world.mo.act().click(d.lobby, button(d, "begin"), timeout=PATIENCE)
    opening = await wait_line(world, d, "Phase 1/4 · Opening")
    carol = world.carol.act()
    form = await carol.click(opening, button(d, "argue"), timeout=PATIENCE)  # opened before
    assert form.modal is not None
    r = await world.mo.act().slash("moderate remove", channel=d.thread, member=world.carol,
                                   timeout=PATIENCE)
    assert "is removed" in r.content

    async def refused(r: object) -> None:
        assert getattr(r, "ephemeral", False), r
        assert "removed you" in getattr(r, "content", ""), getattr(r, "content", "")

    await refused(await carol.submit_modal(form, {"argument": TEXT}, timeout=PATIENCE))
    await refused(await carol.slash("debate argue", channel=d.thread, text=TEXT,
                                    timeout=PATIENCE))
    world.clock.advance(6)  # past the click cooldown: the refusal is the removal's
    await refused(await carol.click(opening, button(d, "argue"), timeout=PATIENCE))
    for action in ("join-pro", "join-con", "leave"):
        world.clock.advance(2)
        await refused(await carol.click(d.lobby, button(d, action), timeout=PATIENCE))
    await refused(await carol.slash("debate join", channel=d.thread, side="pro",
                                    timeout=PATIENCE))
    await refused(await carol.slash("debate leave", channel=d.thread, timeout=PATIENCE))
    for card in ("Phase 2/4 · Rebuttal", "Phase 3/4 · Closing", "Phase 4/4 · Vote"):
        world.clock.advance(60)
        vote = await wait_line(world, d, card)
    world.clock.advance(6)
    await refused(await carol.click(vote, button(d, "vote-pro"), timeout=PATIENCE))
    await refused(await carol.slash("debate vote", channel=d.thread, side="con",
                                    timeout=PATIENCE))
    assert await _rows(world, "SELECT COUNT(*) FROM debate_arguments WHERE user_id = ?",
                       world.carol.id) == [(0,)]
    assert await _rows(world, "SELECT COUNT(*) FROM debate_votes WHERE user_id = ?",
                       world.carol.id) == [(0,)]
    assert await _rows(world, "SELECT side, removed FROM debate_members WHERE user_id = ?",
                       world.carol.id) == [("con", 1)]


async def test_button_spam_is_throttled_per_member(rworld: ReliabilityWorld) -> None:
    """Argue-button and /debate argue spam: a burst of 3, then a polite wait, nothing stored
    twice; another member is not slowed down; time heals."""
    world = rworld
    d = await _joined(world, (world.alice, "pro"), (world.bob, "con"))
    await world.mo.act().click(d.lobby, button(d, "begin"), timeout=PATIENCE)
    opening = await wait_line(world, d, "Phase 1/4 · Opening")
    alice = world.alice.act()
    answers = [await alice.click(opening, button(d, "argue"), timeout=PATIENCE)
               for _ in range(20)]
    assert [a.modal is not None for a in answers[:3]] == [True] * 3
    assert all(a.ephemeral and a.content.startswith("Easy there: try again in")
               for a in answers[3:])
    r = await world.bob.act().click(opening, button(d, "argue"), timeout=PATIENCE)
    assert r.modal is not None
    world.clock.advance(5)
    results = [await alice.slash("debate argue", channel=d.thread, text=TEXT,
                                 timeout=PATIENCE) for _ in range(10)]
    assert results[0].content.startswith("Posted as argument #1")
    assert all(r.ephemeral for r in results[1:])
    assert sum(r.content.startswith("Easy there") for r in results) >= 7
    assert await _rows(world, "SELECT COUNT(*) FROM debate_arguments") == [(1,)]


# ---------------------------------------------------------------- across servers


def _other_server(emu: Emulator) -> tuple[Guild, Channel, Member, Member]:
    guild = emu.create_guild("Elsewhere")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_threads=True).value)
    return (guild, guild.create_text_channel("debates"),
            guild.create_member("mallory"), guild.create_member("modb", roles=[mods]))


async def _lobby(emu: Emulator, channel: Channel) -> tuple[Channel, Message]:
    thread = await emu.wait_for(lambda: next(iter(emu.threads(channel)), None),
                                timeout=PATIENCE)
    lobby = await emu.wait_for_message(thread, lambda m: bool(m.components), timeout=PATIENCE)
    return thread, lobby


@pytest.mark.emulator_options(interaction_deadline=1.5)
async def test_a_debate_cannot_be_touched_from_another_server(rworld: ReliabilityWorld) -> None:
    world, emu = rworld, rworld.emu
    a = await _joined(world, (world.alice, "pro"))
    _, channel_b, mallory, modb = _other_server(emu)
    r = await modb.act().slash("moderate start", channel=channel_b, timeout=PATIENCE,
                               topic="history-versus-interests", format="quick")
    await r.wait_done(timeout=PATIENCE)
    thread_b, lobby_b = await _lobby(emu, channel_b)
    before = await _debate_row(world, a)

    # Buttons naming server A's debate, sent on server B's own lobby card. discord.py only
    # dispatches a custom_id that is on the message Discord attached, so these never reach
    # the bot's code: the forger's client shows "interaction failed" and nothing changes.
    forged = await asyncio.gather(*(
        forger.act().forge_component(lobby_b, f"deb:{a.id}:{action}", expect_answer=False)
        for forger in (mallory, modb)
        for action in ("join-con", "begin", "vote-pro", "leave", "argue")))
    assert [r.type for r in forged] == [None] * 10
    # An argument form naming server A's debate has no message to anchor it: the bot itself
    # refuses it, because the debate belongs to another server.
    r = await mallory.act().forge_modal(thread_b, f"deb:{a.id}:argue", {"argument": TEXT},
                                        timeout=PATIENCE)
    assert r.ephemeral and "does not belong to a debate in this server" in r.content
    # Nor can server B read server A's transcript, or find it in the autocomplete.
    r = await modb.act().slash("debate transcript", channel=thread_b, debate=a.id,
                               timeout=PATIENCE)
    await r.wait_done(timeout=PATIENCE)
    assert r.ephemeral and "No such debate in this server" in r.content and not r.files
    choices = await modb.act().autocomplete("debate transcript", "debate", "",
                                            channel=thread_b, timeout=PATIENCE)
    assert str(a.id) not in {str(c["value"]) for c in choices}
    # Server B's moderator steers server B's debate only.
    r = await modb.act().slash("moderate next", channel=thread_b, timeout=PATIENCE)
    assert r.content == "Debate begun."

    assert await _debate_row(world, a) == before
    assert await _rows(world, "SELECT user_id FROM debate_members WHERE debate_id = ?",
                       a.id) == [(world.alice.id,)]
    assert await _rows(world, "SELECT COUNT(*) FROM debate_arguments") == [(0,)]
    assert await _rows(world, "SELECT COUNT(*) FROM debate_audit WHERE debate_id = ?",
                       a.id) == [(0,)]
