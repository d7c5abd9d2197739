"""Where `circles export` writes the ZIP: research data is readable by its owner only, and never written
through a link someone left at the draft's name beside it."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from cryptography.fernet import Fernet

from bot.cli_export import write_export
from circles.persistence.db import Database
from circles.settings import Settings
from tests.integration.research.test_export import NOW, seed

KEYED = Settings(_env_file=None, circles_notes_key=Fernet.generate_key().decode())


def test_the_zip_is_readable_by_its_owner_only(db: Database, tmp_path: Path) -> None:
    seed(db, 3)
    out = tmp_path / "pgy1.zip"
    write_export(db, KEYED, "T0001", "pgy1", NOW, out)
    assert zipfile.is_zipfile(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_link_left_at_the_drafts_name_is_not_written_through(db: Database, tmp_path: Path) -> None:
    seed(db, 3)
    elsewhere = tmp_path / "someone-elses.txt"
    elsewhere.write_text("theirs")
    (tmp_path / ".pgy1.zip.part").symlink_to(elsewhere)
    write_export(db, KEYED, "T0001", "pgy1", NOW, tmp_path / "pgy1.zip")
    assert elsewhere.read_text() == "theirs"
    assert zipfile.is_zipfile(tmp_path / "pgy1.zip")
