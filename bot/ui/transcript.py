"""The Markdown transcript of a debate: motion, format, participants, every phase with its
arguments in order and their times, the votes and the result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.core.content import Topic
from bot.core.debate import DebateState
from bot.core.results import Result, Tally
from bot.storage.debates import AuditEntry, PhaseRecord
from bot.ui import debate_text

SIDE_LABEL = {"pro": "Pro", "con": "Con"}


def _when(ts: float | None) -> str:
    if ts is None:
        return "—"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%H:%M:%S")


def _quote(text: str) -> str:
    """Block-quote member text so nothing in it can restructure the document."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def _name(names: Mapping[int, str], user_id: int) -> str:
    name = names.get(user_id, f"member {user_id}")
    return name.replace("\n", " ").replace("`", "'").strip() or f"member {user_id}"


def _tally(tally: Tally | None) -> str:
    if tally is None:
        return "no votes"
    return f"pro {tally.pro} · con {tally.con} · undecided {tally.undecided}"


def _result_lines(result: Result) -> list[str]:
    lines = [f"**{debate_text.headline(result)}**", ""]
    if result.rule == "swing":
        lines += [
            f"- Paired voters (voted before and after): {result.paired or 0}",
            f"- Before: {_tally(result.pre_tally)}",
            f"- After: {_tally(result.tally)}",
            f"- Swing: pro {result.swing_pro or 0:+.1f} pts, con {result.swing_con or 0:+.1f} pts",
        ]
    elif result.tally is not None:
        lines.append(f"- Final vote: {_tally(result.tally)}")
    if result.ended_early:
        lines.append("- Ended early by a moderator.")
    return lines


def render(state: DebateState, topic: Topic | None, names: Mapping[int, str],
           phases: Sequence[PhaseRecord], audit: Sequence[AuditEntry]) -> str:
    """The whole transcript as Markdown."""
    title = topic.title if topic else state.topic_id
    out = [f"# Debate #{state.id}: {title}", ""]
    if topic:
        out += [f"**Motion:** {topic.motion}", ""]
    out += [
        f"- Format: {state.format.title}",
        f"- Started: {_when(state.created_at)}",
        f"- Status: {state.status.value}",
    ]
    if state.finished_at:
        out.append(f"- Ended: {_when(state.finished_at)}")
    out += ["", "## Participants", ""]
    for side in ("pro", "con"):
        debaters = [_name(names, u) for u in state.debaters(side)]
        spoke = [_name(names, u) for u in state.speakers()[side] if u not in state.debaters(side)]
        line = f"- {SIDE_LABEL[side]}: {', '.join(debaters) or 'nobody'}"
        if spoke:
            line += f" (also spoke, then left: {', '.join(spoke)})"
        out.append(line)
    removed = [_name(names, m.user_id) for m in state.members.values() if m.removed]
    if removed:
        out.append(f"- Removed by a moderator: {', '.join(removed)}")

    started = {record.phase_id: record for record in phases}
    for phase in state.format.phases:
        record = started.get(phase.id)
        out += ["", f"## {phase.title}", ""]
        if record is None:
            out.append("_Not reached._")
            continue
        out.append(f"_{_when(record.started_at)} – {_when(record.ended_at)}_")
        out.append("")
        if phase.is_vote:
            tally = Tally.of(state.counted_votes(phase.id).values())
            out.append(f"Votes: {_tally(tally)}")
            continue
        arguments = state.arguments_in(phase.id)
        if not arguments:
            out.append("_No arguments._")
        for argument in arguments:
            out += [
                f"**#{argument.seq} · {SIDE_LABEL[argument.side]} · "
                f"{_name(names, argument.user_id)}** ({_clock(argument.posted_at)})",
                "",
                _quote(argument.text),
                "",
            ]
    out += ["", "## Result", ""]
    if state.result is not None:
        out += _result_lines(state.result)
    else:
        out.append("_No result: the debate " +
                   ("was cancelled._" if state.status.value == "cancelled" else "is not over._"))
    if audit:
        out += ["", "## Moderator log", ""]
        for entry in audit:
            detail = f" — {entry.detail}" if entry.detail else ""
            out.append(f"- {_when(entry.at)}: {_name(names, entry.actor_id)} "
                       f"{entry.action}{detail}")
    return "\n".join(out).rstrip() + "\n"
