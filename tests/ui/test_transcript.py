"""The Markdown transcript a moderator downloads after a debate."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.content import ContentPack, load_pack
from bot.core.debate import DebateState
from bot.storage.debates import AuditEntry, PhaseRecord
from bot.ui.transcript import render

REPO = Path(__file__).resolve().parents[2]
T0 = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(REPO / "content")


def finished_quick_debate(pack: ContentPack) -> tuple[DebateState, list[PhaseRecord]]:
    state = DebateState.new(id=7, guild_id=1, channel_id=2, topic_id="history-versus-interests",
                            format=pack.format("quick"), now=T0, phase_seconds=60)
    state.join(11, "pro", T0)
    state.join(12, "con", T0)
    state.begin(T0)
    records = [PhaseRecord(0, "opening", T0, T0 + 60, T0 + 60)]
    state.argue(11, "Apologies without money ring hollow.\n# not a heading\n```", T0 + 5)
    state.argue(12, "Courts cannot run foreign policy.", T0 + 9)
    t = T0
    for index in range(1, 4):
        t = state.next_wakeup() or t
        while state.phase_index == index - 1 and not state.is_over:
            state.tick(t)
            t = state.next_wakeup() or t
        records.append(PhaseRecord(index, state.format.phases[index].id, t, t + 60, t + 60))
        if state.current_phase is not None and state.current_phase.is_vote:
            state.vote(21, "pro", t)
            state.vote(22, "pro", t)
            state.vote(23, "con", t)
    state.end(t + 1)
    return state, records


def test_transcript_has_every_part_in_order(pack: ContentPack) -> None:
    state, records = finished_quick_debate(pack)
    names = {11: "Alice", 12: "Bob", 99: "Mod"}
    md = render(state, pack.topic(state.topic_id), names, records,
                [AuditEntry(99, "end", "", T0 + 300)])
    topic = pack.topic("history-versus-interests")
    assert md.startswith(f"# Debate #7: {topic.title}\n")
    assert f"**Motion:** {topic.motion}" in md
    assert "- Pro: Alice" in md and "- Con: Bob" in md
    order = [md.index(h) for h in ("## Participants", "## Opening", "## Rebuttal",
                                   "## Closing", "## Vote", "## Result", "## Moderator log")]
    assert order == sorted(order)
    assert md.index("**#1 · Pro · Alice** (08:00:05)") < md.index("**#2 · Con · Bob** (08:00:09)")
    assert "Votes: pro 2 · con 1 · undecided 0" in md
    assert "Pro wins the vote 2–1" in md
    assert "Mod end" in md


def test_member_text_cannot_break_the_document(pack: ContentPack) -> None:
    state, records = finished_quick_debate(pack)
    md = render(state, pack.topic(state.topic_id), {}, records, [])
    assert "> # not a heading" in md
    assert "> ```" in md
    assert "\n# not a heading" not in md
    assert "member 11" in md  # unknown names fall back to ids


def test_unreached_phases_are_marked(pack: ContentPack) -> None:
    state = DebateState.new(id=8, guild_id=1, channel_id=2, topic_id="history-versus-interests",
                            format=pack.format("oxford"), now=T0)
    state.begin(T0)
    md = render(state, pack.topic(state.topic_id), {}, [PhaseRecord(0, "pre-vote", T0, None,
                                                                    None)], [])
    assert md.count("_Not reached._") == len(state.format.phases) - 1
    assert "_No result: the debate is not over._" in md
