"""Survey answers given to an older version of an instrument: in the export, never read by the new file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from circles.domain.vocabulary import SurveyPhase
from circles.persistence.db import Database
from circles.persistence.models import Member, SurveyAnswer, SurveyRequest
from instruments.catalog import use_programme_folder
from tests.integration.research.test_export import START, export, seed, table

V1 = """\
name: reflection
title: Looking back
description: Two questions. Your answers are private.
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
  - id: calm
    text: I felt calm.
    scale: agree5
"""
# Version 2 turns `calm` into a reverse-scored "on edge", and replaces `helped` with `useful`.
V2 = (
    V1.replace("version: 1", "version: 2")
    .replace("  - id: helped\n    text: The programme helped me.\n    scale: agree5\n", "")
    .replace(
        "text: I felt calm.\n    scale: agree5", "text: I felt on edge.\n    scale: agree5\n    reverse: true"
    )
    + "  - id: useful\n    text: It was useful.\n    scale: agree5\n"
)


def answered(db: Database, user_id: str, version: int, values: dict[str, int]) -> None:
    """The member's end survey, answered to this version of the reflection."""
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one()
        request = SurveyRequest(
            workspace_id=member.workspace_id,
            cohort_id=member.cohort_id,
            member_id=member.id,
            instrument="reflection",
            instrument_version=version,
            phase=SurveyPhase.END,
            due_at=START,
            sent_at=START,
            answered_at=START,
        )
        uow.session.add(request)
        uow.session.flush()
        uow.session.add_all(
            SurveyAnswer(workspace_id=member.workspace_id, request_id=request.id, item_id=item, value=value)
            for item, value in values.items()
        )
        uow.commit()


def test_answers_to_an_older_version_keep_their_row_but_are_not_scored_by_the_new_file(
    db: Database, tmp_path: Path
) -> None:
    (tmp_path / "reflection.yml").write_text(V2, encoding="utf-8")
    use_programme_folder(tmp_path)  # the programme's file is at version 2 now
    seed(db, 6)
    for n in range(3):  # "I felt calm": strongly agree, answered before the file changed
        answered(db, f"U0L{n:06d}", 1, {"helped": 5, "calm": 5})
    for n in range(3, 6):  # "I felt on edge": strongly agree, reverse-scored to 1
        answered(db, f"U0L{n:06d}", 2, {"calm": 5, "useful": 3})

    rows = [row for row in table(export(db), "survey_answers") if row["instrument"] == "reflection"]

    old = [row for row in rows if row["instrument_version"] == "1"]
    new = [row for row in rows if row["instrument_version"] == "2"]
    assert (len(old), len(new)) == (3, 3)
    assert all(row["phase"] == "end" and row["person_id"].startswith("P-") for row in old)
    # A calm 5 read as an on-edge 5 would score as distress: the old answers are left unscored.
    assert all(
        row["reflection_calm"] == row["reflection_useful"] == row["reflection_total"] == "" for row in old
    )
    assert all(row["reflection_calm"] == "5" and float(row["reflection_total"]) == 2 for row in new)


def test_the_codebook_says_answers_to_an_older_version_are_not_scored(db: Database, tmp_path: Path) -> None:
    (tmp_path / "reflection.yml").write_text(V2, encoding="utf-8")
    use_programme_folder(tmp_path)
    seed(db, 5)

    [described] = [
        row for row in table(export(db), "codebook") if row.get("variable") == "instrument_version"
    ]

    assert "not scored" in " ".join(described.values())
