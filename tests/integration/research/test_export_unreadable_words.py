"""Shared survey words the notes key no longer opens are counted, not passed off as unanswered: the export's
result, the log (a count only), its CLI line, its Slack comment and its README.txt say how many."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest

from bot.cli_export import summary
from bot.views.research_export import export_comment
from circles.persistence.db import Database
from circles.services.research.export import ResearchExport, research_export
from tests.integration.research.test_export import KEY, NOW, seed, table
from tests.integration.research.test_export_own_words import (
    opened_with_todays_key,
    reflection,  # noqa: F401  (the fixture)
    reflections,
    wrote,
)

OLD_WORDS = "old key: sealed before the notes key changed"


def readme(made: ResearchExport) -> str:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return archive.read("README.txt").decode("utf-8")


def exported(db: Database) -> ResearchExport:
    return research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY, decrypt=opened_with_todays_key)


def test_words_the_key_no_longer_opens_are_counted_logged_as_a_count_and_said_wherever_the_export_goes(
    db: Database,
    reflection: None,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    seed(db, 5)
    wrote(db, "U0L000000", OLD_WORDS)
    wrote(db, "U0L000001", "old key: and these too")
    wrote(db, "U0L000002", "we met every week")
    wrote(db, "U0L000003", "old key: kept to myself", shared=False)  # never read: not counted
    with caplog.at_level(logging.INFO):
        made = exported(db)
    assert made.unreadable == 2
    assert sorted(row["reflection_words"] for row in reflections(made)) == ["", "", "", "we met every week"]
    [warning] = [r for r in caplog.records if "could not be opened" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith("2 survey answer(s)'")
    assert "old key" not in caplog.text
    assert "answers' words that could not be opened: 2" in summary(made, Path("out.zip"))
    assert "2 answers' words could not be opened with the current notes key" in export_comment(made)
    assert "In this package: 2 answers." in " ".join(readme(made).split())


def test_the_codebook_says_an_empty_cell_may_be_words_the_key_could_not_open(
    db: Database,
    reflection: None,  # noqa: F811
) -> None:
    seed(db, 5)
    wrote(db, "U0L000000", "fine")
    made = exported(db)
    assert made.unreadable == 0
    [words] = [row for row in table(made, "codebook") if row["variable"] == "reflection_words"]
    assert "sealed under a notes key since replaced" in words["allowed"]
    assert "In this package: none." in " ".join(readme(made).split())
    assert "could not be opened" not in summary(made, Path("out.zip")) + export_comment(made)
