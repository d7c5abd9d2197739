"""Suite-wide rules: with CI=true a skipped test fails the run, so PostgreSQL is never skipped quietly;
and each test starts from the shipped instruments, whatever folder an earlier test's settings named.

A run spread over workers starts one zygote (tests/e2e/zygote.py) for all of them, beside their start:
each worker starting its own would load Circles once more per worker."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import freezegun
import pytest

from instruments.catalog import use_programme_folder


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


# A test allocates hundreds of thousands of short-lived objects (statements, rows, requests), most freed
# by reference counting the moment they are dropped. Looking for cycles among the young every 700
# allocations, as Python does by default, took a seventh of each worker's CPU; every 100,000 costs a
# fraction of that, for cycles that live a little longer.
YOUNG_COLLECTION_EVERY = 100_000

# freeze_time looks through every attribute of every loaded module for the real clock's functions when it
# starts. Looking through scipy's (or pygments') imports each subpackage it loads lazily: 3 s of a
# worker's CPU once scipy.optimize is loaded for matching. Each start then reads six hundred modules of
# numeric and plotting libraries again; none of these reads the clock in a test that freezes it.
LAZY_LOADERS = ["scipy", "pygments"]
NUMERIC_AND_PLOTTING = ["numpy", "matplotlib", "PIL", "fontTools", "kiwisolver", "pyparsing", "contourpy"]


def pytest_configure(config: pytest.Config) -> None:
    freezegun.configure(extend_ignore_list=[*LAZY_LOADERS, *NUMERIC_AND_PLOTTING])
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, oldest)
    workers = config.getoption("numprocesses", default=None)
    is_worker = hasattr(config, "workerinput")
    if workers and not is_worker and os.environ.get("CIRCLES_TEST_EXEC") != "1":
        from tests.e2e.processes import SHARED, start_zygote

        _process, path = start_zygote()
        os.environ[SHARED] = path  # the workers, started after this, inherit it


EARLY_SPAN = (4, 5)  # the part of each worker's share its `early` tests are spread over


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mix the kinds of tests through the run, then spread those marked `early` over the first four fifths
    of the workers' shares, each worker's at other moments than the others'.

    A worker takes its share of the tests in order, and idle workers take over the end of a busy one's
    (--dist worksteal: the first share is the first quarter of the list, and so on). Tests that spend
    seconds waiting on processes or Slack's pace then wait while other tests keep both cores busy,
    rather than at the end of the run, or all at once, when nothing else is left to do."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 0))
    if workers < 2:
        return
    items[:] = _kinds_mixed(items)
    early = [item for item in items if item.get_closest_marker("early")]
    if not early:
        return
    rest = [item for item in items if not item.get_closest_marker("early")]
    ordered: list[pytest.Item] = []
    left = len(items)
    for k in range(workers):  # the shares worksteal hands out: what is left, split evenly
        size = left // (workers - k)
        # Each worker takes its waiting tests from another point of the list, at its own moments, over four
        # fifths of its share: the thirty-five wait some 95 s in all, and packed into the first halves at the
        # same points of every share, a file's cases (dealt to different workers) often had three or four
        # workers waiting together, the cores idle. The last fifth of a share makes up for a late wait.
        waiting = early[k::workers]
        turn = k * len(waiting) // workers
        waiting = waiting[turn:] + waiting[:turn]
        share = rest[: max(0, size - len(waiting))]
        del rest[: len(share)]
        spacing = len(waiting) * workers * EARLY_SPAN[1]
        for n, item in reversed(list(enumerate(waiting))):
            share.insert((n * workers + k) * len(share) * EARLY_SPAN[0] // spacing, item)
        ordered += share
        left -= size
    items[:] = ordered + rest


def _kinds_mixed(items: list[pytest.Item]) -> list[pytest.Item]:
    """The test files of each kind (unit, integration, end-to-end) spread evenly through the run, each file's
    tests kept together: in path order the end-to-end tests, which wait most on replies and processes, make
    one worker's whole share and the end of the run, when the others, done, take them over and all wait."""
    files: dict[str, dict[str, list[pytest.Item]]] = {}
    for item in items:
        kind = item.nodeid.split("/")[1] if item.nodeid.count("/") > 1 else ""
        files.setdefault(kind, {}).setdefault(item.nodeid.split("::")[0], []).append(item)
    queues = {kind: list(by_file.values()) for kind, by_file in files.items()}
    totals = {kind: sum(map(len, queue)) for kind, queue in queues.items()}
    taken = dict.fromkeys(queues, 0)
    mixed: list[pytest.Item] = []
    while any(queues.values()):  # next, a file of the kind furthest behind its share of the run so far
        kind = min((k for k in queues if queues[k]), key=lambda k: taken[k] / totals[k])
        tests = queues[kind].pop(0)
        taken[kind] += len(tests)
        mixed += tests
    return mixed


def pytest_collection_finish(session: pytest.Session) -> None:
    # What is loaded by now (the app, the libraries, the collected tests) lives as long as the run: kept
    # out of the collector's sight, it is not scanned again at every full collection a test triggers.
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest ends with full collections, half a second of a worker's CPU each, to report what a leaked
    # object's finaliser raises; each test's own such errors are reported after the test. The process
    # is about to exit and free everything: freezing the heap makes those collections scan nothing.
    gc.freeze()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if in_ci() and skipped and exitstatus == pytest.ExitCode.OK and reporter is not None:
        reporter.write_line(f"CI=true: {skipped} test(s) skipped; every test must run in CI", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def shipped_instruments_only() -> Iterator[None]:
    """Settings naming CIRCLES_INSTRUMENTS_DIR make its instruments known process-wide; forget them after."""
    yield
    use_programme_folder(None)
