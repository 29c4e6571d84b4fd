"""The sentences of debates: refusals, result headlines and status titles, made from the
codes and numbers that `bot.core` returns, in the voice (language) given. One function per
outcome, so a translation is a catalog entry per case, not a hunt through the engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.content import Format
from bot.core.debate import DebateStatus, Refusal, StatusView
from bot.core.results import Result
from bot.ui import text
from bot.ui.voice import ENGLISH_VOICE, Voice

# --------------------------------------------------------------------------- refusals

Params = Mapping[str, Any]
#: (params, voice, phase title by id) -> the sentence
_Render = Callable[[Params, Voice, Callable[[str], str]], str]


def _not_started(p: Params, v: Voice) -> str:
    if p.get("hint") == "cancel":
        return v.say("The debate hasn't begun; cancel it instead.")
    return v.say("The debate hasn't begun yet.")


def _finished(p: Params, v: Voice) -> str:
    return (v.say("This debate is cancelled.") if p.get("cancelled")
            else v.say("This debate is over."))


def _not_running(p: Params, v: Voice) -> str:
    return v.say("This debate is over.") if p.get("over") else v.say(
        "The debate hasn't begun yet.")


def _not_debater(p: Params, v: Voice) -> str:
    if p.get("action") == "argue":
        return v.say("Only debaters may argue; join a side first.")
    return v.say("You are not on a side in this debate.")


def _debater(p: Params, v: Voice) -> str:
    if p.get("argued"):
        return v.say("You argued in this debate, so you don't vote; the audience decides.")
    return v.say("Debaters don't vote; the audience decides.")


_REFUSALS: dict[str, _Render] = {
    "bad_side": lambda p, v, _: v.say("Pick a side: pro or con (got {got}).",
                                      got=repr(p["side"])),
    "bad_choice": lambda p, v, _: v.say("Vote pro, con or undecided (got {got}).",
                                        got=repr(p["choice"])),
    "bad_phase_seconds": lambda p, v, _: v.say(
        "Phase length must be {low} to {high} seconds.", low=v.number(p["low"]),
        high=v.number(p["high"])),
    "bad_extend_seconds": lambda p, v, _: v.say(
        "Extend by {low} to {high} seconds (got {got}).", low=v.number(p["low"]),
        high=v.number(p["high"]), got=p["got"]),
    "already_started": lambda p, v, _: v.say("The debate has already begun."),
    "already_paused": lambda p, v, _: v.say("The debate is already paused."),
    "not_paused": lambda p, v, _: v.say("The debate is not paused."),
    "not_started": lambda p, v, _: _not_started(p, v),
    "finished": lambda p, v, _: _finished(p, v),
    "not_running": lambda p, v, _: _not_running(p, v),
    "paused": lambda p, v, _: v.say("The debate is paused; wait for the moderator to resume."),
    "time_up": lambda p, v, title: v.say("Time is up for {phase}.", phase=title(p["phase"])),
    "vote_phase": lambda p, v, title: v.say("{phase} is a vote; arguments are closed.",
                                            phase=title(p["phase"])),
    "not_vote_phase": lambda p, v, title: v.say("{phase} is not a vote; voting is closed.",
                                                phase=title(p["phase"])),
    "not_debater": lambda p, v, _: _not_debater(p, v),
    "wrong_side": lambda p, v, title: v.say(
        "{phase} is for the {phase_side} side; you are {side}.", phase=title(p["phase"]),
        phase_side=v.side(p["phase_side"]), side=v.side(p["side"])),
    "empty": lambda p, v, _: v.say("Your argument is empty."),
    "too_long": lambda p, v, _: v.say.plural(
        "Your argument is {n} character; this phase allows {limit}.",
        "Your argument is {n} characters; this phase allows {limit}.",
        p["length"], n=v.number(p["length"]), limit=v.number(p["limit"])),
    "post_limit": lambda p, v, title: v.say.plural(
        "You have posted {n} argument in {phase}; this phase allows {limit} per debater.",
        "You have posted {n} arguments in {phase}; this phase allows {limit} per debater.",
        p["posted"], phase=title(p["phase"]), limit=v.number(p["limit"])),
    "debater": lambda p, v, _: _debater(p, v),
    "already_removed": lambda p, v, _: v.say("That member has already been removed."),
    "removed": lambda p, v, _: v.say("A moderator removed you from this debate."),
    "sides_closed": lambda p, v, _: v.say("Sides are closed: the first speech has begun."),
    "already_on_side": lambda p, v, _: v.say("You are already on the {side} side.",
                                             side=v.side(p["side"])),
    "side_full": lambda p, v, _: v.say.plural(
        "The {side} side is full: this format allows {n} debater a side.",
        "The {side} side is full: this format allows {n} debaters a side.",
        p["cap"], side=v.side(p["side"])),
    # --- refused by the debate service, before or around the engine
    "no_debate_here": lambda p, v, _: v.say(
        "There is no live debate here. Run this in a debate's thread or in the channel it "
        "started from, or start one with `/moderate start`."),
    "buttons_dead": lambda p, v, _: v.say(
        "This debate is over; the buttons no longer do anything."),
    "foreign_button": lambda p, v, _: v.say(
        "That button does not belong to a debate in this server."),
    "just_ended": lambda p, v, _: v.say("This debate has just ended."),
    "topic_gone": lambda p, v, _: v.say("This debate's topic is no longer in the content pack."),
    "no_such_debate": lambda p, v, _: v.say(
        "No such debate in this server; pick one from the list."),
    "slow_down": lambda p, v, _: v.say("Easy there: try again in {seconds} s.",
                                       seconds=max(1, round(p["seconds"]))),
    "channel_busy": lambda p, v, _: _channel_busy(p.get("thread_id"), bool(p.get("advise")), v),
    "not_a_debate_channel": lambda p, v, _: v.say(
        "Start a debate from a text channel (it gets its own thread there) or a forum "
        "(it gets its own post)."),
    "start_failed": lambda p, v, _: _start_failed(p.get("cause"), p.get("status"), v),
    # --- judges
    "judge_is_debater": lambda p, v, _: v.say(
        "A debater can't judge this debate; name someone who has not taken a side."),
    "already_judge": lambda p, v, _: v.say("That member already judges this debate."),
    "judge_takes_no_side": lambda p, v, _: v.say(
        "You judge this debate, so you take no side."),
    "too_many_judges": lambda p, v, _: v.say("A debate has at most {n} judges.",
                                             n=v.number(p["limit"])),
    "no_vote_to_judge": lambda p, v, _: v.say(
        "This format has no vote, so there is no ballot to judge."),
    "not_judge": lambda p, v, _: v.say(
        "Only this debate's judges cast ballots; everyone else votes with the buttons."),
    "judge_votes_by_ballot": lambda p, v, _: v.say(
        "You judge this debate: cast your ballot with `/debate ballot` instead."),
    # --- motions
    "bad_motion_length": lambda p, v, _: v.say(
        "A motion is {low} to {high} characters; this one is {n}.", low=v.number(p["low"]),
        high=v.number(p["high"]), n=v.number(p["length"])),
    "bad_framing_length": lambda p, v, _: v.say(
        "The framing is at most {high} characters; this one is {n}.",
        high=v.number(p["high"]), n=v.number(p["length"])),
    "no_such_motion": lambda p, v, _: v.say(
        "No proposed motion M{id} is waiting in this server; pick one from the list.",
        id=p["id"]),
    # --- best speaker
    "not_closing_vote": lambda p, v, title: v.say(
        "The best speaker is named in the closing vote, not in {phase}.",
        phase=title(p["phase"])),
    "own_speaker": lambda p, v, _: v.say("You can't name yourself best speaker."),
    "not_a_speaker": lambda p, v, _: v.say(
        "Name someone who argued in this debate (and was not removed)."),
    # --- scheduling
    "bad_time": lambda p, v, _: v.say(
        "I can't read \u201c{text}\u201d as a time. Try `in 2h`, `19:30`, `2026-12-24 19:30` "
        "or a Discord timestamp.", text=text.escape_user_text(p["text"])),
    "past_time": lambda p, v, _: v.say(
        "<t:{ts}:F> is not ahead: pick a start at least a minute from now.", ts=p["when"]),
    "too_far": lambda p, v, _: v.say("Schedule at most {days} days ahead.",
                                     days=v.number(p["days"])),
    "bad_timezone": lambda p, v, _: v.say(
        "Unknown timezone \u201c{name}\u201d: use a name such as Asia/Tokyo, Asia/Seoul or "
        "Europe/London.", name=text.escape_user_text(str(p["name"]))),
    "no_such_schedule": lambda p, v, _: v.say(
        "No scheduled debate S{id} is waiting in this server; pick one from the list.",
        id=p["id"]),
    # --- reports and redaction
    "no_such_argument": lambda p, v, _: v.say.plural(
        "There is no argument #{seq}: this debate has {n} argument.",
        "There is no argument #{seq}: this debate has {n} arguments.",
        p["count"], seq=p["seq"], n=v.number(p["count"])),
    "already_redacted": lambda p, v, _: v.say(
        "Argument #{seq} has already been removed by a moderator.", seq=p["seq"]),
    "not_an_argument": lambda p, v, _: v.say(
        "That message is not a debate argument: reports and removals work on argument cards."),
    "own_argument": lambda p, v, _: v.say("You can't report your own argument."),
    "own_side_rebuttal": lambda p, v, _: v.say(
        "#{seq} is from your own side ({side}); a rebuttal answers the other side.",
        seq=p["seq"], side=v.side(p["side"])),
    "already_reported": lambda p, v, _: v.say(
        "You have already reported argument #{seq}; the moderators have it.", seq=p["seq"]),
}
REFUSAL_CODES = frozenset(_REFUSALS)


def removed_argument(voice: Voice = ENGLISH_VOICE) -> str:
    """What a redacted argument's card and transcript entry show instead of its text."""
    return voice.say("Removed by a moderator.")


