"""`circles report … --out DIR` into a folder that was written before, or stopped halfway: the folder holds
one whole report, never people's rows beside an anonymous page, never half of one report and half of
another."""

from __future__ import annotations

import signal
import stat
import subprocess
import time
from pathlib import Path

from tests.e2e import processes
from tests.e2e import test_report_cli as seeded
from tests.e2e.harness import environment
from tests.e2e.test_report_cli import NOTES_KEY, NOW, circles_report

folder = seeded.folder  # the seeded world: a cohort, and another workspace's of the same slug

# `circles …` whose first chart never finishes drawing: it says so with a file (the test's cue), by then
# every CSV file is written, and waits there for the stop signal the test sends.
DRAWING_FOREVER = processes.script(
    """
import pathlib, signal, sys
# As a terminal's Ctrl-C finds it, whatever the test process's own handling left to be inherited.
signal.signal(signal.SIGINT, signal.default_int_handler)
import bot.cli
from circles.services.reports.charts import CHARTS

def drawing(report):
    pathlib.Path("drawing").touch()
    signal.pause()
    raise AssertionError("only a stop signal ends the pause")

CHARTS["states_by_week"] = drawing
sys.exit(bot.cli.main(sys.argv[1:]))
"""
)


def stopped_while_drawing(folder: Path, sent: signal.Signals, *args: str) -> subprocess.CompletedProcess[str]:
    """`circles report …` sent a stop signal while it draws its charts, as an operator's Ctrl-C finds it."""
    process = processes.popen(
        [*DRAWING_FOREVER, "report", *args, "--now", NOW.isoformat()],
        cwd=folder,
        env=environment(DATABASE_URL=f"sqlite:///{folder / 'circles.db'}", CIRCLES_NOTES_KEY=NOTES_KEY),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (folder / "drawing").exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(sent)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def everything_in(out: Path) -> dict[str, tuple[bytes, int]]:
    """Each file under the folder, with its bytes and its mode."""
    return {
        str(path.relative_to(out)): (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_a_comparison_written_where_an_individual_report_was_leaves_no_individual_rows(folder: Path) -> None:
    mine = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out", "--individual", "--as", "U0FAC")
    assert mine.returncode == 0, mine.stderr
    (folder / "out" / "pgy1").mkdir()
    (folder / "out" / "pgy1" / "individual.csv").write_text("people's rows of an earlier run\n")
    (folder / "out" / "notes.txt").write_text("the operator's own file\n")

    board = circles_report(folder, "pgy1", "other", "--team", "T0001", "--out", "out")

    assert board.returncode == 0, board.stderr
    assert not list((folder / "out").rglob("individual.csv")), "people's rows left beside the anonymous page"
    assert "Cohorts side by side" in (folder / "out" / "index.html").read_text()
    assert (folder / "out" / "notes.txt").read_text() == "the operator's own file\n"
    assert [path.name for path in folder.glob("**/.out.*")] == []


def test_ctrl_c_while_a_report_is_drawn_says_one_line_and_leaves_no_folder(folder: Path) -> None:
    result = stopped_while_drawing(folder, signal.SIGINT, "pgy1", "--team", "T0001", "--out", "out")

    assert (result.returncode, result.stderr) == (130, "circles: stopped (SIGINT)\n")
    assert result.stdout == ""
    assert sorted(path.name for path in folder.iterdir()) == ["circles.db", "drawing"]


def test_a_report_stopped_while_it_replaces_an_earlier_one_leaves_the_earlier_one_as_it_was(
    folder: Path,
) -> None:
    earlier = circles_report(
        folder, "pgy1", "--team", "T0001", "--out", "out", "--individual", "--as", "U0FAC"
    )
    assert earlier.returncode == 0, earlier.stderr
    before = everything_in(folder / "out")
    assert before["individual.csv"][1] == 0o600

    for sent in (signal.SIGINT, signal.SIGTERM):
        (folder / "drawing").unlink(missing_ok=True)
        result = stopped_while_drawing(folder, sent, "pgy1", "other", "--team", "T0001", "--out", "out")
        assert (result.returncode, result.stderr) == (128 + sent, f"circles: stopped ({sent.name})\n")
        assert everything_in(folder / "out") == before  # the same files, bytes and modes: nothing of the new
        assert sorted(path.name for path in (folder / "out").iterdir()) == sorted(before)


def test_an_anonymous_report_replacing_an_individual_one_keeps_each_files_mode(folder: Path) -> None:
    mine = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out", "--individual", "--as", "U0FAC")
    assert mine.returncode == 0, mine.stderr
    again = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out", "--individual", "--as", "U0FAC")
    assert again.returncode == 0, again.stderr
    assert {mode for _, mode in everything_in(folder / "out").values()} == {0o600}

    anonymous = circles_report(folder, "pgy1", "--team", "T0001", "--out", "out")
    fresh = circles_report(folder, "pgy1", "--team", "T0001", "--out", "fresh")

    assert (anonymous.returncode, fresh.returncode) == (0, 0), anonymous.stderr + fresh.stderr
    written = everything_in(folder / "out")
    assert "individual.csv" not in written
    assert written == everything_in(folder / "fresh")  # the same bytes, and the modes of new files
