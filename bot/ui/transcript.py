"""The Markdown transcript of a debate: motion, format, participants, every phase with its
arguments in order and their times, the votes and the result, in the debate's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.core.content import Topic
from bot.core.debate import DebateState
from bot.core.results import Result, Tally
from bot.storage.debates import AuditEntry, PhaseRecord
from bot.ui import debate_replies, debate_text
from bot.ui.voice import ENGLISH_VOICE, Voice


def _when(ts: float | None) -> str:
    if ts is None:
        return "—"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _clock(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%H:%M:%S")


def _quote(text: str) -> str:
    """Block-quote member text so nothing in it can restructure the document."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def _name(names: Mapping[int, str], user_id: int, voice: Voice) -> str:
    unknown = voice.say("member {id}", id=user_id)
    name = names.get(user_id, unknown)
    return name.replace("\n", " ").replace("`", "'").strip() or unknown


def _tally(tally: Tally | None, voice: Voice) -> str:
    if tally is None:
        return voice.say("no votes")
    return voice.say("pro {pro} · con {con} · undecided {undecided}",
                     pro=voice.number(tally.pro), con=voice.number(tally.con),
                     undecided=voice.number(tally.undecided))


def _result_lines(result: Result, voice: Voice) -> list[str]:
    say = voice.say
    lines = [f"**{debate_text.headline(result, voice)}**", ""]
    if result.rule == "swing":
        lines += [
            "- " + say("Paired voters (voted before and after): {n}",
                       n=voice.number(result.paired or 0)),
            "- " + say("Before: {tally}", tally=_tally(result.pre_tally, voice)),
            "- " + say("After: {tally}", tally=_tally(result.tally, voice)),
            "- " + say("Swing: pro {pro} pts, con {con} pts",
                       pro=voice.signed(result.swing_pro or 0),
                       con=voice.signed(result.swing_con or 0)),
        ]
    elif result.rule == "judges":
        ballots = result.tally or Tally()
        lines.append("- " + say("Judges' ballots: pro {pro}, con {con}",
                                pro=voice.number(ballots.pro), con=voice.number(ballots.con)))
    elif result.tally is not None:
        lines.append("- " + say("Final vote: {tally}", tally=_tally(result.tally, voice)))
    if result.ended_early:
        lines.append("- " + say("Ended early by a moderator."))
    return lines


def _participants(state: DebateState, names: Mapping[int, str], voice: Voice) -> list[str]:
    say, out = voice.say, []
    for side in ("pro", "con"):
        debaters = [_name(names, u, voice) for u in state.debaters(side)]
        spoke = [_name(names, u, voice) for u in state.speakers()[side]
                 if u not in state.debaters(side)]
        line = f"- {voice.side_label(side)}: " + (", ".join(debaters) or say("nobody"))
        if spoke:
            line += say.space + say("(also spoke, then left: {names})", names=", ".join(spoke))
        out.append(line)
    if state.judges:
        out.append("- " + say("Judges: {names}", names=", ".join(
            _name(names, u, voice) for u in sorted(state.judges))))
    removed = [_name(names, m.user_id, voice) for m in state.members.values() if m.removed]
    if removed:
        out.append("- " + say("Removed by a moderator: {names}", names=", ".join(removed)))
    return out


def _phases(state: DebateState, names: Mapping[int, str], phases: Sequence[PhaseRecord],
            voice: Voice) -> list[str]:
    say, out = voice.say, []
    started = {record.phase_id: record for record in phases}
    for phase in state.format.phases:
        record = started.get(phase.id)
        out += ["", f"## {voice.phase(state.format, phase).title}", ""]
        if record is None:
            out.append("_" + say("Not reached.") + "_")
            continue
        out += [f"_{_when(record.started_at)} – {_when(record.ended_at)}_", ""]
        if phase.is_vote:
            tally = Tally.of(state.counted_votes(phase.id).values())
            out.append(say("Votes: {tally}", tally=_tally(tally, voice)))
            continue
        arguments = state.arguments_in(phase.id)
        if not arguments:
            out.append("_" + say("No arguments.") + "_")
        for argument in arguments:
            answers = (" ↪ " + say("answers #{seq}", seq=argument.reply_to)
                       if argument.reply_to else "")
            out += [
                f"**#{argument.seq} · {voice.side_label(argument.side)} · "
                f"{_name(names, argument.user_id, voice)}** ({_clock(argument.posted_at)})"
                f"{answers}",
                "",
                ("> _" + debate_text.removed_argument(voice) + "_") if argument.redacted
                else _quote(argument.text),
                "",
            ]
    return out


