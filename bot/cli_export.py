"""`circles export SLUG --research --out FILE.zip`: a cohort's research export, consented members only."""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bot.cli_common import Refused, cohort_not_found, fail, only_workspace, opened, tenant_option
from circles.domain.research.tables import IdentifyingColumn
from circles.errors import CohortNotFound
from circles.notes import NotesKeyMissing, note_cipher
from circles.notes_key import KEY_FILE_NAME, stored_notes_key
from circles.persistence.db import Database
from circles.research_key import research_key_of
from circles.services.research.export import ResearchExport, research_export
from circles.settings import Settings


def export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the ZIP and print a one-line summary; exit 2 with one line when it cannot be done."""
    if not args.research:
        return fail(["only research exports exist: add --research"])
    out = Path(args.out)
    if out.exists() and not out.is_file():  # a folder or a device: nothing a ZIP may replace
        return fail([f"{out} is not a file: name the ZIP file to write"])
    if out.exists() and not args.force:
        return fail([f"{out} exists: choose another file, or add --force to replace it"])
    now: datetime = args.now or datetime.now(UTC)
    keyed = stored_notes_key(settings)
    team = args.workspace or ""
    try:
        tenant_option(args.workspace)
        with opened(settings, existing=True) as db:
            team = team or only_workspace(db, "--team", [args.slug])
            made = write_export(db, keyed, team, args.slug, now, out)
    except Refused as error:
        return fail([str(error)])
    except NotesKeyMissing:
        return fail(
            [f"no notes key (CIRCLES_NOTES_KEY or {KEY_FILE_NAME}): the export's IDs are keyed by it"]
        )
    except CohortNotFound as error:
        return fail([cohort_not_found(error, team)])
    except IdentifyingColumn as error:
        return fail([f"nothing was written: {error}"])
    except OSError as error:
        return fail([f"{out}: cannot write the export there: {error.strerror or error}"])
    print(summary(made, out))
    return 0


def write_export(
    db: Database, keyed: Settings, team: str, slug: str, now: datetime, out: Path
) -> ResearchExport:
    """Build the cohort's research export as of `now`, keyed by the settings' notes key; write it to `out`."""
    made = research_export(
        db.unit_of_work(), team, slug, now, key=research_key_of(db, keyed), decrypt=note_cipher(keyed).decrypt
    )
    _write(out, made.content)
    return made


def summary(made: ResearchExport, out: Path) -> str:
    """One line, counts only."""
    withheld = (
        f"; answers' words withheld: {made.withheld} (they could identify someone: a name, an email or a "
        "Slack ID)"
        if made.withheld
        else ""
    )
    unreadable = (
        f"; answers' words that could not be opened: {made.unreadable} (left empty: the notes key changed "
        "since they were written; see CIRCLES_NOTES_KEY in README)"
        if made.unreadable
        else ""
    )
    return (
        f"research export of {made.slug} written to {out}: {made.tables} tables; "
        f"people included: {made.included}, left out without consent: {made.left_out}{withheld}{unreadable}"
    )


def _write(out: Path, content: bytes) -> None:
    """Write beside the target, then move into place: a half-written ZIP never takes the name.

    The draft is a new file of its own (never one, or a link, found at its name) readable by its owner
    only, and the ZIP keeps that: research data is not for everyone on the machine.
    """
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    draft = Path(name)
    try:
        with os.fdopen(handle, "wb") as written:
            written.write(content)
        os.replace(draft, out)
    except (
        BaseException
    ):  # a failed write, or Ctrl-C: research data under another name is data nobody asked for
        draft.unlink(missing_ok=True)
        raise
