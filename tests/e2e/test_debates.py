"""Whole debates through the real discord.py client, driven by slash commands, buttons and
modals; time moves only when a test advances the bot's clock."""

from __future__ import annotations

import pytest

from playground.command_tree import InvalidInvocation
from tests.e2e.world import World, advance, button, cards, join, start, wait_card

SUBSTANTIVE = "Trust between neighbours rests on an honest account of the past, always."


async def test_a_whole_quick_debate(world: World) -> None:
    d = await start(world, "quick", 60)
    assert d.thread.name == "Debate: History versus interests"
    assert "You joined the **pro** side" in await join(world, d, world.alice, "pro")
    assert "You joined the **con** side" in await join(world, d, world.bob, "con")

    def sides() -> dict[str, str]:
        return {f["name"]: f["value"] for f in world.emu.message(d.lobby.id).embeds[0]["fields"]}

    # The lobby card is edited just after the member's answer.
    await world.emu.wait_for(lambda: sides()["Pro"] == "alice" and sides()["Con"] == "bob",
                             description="the lobby card to list both debaters")

    r = await world.mo.act().click(d.lobby, button(d, "begin"))
    assert r.ephemeral and r.content == "Debate begun."
    opening = await wait_card(world, d, "Phase 1/4 · Opening")

    # Alice argues through the modal, Bob through the slash command.
    form = await world.alice.act().click(opening, button(d, "argue"))
    assert form.modal is not None and form.modal["title"] == "Argue: Opening"
    posted = await world.alice.act().submit_modal(form, {"argument": SUBSTANTIVE})
    # The argument is the public answer to the form; the member is told privately.
    assert not posted.ephemeral and posted.embeds[0]["description"] == SUBSTANTIVE
    assert (await posted.private_reply()).startswith("Posted as argument #1 in Opening.")
    r = await world.bob.act().slash("debate argue", channel=d.thread,
                                    text="Courts cannot be allowed to run foreign policy.")
    assert (await r.private_reply()).startswith("Posted as argument #2")
    def posted_arguments() -> list[dict]:
        return [e for m in world.emu.messages(d.thread) for e in m.embeds
                if e.get("footer", {}).get("text", "").startswith("Argument #")]

    arguments = await world.emu.wait_for(lambda: len(posted_arguments()) == 2
                                         and posted_arguments())
    assert [a["author"]["name"] for a in arguments] == ["alice · Pro · Opening",
                                                         "bob · Con · Opening"]
    assert arguments[0]["description"] == SUBSTANTIVE

    # Phases advance by themselves (their cards count down; no warning posts).
    await advance(world, d, 60, "Phase 2/4 · Rebuttal")
    await advance(world, d, 60, "Phase 3/4 · Closing")
    vote = await advance(world, d, 60, "Phase 4/4 · Vote")
    for member, side in ((world.carol, "pro"), (world.dave, "con"), (world.mo, "con")):
        r = await member.act().click(vote, button(d, f"vote-{side}"))
        assert r.content.startswith(f"Vote recorded: **{side}**")
    r = await world.carol.act().click(vote, button(d, "vote-con"))  # changed, counted once
    assert r.content.startswith("Vote changed from pro to **con**")
    r = await world.alice.act().click(vote, button(d, "vote-pro"))
    assert r.ephemeral and "don't vote" in r.content

    result = await advance(world, d, 60, "Con wins")
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["Final vote"] == "Pro **0** · Con **3** · Undecided **0**"
    assert fields["Spoke for pro"] == "alice" and fields["Spoke for con"] == "bob"

    r = await world.carol.act().slash("debate transcript", channel=d.thread)
    await r.wait_done(timeout=5)
    [(name, data)] = r.files
    assert name == f"debate-{d.id}-transcript.md"
    md = data.decode()
    assert "# Debate #" in md and "**Motion:**" in md
    assert md.index("## Opening") < md.index("## Rebuttal") < md.index("## Result")
    assert f"> {SUBSTANTIVE}" in md
    assert "Con wins the vote 3–0" in md
    # Each phase card was posted exactly once.
    assert [t for t in cards(world, d) if t.startswith("Phase")] == [
        "Phase 1/4 · Opening", "Phase 2/4 · Rebuttal", "Phase 3/4 · Closing",
        "Phase 4/4 · Vote"]


