"""Result rules: how a debate's votes decide it, chosen by name in formats.yaml.

A rule reads the counted votes of the format's vote phases and returns a `Result` made of
numbers and ids only (the sentence is made in `bot.ui`). Adding a rule is one function and
one entry in `RULES`; a format then names it with `result: <name>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

SIDES: tuple[str, ...] = ("pro", "con")
DEAD_HEAT_POINTS = 5  # swing gap (percentage points) under which an Oxford debate is a draw
OUTCOMES: tuple[str, ...] = ("pro", "con", "draw", "dead_heat", "no_contest")


@dataclass(frozen=True, slots=True)
class Tally:
    pro: int = 0
    con: int = 0
    undecided: int = 0

    @property
    def total(self) -> int:
        return self.pro + self.con + self.undecided

    @classmethod
    def of(cls, choices: Iterable[str]) -> Tally:
        listed = list(choices)
        return cls(pro=listed.count("pro"), con=listed.count("con"),
                   undecided=listed.count("undecided"))


@dataclass(frozen=True, slots=True)
class Result:
    """How a debate came out, as data.

    `rule` names the rule that decided. For majority, `tally` is the deciding vote
    (None when the format has no vote). For swing, `pre_tally` and `tally` are the pre- and
    post-vote among paired voters only, `swing_pro`/`swing_con` are in percentage points and
    `paired` is how many members voted both times. A no contest still carries the tallies,
    for the record, but they decide nothing.
    """

    outcome: str  # one of OUTCOMES
    rule: str
    tally: Tally | None = None
    pre_tally: Tally | None = None
    swing_pro: float | None = None
    swing_con: float | None = None
    paired: int | None = None
    vote_phase_id: str | None = None
    ended_early: bool = False

    @property
    def winner(self) -> str | None:
        return self.outcome if self.outcome in SIDES else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, for the `result` column."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        """Also reads rows stored before results were pure data (their English line is
        dropped: the sentence is rendered from the numbers)."""
        values = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        for key in ("tally", "pre_tally"):
            if values.get(key) is not None:
                values[key] = Tally(**values[key])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Votes:
    """What a rule may read: the format's vote phases in order, and each one's counted votes
    (member -> latest choice; removed members and debaters already left out)."""

    phase_ids: Sequence[str]
    counted: Callable[[str], Mapping[int, str]]


@dataclass(frozen=True, slots=True)
class Rule:
    decide: Callable[[Votes, bool], Result]
    min_votes: int  # vote phases a format needs for this rule
    max_votes: int | None


def no_contest(result: Result) -> Result:
    return replace(result, outcome="no_contest")


def majority(votes: Votes, ended_early: bool) -> Result:
    """The latest vote phase (in format order) with counted votes decides, so a debate ended
    early during or after a vote uses it; undecided votes are ignored; a tie or no votes at
    all is a draw."""
    chosen = next((p for p in reversed(votes.phase_ids) if votes.counted(p)),
                  votes.phase_ids[-1] if votes.phase_ids else None)
    if chosen is None:
        return Result(outcome="draw", rule="majority", ended_early=ended_early)
    tally = Tally.of(votes.counted(chosen).values())
    leader = "pro" if tally.pro > tally.con else "con"
    outcome = "draw" if tally.pro == tally.con else leader
    return Result(outcome=outcome, rule="majority", tally=tally, vote_phase_id=chosen,
                  ended_early=ended_early)


def swing(votes: Votes, ended_early: bool) -> Result:
    """Oxford (Intelligence Squared): only paired voters, counted in both the first and the
    last vote phase, count. Shares are of all paired voters, undecided included; swing =
    post share - pre share, in points. The side whose share rose more wins, unless the
    swings are under `DEAD_HEAT_POINTS` apart. No paired voters: a dead heat at 0."""
    phases = votes.phase_ids
    pre_votes = votes.counted(phases[0]) if phases else {}
    post_votes = votes.counted(phases[-1]) if len(phases) > 1 else {}
    paired = [user for user in pre_votes if user in post_votes]
    pre = Tally.of(pre_votes[u] for u in paired)
    post = Tally.of(post_votes[u] for u in paired)
    n = len(paired)
    base = dict(rule="swing", tally=post, pre_tally=pre, paired=n,
                vote_phase_id=phases[-1] if phases else None, ended_early=ended_early)
    if n == 0:
        return Result(outcome="dead_heat", swing_pro=0.0, swing_con=0.0, **base)  # type: ignore[arg-type]
    # Compare in whole votes to stay exact: gap in points = 100 * (dpro - dcon) / n.
    d_pro, d_con = post.pro - pre.pro, post.con - pre.con
    swing_pro, swing_con = 100 * d_pro / n, 100 * d_con / n
    if 100 * abs(d_pro - d_con) < DEAD_HEAT_POINTS * n:
        outcome = "dead_heat"
    else:
        outcome = "pro" if d_pro > d_con else "con"
    return Result(outcome=outcome, swing_pro=swing_pro, swing_con=swing_con,
                  **base)  # type: ignore[arg-type]


def judges(ballots: Mapping[int, str], ended_early: bool) -> Result:
    """Tabbycat-style: the judges a moderator named decide, one ballot each (pro or con);
    the audience's vote is still shown but decides nothing. A tie, or no ballot, is a
    draw."""
    tally = Tally.of(ballots.values())
    outcome = "draw" if tally.pro == tally.con else ("pro" if tally.pro > tally.con else "con")
    return Result(outcome=outcome, rule="judges", tally=tally, ended_early=ended_early)


RULES: dict[str, Rule] = {
    "majority": Rule(majority, min_votes=1, max_votes=None),
    "swing": Rule(swing, min_votes=2, max_votes=2),
}
