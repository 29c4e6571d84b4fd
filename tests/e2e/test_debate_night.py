"""Debate night: turn alerts on phase cards, and the thread closing when a debate ends."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from playground.command_tree import InvalidInvocation
from playground.emulator import InteractionResult, Member
from playground.model import Message
from playground.permissions import MANAGE_THREADS
from tests.e2e.world import Debate, World, advance, button, join, start, wait_card


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


# ---------------------------------------------------------------- reports and redaction

MANAGE_GUILD = 1 << 5
ARGUMENT = "Apologies are the start of trust between neighbours, and they must be repeated."
INSULT = "Everyone on the other side is an idiot and I will find where you live."


def stats_fields(r: InteractionResult) -> dict[str, str]:
    return {f["name"]: f["value"] for f in r.embeds[0]["fields"]}


async def argue(world: World, member: Member, card: Message, d: Debate,
                text: str) -> InteractionResult:
    form = await member.act().click(card, button(d, "argue"))
    posted = await member.act().submit_modal(form, {"argument": text})
    assert not posted.ephemeral, posted.content
    return posted


async def begun(world: World) -> tuple[Debate, Message]:
    """A quick debate, alice pro and bob con, in its opening: the debate and its card."""
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().click(d.lobby, button(d, "begin"))
    return d, await wait_card(world, d, "Phase 1/4")


async def test_a_reported_argument_reaches_the_moderators_and_a_removal_takes_it_back(
        world: World) -> None:
    admin = world.guild.create_member("admin", roles=[world.guild.create_role(
        "Admins", permissions=MANAGE_GUILD)])
    reports_channel = world.guild.create_text_channel("mod-reports")
    r = await admin.act().slash("settings report-channel", channel=world.channel,
                                options={"channel": reports_channel})
    assert r.ephemeral and "now posted in" in r.content

    d, opening = await begun(world)
    await argue(world, world.alice, opening, d, ARGUMENT)
    insult = await argue(world, world.bob, opening, d, INSULT)

    # Not an argument; one's own; then a real report, once per member.
    r = await world.carol.act().message_menu("Report argument", d.lobby)
    assert r.ephemeral and "not a debate argument" in r.content
    r = await world.bob.act().message_menu("Report argument", insult)
    assert r.ephemeral and "your own argument" in r.content
    r = await world.carol.act().message_menu("Report argument", insult)
    assert r.ephemeral and "argument #2 is reported to the moderators" in r.content
    r = await world.carol.act().message_menu("Report argument", insult)
    assert r.ephemeral and "already reported argument #2" in r.content
    await world.dave.act().message_menu("Report argument", insult)

    # The first report is posted for the moderators (once), quoting the argument, naming
    # its author and never the reporters; nothing pings.
    report = await world.emu.wait_for_message(reports_channel, lambda m: bool(m.embeds))
    assert report.embeds[0]["title"] == f"Argument #2 of debate #{d.id} reported"
    assert report.embeds[0]["description"] == INSULT
    assert "carol" not in str(report.embeds) and report.pings == []
    listed = await world.mo.act().slash("moderate reports", channel=world.channel)
    assert listed.ephemeral
    assert f"#2 of debate #{d.id} by bob: 2 reports" in listed.embeds[0]["description"]

    # Members cannot remove; a moderator removes it from the report's button.
    with pytest.raises(InvalidInvocation, match="cannot see it"):
        await world.carol.act().message_menu("Remove argument", insult)
    r = await world.carol.act().message_menu("Remove argument", insult, forged=True)
    assert r.ephemeral and "Only debate moderators" in r.content
    r = await world.mo.act().click(report, f"rep:{d.id}:2:remove")
    assert r.ephemeral and f"Argument #2 of debate #{d.id} is removed" in r.content
    await world.emu.wait_for(
        lambda: world.emu.message(insult.message.id).embeds[0]["description"]
        == "*Removed by a moderator.*", description="the card to say it was removed")
    r = await world.mo.act().message_menu("Remove argument", insult)
    assert r.ephemeral and "already been removed" in r.content
    listed = await world.mo.act().slash("moderate reports", channel=world.channel)
    assert "Nothing reported" in listed.embeds[0]["description"]

    # Bob may post a better one in the same phase (the removed one does not count).
    world.clock.advance(5)  # past the click throttle
    await argue(world, world.bob, opening, d, "Courts cannot be allowed to run foreign policy.")
    for phase in ("Phase 2/4", "Phase 3/4", "Phase 4/4", "Draw"):  # nobody votes
        await advance(world, d, 60, phase)
    await world.emu.wait_for(lambda: d.thread.archived, description="the awards, then the close")
    transcript = await world.carol.act().slash("debate transcript", channel=world.channel,
                                               debate=d.id)
    await transcript.wait_done(timeout=5)
    md = transcript.files[0][1].decode()
    assert INSULT not in md and "Removed by a moderator." in md
    assert "mo redact — #2" in md  # the moderator log
    stats = stats_fields(await world.carol.act().slash("stats", channel=world.channel,
                                                       member=world.bob))
    assert stats["Arguments"] == "1"  # the removed one is not counted


async def test_removing_an_argument_after_the_end_withdraws_its_points(world: World) -> None:
    d, opening = await begun(world)
    posted = await argue(world, world.alice, opening, d, ARGUMENT)
    r = await world.mo.act().slash("moderate end", channel=d.thread)
    await wait_card(world, d, "Draw")
    await world.emu.wait_for(lambda: d.thread.archived and d.thread.locked,
                             description="the thread closed")
    before = stats_fields(await world.carol.act().slash("stats", channel=world.channel,
                                                        member=world.alice))
    assert before["Arguments"] == "1"

    r = await world.mo.act().message_menu("Remove argument", posted)
    assert r.ephemeral and "points it had earned are withdrawn" in r.content
    # The card is edited although the thread was closed; it is closed again after.
    await world.emu.wait_for(
        lambda: world.emu.message(posted.message.id).embeds[0]["description"]
        == "*Removed by a moderator.*", description="the card to say it was removed")
    await world.emu.wait_for(lambda: d.thread.archived and d.thread.locked,
                             description="the thread closed again")
    after = stats_fields(await world.carol.act().slash("stats", channel=world.channel,
                                                       member=world.alice))
    assert after["Arguments"] == "0"
    points = {name: int(value.split()[0]) for name, value in before.items()
              if name == "All time"}
    points_after = {name: int(value.split()[0]) for name, value in after.items()
                    if name == "All time"}
    assert points_after["All time"] == points["All time"] - 3


async def test_a_moderator_removes_a_member_from_their_user_menu(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    r = await world.carol.act().user_menu("Remove from debate", world.alice, channel=d.thread,
                                          forged=True)
    assert r.ephemeral and "Only debate moderators" in r.content
    r = await world.mo.act().user_menu("Remove from debate", world.alice, channel=d.thread)
    assert r.ephemeral and "alice" in r.content
    r = await world.alice.act().slash("debate join", channel=d.thread, side="con")
    assert r.ephemeral and "removed you" in r.content


async def test_anyone_reads_a_members_stats_from_their_user_menu(world: World) -> None:
    r = await world.carol.act().user_menu("Stats", world.alice, channel=world.channel)
    assert r.ephemeral and r.embeds[0]["title"] == "Stats · alice"
    r = await world.emu.as_user(world.carol, locale="ja").user_menu("Stats", world.alice,
                                                                    channel=world.channel)
    assert r.embeds[0]["title"].startswith("成績")  # in the reader's language
    r = await world.carol.act().user_menu("Stats", world.guild.bot_member,
                                          channel=world.channel)
    assert r.ephemeral and r.embeds == []


# ---------------------------------------------------------------- rebuttals

async def test_rebuttals_link_to_what_they_answer_and_form_a_tree(world: World) -> None:
    d, opening = await begun(world)
    first = await argue(world, world.alice, opening, d, ARGUMENT)
    await advance(world, d, 60, "Phase 2/4")

    # Bob finds Alice's argument by its words; his own side's are not offered.
    choices = await world.bob.act().autocomplete("debate argue", "reply_to", "apolog",
                                                 channel=d.thread, text="x")
    assert [c["value"] for c in choices] == [1]
    assert choices[0]["name"].startswith("#1 alice: Apologies are the start")
    answer = await world.bob.act().slash(
        "debate argue", channel=d.thread, reply_to=1,
        text="Apologies without compensation settle nothing for the victims' families.")
    assert not answer.ephemeral
    link = f"https://discord.com/channels/{world.guild.id}/{d.thread.id}/{first.message.id}"
    assert answer.embeds[0]["fields"] == [
        {"name": "↪ Answers", "value": f"[#1 by alice]({link})", "inline": True}]

    r = await world.alice.act().slash("debate argue", channel=d.thread, reply_to=1,
                                      text="Answering myself is not allowed here at all.")
    assert r.ephemeral and "your own side (pro)" in r.content
    r = await world.alice.act().slash("debate argue", channel=d.thread, reply_to=99,
                                      text="There is no such argument in this debate yet.")
    assert r.ephemeral and "no argument #99: this debate has 2 arguments" in r.content
    world.clock.advance(5)
    r = await world.alice.act().slash(
        "debate argue", channel=d.thread, reply_to=2,
        text="Compensation was settled by treaty; what is missing is remembrance.")
    assert not r.ephemeral and "#2 by bob" in r.embeds[0]["fields"][0]["value"]

    for phase in ("Phase 3/4", "Phase 4/4", "Draw"):
        await advance(world, d, 60, phase)
    result = await wait_card(world, d, "Draw")
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["Rebuttals"] == "Pro **1** · Con **1**"
    transcript = await world.carol.act().slash("debate transcript", channel=world.channel,
                                               debate=d.id)
    await transcript.wait_done(timeout=5)
    md = transcript.files[0][1].decode()
    tree = md[md.index("## Exchanges"):md.index("## Result")].strip().splitlines()
    assert [line.split(" · ")[0] for line in tree[2:]] == ["- #1", "  - #2", "    - #3"]
    assert "**#2 · Con · bob** (" in md and "↪ answers #1" in md


# ---------------------------------------------------------------- scheduled debates

def only_event(world: World) -> Any:
    [event] = world.guild.scheduled_events.values()
    return event


async def test_a_scheduled_debate_is_an_event_reminds_and_starts_across_a_restart(
        world: World) -> None:
    r = await world.mo.act().slash("schedule add", channel=world.channel,
                                   topic="history-versus-interests", format="quick",
                                   when="in 20 minutes")
    await r.wait_done(timeout=5)
    reply = r.followups[0].content
    assert reply.startswith("Scheduled debate **S1**: History versus interests")
    assert "Events tab" in reply
    event = only_event(world)
    start = world.clock.now() + 20 * 60
    assert event.name == "Debate: History versus interests" and event.status == 1
    assert event.start == start and event.location == "#debates"
    event.mark_interested(world.alice)
    event.mark_interested(world.bob)

    listed = await world.mo.act().slash("schedule list", channel=world.channel)
    assert "**S1** · History versus interests" in listed.embeds[0]["description"]

    await world.restart_bot()  # the schedule is stored, not held in memory
    world.clock.advance(10 * 60)
    reminder = await world.emu.wait_for_message(world.channel,
                                                lambda m: m.content.startswith("⏰"))
    assert f"<t:{int(start)}:R>" in reminder.content
    # It pings the members who marked the event Interested, and nobody else.
    assert sorted(reminder.pings) == sorted([f"user:{world.alice.id}", f"user:{world.bob.id}"])

    await world.restart_bot()
    world.clock.advance(10 * 60)
    d = await wait_lobby(world)
    assert d.thread.name == "Debate: History versus interests"
    await world.emu.wait_for(lambda: event.status == 2, description="the event marked started")
    announcement = world.emu.message(d.thread.id)
    assert announcement is not None and "late" not in announcement.content
    await schedule_list(world, lambda text: "Nothing is scheduled" in text)


async def schedule_list(world: World, wanted: Callable[[str], bool]) -> str:
    """/schedule list, asked again until it shows what `wanted` looks for (the timer's
    follow-ups run just after the card the test waited for)."""
    for _ in range(50):
        listed = await world.mo.act().slash("schedule list", channel=world.channel)
        shown = listed.embeds[0]["description"]
        if wanted(shown):
            return shown
        await asyncio.sleep(0.05)
    raise AssertionError(f"/schedule list still shows: {shown}")


async def wait_lobby(world: World) -> Debate:
    thread = await world.emu.wait_for(lambda: next(iter(world.emu.threads(world.channel)[-1:]),
                                                   None), description="the debate thread")
    lobby = await world.emu.wait_for_message(thread, lambda m: bool(m.components))
    debate_id = int(lobby.components[0]["components"][0]["custom_id"].split(":")[1])
    return Debate(debate_id, thread, lobby)


async def test_a_start_missed_while_down_is_late_within_the_grace_or_given_up(
        world: World) -> None:
    for when in ("in 5m", "in 30m"):
        r = await world.mo.act().slash("schedule add", channel=world.channel,
                                       topic="history-versus-interests", format="quick",
                                       when=when)
        await r.wait_done(timeout=5)
    await world.emu.stop_client(world.bot)
    world.clock.advance(12 * 60)  # 7 minutes past the first start: within the grace
    await world.start_bot()
    d = await wait_lobby(world)
    announcement = world.emu.message(d.thread.id)
    assert announcement is not None
    assert "Starting 7 minutes late: Rostrum was offline" in announcement.content
    await world.mo.act().slash("moderate cancel", channel=d.thread)

    await world.emu.stop_client(world.bot)
    world.clock.advance(40 * 60)  # the second start is 22 minutes past: given up
    await world.start_bot()
    note = await world.emu.wait_for_message(world.channel,
                                            lambda m: "did not start" in m.content)
    assert "more than 15 minutes past its time" in note.content
    await world.emu.wait_for(lambda: sorted(e.status for e in
                                            world.guild.scheduled_events.values()) == [2, 4],
                             description="one event started, one cancelled")


async def test_schedules_are_moved_and_cancelled_with_their_events(world: World) -> None:
    r = await world.mo.act().slash("schedule add", channel=world.channel,
                                   topic="history-versus-interests", format="oxford",
                                   when="2027-01-20 19:30", timezone="Asia/Seoul", weekly=True)
    await r.wait_done(timeout=5)
    assert "It repeats every week." in r.followups[0].content
    event = only_event(world)
    choices = await world.mo.act().autocomplete("schedule move", "schedule", "s1",
                                                channel=world.channel, when="x")
    assert [c["value"] for c in choices] == [1]
    assert choices[0]["name"] == "S1 · History versus interests · 2027-01-20 10:30 UTC"
    r = await world.mo.act().slash("schedule move", channel=world.channel, schedule=1,
                                   when="in 3 hours")
    await r.wait_done(timeout=5)
    assert event.start == world.clock.now() + 3 * 3600
    for bad, message in (("yesterday at noon", "can't read"), ("in 400 days", "at most 366"),
                         ("2020-01-01 10:00", "is not ahead")):
        r = await world.mo.act().slash("schedule add", channel=world.channel,
                                       topic="history-versus-interests", format="quick",
                                       when=bad)
        assert r.ephemeral and message in r.content, r.content
    r = await world.mo.act().slash("schedule add", channel=world.channel,
                                   topic="history-versus-interests", format="quick",
                                   when="19:00", timezone="Mars/Olympus")
    assert r.ephemeral and "Unknown timezone" in r.content
    r = await world.alice.act().forge_slash("schedule cancel", channel=world.channel,
                                            schedule=1)
    assert r.ephemeral and "Only debate moderators" in r.content
    r = await world.mo.act().slash("schedule cancel", channel=world.channel, schedule=1)
    await r.wait_done(timeout=5)
    assert "is cancelled" in r.followups[0].content and event.status == 4
    r = await world.mo.act().slash("schedule cancel", channel=world.channel, schedule=1)
    await r.wait_done(timeout=5)
    assert "No scheduled debate S1" in (r.followups[0].content if r.followups else r.content)


async def test_a_weekly_debate_two_minutes_ahead_starts_across_a_restart_and_repeats(
        world: World) -> None:
    r = await world.mo.act().slash("schedule add", channel=world.channel,
                                   topic="history-versus-interests", format="quick",
                                   when="in 2 minutes", weekly=True)
    await r.wait_done(timeout=5)
    first_start = world.clock.now() + 120
    # Two minutes ahead is inside the reminder window: the channel hears at once.
    await world.emu.wait_for_message(world.channel, lambda m: m.content.startswith("⏰"))
    await world.restart_bot()  # between the reminder and the start
    world.clock.advance(120)
    await wait_lobby(world)
    await world.emu.wait_for(lambda: len(world.guild.scheduled_events) == 2,
                             description="next week's event")
    nxt = max(world.guild.scheduled_events.values(), key=lambda e: e.start)
    assert nxt.start == first_start + 7 * 86_400 and nxt.status == 1
    shown = await schedule_list(world, lambda text: "**S1**" not in text and "**S2**" in text)
    assert shown.startswith("**S2** · History versus interests") and "weekly" in shown


# ---------------------------------------------------------------- best speaker

async def test_the_audience_names_a_best_speaker_who_is_shown_and_scores(world: World) -> None:
    d, opening = await begun(world)
    await argue(world, world.alice, opening, d, ARGUMENT)
    await argue(world, world.bob, opening, d,
                "Courts cannot be allowed to run foreign policy between two democracies.")
    await advance(world, d, 60, "Phase 2/4")
    await advance(world, d, 60, "Phase 3/4")
    vote = await advance(world, d, 60, "Phase 4/4 · Vote")
    menu = vote.component(f"spk:{d.id}")
    assert menu is not None and [o["label"] for o in menu["options"]] == ["alice", "bob"]

    voters = [world.carol, world.dave, world.guild.create_member("erin")]
    for member in voters:
        r = await member.act().click(vote, button(d, "vote-pro"))
        assert r.content.startswith("Vote recorded")
    for member, choice in zip(voters, (world.alice, world.alice, world.bob), strict=True):
        r = await member.act().select(vote, f"spk:{d.id}", [str(choice.id)])
        assert r.ephemeral and f"Your best speaker: **{choice.name}**" in r.content
    world.clock.advance(5)  # past the click throttle
    r = await voters[2].act().select(vote, f"spk:{d.id}", [str(world.alice.id)])
    assert "Best speaker changed to **alice**" in r.content
    r = await voters[2].act().select(vote, f"spk:{d.id}", [str(world.bob.id)])
    assert "Best speaker changed to **bob**" in r.content
    r = await world.alice.act().select(vote, f"spk:{d.id}", [str(world.bob.id)])
    assert r.ephemeral and "Debaters don't vote" in r.content

    result = await advance(world, d, 60, "Pro wins")
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["🎖️ Best speaker"] == "alice (2 votes)"
    await world.emu.wait_for(lambda: d.thread.archived, description="the awards, then close")
    alice = stats_fields(await world.carol.act().slash("stats", channel=world.channel,
                                                       member=world.alice))
    bob = stats_fields(await world.carol.act().slash("stats", channel=world.channel,
                                                     member=world.bob))
    assert alice["Best speaker"] == "1" and bob["Best speaker"] == "0"
    # Both joined (1) and argued substantively (3); alice won (5) and was best speaker (3).
    assert int(alice["All time"].split()[0]) == int(bob["All time"].split()[0]) + 5 + 3


# ---------------------------------------------------------------- motions of the server's own

OWN_MOTION = "This house would set up a joint Japan–Korea commission on wartime history."


async def test_a_members_motion_is_approved_and_debated_to_a_result(world: World) -> None:
    form = await world.carol.act().slash("motion propose", channel=world.channel)
    assert form.modal is not None and form.modal["title"] == "Propose a motion"
    r = await world.carol.act().submit_modal(form, {"motion": OWN_MOTION,
                                                    "framing": "A *commission* <@&1>?"})
    assert r.ephemeral and "motion **M1** is proposed" in r.content
    form = await world.carol.act().slash("motion propose", channel=world.channel)
    # The form's own limits count spaces; the motion is checked once they are squeezed.
    r = await world.carol.act().submit_modal(form, {"motion": "yes" + " " * 20 + "no"})
    assert r.ephemeral and "A motion is 10 to 300 characters; this one is 6." in r.content

    # Not offered before a moderator approves it.
    choices = await world.mo.act().autocomplete("moderate start", "topic", "commission",
                                                channel=world.channel)
    assert choices == []
    listed = await world.mo.act().slash("moderate motions", channel=world.channel)
    assert f"**M1** · {OWN_MOTION}" in listed.embeds[0]["description"]
    picked = await world.mo.act().autocomplete("moderate approve-motion", "motion", "m1",
                                               channel=world.channel)
    assert [c["value"] for c in picked] == [1]
    r = await world.mo.act().slash("moderate approve-motion", channel=world.channel, motion=1)
    assert r.ephemeral and "Motion **M1** approved" in r.content
    r = await world.mo.act().slash("moderate approve-motion", channel=world.channel, motion=1)
    assert r.ephemeral and "No proposed motion M1" in r.content

    await world.restart_bot()  # approved motions are stored
    choices = await world.mo.act().autocomplete("moderate start", "topic", "commission",
                                                channel=world.channel)
    assert [c["value"] for c in choices] == ["motion:1"]
    d = await start(world, "quick", 60, topic="motion:1")
    assert d.thread.name.startswith("Debate: This house would set up a joint")
    lobby = world.emu.message(d.lobby.id).embeds[0]
    assert f"**Motion:** {OWN_MOTION}" in lobby["description"]
    brief = {f["name"]: f["value"] for f in lobby["fields"]}["Brief"]
    framing, note = brief.split("\n\n")
    assert framing.startswith("A \\*commission\\* <@") and framing != "A *commission* <@&1>?"
    assert note.startswith("A motion of this server's own: Rostrum has no brief for it.")
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().click(d.lobby, button(d, "begin"))
    await wait_card(world, d, "Phase 1/4")
    await world.mo.act().slash("moderate end", channel=d.thread)
    result = await wait_card(world, d, "Draw")
    assert OWN_MOTION in result.embeds[0]["description"]

    # A moderator's own motion is approved at once.
    form = await world.mo.act().slash("motion propose", channel=world.channel)
    r = await world.mo.act().submit_modal(form, {"motion": "This house would abolish visas "
                                                           "between the two countries."})
    assert "Motion **M2** is approved" in r.content
    listed = await world.alice.act().slash("motion list", channel=world.channel)
    assert [line.split(" · ")[0] for line in listed.embeds[0]["description"].splitlines()] == [
        "**M2**", "**M1**"]


async def test_moderators_slow_the_thread_and_open_a_side_thread_for_the_audience(
        world: World) -> None:
    d = await start(world, "quick", 60)
    r = await world.mo.act().slash("moderate slowmode", channel=d.thread, seconds=30)
    assert r.ephemeral and "once every 30 sec" in r.content
    assert d.thread.rate_limit_per_user == 30
    r = await world.mo.act().slash("moderate audience-thread", channel=d.thread)
    await r.wait_done(timeout=5)
    side = next(t for t in world.emu.threads(world.channel) if t.id != d.thread.id)
    assert side.name == "💬 Audience: History versus interests"
    assert f"<#{side.id}>" in r.followups[0].content
    link = await world.emu.wait_for_message(
        d.thread, lambda m: not m.ephemeral and f"<#{side.id}>" in m.content)
    assert link.content.startswith("💬 Audience talk goes in")
    r = await world.mo.act().slash("moderate audience-thread", channel=d.thread)  # again
    await r.wait_done(timeout=5)
    assert len(world.emu.threads(world.channel)) == 2  # the same side thread, not a new one
    r = await world.mo.act().slash("moderate slowmode", channel=d.thread, seconds=0)
    assert "off" in r.content and d.thread.rate_limit_per_user == 0


async def test_turn_alerts_by_dm_for_members_who_ask(world: World) -> None:
    d = await start(world, "oxford", 30)
    for member, side in ((world.alice, "pro"), (world.bob, "con"), (world.dave, "con")):
        await join(world, d, member, side)
    for member in (world.bob, world.dave):
        r = await member.act().slash("debate alerts", channel=d.thread, mode="dm")
        assert "**by DM**" in r.content
    world.dave.user.accepts_dms = False  # dave's privacy settings refuse DMs
    await world.mo.act().click(d.lobby, button(d, "begin"))
    await advance(world, d, 30, "Pro opening")
    con_opening = await advance(world, d, 30, "Con opening")
    assert con_opening.pings == []  # both con debaters asked for a DM instead
    dm = await world.emu.wait_for(lambda: next(iter(world.emu.direct_messages), None),
                                  description="bob's DM")
    assert dm.recipient is world.bob.user
    assert dm.content.startswith(f"🔔 Your turn in debate #{d.id}: Con opening.")
    assert f"/{world.guild.id}/{d.thread.id}" in dm.content
    # Dave's was tried and refused by Discord (50007); he got none, and nothing broke.
    await world.emu.wait_for(lambda: any(
        r.status == 403 and r.route == "POST /channels/{channel_id}/messages"
        for r in world.emu.requests), description="dave's refused DM")
    assert len(world.emu.direct_messages) == 1


# ---------------------------------------------------------------- judges

async def test_named_judges_ballots_decide_the_winner(world: World) -> None:
    d, _ = await begun(world)
    judges = [world.guild.create_member(f"judge{i}") for i in range(3)]
    for judge in judges:
        r = await world.mo.act().slash("moderate judge", channel=d.thread,
                                       options={"member": judge})
        assert r.ephemeral and "judges debate" in r.content, r.content
    r = await world.mo.act().slash("moderate judge", channel=d.thread,
                                   options={"member": world.alice})
    assert r.ephemeral and "A debater can't judge" in r.content
    r = await judges[0].act().slash("debate ballot", channel=d.thread, side="pro")
    assert r.ephemeral and "closing vote" in r.content
    await advance(world, d, 60, "Phase 2/4")
    await advance(world, d, 60, "Phase 3/4")
    vote = await advance(world, d, 60, "Phase 4/4 · Vote")
    for member in (world.carol, world.dave):  # the audience is for pro
        await member.act().click(vote, button(d, "vote-pro"))
    r = await judges[0].act().click(vote, button(d, "vote-pro"))
    assert r.ephemeral and "cast your ballot with `/debate ballot`" in r.content
    r = await world.carol.act().slash("debate ballot", channel=d.thread, side="con")
    assert r.ephemeral and "Only this debate's judges" in r.content
    for judge, side in zip(judges, ("con", "con", "pro"), strict=True):
        r = await judge.act().slash("debate ballot", channel=d.thread, side=side)
        assert r.ephemeral and f"Ballot recorded: **{side}**" in r.content

    result = await advance(world, d, 60, "Con wins")
    assert result.embeds[0]["description"].startswith("Con wins the judges' ballots 2–1")
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["Judges' ballots"] == "Pro **1** · Con **2**"
    assert fields["Judges"] == "judge0, judge1, judge2"
    assert fields["Audience vote (decides nothing)"].startswith("Pro **2**")