async def test_refusals_are_private_and_explain_themselves(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    # /moderate is hidden from alice; a modified client sends it anyway and is refused.
    with pytest.raises(InvalidInvocation, match="cannot see it"):
        await world.alice.act().slash("moderate next", channel=d.thread)
    r = await world.alice.act().forge_slash("moderate next", channel=d.thread)
    assert r.ephemeral and "Only debate moderators" in r.content
    r = await world.carol.act().slash("debate argue", channel=d.thread, text="Too early.")
    assert r.ephemeral and "hasn't begun" in r.content
    await world.mo.act().slash("moderate next", channel=d.thread)
    await wait_card(world, d, "Phase 1/4")
    r = await world.carol.act().slash("debate argue", channel=d.thread, text="Not a debater.")
    assert r.ephemeral and "join a side first" in r.content
    r = await world.alice.act().slash("debate argue", channel=d.thread, text="x" * 1501)
    assert r.ephemeral and "1,501 characters; this phase allows 1,500" in r.content
    r = await world.alice.act().slash("debate vote", channel=d.thread, side="pro")
    assert r.ephemeral and "not a vote" in r.content
    r = await world.bob.act().click(d.lobby, button(d, "join-con"))
    assert r.ephemeral and "Sides are closed" in r.content
    r = await world.carol.act().slash("debate status", channel=world.channel)
    assert r.ephemeral and "Opening" in r.embeds[0]["description"]
    r = await world.carol.act().forge_slash("moderate start", channel=world.channel,
                                            topic="history-versus-interests", format="quick")
    assert r.ephemeral and "Only debate moderators" in r.content
    r = await world.mo.act().slash("moderate start", channel=world.channel,
                                   topic="history-versus-interests", format="quick")
    assert r.ephemeral and f"already running here: <#{d.thread.id}>" in r.content


async def test_oxford_swing_winner_differs_from_majority(world: World) -> None:
    d = await start(world, "oxford", 30)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    audience = [world.guild.create_member(f"voter{i}") for i in range(5)]
    await world.mo.act().slash("moderate next", channel=d.thread)
    pre = await wait_card(world, d, "Phase 1/7 · Pre-vote")
    # Before: 4 pro, 1 con. After: 3 pro, 2 con. Pro keeps the majority; con gains.
    for voter, side in zip(audience, ["pro", "pro", "pro", "pro", "con"], strict=True):
        await voter.act().click(pre, button(d, f"vote-{side}"))
    status = await world.carol.act().slash("debate status", channel=d.thread)
    assert {f["name"]: f["value"] for f in status.embeds[0]["fields"]}["Votes so far"] \
        .startswith("5")
    second = await advance(world, d, 30, "2/7 · Pro opening")
    closed = {f["name"]: f["value"] for f in second.embeds[0]["fields"]}  # on the next card
    assert closed["Pre-vote closed"] == "Pro **4** · Con **1** · Undecided **0**"
    for card in ("3/7 · Con opening", "4/7 · Open floor", "5/7 · Pro closing",
                 "6/7 · Con closing", "7/7 · Post-vote"):
        post = await advance(world, d, 30, card)
    for voter, side in zip(audience, ["pro", "pro", "pro", "con", "con"], strict=True):
        await voter.act().click(post, button(d, f"vote-{side}"))
    late = world.guild.create_member("latecomer")
    await late.act().click(post, button(d, "vote-pro"))  # not paired: does not count
    result = await advance(world, d, 30, "Con wins")
    embed = result.embeds[0]
    assert "Con wins on swing: +20 pts vs -20 pts among 5 paired voters" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Before (paired voters)"] == "Pro **4** · Con **1** · Undecided **0**"
    assert fields["After (paired voters)"] == "Pro **3** · Con **2** · Undecided **0**"
    # The same vote as a chart: the picture is attached to the card, its alt text says it.
    assert embed["image"]["url"] == "attachment://vote.png"
    [chart] = result.attachments
    assert chart.filename == "vote.png" and chart.data.startswith(b"\x89PNG")
    assert chart.description == ("Share of the paired voters, before → after: pro 80% → 60%, "
                                 "con 20% → 40%, undecided 0% → 0%")


async def test_moderator_controls(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await join(world, d, world.carol, "con")
    mo = world.mo.act()
    await mo.slash("moderate next", channel=d.thread)
    await wait_card(world, d, "Phase 1/4")
    world.clock.advance(20)
    r = await mo.slash("moderate pause", channel=d.thread)
    assert r.content == "Paused."
    await world.emu.wait_for_message(d.thread, lambda m: "Paused by a moderator with 40 sec left"
                                     in m.content and not m.ephemeral)
    world.clock.advance(500)  # paused: nothing moves
    r = await world.alice.act().slash("debate argue", channel=d.thread, text=SUBSTANTIVE)
    assert "paused" in r.content
    r = await mo.slash("moderate extend", channel=d.thread, seconds=30)
    assert r.content == "Extended by 30 sec."
    await mo.slash("moderate resume", channel=d.thread)
    resumed = await world.emu.wait_for_message(
        d.thread, lambda m: not m.ephemeral and "Resumed" in m.content)
    assert f"<t:{int(world.clock.now() + 70)}:R>" in resumed.content
    r = await mo.slash("moderate remove", channel=d.thread, member=world.carol)
    assert "is removed" in r.content
    r = await world.carol.act().slash("debate argue", channel=d.thread, text=SUBSTANTIVE)
    assert r.ephemeral and "removed you" in r.content
    r = await world.carol.act().click(d.lobby, button(d, "leave"))
    assert "removed you" in r.content
    await mo.slash("moderate next", channel=d.thread)
    await wait_card(world, d, "Phase 2/4 · Rebuttal")
    await mo.slash("moderate end", channel=d.thread)
    result = await wait_card(world, d, "Draw")
    assert "Ended early by a moderator" in result.embeds[0]["footer"]["text"]
    r = await mo.slash("debate transcript", channel=d.thread)
    await r.wait_done(timeout=5)
    md = r.files[0][1].decode()
    log = md[md.index("## Moderator log"):]
    for action in ("mo begin", "mo pause", "mo extend — 30 s", "mo resume", "mo remove — carol",
                   "mo next", "mo end"):
        assert action in log
    # The channel is free again.
    again = await mo.slash("moderate start", channel=world.channel,
                           topic="trade-frictions-and-economic-policy", format="quick")
    await again.wait_done(timeout=5)
    assert not again.ephemeral


async def test_restart_mid_phase_continues_without_repeats(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().slash("moderate next", channel=d.thread)
    opening = await wait_card(world, d, "Phase 1/4 · Opening")
    await world.alice.act().slash("debate argue", channel=d.thread, text=SUBSTANTIVE)

    await world.restart_bot()
    # Old buttons on old messages still work after the restart.
    form = await world.bob.act().click(opening, button(d, "argue"))
    posted = await world.bob.act().submit_modal(form, {"argument": "Interests first, always."})
    assert (await posted.private_reply()).startswith("Posted as argument #2")
    # The deadline passed while "down": the timer re-armed from the database fires once.
    await world.emu.stop_client(world.bot)
    world.clock.advance(65)
    await world.start_bot()
    rebuttal = await wait_card(world, d, "Phase 2/4 · Rebuttal")
    await world.alice.act().click(rebuttal, button(d, "argue"))
    await advance(world, d, 60, "Phase 3/4 · Closing")
    titles = [t for t in cards(world, d) if t.startswith("Phase")]
    assert titles == ["Phase 1/4 · Opening", "Phase 2/4 · Rebuttal", "Phase 3/4 · Closing"]
    assert sum("Argument #" in (e.get("footer") or {}).get("text", "")
               for m in world.emu.messages(d.thread) for e in m.embeds) == 2


async def test_vote_button_spam_costs_one_write(world: World) -> None:
    d = await start(world, "quick", 10)
    await join(world, d, world.alice, "pro")
    await join(world, d, world.bob, "con")
    await world.mo.act().slash("moderate next", channel=d.thread)
    for card in ("2/4", "3/4"):
        await advance(world, d, 10, card)
    vote = await advance(world, d, 10, "Phase 4/4 · Vote")
    carol = world.carol.act()
    answers = [(await carol.click(vote, button(d, "vote-pro"))).content for _ in range(50)]
    assert answers[0].startswith("Vote recorded: **pro**")
    assert answers[1:3] == ["Your vote is already **pro**."] * 2
    assert all(a.startswith("Easy there: try again in") for a in answers[3:])
    row = await world.bot.db.fetchone(
        "SELECT COUNT(*) AS n, MIN(cast_at) AS first FROM debate_votes WHERE debate_id = ?",
        (d.id,))
    assert row["n"] == 1


async def test_two_starts_at_once_open_one_debate_and_refuse_the_other_privately(
        world: World) -> None:
    first, second = (world.mo.act().slash("moderate start", channel=world.channel, wait=False,
                                          topic="history-versus-interests", format="quick")
                     for _ in range(2))
    results = [await first, await second]
    for r in results:
        await r.wait_done(timeout=5)
    await world.emu.wait_for(lambda: len(world.emu.threads(world.channel)) == 1)
    refused = [r for r in results
               if "already running" in " ".join(m.content for m in (r.original,
                                                                          *r.followups) if m)]
    assert len(refused) == 1
    loser = refused[0]
    public = [m for m in (loser.original, *loser.followups)
              if m is not None and not m.deleted and not m.ephemeral]
    assert public == []  # nothing of the refused start shows in the channel


async def test_a_lobby_can_be_cancelled_and_frees_its_channel(world: World) -> None:
    d = await start(world, "quick", 60)
    await join(world, d, world.alice, "pro")
    r = await world.mo.act().slash("moderate end", channel=d.thread)
    assert r.ephemeral and "cancel it instead" in r.content  # the advice now has a command
    r = await world.mo.act().slash("moderate cancel", channel=d.thread)
    assert r.ephemeral and r.content.startswith("Cancelled")
    await world.emu.wait_for_message(d.thread, lambda m: "cancelled by a moderator" in m.content)
    r = await world.alice.act().click(d.lobby, button(d, "join-con"))
    assert r.ephemeral and "over" in r.content  # the lobby's buttons are dead
    r = await world.mo.act().slash("moderate start", channel=world.channel,
                                   topic="history-versus-interests", format="quick")
    await r.wait_done(timeout=5)  # the channel is free for the next debate
    assert not r.ephemeral and r.content.startswith("📣 **Debate #2**"), r.content
    await world.emu.wait_for(lambda: len(world.emu.threads(world.channel)) == 2)


async def test_a_debate_in_a_forum_is_a_post_of_its_own(world: World) -> None:
    """Forums have no chat box: the moderator names the forum (or runs the command in one of
    its posts), and the debate is a new post there whose first message is the announcement."""
    forum = world.guild.create_forum_channel("debate-forum")
    r = await world.mo.act().slash("moderate start", channel=world.channel,
                                   topic="history-versus-interests", format="quick",
                                   phase_seconds=60, forum=forum)
    await r.wait_done(timeout=5)
    [post] = await world.emu.wait_for(lambda: world.emu.threads(forum) or None)
    assert not r.ephemeral and f"<#{post.id}>" in r.content
    assert post.name == "Debate: History versus interests"
    first = world.emu.messages(post)[0]
    assert first.id == post.id and first.content.startswith("📣 **Debate #1**")
    assert world.emu.threads(world.channel) == []  # nothing opened in the text channel

    lobby = await world.emu.wait_for_message(post, lambda m: bool(m.components))
    click = await world.alice.act().click(lobby, "deb:1:join-pro")
    assert (await click.private_reply()).startswith("You joined the **pro** side of debate #1")
    status = await world.alice.act().slash("debate status", channel=post)
    assert status.ephemeral and status.embeds

    # Run inside that post, a second start is refused privately: the forum's debate is live.
    busy = await world.mo.act().slash("moderate start", channel=post,
                                      topic="history-versus-interests", format="quick")
    assert busy.ephemeral and f"<#{post.id}>" in busy.content
    await world.mo.act().slash("moderate cancel", channel=post)
    # Once it is over, a start run in the post opens a new post in the same forum.
    again = await world.mo.act().slash("moderate start", channel=post,
                                       topic="history-versus-interests", format="quick")
    await again.wait_done(timeout=5)
    await world.emu.wait_for(lambda: len(world.emu.threads(forum)) == 2)


async def test_a_debate_cannot_start_in_a_plain_thread(world: World) -> None:
    d = await start(world, "quick", 60)
    r = await world.mo.act().slash("moderate start", channel=d.thread,
                                   topic="history-versus-interests", format="quick")
    assert r.ephemeral and "text channel" in r.content and "forum" in r.content
