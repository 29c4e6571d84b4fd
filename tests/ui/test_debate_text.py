"""Debate sentences are made in bot/ui from codes and numbers: every code has one, plurals agree."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.debate import Refusal
from bot.core.results import Result, Tally
from bot.ui import debate_text

BOT = Path(__file__).resolve().parents[2] / "bot"
CORE = BOT / "core"


def test_every_refusal_the_bot_raises_has_a_sentence() -> None:
    """The engine's, the debate service's and the cogs' own (found by reading the source)."""
    raised = {code for path in BOT.rglob("*.py")
              for code in re.findall(r'Refusal\("([a-z_]+)"', path.read_text())}
    assert len(raised) > 30
    assert {"no_debate_here", "slow_down", "channel_busy", "start_failed"} <= raised
    assert raised <= debate_text.REFUSAL_CODES, raised - debate_text.REFUSAL_CODES


def test_the_service_imports_nothing_from_discord() -> None:
    for path in (BOT / "service").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+discord", path.read_text(), re.M), path


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


def test_refusals_of_the_service_render_their_facts() -> None:
    assert debate_text.refusal(Refusal("slow_down", seconds=0.2)) == \
        "Easy there: try again in 1 s."
    busy = debate_text.refusal(Refusal("channel_busy", thread_id=77, advise=True))
    assert "<#77>" in busy and "End it before" in busy
    assert "error 503" in debate_text.refusal(Refusal("start_failed", cause="http", status=503))
    assert "Create Public Threads" in debate_text.refusal(
        Refusal("start_failed", cause="forbidden"))


def test_a_refusal_names_phases_by_their_titles_in_its_format() -> None:
    from bot.core.content import Format, Phase

    fmt = Format(id="f", title="F", description="", result="majority", debaters_per_side=None,
                 phases=(Phase(id="p1", title="First speech", kind="speech", side="pro",
                               seconds=60, max_chars=None, max_posts_per_member=None),))
    assert "Time is up for First speech" in debate_text.refusal(
        Refusal("time_up", phase="p1").within(fmt))


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