def _exchanges(state: DebateState, names: Mapping[int, str], voice: Voice) -> list[str]:
    """Every argument that was answered, with its rebuttals nested under it (a tree)."""
    replies: dict[int, list[int]] = {}
    for argument in state.arguments:
        if argument.reply_to is not None:
            replies.setdefault(argument.reply_to, []).append(argument.seq)
    if not replies:
        return []
    out = ["", "## " + voice.say("Exchanges"), ""]

    def branch(seq: int, depth: int) -> None:
        argument = state.arguments[seq - 1]
        words = (debate_text.removed_argument(voice) if argument.redacted
                 else " ".join(argument.text.split()))
        words = words[:80] + ("…" if len(words) > 80 else "")
        out.append(f"{'  ' * depth}- #{seq} · {voice.side_label(argument.side)} · "
                   f"{_name(names, argument.user_id, voice)}: {_inline(words)}")
        for child in replies.get(seq, []):
            branch(child, depth + 1)

    roots = [seq for seq in replies if state.arguments[seq - 1].reply_to is None]
    for root in sorted(roots):
        branch(root, 0)
    return out


def _inline(text: str) -> str:
    """Member text inside a list item: as code, so no Markdown in it takes effect."""
    return "`" + text.replace("`", "'") + "`"


def render(state: DebateState, topic: Topic | None, names: Mapping[int, str],
           phases: Sequence[PhaseRecord], audit: Sequence[AuditEntry],
           voice: Voice = ENGLISH_VOICE) -> str:
    """The whole transcript as Markdown."""
    say = voice.say
    topic = voice.topic(topic) if topic is not None else None
    title = topic.title if topic else state.topic_id
    out = ["# " + say("Debate #{id}: {topic}", id=state.id, topic=title), ""]
    if topic:
        out += [say("**Motion:** {motion}", motion=topic.motion), ""]
    out += [
        "- " + say("Format: {format}", format=voice.format(state.format).title),
        "- " + say("Started: {when}", when=_when(state.created_at)),
        "- " + say("Status: {status}", status=debate_replies.status_word(state.status.value,
                                                                         voice)),
    ]
    if state.finished_at:
        out.append("- " + say("Ended: {when}", when=_when(state.finished_at)))
    out += ["", "## " + say("Participants"), "", *_participants(state, names, voice)]
    out += _phases(state, names, phases, voice)
    out += _exchanges(state, names, voice)
    out += ["", "## " + say("Result"), ""]
    if state.result is not None:
        out += _result_lines(state.result, voice)
        best = state.best_speaker()
        if best is not None:
            out.append("- " + voice.say.plural(
                "Best speaker: {name} ({n} vote)", "Best speaker: {name} ({n} votes)", best[1],
                name=_name(names, best[0], voice), n=voice.number(best[1])))
    elif state.status.value == "cancelled":
        out.append("_" + say("No result: the debate was cancelled.") + "_")
    else:
        out.append("_" + say("No result: the debate is not over.") + "_")
    if audit:
        out += ["", "## " + say("Moderator log"), ""]
        for entry in audit:
            detail = f" — {entry.detail}" if entry.detail else ""
            out.append(f"- {_when(entry.at)}: {_name(names, entry.actor_id, voice)} "
                       f"{entry.action}{detail}")
    return "\n".join(out).rstrip() + "\n"
