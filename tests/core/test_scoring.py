"""Scoring rules, caps, period buckets and ranks: pure functions, no I/O, no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.core import scoring
from bot.core.scoring import (
    ArgumentRecord,
    Kind,
    argument_length,
    argument_points,
    competition_ranks,
    debate_awards,
    debate_scores,
    is_substantive,
    join_points,
    moderate_points,
    month_key,
    period_key,
    period_keys,
    previous_week_key,
    vote_points,
    week_key,
    win_points,
)


def ts(text: str) -> float:
    """Unix time of an ISO-8601 string with an explicit offset."""
    return datetime.fromisoformat(text).timestamp()


SUBSTANTIVE = "Apologies matter only when they are followed by acts."  # 53 chars, 9 words


# --- single acts -----------------------------------------------------------------------------

def test_point_values() -> None:
    assert join_points() == 1
    assert moderate_points() == 2
    assert vote_points(already_voted_in_debate=False) == 1
    assert win_points("pro", "pro") == 5
    assert argument_points(SUBSTANTIVE, already_scored_in_phase=False) == 3


def text_of(chars: int, words: int) -> str:
    """A text of exactly `chars` characters and `words` words."""
    text = "x" * (chars - 2 * (words - 1)) + " y" * (words - 1)
    assert argument_length(text) == (chars, words)
    return text


@pytest.mark.parametrize(("chars", "words", "expected"), [
    (40, 6, True),
    (39, 6, False),
    (41, 6, True),
    (60, 5, False),
    (60, 6, True),
    (39, 5, False),
])
def test_substantive_thresholds(chars: int, words: int, expected: bool) -> None:
    assert is_substantive(text_of(chars, words)) is expected


def test_substantive_on_real_sentences() -> None:
    assert argument_length(SUBSTANTIVE) == (53, 9)
    assert is_substantive(SUBSTANTIVE)
    five_long_words = "Reconciliation requires acknowledgement, compensation, education."
    assert argument_length(five_long_words)[1] == 5
    assert not is_substantive(five_long_words)


def test_padding_and_punctuation_do_not_count() -> None:
    assert argument_length("  one   two\n\nthree\t") == (13, 3)
    assert not is_substantive("one two three four five" + " " * 40)
    assert not is_substantive("- - - - - - - - - - - - - - - - - - - - - - - - - - - -")
    assert argument_length("ok. - fine") == (10, 2)


def test_one_scoring_argument_per_phase_and_short_ones_earn_nothing() -> None:
    assert argument_points(SUBSTANTIVE, already_scored_in_phase=True) == 0
    assert argument_points("Too short to count.", already_scored_in_phase=False) == 0


def test_vote_counts_once_per_debate() -> None:
    assert vote_points(already_voted_in_debate=True) == 0
    assert scoring.vote_key(7, 42) == scoring.vote_key(7, 42)
    assert scoring.vote_key(7, 42) != scoring.vote_key(8, 42)


def test_win_points_only_for_the_winning_side() -> None:
    assert win_points("con", "pro") == 0
    assert win_points("pro", None) == 0  # draw / dead heat


def test_no_contest_below_two_debaters() -> None:
    assert not debate_scores(0)
    assert not debate_scores(1)
    assert debate_scores(2)
    assert debate_scores(9)


# --- a whole debate --------------------------------------------------------------------------

def awards_of(**overrides: object) -> list[scoring.Award]:
    args: dict[str, object] = {
        "debate_id": 7, "topic_id": "history-textbooks",
        "debaters": {1: "pro", 2: "pro", 3: "con"},
        "arguments": [
            ArgumentRecord(100, 1, "opening", SUBSTANTIVE),
            ArgumentRecord(101, 1, "opening", SUBSTANTIVE + " Again."),  # second in phase
            ArgumentRecord(102, 3, "opening", "Nope."),                  # not substantive
            ArgumentRecord(103, 3, "opening", SUBSTANTIVE),              # first scoring one
            ArgumentRecord(104, 1, "rebuttal", SUBSTANTIVE),             # new phase scores
            ArgumentRecord(105, 9, "rebuttal", SUBSTANTIVE),             # removed debater
        ],
        "voters": [50, 51, 50, 1],
        "winner": "pro",
        "moderators": [60],
    }
    args.update(overrides)
    return debate_awards(**args)  # type: ignore[arg-type]


def test_debate_awards_apply_every_rule() -> None:
    awards = awards_of()
    table = [(a.kind, a.user_id, a.points, a.source_key) for a in awards]
    assert table == [
        (Kind.DEBATE_JOINED, 1, 1, "debate:7:join:1"),
        (Kind.DEBATE_JOINED, 2, 1, "debate:7:join:2"),
        (Kind.DEBATE_JOINED, 3, 1, "debate:7:join:3"),
        (Kind.ARGUMENT_POSTED, 1, 3, "debate:7:argument:100"),
        (Kind.ARGUMENT_POSTED, 1, 0, "debate:7:argument:101"),
        (Kind.ARGUMENT_POSTED, 3, 0, "debate:7:argument:102"),
        (Kind.ARGUMENT_POSTED, 3, 3, "debate:7:argument:103"),
        (Kind.ARGUMENT_POSTED, 1, 3, "debate:7:argument:104"),
        (Kind.VOTE_CAST, 1, 1, "debate:7:vote:1"),
        (Kind.VOTE_CAST, 50, 1, "debate:7:vote:50"),
        (Kind.VOTE_CAST, 51, 1, "debate:7:vote:51"),
        (Kind.DEBATE_WON, 1, 5, "debate:7:win:1"),
        (Kind.DEBATE_WON, 2, 5, "debate:7:win:2"),
        (Kind.DEBATE_MODERATED, 60, 2, "debate:7:moderate:60"),
    ]
    assert all(a.debate_id == 7 and a.topic_id == "history-textbooks" for a in awards)
    assert len({a.source_key for a in awards}) == len(awards)


def test_draw_awards_no_win_points() -> None:
    assert not [a for a in awards_of(winner=None) if a.kind is Kind.DEBATE_WON]


def test_no_contest_debate_awards_nothing() -> None:
    assert awards_of(debaters={1: "pro"}) == []
    assert awards_of(debaters={}) == []


# --- periods ---------------------------------------------------------------------------------

def test_year_end_buckets_in_utc() -> None:
    assert period_keys(ts("2026-12-31T23:59:59+00:00")) == ("2026-W53", "2026-12", "all")
    assert period_keys(ts("2027-01-01T00:00:00+00:00")) == ("2026-W53", "2027-01", "all")
    assert period_keys(ts("2027-01-03T23:59:59+00:00")) == ("2026-W53", "2027-01", "all")
    assert period_keys(ts("2027-01-04T00:00:00+00:00")) == ("2027-W01", "2027-01", "all")


def test_iso_week_edges() -> None:
    assert week_key(ts("2026-12-27T23:59:59+00:00")) == "2026-W52"
    assert week_key(ts("2026-12-28T00:00:00+00:00")) == "2026-W53"
    # ISO week 1 of 2026 starts on Monday 29 December 2025.
    assert week_key(ts("2025-12-28T23:59:59+00:00")) == "2025-W52"
    assert week_key(ts("2025-12-29T00:00:00+00:00")) == "2026-W01"
    assert month_key(ts("2025-12-29T00:00:00+00:00")) == "2025-12"
    assert week_key(ts("2026-03-02T00:00:00+00:00")) == "2026-W10"  # zero-padded


def test_2026_has_53_iso_weeks() -> None:
    last_monday = datetime(2026, 12, 28, tzinfo=UTC)
    assert week_key(last_monday.timestamp()) == "2026-W53"
    assert week_key((last_monday + timedelta(days=7)).timestamp()) == "2027-W01"


def test_month_edges() -> None:
    assert month_key(ts("2026-11-30T23:59:59+00:00")) == "2026-11"
    assert month_key(ts("2026-12-01T00:00:00+00:00")) == "2026-12"
    assert month_key(ts("2028-02-29T12:00:00+00:00")) == "2028-02"


def test_other_timezones_bucket_by_utc() -> None:
    # 00:30 on 1 January 2027 in Tokyo is still 2026 in UTC.
    tokyo = timezone(timedelta(hours=9))
    moment = datetime(2027, 1, 1, 0, 30, tzinfo=tokyo).timestamp()
    assert period_keys(moment) == ("2026-W53", "2026-12", "all")
    # 23:30 on Sunday 3 January 2027 in New York is Monday 04:30 UTC: the next week.
    new_york = timezone(timedelta(hours=-5))
    moment = datetime(2027, 1, 3, 23, 30, tzinfo=new_york).timestamp()
    assert period_keys(moment) == ("2027-W01", "2027-01", "all")


def test_previous_week() -> None:
    assert previous_week_key(ts("2027-01-04T00:00:00+00:00")) == "2026-W53"
    assert previous_week_key(ts("2027-01-03T23:59:59+00:00")) == "2026-W52"
    assert previous_week_key(ts("2026-01-05T10:00:00+00:00")) == "2026-W01"
    assert previous_week_key(ts("2026-01-01T10:00:00+00:00")) == "2025-W52"
    assert previous_week_key(ts("2021-01-04T00:00:00+00:00")) == "2020-W53"


def test_period_key_by_name() -> None:
    moment = ts("2026-11-26T12:00:00+00:00")
    assert period_key("week", moment) == "2026-W48"
    assert period_key("month", moment) == "2026-11"
    assert period_key("all", moment) == "all"
    with pytest.raises(ValueError, match="unknown period"):
        period_key("year", moment)
    with pytest.raises(ValueError, match="finite"):
        period_keys(float("nan"))


# --- ranks -----------------------------------------------------------------------------------

def test_competition_ranks() -> None:
    assert competition_ranks([]) == []
    assert competition_ranks([9, 7, 7, 5]) == [1, 2, 2, 4]
    assert competition_ranks([3, 3, 3]) == [1, 1, 1]
    assert competition_ranks([5, 4, 3]) == [1, 2, 3]


def test_competition_ranks_of_a_later_page() -> None:
    # Board 10, 8, 8, 8, 6, 6 ; page of positions 2..5 -> ranks 2, 2, 5, 5.
    assert competition_ranks([8, 8, 6, 6], offset=2, first_rank=2) == [2, 2, 5, 5]
    assert competition_ranks([8, 6], offset=3, first_rank=2) == [2, 5]
    with pytest.raises(ValueError, match="sorted"):
        competition_ranks([1, 2])
