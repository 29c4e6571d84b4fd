"""Debate sentences are made in bot/ui from codes and numbers: every code has one, plurals agree."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.debate import Refusal
from bot.core.results import Result, Tally
from bot.ui import debate_text

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"


def test_every_refusal_the_engine_raises_has_a_sentence() -> None:
    raised = set(re.findall(r'Refusal\("([a-z_]+)"', (CORE / "debate.py").read_text()))
    assert len(raised) > 20
    assert raised <= debate_text.REFUSAL_CODES, raised - debate_text.REFUSAL_CODES


def test_the_engine_holds_no_sentences() -> None:
    """Refusals carry codes and data; a sentence in core would escape translation."""
    source = (CORE / "debate.py").read_text() + (CORE / "results.py").read_text()
    assert not re.search(r'Refusal\("[a-z_]+",\s*f?"', source)
    assert "headline" not in source


def test_plurals_agree_with_the_number() -> None:
    one = debate_text.refusal(Refusal("post_limit", posted=1, phase="p", limit=1))
    two = debate_text.refusal(Refusal("post_limit", posted=2, phase="p", limit=2))
    assert "posted 1 argument in p" in one and "posted 2 arguments in p" in two
    assert "allows 1 debater a side" in debate_text.refusal(
        Refusal("side_full", side="pro", cap=1))
    assert "allows 2 debaters a side" in debate_text.refusal(
        Refusal("side_full", side="pro", cap=2))


def test_an_unknown_code_still_gets_a_true_short_reply() -> None:
    assert debate_text.refusal(Refusal("from_the_future")) == "That can't be done right now."


def test_results_stored_with_a_headline_still_load_and_render_from_numbers() -> None:
    old_row = {"outcome": "pro", "rule": "majority", "headline": "Pro wins the vote 3–1",
               "tally": {"pro": 3, "con": 1, "undecided": 0}, "pre_tally": None,
               "swing_pro": None, "swing_con": None, "paired": None,
               "vote_phase_id": "vote", "ended_early": False}
    result = Result.from_dict(old_row)
    assert result == Result(outcome="pro", rule="majority", tally=Tally(3, 1, 0),
                            vote_phase_id="vote")
    assert debate_text.headline(result) == "Pro wins the vote 3–1"
    assert "headline" not in result.as_dict()


def test_headlines_of_every_outcome() -> None:
    assert debate_text.headline(Result("draw", "majority")) == "Draw: this format has no vote"
    assert debate_text.headline(Result("draw", "majority", tally=Tally(0, 0, 2))) == \
        "Draw: 0–0 (2 undecided)"
    assert debate_text.headline(Result("draw", "majority", tally=Tally())) == \
        "Draw: no votes were cast"
    assert debate_text.headline(Result("no_contest", "swing", paired=3)).startswith(
        "No contest")
    one = Result("dead_heat", "swing", swing_pro=0.0, swing_con=0.0, paired=1)
    assert debate_text.headline(one).endswith("among 1 paired voter")
