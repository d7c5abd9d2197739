"""A report's folder is put in place whole or not at all (circles.services.reports.folder)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from circles.services.reports.folder import drafted, held_signals


def files_in(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): path.read_text()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def put_in_place_with_ctrl_c(done: list[str]) -> None:
    with held_signals():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("the last rename")


def written_until_ctrl_c(out: Path) -> None:
    with drafted(out) as draft:
        (draft / "summary.csv").write_text("new\n")
        raise KeyboardInterrupt


def written_with_a_page_where_a_folder_is(out: Path) -> None:
    with drafted(out) as draft:
        (draft / "summary.csv").write_text("new\n")
        (draft / "index.html").write_text("new\n")


def test_ctrl_c_while_the_report_is_put_in_place_waits_until_every_file_is_in() -> None:
    done: list[str] = []
    # Ctrl-C handled as Python does by default (a test run before may have left another handler).
    earlier = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            put_in_place_with_ctrl_c(done)
        assert done == ["the last rename"]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, earlier)


def test_a_report_interrupted_while_written_over_an_earlier_one_leaves_that_one_and_no_draft(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    (out / "pgy1").mkdir(parents=True)
    (out / "summary.csv").write_text("earlier\n")
    (out / "pgy1" / "individual.csv").write_text("people's rows\n")
    before = files_in(out)

    with pytest.raises(KeyboardInterrupt):
        written_until_ctrl_c(out)

    assert files_in(out) == before
    assert sorted(path.name for path in out.iterdir()) == ["pgy1", "summary.csv"]


def test_a_new_report_takes_the_place_of_the_earlier_ones_files_and_its_people_rows_keeping_anyone_elses(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    (out / "pgy1").mkdir(parents=True)
    for name in ("summary.csv", "individual.csv", "pgy1/individual.csv", "pgy1/summary.csv", "notes.txt"):
        (out / name).write_text("earlier\n")

    with drafted(out) as draft:
        (draft / "pgy1").mkdir()
        (draft / "pgy1" / "summary.csv").write_text("new\n")
        (draft / "index.html").write_text("new\n")

    assert files_in(out) == {
        "index.html": "new\n",
        "notes.txt": "earlier\n",
        "pgy1/summary.csv": "new\n",
        "summary.csv": "earlier\n",  # anonymous, as the report it came from
    }


def test_a_file_of_the_report_where_a_folder_stands_is_refused_before_anything_moves(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "index.html").mkdir(parents=True)
    (out / "summary.csv").write_text("earlier\n")

    with pytest.raises(IsADirectoryError):
        written_with_a_page_where_a_folder_is(out)

    assert files_in(out) == {"summary.csv": "earlier\n"}
    assert sorted(path.name for path in out.iterdir()) == ["index.html", "summary.csv"]


def test_a_file_named_as_the_folder_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file\n")

    with pytest.raises(NotADirectoryError), drafted(tmp_path / "out"):
        pass

    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
