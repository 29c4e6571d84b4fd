"""Packaging: an install is silent and ships only the project's packages."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_license_is_an_spdx_expression_not_the_deprecated_table() -> None:
    assert PROJECT["project"]["license"] == "MIT"


def test_only_the_bot_playground_and_benchmarks_packages_are_installed() -> None:
    find = PROJECT["tool"]["setuptools"]["packages"]["find"]
    found = find_packages(str(ROOT), include=find["include"])
    assert {name.split(".")[0] for name in found} == {"bot", "playground", "benchmarks"}
    assert "bot.core" in found and "bot.cogs.debates" in found


# A finder that makes the playground and its console libraries impossible to import, as in a
# production install (`pip install .` without the `playground` extra).
_WITHOUT_PLAYGROUND = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"playground", "prompt_toolkit", "rich"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def _run_without_playground(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISCORD_TOKEN": "", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _WITHOUT_PLAYGROUND + code], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_the_playground_is_an_optional_extra_not_a_dependency_of_the_bot() -> None:
    project = PROJECT["project"]
    base = " ".join(project["dependencies"])
    assert "prompt_toolkit" not in base and "rich" not in base
    extra = " ".join(project["optional-dependencies"]["playground"])
    assert "prompt_toolkit" in extra and "rich" in extra
    assert ".[dev,playground]" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_every_bot_module_imports_without_the_playground() -> None:
    """A production install runs the bot: nothing under bot/ needs the playground."""
    modules = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                     for p in (ROOT / "bot").rglob("*.py"))
    result = _run_without_playground(
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('imported', len(sys.modules))\n")
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout


def test_the_playground_command_without_it_says_how_to_install_it() -> None:
    result = _run_without_playground(
        "from bot.__main__ import main\nsys.exit(main(['playground']))\n")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr  # one line, no traceback
    assert "pip install -e '.[playground]'" in lines[0] and "make run" in lines[0]