def refusal(error: Refusal, voice: Voice = ENGLISH_VOICE) -> str:
    """The member's reply to a refused action (phase ids become the format's titles)."""
    render = _REFUSALS.get(error.code)
    if render is None:  # a new code without its sentence: say something true, log the code
        return voice.say("That can't be done right now.")
    return render(error.params, voice, lambda phase_id: voice.phase_title(error.format,
                                                                          phase_id))


def _channel_busy(thread_id: int | None, advise: bool, v: Voice) -> str:
    busy = (v.say("A debate is already running here: {thread}.", thread="<#" + str(thread_id) + ">")
            if thread_id else v.say("A debate is already running in this channel."))
    return busy + (v.say.space + v.say("End it before starting another.") if advise else "")


def _start_failed(cause: str | None, status: int | None, v: Voice) -> str:
    """Why /moderate start did not start anything."""
    if cause == "forbidden":
        return v.say("I can't open a thread here: I need the Create Public Threads (or, in a "
                     "forum, Send Messages) and Read Message History permissions in this "
                     "channel. Nothing was started.")
    if cause == "http":
        return v.say("Discord did not create the debate's thread (error {status}), so nothing "
                     "was started. Please try again in a moment.", status=status)
    return v.say("I could not reach Discord to create the debate's thread, so nothing was "
                 "started. Please try again in a moment.")


