"""The debate engine, driven with literal times: no Discord, no sleeping."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.clock import FakeClock
from bot.core.content import Format, Phase
from bot.core.debate import (
    ArgumentAccepted,
    ArgumentRedacted,
    BallotCast,
    DebateCancelled,
    DebateFinished,
    DebateState,
    DebateStatus,
    Effect,
    Extended,
    MemberJoined,
    MemberLeft,
    MemberRemoved,
    Paused,
    PhaseStarted,
    Refusal,
    Result,
    Resumed,
    SpeakerNamed,
    StatusView,
    Tally,
    VoteClosed,
    VoteRecorded,
    WarningDue,
    compute_result,
)
from bot.core.scoring import Kind
from bot.service.participation import awards_for
from bot.ui import debate_text
from bot.ui.debate_text import REFUSAL_CODES


def title(view: StatusView) -> str:
    return debate_text.status_title(view)


def said(refusal: Refusal, state: DebateState) -> str:
    """What the member reads for `refusal` (rendered in bot/ui from its code and params)."""
    return debate_text.refusal(refusal.within(state.format))


FORMATS_FILE = Path(__file__).resolve().parents[2] / "content" / "formats.yaml"
T0 = 1_750_000_000.0

PRO, PRO2, CON, CON2 = 101, 102, 201, 202
AUDIENCE = tuple(range(1000, 1200))
A1, A2, A3 = AUDIENCE[:3]


def _load_formats(path: Path) -> dict[str, Format]:
    """Parse only formats.yaml into the content dataclasses (the rest of the pack may be
    mid-edit, so `load_pack` is not used here)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    formats = {}
    for item in data["formats"]:
        phases = tuple(
            Phase(id=p["id"], title=p["title"], kind=p["kind"], side=p["side"],
                  seconds=p["seconds"], max_chars=p.get("max_chars"),
                  max_posts_per_member=p.get("max_posts_per_member"))
            for p in item["phases"])
        formats[item["id"]] = Format(
            id=item["id"], title=item["title"], description=item["description"],
            result=item["result"], debaters_per_side=item.get("debaters_per_side"),
            phases=phases)
    return formats


FORMATS = _load_formats(FORMATS_FILE)


# --------------------------------------------------------------------------- helpers


def make(fmt: str = "quick", *, phase_seconds: int | None = None) -> DebateState:
    return DebateState.new(id=1, guild_id=10, channel_id=20, topic_id="dokdo-takeshima",
                           format=FORMATS[fmt], now=T0 - 100, thread_id=30,
                           phase_seconds=phase_seconds)


def started(fmt: str = "quick", *, pro: Iterable[int] = (PRO,), con: Iterable[int] = (CON,),
            phase_seconds: int | None = None, now: float = T0) -> DebateState:
    """A debate with the given debaters, begun at `now` (first phase running)."""
    state = make(fmt, phase_seconds=phase_seconds)
    for user in pro:
        state.join(user, "pro", now - 50)
    for user in con:
        state.join(user, "con", now - 50)
    state.begin(now)
    return state


def goto(state: DebateState, phase_id: str) -> float:
    """Advance with tick() at each deadline until `phase_id` runs; return the time."""
    while state.current_phase is not None and state.current_phase.id != phase_id:
        assert state.deadline is not None
        now = state.deadline
        state.tick(now)
    assert state.deadline is not None
    return state.deadline - state.phase_length(state.current_phase)


def finish(state: DebateState) -> Result:
    """Let the clock run out on every remaining phase."""
    while state.status == DebateStatus.RUNNING:
        assert state.deadline is not None
        state.tick(state.deadline)
    assert state.result is not None
    return state.result


def cast(state: DebateState, now: float, **choices: Iterable[int]) -> None:
    """cast(state, now, pro=[...], con=[...], undecided=[...])"""
    for choice, users in choices.items():
        for user in users:
            state.vote(user, choice, now)


def snapshot(state: DebateState) -> DebateState:
    """A deep copy sharing the (immutable) format, which is the slow part to copy."""
    return copy.deepcopy(state, {id(state.format): state.format})


def refused(state: DebateState, code: str, call: Callable[[], Any]) -> Refusal:
    """Assert `call` is refused with `code` and leaves the state exactly as it was."""
    before = snapshot(state)
    with pytest.raises(Refusal) as info:
        call()
    assert info.value.code == code, str(info.value)
    assert code in REFUSAL_CODES  # every refusal has its sentence in bot/ui
    assert state == before
    return info.value


def only(effects: list[Effect], kind: type) -> Any:
    found = [e for e in effects if isinstance(e, kind)]
    assert len(found) == 1, effects
    return found[0]


def users(start: int, count: int) -> list[int]:
    return list(AUDIENCE[start:start + count])


# --------------------------------------------------------------------------- formats


EXPECTED_PHASES = {
    "quick": ["opening", "rebuttal", "closing", "vote"],
    "oxford": ["pre-vote", "pro-opening", "con-opening", "open-floor", "pro-closing",
               "con-closing", "post-vote"],
    "lincoln-douglas": ["affirmative-constructive", "cross-examination-of-pro",
                        "negative-constructive", "cross-examination-of-con",
                        "first-affirmative-rebuttal", "negative-rebuttal",
                        "second-affirmative-rebuttal", "vote"],
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED_PHASES))
def test_each_format_runs_its_phases_in_order_driven_by_tick(fmt: str) -> None:
    """The scheduler only follows next_wakeup(): cards, warnings and the result arrive."""
    state = started(fmt)
    seen: list[tuple[str, str, float]] = [("start", state.format.phases[0].id, 0.0)]
    while (wake := state.next_wakeup()) is not None:
        assert state.tick(wake - 0.001) == []  # nothing is due early
        for effect in state.tick(wake):
            if isinstance(effect, PhaseStarted):
                assert effect.deadline == wake + effect.phase.seconds
                seen.append(("start", effect.phase.id, wake - T0))
            elif isinstance(effect, WarningDue):
                assert effect.seconds_left == effect.mark
                seen.append((f"warn{effect.mark}", effect.phase.id, wake - T0))
            elif isinstance(effect, DebateFinished):
                seen.append(("finish", "", wake - T0))
        assert state.tick(wake) == []  # idempotent at the same time
    assert [pid for kind, pid, _ in seen if kind == "start"] == EXPECTED_PHASES[fmt]
    assert seen[-1][0] == "finish"
    assert seen[-1][2] == sum(p.seconds for p in FORMATS[fmt].phases)
    # every phase is longer than 60 s, so each gets both warnings, at T-60 and T-10
    elapsed = 0.0
    for phase in FORMATS[fmt].phases:
        elapsed += phase.seconds
        assert ("warn60", phase.id, elapsed - 60) in seen
        assert ("warn10", phase.id, elapsed - 10) in seen
    assert state.status == DebateStatus.FINISHED
    assert state.finished_at == T0 + seen[-1][2]
    assert state.next_wakeup() is None


