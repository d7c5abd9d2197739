"""The deployment examples in examples/ start the Circles that pyproject.toml builds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def packages_installed() -> set[str]:
    """The top-level packages `pip install .` puts in place (pyproject's `include` patterns)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["packages"]["find"]["include"]
    return {pattern.rstrip("*") for pattern in patterns}


def test_the_compose_example_builds_an_image_holding_every_package_circles_imports() -> None:
    compose = yaml.safe_load((ROOT / "examples" / "compose.yml").read_text(encoding="utf-8"))
    dockerfile = compose["x-circles"]["build"]["dockerfile_inline"]
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ")}
    missing = {package for package in packages_installed() if package not in copied}
    assert not missing, f"the image would start without {sorted(missing)}"


def test_the_procfile_runs_only_commands_circles_has() -> None:
    from bot.cli_parsers import parser

    for line in (ROOT / "examples" / "Procfile").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, command = line.split(":", 1)
        words = command.split()
        assert words[0] == "circles", name
        parser().parse_args(words[1:])  # an unknown command or option would exit here