# --------------------------------------------------------------------------- results


def outcome_label(outcome: str, voice: Voice = ENGLISH_VOICE) -> str:
    say = voice.say
    labels = {"pro": say("Pro wins"), "con": say("Con wins"), "draw": say("Draw"),
              "dead_heat": say("Dead heat"), "no_contest": say("No contest")}
    return labels.get(outcome, outcome)


def _undecided(undecided: int, v: Voice) -> str:
    if not undecided:
        return ""
    return v.say.space + v.say("({n} undecided)", n=v.number(undecided))


def headline(result: Result, voice: Voice = ENGLISH_VOICE) -> str:
    """One line saying how the debate came out, with the numbers that decided it."""
    v, say = voice, voice.say
    if result.outcome == "no_contest":
        return say("No contest: each side needs at least one debater")
    if result.rule == "swing":
        return _swing_headline(result, v)
    if result.rule == "judges":
        return _judges_headline(result, v)
    tally = result.tally
    if tally is None:
        return say("Draw: this format has no vote")
    if tally.total == 0:
        return say("Draw: no votes were cast")
    if result.outcome == "draw":
        return say("Draw: {pro}–{con}", pro=v.number(tally.pro),
                   con=v.number(tally.con)) + _undecided(tally.undecided, v)
    high, low = max(tally.pro, tally.con), min(tally.pro, tally.con)
    wins = (say("Pro wins the vote {high}–{low}", high=v.number(high), low=v.number(low))
            if result.outcome == "pro"
            else say("Con wins the vote {high}–{low}", high=v.number(high), low=v.number(low)))
    return wins + _undecided(tally.undecided, v)