def test_quick_effects_exactly() -> None:
    clock = FakeClock(T0)
    state = make("quick")
    state.join(PRO, "pro", clock.now())
    state.join(CON, "con", clock.now())
    [started_] = state.begin(clock.now())
    assert started_ == PhaseStarted(phase=FORMATS["quick"].phases[0], index=0,
                                    deadline=T0 + 300)
    clock.advance(240)
    [warn] = state.tick(clock.now())
    assert (warn.mark, warn.seconds_left, warn.deadline) == (60, 60, T0 + 300)
    clock.advance(60)
    [nxt] = state.tick(clock.now())
    assert isinstance(nxt, PhaseStarted) and nxt.phase.id == "rebuttal"
    assert nxt.deadline == T0 + 600


def test_final_vote_closes_before_the_result() -> None:
    state = started("quick")
    now = goto(state, "vote")
    cast(state, now + 1, pro=[A1, A2], con=[A3])
    effects = state.tick(now + 120)
    assert [type(e) for e in effects] == [VoteClosed, DebateFinished]
    assert effects[0].tally == Tally(pro=2, con=1)
    assert effects[1].result.outcome == "pro"


def test_phase_seconds_override_applies_to_every_phase() -> None:
    state = started("oxford", phase_seconds=30)
    assert state.deadline == T0 + 30
    assert only(state.tick(T0 + 30), PhaseStarted).deadline == T0 + 60
    refused(make("quick"), "bad_phase_seconds", lambda: make("quick", phase_seconds=5))


# --------------------------------------------------------------------------- sides


def test_join_and_switch_in_the_lobby() -> None:
    state = make("quick")
    assert state.join(PRO, "pro", T0) == [MemberJoined(PRO, "pro", None, 0)]
    assert state.join(PRO, "con", T0 + 1) == [MemberJoined(PRO, "con", "pro", 0)]
    assert state.debaters("pro") == () and state.debaters("con") == (PRO,)
    assert state.members[PRO].joined_at == T0  # switching keeps the joining time


def test_sides_stay_open_during_the_oxford_pre_vote() -> None:
    state = started("oxford", pro=[PRO], con=[])
    state.join(CON, "con", T0 + 5)
    state.join(PRO, "con", T0 + 6)
    assert state.debaters("con") == (PRO, CON)  # by first joining time
    assert state.sides_open


@pytest.mark.parametrize(("fmt", "first_speech"), [("quick", "opening"),
                                                   ("oxford", "pro-opening")])
def test_sides_close_when_the_first_speech_begins(fmt: str, first_speech: str) -> None:
    state = started(fmt)
    now = goto(state, first_speech)
    assert not state.sides_open
    err = refused(state, "sides_closed", lambda: state.join(A1, "pro", now))
    assert "closed" in said(err, state).lower()
    refused(state, "sides_closed", lambda: state.join(PRO, "con", now))  # no switching


def test_lincoln_douglas_allows_one_debater_a_side() -> None:
    state = make("lincoln-douglas")
    state.join(PRO, "pro", T0)
    err = refused(state, "side_full", lambda: state.join(PRO2, "pro", T0))
    assert "1 debater a side" in said(err, state)
    state.join(CON, "con", T0)
    refused(state, "side_full", lambda: state.join(PRO, "con", T0))  # switch into a full side
    state.leave(PRO, T0)
    state.join(PRO2, "pro", T0)
    assert state.debaters("pro") == (PRO2,)


def test_unlimited_sides_in_quick() -> None:
    state = make("quick")
    for user in users(0, 30):
        state.join(user, "pro", T0)
    assert len(state.debaters("pro")) == 30


@pytest.mark.parametrize(("action", "code"), [
    (lambda s: s.join(PRO, "pro", T0), "already_on_side"),
    (lambda s: s.join(A1, "neutral", T0), "bad_side"),
    (lambda s: s.leave(A1, T0), "not_debater"),
])
def test_membership_refusals_in_the_lobby(action: Callable[[DebateState], Any],
                                          code: str) -> None:
    state = make("quick")
    state.join(PRO, "pro", T0)
    refused(state, code, lambda: action(state))


def test_leaving_after_speaking_keeps_the_arguments() -> None:
    state = started("quick", pro=[PRO, PRO2])
    state.argue(PRO, "Opening words.", T0 + 5)
    assert state.leave(PRO, T0 + 6) == [MemberLeft(PRO, "pro")]
    assert state.debaters("pro") == (PRO2,)
    assert [a.user_id for a in state.arguments] == [PRO]
    assert state.speakers()["pro"] == (PRO,)
    refused(state, "not_debater", lambda: state.argue(PRO, "Again.", T0 + 7))


def test_a_debater_who_spoke_and_left_still_cannot_vote() -> None:
    state = started("quick", pro=[PRO, PRO2])
    state.argue(PRO, "Opening words.", T0 + 5)
    state.leave(PRO, T0 + 6)
    now = goto(state, "vote")
    err = refused(state, "debater", lambda: state.vote(PRO, "pro", now + 1))
    assert "argued" in said(err, state)


def test_joining_a_side_withdraws_a_pre_vote() -> None:
    state = started("oxford")
    state.vote(A1, "pro", T0 + 1)
    assert state.vote_count("pre-vote") == 1
    [joined] = state.join(A1, "pro", T0 + 2)
    assert joined.votes_withdrawn == 1
    assert state.vote_count("pre-vote") == 0


