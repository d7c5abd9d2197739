"""Start the pieces of a benchmark as separate processes, as they run in production."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.e2e.harness import ROOT, environment, free_port

__all__ = ["free_port", "process", "standin"]


@contextlib.contextmanager
def standin(users: int) -> Iterator[str]:
    """The Slack stand-in in its own process; yields its base URL."""
    child = subprocess.Popen(  # noqa: S603 - our own module
        [sys.executable, "-m", "bench.standin_process", str(users)],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=10)


@contextlib.contextmanager
def process(args: list[str], cwd: Path, ready_url: str, **settings: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run a Python module until the test is done; wait for ready_url to answer first."""
    log = (cwd / f"{args[-1].replace('.', '_')}.log").open("wb")  # read it when something fails
    child = subprocess.Popen(  # noqa: S603 - our own modules
        [sys.executable, *args], cwd=cwd, env=environment(**settings), stdout=log, stderr=log
    )
    try:
        wait_for(ready_url, child)
        yield child
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
        log.close()


def wait_for(url: str, child: subprocess.Popen[Any], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{child.args!r} exited with {child.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - localhost
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not with 200
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")
