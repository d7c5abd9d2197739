"""A report folder written whole or not at all: drafted under a hidden name, then put in place.

Drawing the charts takes seconds, and an operator may press Ctrl-C meanwhile: the folder they named must
never hold some files of this report beside others of an earlier one, nor a page without its CSV files.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

INDIVIDUAL_FILE = "individual.csv"
STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def drafted(target: Path) -> Iterator[Path]:
    """A new, empty folder to write the report into, put in place as `target` when the block ends; removed
    (with whatever was written in it) when the block fails or is interrupted.

    A new target is the draft renamed, in one step. An existing one (a report's, or any folder: the
    operator's files in it are kept) has the draft inside it, on its file system, and takes the draft's
    entries in place of its own of the same names, with stop signals held back until all are in."""
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    existing = target.is_dir()
    beside = target if existing else target.parent
    beside.mkdir(parents=True, exist_ok=True)
    draft = _new_folder(beside, target.name or "report")
    try:
        yield draft
        with held_signals():
            if existing:
                refuse_clashes(draft, target)
                put_entries(draft, target)
                draft.rmdir()
            else:
                draft.rename(target)
    except BaseException:
        with held_signals():  # a second Ctrl-C must not leave people's rows under a hidden name
            shutil.rmtree(draft, ignore_errors=True)
        raise


def put_entries(draft: Path, target: Path) -> None:
    """Move each of the draft's entries into `target`, a folder of the draft's into the one of its name
    the same way (a comparison's cohorts). One rule for every report folder: an individual.csv the new
    report does not have is removed, since people's rows must not sit beside a report meant to be
    anonymous."""
    if not (draft / INDIVIDUAL_FILE).exists():
        (target / INDIVIDUAL_FILE).unlink(missing_ok=True)
    for entry in sorted(draft.iterdir()):
        placed = target / entry.name
        if entry.is_dir() and placed.is_dir() and not placed.is_symlink():
            put_entries(entry, placed)
            entry.rmdir()
            continue
        if entry.is_dir() and (placed.is_symlink() or placed.exists()):
            placed.unlink()  # a file where the new report has a folder: the report's name wins
        os.replace(entry, placed)


def refuse_clashes(draft: Path, target: Path) -> None:
    """IsADirectoryError, before anything moves, when a file of the report would replace a folder."""
    for entry in draft.iterdir():
        placed = target / entry.name
        if placed.is_dir() and not placed.is_symlink():
            if not entry.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(placed))
            refuse_clashes(entry, placed)


@contextmanager
def held_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends, then act as they would have: the few renames that
    put a report in place are never stopped halfway. Only the main thread may set handlers; elsewhere
    (a report written by a worker thread) nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    previous = {each: signal.signal(each, hold) for each in STOPS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, signal.SIG_DFL if handler is None else handler)
        if held:
            signal.raise_signal(held[0])


def _new_folder(parent: Path, name: str) -> Path:
    """A folder of a new name in `parent`, hidden, made with the usual mode (the umask's), as the report's
    folder always was."""
    while True:
        folder = parent / f".{name}.{secrets.token_hex(4)}.part"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