def test_leave_is_refused_after_the_end() -> None:
    state = started("quick")
    state.end(T0 + 10)
    refused(state, "finished", lambda: state.leave(PRO, T0 + 11))
    refused(state, "finished", lambda: state.join(A1, "pro", T0 + 11))


# --------------------------------------------------------------------------- removal


def test_removed_debater_is_refused_everything_but_keeps_history() -> None:
    state = started("quick", pro=[PRO, PRO2])
    state.argue(PRO, "Something rude.", T0 + 5)
    assert state.remove(PRO, T0 + 6) == [MemberRemoved(PRO, "pro")]
    assert state.debaters("pro") == (PRO2,)
    assert state.members[PRO].removed
    assert len(state.arguments) == 1
    for call in (lambda: state.argue(PRO, "More.", T0 + 7),
                 lambda: state.join(PRO, "con", T0 + 7),
                 lambda: state.leave(PRO, T0 + 7)):
        assert said(refused(state, "removed", call), state)
    now = goto(state, "vote")
    refused(state, "removed", lambda: state.vote(PRO, "pro", now + 1))
    refused(state, "already_removed", lambda: state.remove(PRO, now + 1))


def test_removed_in_the_lobby_cannot_rejoin() -> None:
    state = make("quick")
    state.join(PRO, "pro", T0)
    state.remove(PRO, T0 + 1)
    refused(state, "removed", lambda: state.join(PRO, "pro", T0 + 2))
    refused(state, "removed", lambda: state.join(PRO, "con", T0 + 2))


def test_removing_an_audience_member_discards_their_vote() -> None:
    state = started("quick")
    now = goto(state, "vote")
    cast(state, now + 1, pro=[A1], con=[A2, A3])
    assert state.remove(A2, now + 2) == [MemberRemoved(A2, None)]
    assert state.status_view(now + 2).votes_cast == 2
    refused(state, "removed", lambda: state.vote(A2, "con", now + 3))
    assert finish(state).outcome == "draw"  # 1–1 once the removed vote is out


# --------------------------------------------------------------------------- arguments


def test_argument_accepted_stripped_and_numbered() -> None:
    state = started("quick")
    [first] = state.argue(PRO, "  Pro opens.\n", T0 + 1)
    assert isinstance(first, ArgumentAccepted)
    assert first.argument.text == "Pro opens."
    assert (first.argument.seq, first.argument.side, first.argument.phase_id) == \
        (1, "pro", "opening")
    assert first.posts_left == 0
    [second] = state.argue(CON, "Con opens.", T0 + 2)
    assert second.argument.seq == 2 and second.argument.posted_at == T0 + 2


def test_argument_at_exactly_the_limit_is_accepted() -> None:
    state = started("quick")
    state.argue(PRO, "  " + "x" * 1500 + "  ", T0 + 1)  # stripped length counts
    assert len(state.arguments[0].text) == 1500


def test_too_long_names_the_limit() -> None:
    state = started("quick")
    err = refused(state, "too_long", lambda: state.argue(PRO, "x" * 1640, T0 + 1))
    assert said(err, state) == "Your argument is 1,640 characters; this phase allows 1,500."


def test_post_limit_is_per_member_per_phase() -> None:
    state = started("quick", pro=[PRO, PRO2])
    state.argue(PRO, "One.", T0 + 1)
    err = refused(state, "post_limit", lambda: state.argue(PRO, "Two.", T0 + 2))
    assert "allows 1 per debater" in said(err, state)
    state.argue(PRO2, "Teammate may still speak.", T0 + 3)
    now = goto(state, "rebuttal")  # rebuttal allows two each
    state.argue(PRO, "Rebut one.", now + 1)
    state.argue(PRO, "Rebut two.", now + 2)
    refused(state, "post_limit", lambda: state.argue(PRO, "Rebut three.", now + 3))


def _argue_refusal_cases() -> list[tuple[str, Callable[[], tuple[DebateState, Callable]]]]:
    def lobby():
        s = make("quick")
        s.join(PRO, "pro", T0)
        return s, lambda: s.argue(PRO, "Hi.", T0)

    def finished():
        s = started("quick")
        s.end(T0 + 1)
        return s, lambda: s.argue(PRO, "Hi.", T0 + 2)

    def paused():
        s = started("quick")
        s.pause(T0 + 1)
        return s, lambda: s.argue(PRO, "Hi.", T0 + 2)

    def vote_phase():
        s = started("quick")
        now = goto(s, "vote")
        return s, lambda: s.argue(PRO, "Hi.", now + 1)

    def not_debater():
        s = started("quick")
        return s, lambda: s.argue(A1, "Hi.", T0 + 1)

    def removed():
        s = started("quick", pro=[PRO, PRO2])
        s.remove(PRO, T0 + 1)
        return s, lambda: s.argue(PRO, "Hi.", T0 + 2)

    def wrong_side():
        s = started("oxford")
        now = goto(s, "pro-opening")
        return s, lambda: s.argue(CON, "Hi.", now + 1)

    def empty():
        s = started("quick")
        return s, lambda: s.argue(PRO, " \n\t ", T0 + 1)

    def too_long():
        s = started("quick")
        return s, lambda: s.argue(PRO, "x" * 1501, T0 + 1)

    def post_limit():
        s = started("quick")
        s.argue(PRO, "Hi.", T0 + 1)
        return s, lambda: s.argue(PRO, "Again.", T0 + 2)

    def time_up():
        s = started("quick")  # deadline passed, scheduler has not ticked yet
        return s, lambda: s.argue(PRO, "Hi.", T0 + 300)

    return [("not_running", lobby), ("not_running", finished), ("paused", paused),
            ("vote_phase", vote_phase), ("not_debater", not_debater), ("removed", removed),
            ("wrong_side", wrong_side), ("empty", empty), ("too_long", too_long),
            ("post_limit", post_limit), ("time_up", time_up)]


@pytest.mark.parametrize(("code", "setup"), _argue_refusal_cases(),
                         ids=[f"{c}-{f.__name__}" for c, f in _argue_refusal_cases()])
def test_argument_refusals(code: str, setup: Callable) -> None:
    state, call = setup()
    refused(state, code, call)


