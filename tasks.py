#!/usr/bin/env python3
"""Set up and run Circles with nothing but Python: `python3 tasks.py demo`, `run` or `test`."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".install-stamp"


def main(argv: list[str]) -> int:
    task, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if task in ("demo", "run"):
        setup()
        return call(*circles(task, rest))
    if task == "test":
        setup()
        return test(rest)
    if task == "setup":
        setup()
        return 0
    print(__doc__)
    print("tasks: demo [circles demo options] | run [circles run options] | test [pytest options] | setup")
    return 0 if task == "help" else 2


def setup() -> None:
    """Create .venv and install the pinned dependencies, again only when pyproject.toml or the lock changed.

    Modules are compiled when first loaded, into .venv/pycache (see `keep_bytecode`), not all at install.
    """
    keep_bytecode()
    if not (BIN / "python").exists():
        print("creating .venv …", flush=True)
        create_venv()
    wanted = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in PINNED)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("installing dependencies into .venv …", flush=True)
    check(install())
    STAMP.write_text(wanted)


def create_venv() -> None:
    """Make .venv from `base_python()`; from the Python running this file when that one cannot."""
    base = base_python()
    if base != sys.executable:
        command = [base, "-m", "venv", "--without-pip", str(VENV)]
        try:
            made = subprocess.call(command, stderr=subprocess.DEVNULL)  # noqa: S603 - the Python asked for
        except OSError:  # not there, or not a program
            made = -1
        if made == 0 and (BIN / "python").exists():
            return
        print(f"{base} could not make .venv; making it with {sys.executable} …", flush=True)
        shutil.rmtree(VENV, ignore_errors=True)
    venv.EnvBuilder(with_pip=False).create(VENV)


def base_python() -> str:
    """The Python .venv is made from: CIRCLES_PYTHON when set; else the system's own build of the running
    version (/usr/bin/python3.11 for a 3.11) when there is one; else the one running this file.

    Version managers such as pyenv build CPython, by default, without profile-guided optimisation and load
    it from a shared library. A distribution's build of the same version runs the same code faster: the
    test suite took 15% less CPU on Debian's 3.11 than on pyenv's (261 against 312 CPU-seconds, 2 cores).
    Same major and minor version only: requirements.lock pins wheels for the version that runs this."""
    chosen = os.environ.get("CIRCLES_PYTHON", "").strip()
    if chosen:
        return chosen
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if os.name != "nt" and system.is_file() and os.access(system, os.X_OK):
        return str(system)
    return sys.executable


# What is installed: every package, pinned (requirements.lock, made from pyproject.toml), then Circles
# itself without its dependencies. Installing the list as it stands skips resolving, which asked the
# package index about each package in turn: five of the six seconds an install took.
PINNED = ("pyproject.toml", "requirements.lock")
UV_VERSION = "0.13.9"
UV = VENV / "installer"  # uv's own folder, inside .venv: removing .venv removes it too


def install() -> int:
    """Install the project and its pinned dependencies with uv, which unpacks the large wheels (scipy,
    numpy, matplotlib) in parallel and takes a third of pip's time on a fresh clone; with pip where uv
    cannot be had."""
    uv = UV / "bin" / "uv"
    if not uv.exists():
        fetch = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--root-user-action=ignore",
        ]
        call([*fetch, "--target", str(UV), f"uv=={UV_VERSION}"])
    # Without resolving, nothing else notices a lock that misses a package a new pin needs: `check` does.
    lock, project = ["-r", str(ROOT / "requirements.lock")], ["--editable", str(ROOT)]
    if uv.exists():
        python = ["--python", str(BIN / "python")]
        with_uv = [str(uv), "pip", "install", "--quiet", "--no-deps", *python]
        if call([*with_uv, *lock]) == 0 and call([*with_uv, *project]) == 0:
            return call([str(uv), "pip", "check", "--quiet", *python])
        print("uv could not install the dependencies; trying pip …", flush=True)
    if call([str(BIN / "python"), "-m", "pip", "--version"]) != 0:
        check(call([str(BIN / "python"), "-m", "ensurepip", "--default-pip"]))
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    if call([*pip, "--no-compile", *lock]) != 0 or call([*pip, "--no-compile", *project]) != 0:
        return 1
    return call([str(BIN / "python"), "-m", "pip", "check"])


def test(pytest_args: list[str]) -> int:
    """Lint, then type-check while every test runs (unit, SQLite and PostgreSQL integration, end-to-end)."""
    for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        if call([str(BIN / step[0]), *step[1:]]) != 0:
            return 1
    # mypy takes a core for a while on a fresh clone; the end-to-end tests leave cores idle while they
    # wait for replies, so it runs beside pytest and its verdict is printed when both are done. CI checks a
    # clean clone and throws it away: writing the cache there was a tenth of mypy's time, for nobody.
    typing = [str(BIN / "mypy"), *(["--cache-dir", os.devnull] if in_ci() else [])]
    mypy = subprocess.Popen(  # noqa: S603 - our own tools from our own .venv
        typing, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    # One process compiles what every worker and forked `circles` loads, before they all start at once and
    # each compile the same thousand modules: the app, the libraries it loads late, and every test module
    # as pytest rewrites it (collecting them is importing them). It has one core while mypy has the other:
    # two such processes ended a second sooner, but each loaded the app and pytest, and left mypy four
    # seconds more to do beside the tests. A module that cannot be collected shows in the run that follows.
    warm = [str(BIN / "python"), "-c", WARM_UP, "tests/e2e", "tests/unit", "tests/integration"]
    subprocess.call(warm, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603 - our own tools from our own .venv
    tests = call([str(BIN / "pytest"), *parallel(pytest_args), *pytest_args])
    typed, _ = mypy.communicate()
    print(typed, end="", flush=True)
    return tests or mypy.returncode


WARM_UP = """
import sys
import pytest
import matplotlib.backends.backend_agg, matplotlib.figure, matplotlib.ticker, scipy.optimize
import tests.e2e.zygote
quietly = ["--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider"]
raise SystemExit(pytest.main([*quietly, *sys.argv[1:]]))
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def keep_bytecode() -> None:
    """Keep compiled modules (and pytest's rewritten test modules) under .venv, even where the
    environment asks Python not to write them: each test worker and each `circles` process would
    otherwise compile them all again."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(VENV / "pycache")


def parallel(pytest_args: list[str]) -> list[str]:
    """Spread the tests over workers unless the caller chose (`-n`, `-p no:xdist`): twice the cores,
    since an end-to-end test spends much of its time waiting for a process or a reply (on two cores,
    three workers and five or six each finished later than four)."""
    chosen = any(arg.startswith(("-n", "--numprocesses", "--dist")) for arg in pytest_args)
    if chosen or "no:xdist" in pytest_args:
        return []
    return ["-n", str(2 * (os.cpu_count() or 1)), "--dist", "worksteal"]


def circles(task: str, rest: list[str]) -> tuple[list[str], Path]:
    """`circles demo` or `circles run` and the folder it runs in: the caller's, as when `circles` is run
    itself, so that a relative `--cohort` or `--out`, `.env`, `circles.db` and the demo's report are read
    and written there, not in this repository (unless it is run from here)."""
    return [str(BIN / "circles"), task, *rest], Path.cwd()


def call(command: list[str], cwd: Path = ROOT) -> int:
    return subprocess.call(command, cwd=cwd)  # noqa: S603 - our own tools from our own .venv


def check(returncode: int) -> None:
    if returncode != 0:
        sys.exit(returncode)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
