"""Run the real app for end-to-end tests: in a thread behind waitress, or as `circles run` in a process."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import create_engine, text
from waitress.server import create_server

from tests.e2e import processes

ROOT = Path(__file__).parents[2]
CIRCLES = processes.CIRCLES  # `circles …`, forked from a process that has it loaded (processes.py)
NOTES_KEY = "5bEUvZfYcK6nXcoAhO6Yr6zTyiJ0rTfRKvJ9r0bFq0o="  # what `circles run` puts in the settings


_PICK = random.SystemRandom()  # not the seedable generator a test may have seeded alike in every worker


def free_port() -> int:
    """A port nothing listens on, for a process about to start listening there: below the kernel's range of
    ports for outgoing connections, since one of those (any test's request to the stand-in) could take a
    port the kernel just handed out here before the process binds it."""
    lowest_outgoing = _outgoing_ports()[0]
    for _ in range(200):
        port = _PICK.randrange(max(1024, lowest_outgoing - 12_000), lowest_outgoing)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:  # taken: another listener's, or another test's pick
                continue
            return port
    with socket.socket() as probe:  # a machine with few ports below its range: the kernel's choice
        probe.bind(("127.0.0.1", 0))
        chosen: int = probe.getsockname()[1]
        return chosen


def _outgoing_ports() -> tuple[int, int]:
    """The kernel's range of local ports for outgoing connections (Linux's default where unreadable)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def environment(**settings: str) -> dict[str, str]:
    """The machine's environment without any of the app's settings, plus these."""
    prefixes = ("SLACK_", "CIRCLES_", "DATABASE_URL", "PORT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return {**env, "PYTHONPATH": str(ROOT), **settings}


# `circles …` itself (bot.cli.main) calling Slack within no limits but the stand-in's, for tests whose
# pacing is not under test: a tick posting a dozen messages to one person would otherwise wait a second
# between each, and a round would wait three seconds between two channels, as Slack asks.
UNPACED_CIRCLES = processes.UNPACED_CIRCLES


def run_circles(
    *args: str, cwd: Path, timeout: float = 60, cli: Sequence[str] = CIRCLES, **settings: str
) -> subprocess.CompletedProcess[str]:
    """`circles …` run once with only these settings, what it printed captured."""
    return processes.run(
        [*cli, *args],
        cwd=cwd,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stored(folder: Path, query: str) -> list[tuple[object, ...]]:
    """The rows a query finds in the folder's SQLite database (circles.db), as a command left it."""
    engine = create_engine(f"sqlite:///{folder / 'circles.db'}")
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(query))]
    engine.dispose()
    return rows


def circles_tick(
    now: str, *, database_url: str, api_url: str, token: str, secret: str, paced: bool = True
) -> str:
    """`circles tick --now …` as an operator runs it (unless not paced); returns what it printed."""
    result = run_circles(
        "tick",
        "--now",
        now,
        cwd=ROOT,
        timeout=120,
        cli=CIRCLES if paced else UNPACED_CIRCLES,
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=secret,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        CIRCLES_NOTES_KEY=NOTES_KEY,  # the app's: a tick with another is refused
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def http_get(url: str) -> tuple[int, bytes]:
    """GET without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the app under test
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read()


@contextlib.contextmanager
def served_in_thread(wsgi: Any) -> Iterator[str]:
    """Serve a WSGI app with waitress on a free local port; yield its base URL."""
    server = create_server(wsgi, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=_serve_until_closed, args=(server,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        # Closed from inside its own loop, woken by its trigger: closing from here would leave the loop
        # asleep in select() for up to a second (waitress's loop timeout) before it noticed.
        try:
            server.trigger.pull_trigger(server.close)  # type: ignore[union-attr]
        except OSError:  # the loop has already ended (the test stopped it): close what is left
            server.close()
        thread.join(timeout=5)
        # Closing stops new requests only: the server's threads would wait for work for as long as the
        # process runs, four more for each test. They finish any request they hold, then end.
        server.task_dispatcher.shutdown()


def _serve_until_closed(server: Any) -> None:
    # Closing the sockets under the select() loop is how the test stops it.
    with contextlib.suppress(OSError, ValueError):
        server.run()


@contextlib.contextmanager
def circles_run(cwd: Path, **settings: str) -> Iterator[str]:
    """`circles run` as a person starts it; yields its base URL once /healthz answers.

    On leaving, SIGTERM must stop it cleanly: exit 0 and no traceback.
    """
    port = free_port()
    process = processes.popen(
        [*CIRCLES, "run"],
        cwd=cwd,
        env=environment(PORT=str(port), **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output


def start_role(role: str, folder: Path, log: IO[str], **settings: str) -> tuple[subprocess.Popen[str], int]:
    """`circles run --role ROLE` in `folder` on a free port, its output in `log`; the caller waits for it."""
    port = free_port()
    process = processes.popen(
        [*CIRCLES, "run", "--role", role],
        cwd=folder,
        env=environment(PORT=str(port), **settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, port


def wait_until_healthy(base_url: str, process: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"circles run exited early:\n{output}")
        with contextlib.suppress(OSError):
            if http_get(f"{base_url}/healthz")[0] == 200:
                return
        time.sleep(0.02)  # a short poll: `circles run` is healthy a tenth of a second after it starts
    raise AssertionError("circles run did not become healthy")


@dataclass
class Started:
    """`circles run` in a folder, with what it printed so far."""

    base_url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text()


def circles_run_logged(folder: Path, **settings: str) -> contextlib.AbstractContextManager[Started]:
    """`circles run` in `folder` with its output in a file that can be read while it runs."""
    return _run_logged(CIRCLES, folder, settings)


def unpaced_circles_run_logged(folder: Path, **settings: str) -> contextlib.AbstractContextManager[Started]:
    """circles_run_logged, calling Slack within no limits but the stand-in's."""
    return _run_logged(UNPACED_CIRCLES, folder, settings)


@contextlib.contextmanager
def _run_logged(circles: list[str], folder: Path, settings: dict[str, str]) -> Iterator[Started]:
    port = free_port()
    log = folder / f"run-{port}.log"
    with log.open("w") as output:
        process = processes.popen(
            [*circles, "run"],
            cwd=folder,
            env=environment(PORT=str(port), **settings),
            stdout=output,
            stderr=output,
            text=True,
        )
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            yield Started(f"http://127.0.0.1:{port}", log)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)
    assert process.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


APP_LOGGERS = ("bot", "circles")


def faults(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The app's own errors logged (Slack's client logs its failed calls itself)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and r.name.startswith(APP_LOGGERS)
    ]