def test_can_argue_now() -> None:
    state = started("oxford")
    assert not state.can_argue_now(PRO, T0 + 1)  # pre-vote
    now = goto(state, "pro-opening")
    assert state.can_argue_now(PRO, now + 1)
    assert not state.can_argue_now(CON, now + 1)
    assert not state.can_argue_now(A1, now + 1)


def test_wrong_side_message_names_the_phase_side() -> None:
    state = started("oxford")
    now = goto(state, "con-opening")
    err = refused(state, "wrong_side", lambda: state.argue(PRO, "Hi.", now + 1))
    assert said(err, state) == "Con opening is for the con side; you are pro."


def test_open_floor_takes_both_sides() -> None:
    state = started("oxford")
    now = goto(state, "open-floor")
    state.argue(PRO, "Pro point.", now + 1)
    state.argue(CON, "Con point.", now + 2)
    assert state.speakers() == {"pro": (PRO,), "con": (CON,)}


# --------------------------------------------------------------------------- votes


def test_vote_change_counts_once_and_latest_choice_wins() -> None:
    state = started("quick")
    now = goto(state, "vote")
    assert state.vote(A1, "pro", now + 1)[0].previous is None
    [changed] = state.vote(A1, "con", now + 2)
    assert isinstance(changed, VoteRecorded) and changed.previous == "pro"
    state.vote(A2, "pro", now + 3)
    state.vote(A3, "con", now + 4)
    assert state.vote_count("vote") == 3
    result = finish(state)
    assert result.tally == Tally(pro=1, con=2)
    assert result.outcome == "con"


def _vote_refusal_cases() -> list[tuple[str, Callable[[], tuple[DebateState, Callable]]]]:
    def lobby():
        s = make("quick")
        return s, lambda: s.vote(A1, "pro", T0)

    def speech():
        s = started("quick")
        return s, lambda: s.vote(A1, "pro", T0 + 1)

    def paused():
        s = started("quick")
        now = goto(s, "vote")
        s.pause(now + 1)
        return s, lambda: s.vote(A1, "pro", now + 2)

    def debater():
        s = started("quick")
        now = goto(s, "vote")
        return s, lambda: s.vote(PRO, "pro", now + 1)

    def removed():
        s = started("quick")
        now = goto(s, "vote")
        s.remove(A1, now)
        return s, lambda: s.vote(A1, "pro", now + 1)

    def bad_choice():
        s = started("quick")
        now = goto(s, "vote")
        return s, lambda: s.vote(A1, "abstain", now + 1)

    def finished():
        s = started("quick")
        goto(s, "vote")
        finish(s)
        return s, lambda: s.vote(A1, "pro", T0 + 10_000)

    def time_up():
        s = started("quick")
        now = goto(s, "vote")
        return s, lambda: s.vote(A1, "pro", now + 120)

    return [("not_running", lobby), ("not_vote_phase", speech), ("paused", paused),
            ("debater", debater), ("removed", removed), ("bad_choice", bad_choice),
            ("not_running", finished), ("time_up", time_up)]


@pytest.mark.parametrize(("code", "setup"), _vote_refusal_cases(),
                         ids=[f"{c}-{f.__name__}" for c, f in _vote_refusal_cases()])
def test_vote_refusals(code: str, setup: Callable) -> None:
    state, call = setup()
    refused(state, code, call)


def test_can_vote_now() -> None:
    state = started("quick")
    assert not state.can_vote_now(A1, T0 + 1)
    now = goto(state, "vote")
    assert state.can_vote_now(A1, now + 1)
    assert not state.can_vote_now(PRO, now + 1)


# --------------------------------------------------------------------------- warnings


@pytest.mark.parametrize(("seconds", "marks"), [
    (10, []), (11, [10]), (60, [10]), (61, [60, 10]), (300, [60, 10]),
])
def test_warnings_only_when_they_fit(seconds: int, marks: list[int]) -> None:
    state = started("quick", phase_seconds=seconds)
    sent = []
    while (wake := state.next_wakeup()) is not None and wake < T0 + seconds:
        sent += [e.mark for e in state.tick(wake) if isinstance(e, WarningDue)]
    assert sent == marks
    assert state.next_wakeup() == T0 + seconds


def test_missed_warnings_collapse_into_the_most_urgent_once() -> None:
    state = started("quick")  # opening: deadline T0 + 300
    [warn] = state.tick(T0 + 295)  # bot was down through T-60 and T-10
    assert (warn.mark, warn.seconds_left) == (10, 5)
    assert state.tick(T0 + 296) == []
    assert state.next_wakeup() == T0 + 300


def test_late_single_warning_reports_the_real_time_left() -> None:
    state = started("quick")
    [warn] = state.tick(T0 + 250.5)
    assert (warn.mark, warn.seconds_left) == (60, 50)
    assert state.next_wakeup() == T0 + 290


def test_deadline_passed_while_down_advances_exactly_once() -> None:
    state = started("quick")
    later = T0 + 5000  # far past opening, rebuttal and closing would-be deadlines
    effects = state.tick(later)
    assert [type(e) for e in effects] == [PhaseStarted]  # no stale warnings either
    assert effects[0].phase.id == "rebuttal"
    assert state.deadline == later + 300
    assert state.tick(later) == []
    assert state.next_wakeup() == later + 240


def test_next_wakeup_is_none_unless_running() -> None:
    state = make("quick")
    assert state.next_wakeup() is None
    state.join(PRO, "pro", T0)
    state.begin(T0)
    assert state.next_wakeup() == T0 + 240
    state.pause(T0 + 1)
    assert state.next_wakeup() is None
    assert state.tick(T0 + 10_000) == []
    state.resume(T0 + 2)
    state.end(T0 + 3)
    assert state.next_wakeup() is None
    assert state.tick(T0 + 10_000) == []


# --------------------------------------------------------------------------- controls


def test_pause_and_resume_keep_the_remaining_time() -> None:
    state = started("quick")  # opening ends at T0 + 300
    [paused] = state.pause(T0 + 100)
    assert paused == Paused(phase=state.current_phase, remaining=200)
    assert (state.deadline, state.paused_remaining) == (None, 200)
    [resumed] = state.resume(T0 + 1000)
    assert resumed == Resumed(phase=state.current_phase, deadline=T0 + 1200)
    assert state.paused_remaining is None
    assert state.next_wakeup() == T0 + 1140