def _judges_headline(result: Result, v: Voice) -> str:
    say, tally = v.say, result.tally
    if tally is None or tally.total == 0:
        return say("Draw: no judge cast a ballot")
    if result.outcome == "draw":
        return say("Draw: the judges split {pro}–{con}", pro=v.number(tally.pro),
                   con=v.number(tally.con))
    high, low = max(tally.pro, tally.con), min(tally.pro, tally.con)
    if result.outcome == "pro":
        return say("Pro wins the judges' ballots {high}–{low}", high=v.number(high),
                   low=v.number(low))
    return say("Con wins the judges' ballots {high}–{low}", high=v.number(high),
               low=v.number(low))


def _swing_headline(result: Result, v: Voice) -> str:
    say = v.say
    paired = result.paired or 0
    if paired == 0:
        return say("Dead heat: no member voted both before and after")
    pro, con = v.signed(result.swing_pro or 0.0), v.signed(result.swing_con or 0.0)
    if result.outcome == "dead_heat":
        return say.plural("Dead heat: pro {pro} pts, con {con} pts among {n} paired voter",
                          "Dead heat: pro {pro} pts, con {con} pts among {n} paired voters",
                          paired, pro=pro, con=con, n=v.number(paired))
    if result.outcome == "pro":
        return say.plural("Pro wins on swing: {win} pts vs {lose} pts among {n} paired voter",
                          "Pro wins on swing: {win} pts vs {lose} pts among {n} paired voters",
                          paired, win=pro, lose=con, n=v.number(paired))
    return say.plural("Con wins on swing: {win} pts vs {lose} pts among {n} paired voter",
                      "Con wins on swing: {win} pts vs {lose} pts among {n} paired voters",
                      paired, win=con, lose=pro, n=v.number(paired))


# --------------------------------------------------------------------------- status


def status_title(view: StatusView, fmt: Format | None = None,
                 voice: Voice = ENGLISH_VOICE) -> str:
    """What `/debate status` says is happening now."""
    say = voice.say
    if view.status == DebateStatus.LOBBY:
        return say("Lobby")
    if view.status == DebateStatus.FINISHED:
        return say("Finished")
    if view.status == DebateStatus.CANCELLED:
        return say("Cancelled")
    if view.phase is None:
        title = ""
    else:
        title = voice.phase_title(fmt, view.phase.id) if fmt else view.phase.title
    return say("Paused — {phase}", phase=title) if view.status == DebateStatus.PAUSED else title
