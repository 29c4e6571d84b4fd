"""Autocomplete ranking and 'did you mean' suggestions."""

from __future__ import annotations

from bot.core.search import AUTOCOMPLETE_LIMIT, Candidate, closest, rank

ENTRIES = [
    Candidate("overview", "Overview"),
    Candidate("economic-relations", "Economic relations"),
    Candidate("trade-and-investment", "Trade and investment"),
    Candidate("economic-security-and-supply-chains", "Economic security and supply chains"),
    Candidate("trade-frictions-and-economic-policy", "Trade frictions and economic policy"),
    Candidate("dokdo-takeshima-dispute", "Dokdo/Takeshima dispute"),
]


def ids(found: list[Candidate]) -> list[str]:
    return [c.id for c in found]


def test_exact_id_comes_first() -> None:
    assert ids(rank("trade-and-investment", ENTRIES))[0] == "trade-and-investment"


def test_prefix_beats_word_prefix_beats_substring() -> None:
    found = ids(rank("econ", ENTRIES))
    # id/title prefix first (article order), then entries with a word starting "econ".
    assert found == ["economic-relations", "economic-security-and-supply-chains",
                     "trade-frictions-and-economic-policy"]


def test_case_insensitive_and_title_words() -> None:
    assert ids(rank("TAKESHIMA", ENTRIES)) == ["dokdo-takeshima-dispute"]
    assert ids(rank("supply", ENTRIES)) == ["economic-security-and-supply-chains"]


def test_several_word_prefixes_must_all_match() -> None:
    assert ids(rank("tra pol", ENTRIES)) == ["trade-frictions-and-economic-policy"]


def test_substring_inside_a_word_matches_last() -> None:
    assert ids(rank("vestment", ENTRIES)) == ["trade-and-investment"]


def test_no_match_returns_nothing() -> None:
    assert rank("zzz", ENTRIES) == []


def test_empty_query_lists_in_order_and_never_more_than_25() -> None:
    many = [Candidate(f"entry-{i}", f"Entry {i}") for i in range(40)]
    assert len(rank("", many)) == AUTOCOMPLETE_LIMIT
    assert ids(rank("", many))[:2] == ["entry-0", "entry-1"]
    assert len(rank("entry", many)) == AUTOCOMPLETE_LIMIT


def test_closest_finds_typos() -> None:
    assert ids(closest("trade-and-investmnt", ENTRIES))[0] == "trade-and-investment"
    assert ids(closest("overveiw", ENTRIES)) == ["overview"]
    assert closest("qqqqqqqq", ENTRIES) == []


def test_japanese_and_korean_titles_match_without_spaces() -> None:
    from bot.core.search import Candidate, rank

    candidates = [Candidate("a", "歴史的責任と政策の調和"), Candidate("b", "竹島（独島）問題"),
                  Candidate("c", "무역 마찰과 경제 정책")]
    assert [c.id for c in rank("責任", candidates)] == ["a"]
    assert [c.id for c in rank("歴史 調和", candidates)] == ["a"]  # words anywhere
    assert [c.id for c in rank("独島", candidates)] == ["b"]
    assert [c.id for c in rank("경제", candidates)] == ["c"]


def test_full_width_and_half_width_input_is_normalised() -> None:
    from bot.core.search import Candidate, rank

    candidates = [Candidate("trade", "Trade and investment"), Candidate("m", "メディアと世論")]
    assert [c.id for c in rank("ＴＲＡＤＥ", candidates)] == ["trade"]
    assert [c.id for c in rank("ﾒﾃﾞｨｱ", candidates)] == ["m"]