def test_extend_running_adds_to_the_deadline() -> None:
    state = started("quick")
    [ext] = state.extend(45, T0 + 10)
    assert ext == Extended(phase=state.current_phase, seconds=45, deadline=T0 + 345,
                           remaining=None)


def test_extend_paused_adds_to_the_remaining_time() -> None:
    state = started("quick")
    state.pause(T0 + 100)
    [ext] = state.extend(30, T0 + 500)
    assert (ext.remaining, ext.deadline) == (230, None)
    state.resume(T0 + 1000)
    assert state.deadline == T0 + 1230


def test_extend_rearms_warnings_that_are_in_the_future_again() -> None:
    state = started("quick")
    state.tick(T0 + 240)
    state.tick(T0 + 290)
    assert state.warnings_sent == {60, 10}
    state.extend(20, T0 + 295)  # 25 s left: the 10 s warning is ahead again, not the 60
    assert state.warnings_sent == {60}
    state.extend(60, T0 + 296)  # 84 s left: both
    assert state.warnings_sent == set()
    assert [e.mark for e in state.tick(T0 + 320)] == [60]


def test_extend_gives_a_short_phase_its_missing_warning() -> None:
    state = started("quick", phase_seconds=30)
    assert state.warnings_sent == {60}  # does not fit a 30 s phase
    state.extend(60, T0)  # now 90 s long
    assert state.next_wakeup() == T0 + 30
    assert [e.mark for e in state.tick(T0 + 30)] == [60]


def test_extend_after_a_missed_deadline_counts_from_now() -> None:
    state = started("quick")
    state.extend(30, T0 + 310)  # the tick is late; still 30 s from now
    assert state.deadline == T0 + 340


@pytest.mark.parametrize("seconds", [0, -5, 3601])
def test_extend_range(seconds: int) -> None:
    state = started("quick")
    refused(state, "bad_extend_seconds", lambda: state.extend(seconds, T0 + 1))


def test_next_ends_the_current_phase_now() -> None:
    state = started("quick")
    [effect] = state.next_phase(T0 + 42)
    assert effect.phase.id == "rebuttal" and effect.deadline == T0 + 342


def test_next_while_paused_starts_the_next_phase_running() -> None:
    state = started("quick")
    state.pause(T0 + 10)
    state.next_phase(T0 + 20)
    assert state.is_running and state.deadline == T0 + 320
    assert state.paused_remaining is None


def test_next_on_the_last_phase_finishes() -> None:
    state = started("quick")
    now = goto(state, "vote")
    cast(state, now + 1, con=[A1])
    effects = state.next_phase(now + 2)
    assert only(effects, DebateFinished).result.outcome == "con"
    assert not only(effects, DebateFinished).ended_early


def _control_refusal_cases() -> list[tuple[str, str, Callable[[DebateState], Any]]]:
    return [
        ("lobby", "not_started", lambda s: s.next_phase(T0)),
        ("lobby", "not_started", lambda s: s.pause(T0)),
        ("lobby", "not_started", lambda s: s.resume(T0)),
        ("lobby", "not_started", lambda s: s.extend(30, T0)),
        ("lobby", "not_started", lambda s: s.end(T0)),
        ("running", "already_started", lambda s: s.begin(T0 + 1)),
        ("running", "not_paused", lambda s: s.resume(T0 + 1)),
        ("paused", "already_paused", lambda s: s.pause(T0 + 1)),
        ("finished", "finished", lambda s: s.next_phase(T0 + 9)),
        ("finished", "finished", lambda s: s.pause(T0 + 9)),
        ("finished", "finished", lambda s: s.resume(T0 + 9)),
        ("finished", "finished", lambda s: s.extend(30, T0 + 9)),
        ("finished", "finished", lambda s: s.end(T0 + 9)),
        ("finished", "finished", lambda s: s.cancel(T0 + 9)),
        ("finished", "finished", lambda s: s.begin(T0 + 9)),
        ("finished", "finished", lambda s: s.remove(A1, T0 + 9)),
        ("cancelled", "finished", lambda s: s.cancel(T0 + 9)),
        ("cancelled", "finished", lambda s: s.resume(T0 + 9)),
    ]


@pytest.mark.parametrize(("where", "code", "action"), _control_refusal_cases())
def test_control_refusals(where: str, code: str, action: Callable[[DebateState], Any]) -> None:
    if where == "lobby":
        state = make("quick")
    else:
        state = started("quick")
        if where == "paused":
            state.pause(T0 + 1)
        elif where == "finished":
            state.end(T0 + 5)
        elif where == "cancelled":
            state.cancel(T0 + 5)
    refused(state, code, lambda: action(state))


def test_cancel_stops_without_a_result() -> None:
    state = started("quick")
    [effect] = state.cancel(T0 + 5)
    assert isinstance(effect, DebateCancelled) and effect.phase.id == "opening"
    assert state.status == DebateStatus.CANCELLED and state.result is None
    assert state.finished_at == T0 + 5
    assert debate_text.status_title(state.status_view(T0 + 6)) == "Cancelled"


# --------------------------------------------------------------------------- results


@pytest.mark.parametrize(("pro", "con", "undecided", "outcome", "headline"), [
    (3, 2, 0, "pro", "Pro wins the vote 3–2"),
    (1, 4, 2, "con", "Con wins the vote 4–1 (2 undecided)"),
    (2, 2, 5, "draw", "Draw: 2–2 (5 undecided)"),
    (0, 0, 3, "draw", "Draw: 0–0 (3 undecided)"),
    (0, 0, 0, "draw", "Draw: no votes were cast"),
])
@pytest.mark.parametrize("fmt", ["quick", "lincoln-douglas"])
def test_majority(fmt: str, pro: int, con: int, undecided: int, outcome: str,
                  headline: str) -> None:
    state = started(fmt)
    now = goto(state, "vote")
    cast(state, now + 1, pro=users(0, pro), con=users(10, con), undecided=users(20, undecided))
    result = finish(state)
    assert (result.outcome, result.rule) == (outcome, "majority")
    assert debate_text.headline(result) == headline
    assert result.tally == Tally(pro, con, undecided)
    assert result.vote_phase_id == "vote"
    assert state.result == result


