"""The sentences of debates: refusals, result headlines and status titles, made from the
codes and numbers that `bot.core` returns. One function per outcome, so a translation is a
catalog entry per case, not a hunt through the engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.content import Format
from bot.core.debate import DebateStatus, Refusal, StatusView
from bot.core.results import Result


def number(n: int) -> str:
    return f"{n:,}"


def plural(n: int, one: str, many: str) -> str:
    """'1 argument', '2 arguments': the noun agrees with the number."""
    return f"{number(n)} {one if n == 1 else many}"


def signed_points(points: float) -> str:
    """+12, -3, +2.5."""
    rounded = round(points, 1)
    if rounded == int(rounded):
        return f"{int(rounded):+d}"
    return f"{rounded:+.1f}"


def phase_title(fmt: Format | None, phase_id: str) -> str:
    if fmt is not None:
        for phase in fmt.phases:
            if phase.id == phase_id:
                return phase.title
    return phase_id


# --------------------------------------------------------------------------- refusals

Params = Mapping[str, Any]
_Render = Callable[[Params, Callable[[str], str]], str]

_REFUSALS: dict[str, _Render] = {
    "bad_side": lambda p, _: f"Pick a side: pro or con (got {p['side']!r}).",
    "bad_choice": lambda p, _: f"Vote pro, con or undecided (got {p['choice']!r}).",
    "bad_phase_seconds": lambda p, _: (
        f"Phase length must be {number(p['low'])} to {number(p['high'])} seconds."),
    "bad_extend_seconds": lambda p, _: (
        f"Extend by {number(p['low'])} to {number(p['high'])} seconds (got {p['got']})."),
    "already_started": lambda p, _: "The debate has already begun.",
    "already_paused": lambda p, _: "The debate is already paused.",
    "not_paused": lambda p, _: "The debate is not paused.",
    "not_started": lambda p, _: ("The debate hasn't begun; cancel it instead."
                                 if p.get("hint") == "cancel"
                                 else "The debate hasn't begun yet."),
    "finished": lambda p, _: ("This debate is cancelled." if p.get("cancelled")
                              else "This debate is over."),
    "not_running": lambda p, _: ("This debate is over." if p.get("over")
                                 else "The debate hasn't begun yet."),
    "paused": lambda p, _: "The debate is paused; wait for the moderator to resume.",
    "time_up": lambda p, title: f"Time is up for {title(p['phase'])}.",
    "vote_phase": lambda p, title: f"{title(p['phase'])} is a vote; arguments are closed.",
    "not_vote_phase": lambda p, title: (
        f"{title(p['phase'])} is not a vote; voting is closed."),
    "not_debater": lambda p, _: ("Only debaters may argue; join a side first."
                                 if p.get("action") == "argue"
                                 else "You are not on a side in this debate."),
    "wrong_side": lambda p, title: (
        f"{title(p['phase'])} is for the {p['phase_side']} side; you are {p['side']}."),
    "empty": lambda p, _: "Your argument is empty.",
    "too_long": lambda p, _: (
        f"Your argument is {plural(p['length'], 'character', 'characters')}; "
        f"this phase allows {number(p['limit'])}."),
    "post_limit": lambda p, title: (
        f"You have posted {plural(p['posted'], 'argument', 'arguments')} in "
        f"{title(p['phase'])}; this phase allows {number(p['limit'])} per debater."),
    "debater": lambda p, _: (
        "You argued in this debate, so you don't vote; the audience decides."
        if p.get("argued") else "Debaters don't vote; the audience decides."),
    "already_removed": lambda p, _: "That member has already been removed.",
    "removed": lambda p, _: "A moderator removed you from this debate.",
    "sides_closed": lambda p, _: "Sides are closed: the first speech has begun.",
    "already_on_side": lambda p, _: f"You are already on the {p['side']} side.",
    "side_full": lambda p, _: (
        f"The {p['side']} side is full: this format allows "
        f"{plural(p['cap'], 'debater', 'debaters')} a side."),
    # --- refused by the debate service, before or around the engine
    "no_debate_here": lambda p, _: (
        "There is no live debate here. Run this in a debate's thread or in the channel it "
        "started from, or start one with `/moderate start`."),
    "buttons_dead": lambda p, _: "This debate is over; the buttons no longer do anything.",
    "foreign_button": lambda p, _: "That button does not belong to a debate in this server.",
    "just_ended": lambda p, _: "This debate has just ended.",
    "topic_gone": lambda p, _: "This debate's topic is no longer in the content pack.",
    "no_such_debate": lambda p, _: "No such debate in this server; pick one from the list.",
    "slow_down": lambda p, _: f"Easy there: try again in {max(1, round(p['seconds']))} s.",
    "channel_busy": lambda p, _: _channel_busy(p.get("thread_id"), advise=bool(p.get("advise"))),
    "not_a_debate_channel": lambda p, _: (
        "Start a debate from a text channel (it gets its own thread there) or a forum "
        "(it gets its own post)."),
    "start_failed": lambda p, _: _start_failed(p.get("cause"), p.get("status")),
}
REFUSAL_CODES = frozenset(_REFUSALS)


def refusal(error: Refusal, fmt: Format | None = None) -> str:
    """The member's reply to a refused action (phase ids become the format's titles)."""
    render = _REFUSALS.get(error.code)
    if render is None:  # a new code without its sentence: say something true, log the code
        return "That can't be done right now."
    fmt = fmt or error.format
    return render(error.params, lambda phase_id: phase_title(fmt, phase_id))


def _channel_busy(thread_id: int | None, *, advise: bool) -> str:
    where = f"<#{thread_id}>" if thread_id else "in this channel"
    return (f"A debate is already running here: {where}."
            + (" End it before starting another." if advise else ""))


def _start_failed(cause: str | None, status: int | None) -> str:
    """Why /moderate start did not start anything."""
    if cause == "forbidden":
        return ("I can't open a thread here: I need the Create Public Threads (or, in a "
                "forum, Send Messages) and Read Message History permissions in this channel. "
                "Nothing was started.")
    if cause == "http":
        return (f"Discord did not create the debate's thread (error {status}), so nothing "
                "was started. Please try again in a moment.")
    return ("I could not reach Discord to create the debate's thread, so nothing was "
            "started. Please try again in a moment.")


# --------------------------------------------------------------------------- results


def _undecided(undecided: int) -> str:
    return f" ({number(undecided)} undecided)" if undecided else ""


def headline(result: Result) -> str:
    """One line saying how the debate came out, with the numbers that decided it."""
    if result.outcome == "no_contest":
        return "No contest: each side needs at least one debater"
    if result.rule == "swing":
        return _swing_headline(result)
    tally = result.tally
    if tally is None:
        return "Draw: this format has no vote"
    if tally.total == 0:
        return "Draw: no votes were cast"
    if result.outcome == "draw":
        return f"Draw: {number(tally.pro)}–{number(tally.con)}{_undecided(tally.undecided)}"
    high, low = max(tally.pro, tally.con), min(tally.pro, tally.con)
    return (f"{result.outcome.capitalize()} wins the vote {number(high)}–{number(low)}"
            f"{_undecided(tally.undecided)}")


def _swing_headline(result: Result) -> str:
    paired = result.paired or 0
    if paired == 0:
        return "Dead heat: no member voted both before and after"
    voters = plural(paired, "paired voter", "paired voters")
    pro, con = signed_points(result.swing_pro or 0.0), signed_points(result.swing_con or 0.0)
    if result.outcome == "dead_heat":
        return f"Dead heat: pro {pro} pts, con {con} pts among {voters}"
    win, lose = (pro, con) if result.outcome == "pro" else (con, pro)
    return (f"{result.outcome.capitalize()} wins on swing: {win} pts vs {lose} pts "
            f"among {voters}")


# --------------------------------------------------------------------------- status


def status_title(view: StatusView) -> str:
    """What `/debate status` says is happening now."""
    if view.status == DebateStatus.LOBBY:
        return "Lobby"
    if view.status == DebateStatus.FINISHED:
        return "Finished"
    if view.status == DebateStatus.CANCELLED:
        return "Cancelled"
    title = view.phase.title if view.phase is not None else ""
    return f"Paused — {title}" if view.status == DebateStatus.PAUSED else title
