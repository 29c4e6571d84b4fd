"""Packaging: an install is silent and ships only the project's packages."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_not_the_deprecated_table() -> None:
    assert PROJECT["project"]["license"] == "MIT"


def test_only_the_bot_and_benchmarks_packages_are_installed() -> None:
    find = PROJECT["tool"]["setuptools"]["packages"]["find"]
    found = find_packages(str(ROOT), include=find["include"])
    assert {name.split(".")[0] for name in found} == {"bot", "benchmarks"}
    assert "bot.core" in found and "bot.cogs.debates" in found
