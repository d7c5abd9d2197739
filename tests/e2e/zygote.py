"""A process that has loaded Circles once and forks a `circles` process per request, for the tests.

Starting `python -m bot.cli` loads about a thousand modules before it does anything: a second of CPU,
which the end-to-end tests paid a hundred times a run. This server loads them once; each request
(`argv`, environment, folder, and the three standard streams as file descriptors) becomes a forked child
that runs `bot.cli.main(argv)` exactly as the command does, in that folder with that environment, and
exits with its status. The client (tests/e2e/processes.py) sees a real process: a pid it can signal and
kill, its output on the streams it gave, its exit status reported here when it ends.

Run as `python -m tests.e2e.zygote SOCKET_PATH`; one request per connection (a SOCK_SEQPACKET message of
JSON with the descriptors attached); the answer is the child's pid, then its exit status.
"""

from __future__ import annotations

import atexit
import contextlib
import encodings.idna  # noqa: F401 - loaded for the children: the codec a connection to a host name asks for
import gc
import json
import logging
import os
import selectors
import signal
import socket
import sys
import traceback
from typing import Any

# Everything a command can load, loaded before the first fork: the report's charts and the coach
# assignment load their libraries only when first used, and each report or round would load them again.
import matplotlib.backends.backend_agg
import matplotlib.figure
import matplotlib.ticker  # noqa: F401 - loaded for the children
import psycopg  # noqa: F401 - loaded for the children: the PostgreSQL driver loads at a command's first engine
import scipy.optimize  # noqa: F401 - loaded for the children
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401 - loaded for the children
from sqlalchemy.orm import configure_mappers

import bot.app
import bot.cli
import bot.cli_demo
import bot.cli_export
import bot.cli_import
import bot.cli_report
import bot.cli_rotations
import bot.demo.run
import bot.dispatch
import bot.pacing
import bot.server
import bot.tick
from circles.persistence import migrate

migrate.head_revision()  # read the migration scripts once, not in every child that checks its schema
configure_mappers()  # and map the models once: every child would do it at its first query
gc.freeze()  # what is loaded stays put in every child: the collector need not scan it, nor copy it
UNPACED = "unpaced"  # calls Slack within no limits but the stand-in's (see tests.e2e.harness.UNPACED_CIRCLES)
COUNTED = "counted"  # says how many SQL statements it sent (see tests.e2e.processes.COUNTED_CIRCLES)
SCRIPT = "script"  # runs a test's own `python -c SCRIPT` (see tests.e2e.processes.script)


def serve(path: str) -> None:
    """Answer requests until the client closes the socket file or sends `stop`."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    open(f"{path}.ready", "w").close()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    waiting: dict[int, socket.socket] = {}
    parent = os.getppid()
    with selectors.DefaultSelector() as selector:
        selector.register(listener, selectors.EVENT_READ)
        selector.register(wake_read, selectors.EVENT_READ)
        while os.getppid() == parent:  # a test worker that died without stopping us: stop too
            for key, _ in selector.select(timeout=1.0):
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
                    request = json.loads(message)
                    if request.get("stop"):
                        return
                    pid = os.fork()
                    if pid == 0:
                        _child(request, fds, [listener.fileno(), connection.fileno(), wake_read, wake_write])
                    for fd in fds:
                        os.close(fd)
                    connection.send(str(pid).encode())
                    waiting[pid] = connection
                else:
                    os.read(wake_read, 4096)
                    _reap(waiting)


def _reap(waiting: dict[int, socket.socket]) -> None:
    while waiting:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = waiting.pop(pid, None)
        if connection is not None:
            with contextlib.suppress(OSError):  # the test stopped listening: nothing to tell
                connection.send(str(os.waitstatus_to_exitcode(status)).encode())
            connection.close()


def _child(request: dict[str, Any], fds: list[int], inherited: list[int]) -> None:
    """Become the command: its streams, folder and environment; run it; exit with its status."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in inherited:
            os.close(fd)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in set(fds):
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["circles", *request["argv"]]
        if request.get("mode") == UNPACED:
            _unpaced()
        if request.get("mode") == COUNTED:
            _counted()
        if request.get("barrier"):  # several processes start their work at one moment (see processes.popen)
            print("ready", flush=True)
            sys.stdin.readline()
        if request.get("mode") == SCRIPT:
            sys.argv = ["-c", *request["argv"]]
            exec(compile(request["script"], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
            code = 0
        else:
            code = _exit_code(bot.cli.main(request["argv"]))
    except SystemExit as stop:
        code = _exit_code(stop.code)
    except BaseException:  # what an uncaught exception does to a real process: a trace, status 1
        traceback.print_exc()
        code = 1
    finally:
        try:
            atexit._run_exitfuncs()
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _exit_code(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)  # sys.exit("message") prints it and exits 1
    return 1


def _unpaced() -> None:
    import functools

    bot.pacing.SLACK_INTERVALS.clear()
    unlimited = bot.pacing.SlackLimits.none()
    bot.dispatch.DispatchOptions = functools.partial(  # type: ignore[misc,assignment]
        bot.dispatch.DispatchOptions, limits=unlimited
    )


def _counted() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sent: list[int] = []
    event.listen(Engine, "before_cursor_execute", lambda *args: sent.append(1))
    atexit.register(lambda: print(f"statements sent: {len(sent)}", file=sys.stderr))


if __name__ == "__main__":
    serve(sys.argv[1])