def oxford_with_votes(pre: dict[str, list[int]], post: dict[str, list[int]]) -> DebateState:
    state = started("oxford")
    cast(state, T0 + 1, **pre)
    now = goto(state, "post-vote")
    cast(state, now + 1, **post)
    return state


def test_oxford_swing_winner_differs_from_post_vote_majority() -> None:
    voters = users(0, 100)
    # pre: pro 60, con 20, undecided 20 → post: pro 63, con 35, undecided 2
    pre = {"pro": voters[:60], "con": voters[60:80], "undecided": voters[80:]}
    post = {"pro": voters[:63], "con": voters[63:98], "undecided": voters[98:]}
    result = finish(oxford_with_votes(pre, post))
    assert result.tally is not None and result.tally.pro > result.tally.con  # pro "won" post
    assert result.outcome == "con"
    assert (result.swing_pro, result.swing_con, result.paired) == (3, 15, 100)
    assert result.pre_tally == Tally(60, 20, 20) and result.tally == Tally(63, 35, 2)
    assert debate_text.headline(result) == \
        "Con wins on swing: +15 pts vs +3 pts among 100 paired voters"


def test_oxford_headline_format_from_the_brief() -> None:
    voters = users(0, 100)
    pre = {"pro": voters[:40], "con": voters[40:70], "undecided": voters[70:]}
    post = {"pro": voters[:43], "con": voters[43:85], "undecided": voters[85:]}
    result = finish(oxford_with_votes(pre, post))
    assert debate_text.headline(result) == \
        "Con wins on swing: +12 pts vs +3 pts among 100 paired voters"


@pytest.mark.parametrize(("gain_pro", "gain_con", "outcome"), [
    (4, 0, "dead_heat"),   # 4 points apart
    (5, 0, "pro"),         # exactly 5 points: not under 5
    (3, 7, "dead_heat"),   # 4 points apart, con ahead
    (0, 5, "con"),
])
def test_dead_heat_under_five_points(gain_pro: int, gain_con: int, outcome: str) -> None:
    voters = users(0, 100)  # 1 vote = 1 point
    undecided = voters[:20]
    others = voters[20:]
    pre = {"pro": others[:40], "con": others[40:], "undecided": undecided}
    post = {"pro": others[:40] + undecided[:gain_pro],
            "con": others[40:] + undecided[gain_pro:gain_pro + gain_con],
            "undecided": undecided[gain_pro + gain_con:]}
    result = finish(oxford_with_votes(pre, post))
    assert result.outcome == outcome
    assert (result.swing_pro, result.swing_con) == (gain_pro, gain_con)
    if outcome == "dead_heat":
        assert debate_text.headline(result).startswith("Dead heat: pro +")


def test_dead_heat_boundary_is_exact_with_fractional_points() -> None:
    # 20 paired voters: one vote is 5 points, so one net vote decides
    voters = users(0, 20)
    pre = {"undecided": voters}
    post = {"pro": voters[:1], "undecided": voters[1:]}
    result = finish(oxford_with_votes(pre, post))
    assert result.outcome == "pro" and result.swing_pro == 5
    # 21 voters: one vote is ~4.76 points → dead heat
    voters = users(0, 21)
    result = finish(oxford_with_votes({"undecided": voters},
                                      {"pro": voters[:1], "undecided": voters[1:]}))
    assert result.outcome == "dead_heat"
    assert debate_text.headline(result) == ("Dead heat: pro +4.8 pts, con +0 pts among "
                               "21 paired voters")


def test_only_paired_voters_count() -> None:
    paired = users(0, 10)
    pre_only, post_only = users(50, 30), users(100, 30)
    pre = {"con": paired, "pro": pre_only}  # the pro crowd leaves before the end
    post = {"pro": paired[:8], "con": paired[8:] + post_only}  # a con crowd arrives late
    result = finish(oxford_with_votes(pre, post))
    assert result.paired == 10
    assert result.pre_tally == Tally(pro=0, con=10) and result.tally == Tally(pro=8, con=2)
    assert result.outcome == "pro"  # +80 vs -80, whatever the one-time voters did


def test_zero_paired_voters_is_a_dead_heat() -> None:
    result = finish(oxford_with_votes({"pro": users(0, 5)}, {"con": users(10, 5)}))
    assert (result.outcome, result.paired) == ("dead_heat", 0)
    assert debate_text.headline(result) == "Dead heat: no member voted both before and after"


def test_vote_change_in_the_post_vote_counts_once() -> None:
    state = oxford_with_votes({"undecided": users(0, 10)}, {"pro": users(0, 10)})
    now = state.deadline - 1
    for voter in users(0, 10):
        state.vote(voter, "con", now)
    result = finish(state)
    assert result.tally == Tally(con=10) and result.paired == 10
    assert result.outcome == "con"


@pytest.mark.parametrize("fmt", ["quick", "oxford", "lincoln-douglas"])
def test_no_contest_without_a_debater_on_each_side(fmt: str) -> None:
    state = started(fmt, con=[])
    while state.is_running:
        phase = state.current_phase
        if phase.is_vote:
            cast(state, state.deadline - 1, pro=users(0, 5))
        state.tick(state.deadline)
    assert state.result.outcome == "no_contest"
    assert state.result.winner is None
    assert debate_text.headline(state.result).startswith("No contest")


def test_no_contest_when_the_only_opponent_is_removed() -> None:
    state = started("quick")
    state.remove(CON, T0 + 10)
    now = goto(state, "vote")
    cast(state, now + 1, con=users(0, 9))
    result = finish(state)
    assert result.outcome == "no_contest"
    assert result.tally == Tally(con=9)  # kept for the record


def test_ended_early_majority_without_votes_is_a_draw() -> None:
    state = started("quick")
    effects = state.end(T0 + 60)
    finished = only(effects, DebateFinished)
    assert finished.ended_early and finished.result.ended_early
    assert finished.result.outcome == "draw"
    assert state.status == DebateStatus.FINISHED and state.finished_at == T0 + 60


