"""Suite-wide rules: with CI=true a skipped test fails the run, so PostgreSQL is never skipped quietly;
and each test starts from the shipped instruments, whatever folder an earlier test's settings named.

A run spread over workers starts one zygote (tests/e2e/zygote.py) for all of them, beside their start:
each worker starting its own would load Circles once more per worker."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

from instruments.catalog import use_programme_folder


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    workers = config.getoption("numprocesses", default=None)
    is_worker = hasattr(config, "workerinput")
    if workers and not is_worker and os.environ.get("CIRCLES_TEST_EXEC") != "1":
        from tests.e2e.processes import SHARED, start_zygote

        _process, path = start_zygote()
        os.environ[SHARED] = path  # the workers, started after this, inherit it


def pytest_collection_finish(session: pytest.Session) -> None:
    # What is loaded by now (the app, the libraries, the collected tests) lives as long as the run: kept
    # out of the collector's sight, it is not scanned again at every full collection a test triggers.
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
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
