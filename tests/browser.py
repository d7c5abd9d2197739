"""Open a page in Debian's headless Chromium: its DOM, what its console said, and a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0")
# Chromium writes every console message as "…:CONSOLE:…", whatever its level (console.log included, at
# INFO): the report runs no script of its own, so any console line at all is a fault.
CONSOLE = re.compile(r":CONSOLE\b|Uncaught")


@dataclass(frozen=True)
class Opened:
    dom: str
    errors: list[str]  # console lines and uncaught exceptions, as Chromium logged them


def chromium() -> str:
    """The browser to run: required in CI (a failure without it); elsewhere its absence skips the test."""
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: `apt-get install -y chromium` (.ci/run does it)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def console_errors(stderr: str) -> list[str]:
    """The lines of Chromium's log that say a script complained or failed."""
    return [line for line in stderr.splitlines() if CONSOLE.search(line)]


def open_page(page: Path, *flags: str, picture: Path | None = None) -> Opened:
    """Load the page once: its DOM after scripts ran, and every console complaint on the way; drawn as a
    PNG to `picture` too when given (the same load: a browser started again costs more than the page)."""
    drawn = [f"--screenshot={picture}"] if picture is not None else []
    done = subprocess.run(  # noqa: S603 - the machine's own browser, on a page we wrote
        [chromium(), *FLAGS, *flags, *drawn, "--dump-dom", page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return Opened(done.stdout, console_errors(done.stderr))


def screenshot(page: Path, picture: Path, width: int = 1024, height: int = 2000) -> None:
    """Draw the page as a PNG at the given window size."""
    done = subprocess.run(  # noqa: S603 - the machine's own browser, on a page we wrote
        [
            chromium(),
            *FLAGS,
            f"--screenshot={picture}",
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
