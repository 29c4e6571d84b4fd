"""The content policy (content/README.md) as `content check` enforces it: the real pack passes,
and each rule catches the mistake it exists for, in a copy of the pack with that one mistake."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.content import ContentError, load_pack
from bot.core.content_policy import (
    MAX_LENGTH_RATIO,
    check_folder,
    derive_facts,
    load_facts,
    median,
    summary_figures,
)

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
SEED = REPO.parent / "shared" / "seed" / "japan-korea-relations.txt"

Edit = Callable[[dict[str, Any]], None]


def pack_copy(tmp_path: Path, file: str = "article.yaml", edit: Edit | None = None,
              locale: str | None = None) -> Path:
    """A copy of the real pack with `edit` applied to one file (of a locale, if named)."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    if locale is not None:
        target = folder / "locales" / locale
        target.mkdir(parents=True, exist_ok=True)
        for name in ("article.yaml", "topics.yaml", "formats.yaml"):
            shutil.copy(CONTENT / name, target / name)
    else:
        target = folder
    if edit is not None:
        path = target / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return folder


def problems_of(folder: Path) -> list[str]:
    try:
        check_folder(folder)
    except ContentError as error:
        return [str(p) for p in error.problems]
    return []


def entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(e for e in data["entries"] if e["id"] == entry_id)


def test_the_real_pack_passes_in_every_language() -> None:
    pack, locales = check_folder(CONTENT)
    assert len(pack.article.entries) == 28 and len(pack.topics) == 5
    assert set(locales) == {"ja", "ko"}  # Japanese and Korean, checked like English


def test_full_summaries_are_at_most_one_and_a_half_times_their_part() -> None:
    facts = load_facts(CONTENT)
    assert facts is not None
    figures = summary_figures(load_pack(CONTENT).article, facts)
    ratios = [words / source for _, words, source in figures]
    assert all(source > 0 for _, _, source in figures)  # every title is a heading
    assert max(ratios) <= MAX_LENGTH_RATIO
    assert median(ratios) <= MAX_LENGTH_RATIO


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not beside the repository")
def test_the_committed_facts_are_derived_from_the_seed() -> None:
    pack = load_pack(CONTENT)
    derived = derive_facts(SEED.read_text(encoding="utf-8"),
                           [e.title for e in pack.article.sections])
    committed = yaml.safe_load((CONTENT / "policy" / "article_facts.yaml").read_text("utf-8"))
    assert derived == committed
    assert {"1910", "1945", "1965"} <= set(derived["numbers"])


def test_a_year_the_article_does_not_give_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "colonial-era-and-wartime-legacies")["short"] += " It began in 1905."

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("colonial-era-and-wartime-legacies.short: names 1905" in p for p in found)


def test_a_name_the_article_does_not_give_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "cold-war-to-the-present")["full"] += " Later, Obuchi agreed."

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("cold-war-to-the-present.full: names 'Obuchi'" in p for p in found)


def test_a_summary_longer_than_its_part_allows_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        e = entry(data, "exchange-and-education")
        e["full"] = " ".join([e["full"]] * 3)

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("exchange-and-education.full:" in p and "words for a part of 40 words" in p
               for p in found)


def test_a_title_that_is_not_a_heading_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "peace-through-strength-vs-diplomacy")["title"] = "Peace through strength"

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("is not a heading of the article" in p for p in found)


def test_one_name_alone_is_refused_and_a_quoted_one_is_not(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "dokdo-takeshima-dispute")["short"] += " Takeshima stays tense."
        entry(data, "territorial-disputes-and-peaceful-management")["short"] += (
            ' Japan calls them "Takeshima".')

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("dokdo-takeshima-dispute.short: names 'Takeshima' alone" in p for p in found)
    assert not any("territorial-disputes-and-peaceful-management" in p for p in found)


def test_a_one_sided_term_in_rostrums_own_voice_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["topics"][0]["framing"] += " The forced labor cases still divide them."

    found = problems_of(pack_copy(tmp_path, "topics.yaml", edit))
    assert any("history-versus-interests.framing: uses 'forced labor'" in p for p in found)


def test_background_without_a_source_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "overview")["background"] = [{"text": "Something from elsewhere."}]

    found = problems_of(pack_copy(tmp_path, edit=edit))
    assert any("overview.background[1].sources: needs a non-empty list of sources" in p
               for p in found)


def test_a_brief_with_outside_facts_needs_sources(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["topics"][1]["sources"]

    found = problems_of(pack_copy(tmp_path, "topics.yaml", edit))
    assert any("peace-through-strength-vs-diplomacy.sources: states outside facts" in p
               for p in found)


def test_a_locale_with_different_ids_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "media-and-public-sentiment")["id"] = "media"

    found = problems_of(pack_copy(tmp_path, edit=edit, locale="ja"))
    assert any(p.startswith("locales/ja: entries: differs from English") and "'media'" in p
               for p in found)


def test_a_locale_text_over_discords_limit_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "overview")["full"] = "日本と韓国。" * 700  # 4,200 characters

    found = problems_of(pack_copy(tmp_path, edit=edit, locale="ja"))
    assert any(p.startswith("locales/ja/article.yaml: overview.full: 4200 characters")
               for p in found)


def test_a_locale_names_each_place_in_its_own_order(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "dokdo-takeshima-dispute")["short"] = "独島（竹島）をめぐる問題について。"

    found = problems_of(pack_copy(tmp_path, edit=edit, locale="ja"))
    assert any("dokdo-takeshima-dispute.short: names '竹島' alone: write '竹島（独島）'" in p
               for p in found)


def test_a_locale_copying_the_article_is_refused(tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        entry(data, "overview")["short"] = (
            "記事は「sit at the crossroads of history, commerce, and security」と述べる。")

    found = problems_of(pack_copy(tmp_path, edit=edit, locale="ko"))
    assert any("overview.short: shares 20+ characters in a row with the article" in p
               for p in found)