def test_ended_early_during_the_vote_uses_the_votes_so_far() -> None:
    state = started("quick")
    now = goto(state, "vote")
    cast(state, now + 1, pro=users(0, 2), con=users(5, 1))
    effects = state.end(now + 2)
    assert [type(e) for e in effects] == [VoteClosed, DebateFinished]
    assert effects[1].result.outcome == "pro"


def test_oxford_ended_before_the_post_vote_is_a_dead_heat() -> None:
    state = started("oxford")
    cast(state, T0 + 1, pro=users(0, 10))
    now = goto(state, "open-floor")
    [finished] = state.end(now + 5)
    assert (finished.result.outcome, finished.result.paired) == ("dead_heat", 0)


def test_oxford_ended_during_the_post_vote_counts_votes_so_far() -> None:
    state = oxford_with_votes({"pro": users(0, 10), "undecided": users(10, 10)},
                              {"pro": users(0, 10), "con": users(10, 10)})
    result = only(state.end(state.deadline - 100), DebateFinished).result
    assert (result.outcome, result.paired, result.swing_con) == ("con", 20, 50)


def test_result_round_trips_as_plain_data() -> None:
    state = oxford_with_votes({"undecided": users(0, 4)}, {"con": users(0, 3)})
    result = finish(state)
    assert Result.from_dict(result.as_dict()) == result
    assert compute_result(state) == result


# --------------------------------------------------------------------------- status


def test_status_through_a_debate() -> None:
    state = make("oxford")
    state.join(PRO, "pro", T0)
    view = state.status_view(T0)
    assert (title(view), view.seconds_left, view.pro, view.con) == ("Lobby", None, (PRO,), ())
    assert view.sides_open and view.votes_cast is None

    state.join(CON, "con", T0)
    state.begin(T0)
    cast(state, T0 + 1, pro=users(0, 3), con=users(5, 2))
    view = state.status_view(T0 + 19.5)
    assert (title(view), view.seconds_left, view.phase_number, view.phase_count) == \
        ("Pre-vote", 101, 1, 7)
    assert view.votes_cast == 5  # the number only; no split anywhere in the view
    assert not any(isinstance(v, Tally) for v in vars_of(view))

    now = goto(state, "pro-opening")
    state.pause(now + 20)
    view = state.status_view(now + 500)
    assert (title(view), view.seconds_left, view.votes_cast) == \
        ("Paused — Pro opening", 400, None)
    assert not view.sides_open

    state.end(now + 600)
    view = state.status_view(now + 600)
    assert (title(view), view.seconds_left, view.phase) == ("Finished", None, None)


def vars_of(view: object) -> list[object]:
    return [getattr(view, name) for name in view.__slots__]


# --------------------------------------------------------------------------- determinism


def test_same_state_and_time_give_the_same_result() -> None:
    a = oxford_with_votes({"pro": users(0, 6), "con": users(6, 6)},
                          {"pro": users(0, 3), "con": users(3, 9)})
    b = copy.deepcopy(a)
    assert a.tick(a.deadline + 7) == b.tick(b.deadline + 7)
    assert a == b


# --------------------------------------------------------------------------- properties

ACTORS = (PRO, PRO2, CON, CON2, A1, A2, A3)
# (weight, action): arguments, votes and ticks are common; end and remove are rare.
ACTIONS: list[tuple[float, Callable[[DebateState, int, float], Any]]] = [
    (3, lambda s, u, t: s.join(u, "pro", t)),
    (3, lambda s, u, t: s.join(u, "con", t)),
    (0.5, lambda s, u, t: s.leave(u, t)),
    (8, lambda s, u, t: s.argue(u, "x" * (u % 5) * 400, t)),  # 0 to 1,600 characters
    (8, lambda s, u, t: s.vote(u, ("pro", "con", "undecided")[u % 3], t)),
    (0.3, lambda s, u, t: s.remove(u, t)),
    (2, lambda s, u, t: s.begin(t)),
    (1, lambda s, u, t: s.next_phase(t)),
    (1, lambda s, u, t: s.pause(t)),
    (2, lambda s, u, t: s.resume(t)),
    (1, lambda s, u, t: s.extend(u % 90, t)),
    (0.2, lambda s, u, t: s.end(t)),
    (8, lambda s, u, t: s.tick(t)),
]


def _check_invariants(state: DebateState) -> None:
    running, paused = state.is_running, state.is_paused
    assert (state.deadline is not None) == running
    assert (state.paused_remaining is not None) == paused
    if state.status == DebateStatus.LOBBY or state.is_live:
        assert (state.phase_index is None) == (state.status == DebateStatus.LOBBY)
    assert (state.result is not None) == (state.status == DebateStatus.FINISHED)
    for side in ("pro", "con"):
        cap = state.format.debaters_per_side
        assert cap is None or len(state.debaters(side)) <= cap
    for (_, user), _vote in state.votes.items():
        assert state.side_of(user) is None  # a debater never holds a vote
    for phase in state.format.phases:
        for user in {a.user_id for a in state.arguments_in(phase.id)}:
            assert len(state.arguments_in(phase.id, user)) <= (phase.max_posts_per_member or 0)


@pytest.mark.parametrize("fmt", sorted(EXPECTED_PHASES))
def test_random_sessions_keep_the_rules(fmt: str) -> None:
    """Seeded random call sequences: refusals change nothing, invariants hold, and the
    scheduler's wake-up time always has something to do."""
    rng = random.Random(fmt)
    for _ in range(30):
        state = make(fmt)
        now = T0
        for _ in range(rng.randint(5, 60)):
            now += rng.choice((0, 0.5, 5, 20, 60, 250))
            before = snapshot(state)
            try:
                action = rng.choices([a for _, a in ACTIONS], [w for w, _ in ACTIONS])[0]
                action(state, rng.choice(ACTORS), now)
            except Refusal:
                assert state == before
            _check_invariants(state)
            wake = state.next_wakeup()
            if wake is not None:
                probe = snapshot(state)
                assert probe.tick(max(wake, now)) != []


