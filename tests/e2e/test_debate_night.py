"""Debate night: turn alerts on phase cards, and the thread closing when a debate ends."""

from __future__ import annotations

from playground.model import Message
from playground.permissions import MANAGE_THREADS
from tests.e2e.world import World, advance, button, join, start, wait_card


def alerted(card: Message) -> list[str]:
    return sorted(card.pings)


async def test_a_phase_card_pings_exactly_the_debaters_whose_turn_it_is(world: World) -> None:
    d = await start(world, "oxford", 30)
    for member, side in ((world.alice, "pro"), (world.carol, "pro"), (world.bob, "con")):
        await join(world, d, member, side)
    r = await world.carol.act().slash("debate alerts", channel=d.thread, mode="off")
    assert r.ephemeral and "Turn alerts are **off**" in r.content

    await world.mo.act().click(d.lobby, button(d, "begin"))
    pre_vote = await wait_card(world, d, "Pre-vote")
    assert pre_vote.pings == [] and not pre_vote.content  # a vote is nobody's turn

    pro_opening = await advance(world, d, 30, "Pro opening")
    # Alice is pinged; Carol (also pro) turned alerts off; Bob's side is not speaking.
    assert alerted(pro_opening) == [f"user:{world.alice.id}"]
    assert pro_opening.content.startswith(f"🔔 <@{world.alice.id}> your turn: Pro opening")
    assert f"<@{world.carol.id}>" not in pro_opening.content
    # Only the mentioned debaters may be pinged: no everyone, no roles.
    assert [int(u) for u in pro_opening.allowed_mentions["users"]] == [world.alice.id]
    assert pro_opening.allowed_mentions["parse"] == []

    con_opening = await advance(world, d, 30, "Con opening")
    assert alerted(con_opening) == [f"user:{world.bob.id}"]

    r = await world.bob.act().slash("debate alerts", channel=d.thread, mode="off")
    assert "**off**" in r.content
    r = await world.carol.act().slash("debate alerts", channel=d.thread, mode="on")
    assert "**on**" in r.content
    open_floor = await advance(world, d, 30, "Open floor")  # both sides speak
    assert alerted(open_floor) == sorted([f"user:{world.alice.id}", f"user:{world.carol.id}"])
    await advance(world, d, 30, "Pro closing")
    con_closing = await advance(world, d, 30, "Con closing")
    assert con_closing.pings == [] and not con_closing.content  # Bob, the only con, is off

async def test_a_finished_debate_thread_is_locked_and_archived(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().click(d.lobby, button(d, "begin"))
    await wait_card(world, d, "Phase 1/4")
    r = await world.mo.act().slash("moderate end", channel=d.thread)
    assert r.ephemeral
    await wait_card(world, d, "Draw")
    await world.emu.wait_for(lambda: d.thread.archived and d.thread.locked,
                             description="the thread to be locked and archived")


async def test_without_manage_threads_an_ended_debate_is_archived_only(world: World) -> None:
    bot_role = world.guild.bot_member.roles[0]
    world.guild.set_role_permissions(bot_role, bot_role.permissions & ~MANAGE_THREADS)
    d = await start(world, "quick", 60)
    r = await world.mo.act().slash("moderate cancel", channel=d.thread)
    assert r.ephemeral
    await world.emu.wait_for(lambda: d.thread.archived, description="the thread archived")
    assert not d.thread.locked
