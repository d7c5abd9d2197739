"""Members' own words shared for research: one that could name someone is withheld, the export goes on."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import SurveyPhase
from circles.notes import NoteUnreadable
from circles.persistence.db import Database
from circles.persistence.models import Member, SurveyAnswer, SurveyRequest
from circles.services.research.export import ResearchExport, research_export
from instruments.catalog import use_programme_folder
from tests.integration.research.test_export import KEY, NOW, START, seed, table
from tests.integration.research.test_export_names import named

REFLECTION = """\
name: reflection
title: Looking back
description: One question about the programme. Your answers are private.
version: 1
scales:
  - id: agree5
    min: 1
    max: 5
    labels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]
items:
  - id: helped
    text: The programme helped me.
    scale: agree5
  - id: words
    text: Anything you would like to add?
    scale: text
"""


@pytest.fixture
def reflection(tmp_path: Path) -> None:
    """The programme's own instrument, with a free-text item, known to the process for this test."""
    (tmp_path / "reflection.yml").write_text(REFLECTION, encoding="utf-8")
    use_programme_folder(tmp_path)


def wrote(db: Database, user_id: str, words: str, shared: bool = True) -> None:
    """The member answered the reflection with these words (sealed as bytes), shared for research or not."""
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        request = SurveyRequest(
            workspace_id=member.workspace_id,
            cohort_id=member.cohort_id,
            member_id=member.id,
            instrument="reflection",
            instrument_version=1,
            phase=SurveyPhase.END,
            due_at=START,
            sent_at=START,
            answered_at=START,
        )
        uow.session.add(request)
        uow.session.flush()
        uow.session.add_all(
            [
                SurveyAnswer(
                    workspace_id=member.workspace_id, request_id=request.id, item_id="helped", value=4
                ),
                SurveyAnswer(
                    workspace_id=member.workspace_id,
                    request_id=request.id,
                    item_id="words",
                    text_encrypted=words.encode(),
                    text_shared_for_research=shared,
                ),
            ]
        )
        uow.commit()


def export(db: Database) -> ResearchExport:
    return research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY, decrypt=bytes.decode)


def reflections(made: ResearchExport) -> list[dict[str, str]]:
    return [row for row in table(made, "survey_answers") if row["instrument"] == "reflection"]


def everything(made: ResearchExport) -> str:
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_shared_words_naming_a_member_of_the_workspace_are_withheld_and_the_export_goes_on(
    db: Database, reflection: None
) -> None:
    seed(db, 5)
    named(db, "U0C000000", "Will Okafor")
    wrote(db, "U0L000000", "I will keep going, thanks to my coach")
    wrote(db, "U0L000001", "nights on ward 7 were long but we met anyway")
    wrote(db, "U0L000002", "my coach Will listened", shared=False)
    made = export(db)
    assert (made.included, made.withheld) == (10, 1)
    rows = reflections(made)
    assert sorted(row["reflection_words"] for row in rows) == [
        "",
        "nights on ward 7 were long but we met anyway",
        "withheld",
    ]
    assert [row["reflection_helped"] for row in rows] == ["4", "4", "4"]
    assert "keep going" not in everything(made)


def test_an_email_or_a_slack_id_in_shared_words_is_withheld_too(db: Database, reflection: None) -> None:
    seed(db, 5)
    wrote(db, "U0L000000", "ask me at lee@example.org")
    wrote(db, "U0L000001", "thanks <@U0C000001>")
    made = export(db)
    assert made.withheld == 2
    assert [row["reflection_words"] for row in reflections(made)] == ["withheld", "withheld"]


def test_the_codebook_and_the_readme_say_what_withheld_means(db: Database, reflection: None) -> None:
    seed(db, 5)
    wrote(db, "U0L000000", "fine")
    made = export(db)
    [words] = [row for row in table(made, "codebook") if row["variable"] == "reflection_words"]
    assert "withheld" in words["allowed"]
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        assert '"withheld"' in archive.read("README.txt").decode("utf-8")


def opened_with_todays_key(sealed: bytes) -> str:
    """Decrypt as the installation does, where words sealed under a key since replaced no longer open."""
    if sealed.startswith(b"old key:"):
        raise NoteUnreadable()
    return sealed.decode()


def test_shared_words_the_key_no_longer_opens_are_left_out_and_the_export_goes_on(
    db: Database, reflection: None
) -> None:
    seed(db, 5)
    wrote(db, "U0L000000", "old key: sealed before the notes key changed")
    wrote(db, "U0L000001", "we met every week")
    made = research_export(db.unit_of_work(), "T0001", "pgy1", NOW, key=KEY, decrypt=opened_with_todays_key)
    assert sorted(row["reflection_words"] for row in reflections(made)) == ["", "we met every week"]
    assert [row["reflection_helped"] for row in reflections(made)] == ["4", "4"]


def test_shared_words_holding_a_number_of_someones_display_name_are_kept_and_their_name_is_not(
    db: Database, reflection: None
) -> None:
    seed(db, 5)
    named(db, "U0C000000", "Sam Lee 2027")
    named(db, "U0C000001", "Ward 20 Charge Nurse")
    wrote(db, "U0L000000", "by 2027 I felt settled, 20 shifts in")
    wrote(db, "U0L000001", "Lee listened")
    made = export(db)
    assert made.withheld == 1
    assert sorted(row["reflection_words"] for row in reflections(made)) == [
        "by 2027 I felt settled, 20 shifts in",
        "withheld",
    ]
