"""`circles` processes for the tests: forked from a process that has Circles loaded (tests/e2e/zygote.py).

`popen` and `run` take the same arguments as subprocess's. A command that is `circles` (harness.CIRCLES,
harness.UNPACED_CIRCLES or COUNTED_CIRCLES followed by its arguments) or a test's script (`script`) runs
as a child of a zygote: the one the run started for all its workers, or this process's own; anything
else, or every command when CIRCLES_TEST_EXEC=1 is set, runs as subprocess would run it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, cast

ROOT = Path(__file__).parents[2]
CIRCLES = [sys.executable, "-m", "bot.cli"]
UNPACED_SCRIPT = """
import functools, sys
import bot.cli, bot.dispatch, bot.pacing

bot.pacing.SLACK_INTERVALS.clear()
unlimited = bot.pacing.SlackLimits.none()
bot.dispatch.DispatchOptions = functools.partial(bot.dispatch.DispatchOptions, limits=unlimited)
sys.exit(bot.cli.main(sys.argv[1:]))
"""
UNPACED_CIRCLES = [sys.executable, "-c", UNPACED_SCRIPT]
# `circles …` printing on stderr, as it ends, how many SQL statements it sent in all.
COUNTED_SCRIPT = """
import atexit, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
import bot.cli

sent = []
event.listen(Engine, "before_cursor_execute", lambda *args: sent.append(1))
atexit.register(lambda: print(f"statements sent: {len(sent)}", file=sys.stderr))
sys.exit(bot.cli.main(sys.argv[1:]))
"""
COUNTED_CIRCLES = [sys.executable, "-c", COUNTED_SCRIPT]
# `circles …` after a barrier, in a process of its own (without the zygote): load, say so, wait for a line.
BARRIER_SCRIPT = """
import sys
import bot.app, bot.cli, bot.tick
print("ready", flush=True)
sys.stdin.readline()
sys.exit(bot.cli.main(sys.argv[1:]))
"""


_SCRIPTS: set[str] = set()


def script(source: str) -> list[str]:
    """`python -c source`, forked from the zygote like `circles`: for a test's own script that loads
    nothing a `circles` command does not (anything else is loaded in each child, as a new process would)."""
    _SCRIPTS.add(source)
    return [sys.executable, "-c", source]


class Forked:
    """A `circles` child of the zygote, as much of subprocess.Popen as the tests use."""

    def __init__(self, args: Sequence[str], pid: int, connection: socket.socket, streams: dict[str, Any]):
        self.args = list(args)
        self.pid = pid
        self.returncode: int | None = None
        self.stdin: IO[str] | None = streams.get("stdin")
        self.stdout: IO[str] | None = streams.get("stdout")
        self.stderr: IO[str] | None = streams.get("stderr")
        self._connection = connection

    def poll(self) -> int | None:
        if self.returncode is None:
            self._connection.setblocking(False)
            try:
                answer = self._connection.recv(64)
            except BlockingIOError:
                self._connection.setblocking(True)
                return None
            self._ended(answer)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._connection.settimeout(timeout)
            try:
                answer = self._connection.recv(64)
            except TimeoutError:
                self._connection.settimeout(None)
                raise subprocess.TimeoutExpired(self.args, timeout or 0) from None
            self._ended(answer)
        assert self.returncode is not None
        return self.returncode

    def communicate(self, input: str | None = None, timeout: float | None = None) -> tuple[Any, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdin is not None:
            if input:
                self.stdin.write(input)
            self.stdin.close()
        read = _read_all([s for s in (self.stdout, self.stderr) if s is not None], deadline, self.args)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        return read.get(id(self.stdout)), read.get(id(self.stderr))

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        self.wait()

    def _ended(self, answer: bytes) -> None:
        if not answer:
            raise RuntimeError("the zygote went away before telling how the process ended")
        self.returncode = int(answer)
        self._connection.close()


def popen(
    args: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    stdin: Any = None,
    stdout: Any = None,
    stderr: Any = None,
    text: bool = False,
    barrier: bool = False,
    **rest: Any,
) -> subprocess.Popen[str]:
    """subprocess.Popen, forked from the zygote when the command is `circles`.

    With `barrier` (and stdin a pipe), the command prints "ready" and waits for a line on its stdin
    before it starts: several processes can then begin within a millisecond of each other."""
    mode = _mode(args)
    zygote = _zygote() if mode is not None and not rest and text else None
    if zygote is None:
        if barrier and list(args[:3]) == CIRCLES:
            args = [sys.executable, "-c", BARRIER_SCRIPT, *args[3:]]
        elif barrier:
            raise ValueError("a barrier is for `circles …` (processes.CIRCLES)")
        return subprocess.Popen(  # noqa: S603 - our own commands
            args, cwd=cwd, env=env, stdin=stdin, stdout=stdout, stderr=stderr, text=text, **rest
        )
    streams: dict[str, Any] = {}
    close_after: list[int] = []
    if stdin == subprocess.PIPE:
        stdin_fd, write = os.pipe()
        streams["stdin"] = open(write, "w", encoding="utf-8")  # noqa: SIM115 - the Forked closes it
    else:
        stdin_fd = os.open(os.devnull, os.O_RDONLY)
    close_after.append(stdin_fd)
    out_fd = _stream_fd(stdout, "stdout", streams, close_after)
    err_fd = out_fd if stderr == subprocess.STDOUT else _stream_fd(stderr, "stderr", streams, close_after)
    request = {
        "argv": list(args[3:]),
        "env": dict(os.environ if env is None else env),
        "cwd": str(cwd or os.getcwd()),
        "mode": mode,
        "script": args[2] if mode == "script" else None,
        "barrier": barrier,
    }
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        connection.connect(zygote)
        socket.send_fds(connection, [json.dumps(request).encode()], [stdin_fd, out_fd, err_fd])
        pid = int(connection.recv(64))
    finally:
        for fd in close_after:
            os.close(fd)
    # A Forked answers all that the tests ask of a Popen: pid, poll, wait, communicate, signals, streams.
    return cast("subprocess.Popen[str]", Forked(args, pid, connection, streams))


def run(
    args: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    capture_output: bool = False,
    text: bool = False,
    timeout: float | None = None,
    check: bool = False,
    **rest: Any,
) -> subprocess.CompletedProcess[str]:
    """subprocess.run, forked from the zygote when the command is `circles`."""
    pipe = subprocess.PIPE if capture_output else rest.pop("stdout", None)
    err = subprocess.PIPE if capture_output else rest.pop("stderr", None)
    process = popen(args, cwd=cwd, env=env, stdout=pipe, stderr=err, text=text, **rest)
    try:
        out, error = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    finally:
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    result = subprocess.CompletedProcess(args, process.wait(), out, error)
    if check:
        result.check_returncode()
    return result


def _mode(args: Sequence[str]) -> str | None:
    if os.environ.get("CIRCLES_TEST_EXEC") == "1":
        return None
    head = list(args[:3])
    if head == CIRCLES:
        return "paced"
    if head == UNPACED_CIRCLES:
        return "unpaced"
    if head == COUNTED_CIRCLES:
        return "counted"
    if len(head) == 3 and head[:2] == [sys.executable, "-c"] and head[2] in _SCRIPTS:
        return "script"
    return None


def _stream_fd(target: Any, name: str, streams: dict[str, Any], close_after: list[int]) -> int:
    """The descriptor the child writes `name` to; a pipe's reading end becomes the Forked's stream."""
    if target == subprocess.PIPE:
        read, write = os.pipe()
        streams[name] = open(read, encoding="utf-8", errors="replace")  # noqa: SIM115 - the caller closes it
        close_after.append(write)
        return write
    if target is None or target == subprocess.DEVNULL:
        fd = os.open(os.devnull, os.O_WRONLY)
        close_after.append(fd)
        return fd
    return int(target.fileno())


def _read_all(streams: list[IO[str]], deadline: float | None, args: Sequence[str]) -> dict[int, str]:
    """Everything the streams hold until each is closed by the child (or the deadline passes)."""
    chunks: dict[int, list[bytes]] = {id(s): [] for s in streams}
    with selectors.DefaultSelector() as selector:
        for stream in streams:
            if not stream.closed:
                selector.register(stream.fileno(), selectors.EVENT_READ, stream)
        while selector.get_map():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(list(args), 0)
            for key, _ in selector.select(left):
                data = os.read(key.fd, 65536)
                if data:
                    chunks[id(key.data)].append(data)
                else:
                    selector.unregister(key.fd)
    return {key: b"".join(parts).decode("utf-8", errors="replace") for key, parts in chunks.items()}


_started: list[tuple[subprocess.Popen[bytes], str]] = []
SHARED = "CIRCLES_TEST_ZYGOTE"  # the socket of the zygote a run started for all its workers


def start_zygote() -> tuple[subprocess.Popen[bytes], str]:
    """Start a zygote in a folder of its own; returns it and its socket's path, ready once `<path>.ready`
    exists. It stops when this process ends (at exit, or by itself when its parent is gone)."""
    folder = tempfile.mkdtemp(prefix="circles-zygote-")
    path = os.path.join(folder, "socket")
    # Its own streams go to a file: a zygote outliving its starter must not hold the run's output open.
    with open(os.path.join(folder, "zygote.log"), "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own test server
            [sys.executable, "-m", "tests.e2e.zygote", path],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    atexit.register(_stop, process, folder)
    return process, path


def _zygote() -> str | None:
    """The zygote's socket: the run's shared one when there is one, else this process's own, started on
    first use; None when it cannot start."""
    shared = os.environ.get(SHARED)
    if shared:
        return shared if _ready(shared, lambda: True) else None
    if _started:
        process, path = _started[0]
        return path if process.poll() is None else None
    process, path = start_zygote()
    _started.append((process, path))
    return path if _ready(path, lambda: process.poll() is None) else None


def _ready(path: str, alive: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 60
    while not os.path.exists(f"{path}.ready"):
        if not alive() or time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return os.path.exists(path)


def _stop(process: subprocess.Popen[bytes], folder: str) -> None:
    process.kill()
    process.wait()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
