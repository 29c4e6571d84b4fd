"""The content validator reports every problem with its file, entry and field."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.content import ContentError, load_pack

REPO = Path(__file__).resolve().parents[2]


def _topic(tid: str) -> dict[str, Any]:
    return {
        "id": tid, "title": "History versus interests",
        "framing": "Two views compete over how much the past should weigh on policy.",
        "motion": "This house believes the past should weigh less than present interests.",
        "pro": ["Point for one, argued carefully.", "Point for two, argued carefully.",
                "Point for three, argued well."],
        "con": ["Point against one, argued well.", "Point against two, argued well.",
                "Point against three, argued."],
        "key_terms": [{"term": "Normalization", "gloss": "The 1965 treaty settlement."}],
        "sections": ["overview", "history"],
    }


MINI_PACK: dict[str, Any] = {
    "article.yaml": {
        "title": "Japan–Korea relations", "source": "Our own summaries.",
        "entries": [
            {"id": "overview", "title": "Overview", "parent": None,
             "short": "A short overview.", "full": "A longer overview."},
            {"id": "history", "title": "History", "parent": None,
             "short": "Short history.", "full": "Full history."},
            {"id": "colonial-era", "title": "Colonial era", "parent": "history",
             "short": "Short colonial.", "full": "Full colonial."},
        ],
    },
    "topics.yaml": {"topics": [_topic("history-versus-interests")]},
}


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, data in MINI_PACK.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(REPO / "content" / "formats.yaml", folder / "formats.yaml")
    return folder


def rewrite(folder: Path, name: str, mutate) -> None:
    data = copy.deepcopy(yaml.safe_load((folder / name).read_text(encoding="utf-8")))
    mutate(data)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_pack(folder)
    return [str(p) for p in caught.value.problems]


def test_valid_mini_pack_loads(pack_dir: Path) -> None:
    pack = load_pack(pack_dir)
    assert pack.summary_line() == "3 entries, 1 topics, 3 formats"
    assert [e.id for e in pack.article.children("history")] == ["colonial-era"]
    assert pack.format("oxford").result == "swing"
    assert pack.format("lincoln-douglas").debaters_per_side == 1


def test_missing_field_is_named(pack_dir: Path) -> None:
    rewrite(pack_dir, "article.yaml", lambda d: d["entries"][1].pop("short"))
    assert problems_of(pack_dir) == ["article.yaml: history.short: missing"]


def test_overlong_summary_is_reported_with_its_length(pack_dir: Path) -> None:
    rewrite(pack_dir, "article.yaml", lambda d: d["entries"][0].update(short="x" * 301))
    assert problems_of(pack_dir) == ["article.yaml: overview.short: 301 characters, limit 300"]


def test_duplicate_id_is_reported(pack_dir: Path) -> None:
    rewrite(pack_dir, "article.yaml", lambda d: d["entries"][2].update(id="history"))
    found = problems_of(pack_dir)
    assert "article.yaml: history.id: duplicate id" in found


def test_dangling_section_reference_is_reported(pack_dir: Path) -> None:
    rewrite(pack_dir, "topics.yaml", lambda d: d["topics"][0]["sections"].append("nowhere"))
    assert problems_of(pack_dir) == [
        "topics.yaml: history-versus-interests.sections: unknown article entry 'nowhere'"]


def test_malformed_yaml_reports_the_line(pack_dir: Path) -> None:
    (pack_dir / "topics.yaml").write_text("topics:\n  - id: a\n    title: [unclosed\n",
                                          encoding="utf-8")
    found = problems_of(pack_dir)
    assert len(found) == 1
    assert found[0].startswith("topics.yaml: malformed YAML at line 4")


def test_every_problem_is_reported_not_just_the_first(pack_dir: Path) -> None:
    def break_article(d: dict[str, Any]) -> None:
        d["entries"][0]["full"] = "y" * 3501
        d["entries"][2]["parent"] = "ghost"
        d["entries"][1]["title"] = ""

    def break_topics(d: dict[str, Any]) -> None:
        d["topics"][0]["motion"] = "We should talk more. Then decide."
        d["topics"][0]["pro"] = ["only one"]

    rewrite(pack_dir, "article.yaml", break_article)
    rewrite(pack_dir, "topics.yaml", break_topics)
    found = "\n".join(problems_of(pack_dir))
    for expected in ("overview.full: 3501 characters, limit 3500",
                     "colonial-era.parent: unknown entry 'ghost'",
                     "history.title: is empty",
                     'motion: must start with "This house believes"',
                     "motion: must be one sentence",
                     "pro: has 1 items, expected 3..5"):
        assert expected in found


def test_unbalanced_pro_and_con_is_refused(pack_dir: Path) -> None:
    rewrite(pack_dir, "topics.yaml",
            lambda d: d["topics"][0].update(pro=[p * 3 for p in d["topics"][0]["pro"]]))
    assert any("unbalanced" in p for p in problems_of(pack_dir))


def test_format_rules(pack_dir: Path) -> None:
    def break_formats(d: dict[str, Any]) -> None:
        oxford = next(f for f in d["formats"] if f["id"] == "oxford")
        oxford["phases"] = [p for p in oxford["phases"] if p["id"] != "pre-vote"]
        quick = next(f for f in d["formats"] if f["id"] == "quick")
        quick["phases"][0]["kind"] = "shouting"
        quick["phases"][1]["side"] = "none"

    rewrite(pack_dir, "formats.yaml", break_formats)
    found = "\n".join(problems_of(pack_dir))
    assert "oxford.result: swing needs 2 vote phases, found 1" in found
    assert "quick.opening.kind: must be one of vote, speech, open_floor" in found
    assert "quick.rebuttal.side: a speech phase needs a side" in found


def test_missing_file_is_reported(pack_dir: Path) -> None:
    (pack_dir / "formats.yaml").unlink()
    assert problems_of(pack_dir) == ["formats.yaml: file is missing"]


def test_the_library_carries_every_translation_with_the_same_ids() -> None:
    from bot.core.content import load_library

    library = load_library(REPO / "content")
    assert library.languages == ("en", "ja", "ko")
    for code in ("ja", "ko"):
        pack = library.in_language(code)
        assert [e.id for e in pack.article.entries] == [e.id for e in library.article.entries]
        assert pack.article.get("overview").short != library.article.get("overview").short
    assert library.in_language("fr") is library  # not written: English


def test_a_broken_translation_is_reported_under_its_folder(tmp_path: Path) -> None:
    import shutil

    from bot.core.content import ContentError, load_library

    shutil.copytree(REPO / "content", tmp_path / "content")
    (tmp_path / "content" / "locales" / "ko" / "topics.yaml").write_text("topics: [\n",
                                                                          encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_library(tmp_path / "content")
    assert any(str(p).startswith("locales/ko/topics.yaml: malformed YAML")
               for p in error.value.problems)