def test_the_turn_is_the_speaking_sides_debaters_and_nobody_in_a_vote() -> None:
    state = started("oxford", pro=(PRO, 5), con=(CON,))
    phases = {p.id: p for p in state.format.phases}
    assert state.turn_of(phases["pre-vote"]) == ()
    assert set(state.turn_of(phases["pro-opening"])) == {PRO, 5}
    assert state.turn_of(phases["con-opening"]) == (CON,)
    quick = started("quick", pro=(PRO,), con=(CON, 6))
    assert set(quick.turn_of(quick.format.phases[0])) == {PRO, CON, 6}  # an open floor: both sides
    quick.leave(6, T0 + 1)
    assert set(quick.turn_of(quick.format.phases[0])) == {PRO, CON}  # leavers are not alerted


def test_a_redacted_argument_loses_its_text_keeps_its_number_and_frees_its_slot() -> None:
    state = started("quick")
    state.argue(PRO, "A first argument that a moderator will remove.", T0 + 1)
    [effect] = state.redact(1, T0 + 2)
    assert isinstance(effect, ArgumentRedacted)
    assert state.arguments[0].redacted and state.arguments[0].text == ""
    # The opening allows one argument each; the removed one does not count.
    state.argue(PRO, "A better argument instead.", T0 + 3)
    assert [a.seq for a in state.arguments] == [1, 2]
    assert state.has_argued(PRO)  # and the author still does not vote
    with pytest.raises(Refusal) as refused:
        state.redact(1, T0 + 4)
    assert refused.value.code == "already_redacted"
    with pytest.raises(Refusal) as refused:
        state.redact(3, T0 + 4)
    assert refused.value.code == "no_such_argument" and refused.value.params["count"] == 2


def test_a_redacted_argument_scores_nothing() -> None:
    substantive = "Joint history textbooks worked in Europe and could work here too, over time."
    state = started("quick")
    state.argue(PRO, substantive, T0 + 1)
    state.argue(CON, substantive + " Or not.", T0 + 2)
    state.redact(2, T0 + 3)
    state.end(T0 + 4)
    kinds = [(a.user_id, a.kind, a.points) for a in awards_for(state, None)
             if a.kind == Kind.ARGUMENT_POSTED]
    assert kinds == [(PRO, Kind.ARGUMENT_POSTED, 3)]


def test_the_audience_names_one_best_speaker_in_the_closing_vote() -> None:
    substantive = "Joint history textbooks worked in Europe and could work here too, over time."
    state = started("quick", pro=(PRO,), con=(CON,))
    state.argue(PRO, substantive, T0 + 1)
    state.argue(CON, substantive + " Or not.", T0 + 2)
    with pytest.raises(Refusal) as refused:
        state.name_best_speaker(301, PRO, T0 + 3)
    assert refused.value.code == "not_closing_vote"
    t = T0
    while not (state.current_phase and state.current_phase.is_vote):
        t = state.deadline or t
        state.tick(t)
    for voter, speaker in ((301, PRO), (302, PRO), (303, CON)):
        [named] = state.name_best_speaker(voter, speaker, t + 1)
        assert isinstance(named, SpeakerNamed) and named.previous is None
    refusals = {(301, 301): "own_speaker", (304, 999): "not_a_speaker",
                (PRO, CON): "debater"}
    for (voter, speaker), code in refusals.items():
        with pytest.raises(Refusal) as refused:
            state.name_best_speaker(voter, speaker, t + 1)
        assert refused.value.code == code
    assert state.best_speaker() == (PRO, 2)
    state.remove(302, t + 2)  # a removed voter's choice no longer counts: now a tie
    assert state.best_speaker() is None  # which names nobody
    [changed] = state.name_best_speaker(301, CON, t + 3)
    assert changed.previous == PRO and state.best_speaker() == (CON, 2)


def test_a_best_speaker_scores_only_when_two_members_named_them() -> None:
    substantive = "Joint history textbooks worked in Europe and could work here too, over time."
    state = started("quick", pro=(PRO,), con=(CON,))
    state.argue(PRO, substantive, T0 + 1)
    state.argue(CON, substantive + " Or not.", T0 + 2)
    t = T0
    while not (state.current_phase and state.current_phase.is_vote):
        t = state.deadline or t
        state.tick(t)
    state.name_best_speaker(301, PRO, t + 1)
    state.end(t + 2)
    assert [a for a in awards_for(state, None) if a.kind == Kind.BEST_SPEAKER] == []
    state.speaker_votes[302] = PRO
    [award] = [a for a in awards_for(state, None) if a.kind == Kind.BEST_SPEAKER]
    assert (award.user_id, award.points) == (PRO, 3)


def test_judges_ballots_decide_and_the_audience_vote_does_not() -> None:
    state = started("quick", pro=(PRO,), con=(CON,))
    state.name_judge(401, T0)
    state.name_judge(402, T0)
    state.name_judge(403, T0)
    refusals = {PRO: "judge_is_debater", 401: "already_judge"}
    for user, code in refusals.items():
        with pytest.raises(Refusal) as refused:
            state.name_judge(user, T0)
        assert refused.value.code == code
    with pytest.raises(Refusal) as refused:
        state.join(401, "pro", T0)
    assert refused.value.code == "judge_takes_no_side"
    with pytest.raises(Refusal) as refused:
        state.cast_ballot(401, "pro", T0 + 1)  # the opening is not the closing vote
    assert refused.value.code == "not_closing_vote"
    t = T0
    while not (state.current_phase and state.current_phase.is_vote):
        t = state.deadline or t
        state.tick(t)
    for voter in (301, 302, 303):  # the audience is all for pro
        state.vote(voter, "pro", t + 1)
    with pytest.raises(Refusal) as refused:
        state.vote(401, "pro", t + 1)
    assert refused.value.code == "judge_votes_by_ballot"
    with pytest.raises(Refusal) as refused:
        state.cast_ballot(301, "pro", t + 1)
    assert refused.value.code == "not_judge"
    state.cast_ballot(401, "con", t + 1)
    state.cast_ballot(402, "pro", t + 1)
    [changed] = state.cast_ballot(402, "con", t + 2)
    assert isinstance(changed, BallotCast) and changed.previous == "pro"
    state.cast_ballot(403, "pro", t + 2)
    [finished] = [e for e in state.tick(state.deadline or t) if isinstance(e, DebateFinished)]
    assert (finished.result.outcome, finished.result.rule) == ("con", "judges")
    assert (finished.result.tally.pro, finished.result.tally.con) == (1, 2)
