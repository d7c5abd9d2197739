"""A survey in parts: begun before its instrument's file changed, it starts again on the new file (one
request never holds answers to two versions); sent with nothing answered in any part, it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.views.survey_form import SurveyOrigin, parts, survey_modal
from circles.domain.vocabulary import SurveyPhase
from circles.errors import InvalidSurveyAnswer, SurveyChanged
from circles.persistence.db import Database
from circles.persistence.models import Member, SurveyAnswer, SurveyRequest
from circles.services.surveys.answers import GivenSurvey, answer_survey, survey_to_answer
from instruments.catalog import instrument, use_programme_folder
from tests.integration.test_survey_planning import START, surveyed_cohort

NIA = "U0PGY10"


def long_survey(version: int, top: int) -> str:
    """An instrument too long for one form (two parts), its questions on a 1..`top` scale."""
    labels = ", ".join(f"L{value}" for value in range(1, top + 1))
    items = "".join(f"  - id: q{n}\n    text: Question {n}.\n    scale: s\n" for n in range(120))
    return (
        f"name: longone\ntitle: Long\ndescription: Many questions.\nversion: {version}\n"
        f"scales:\n  - id: s\n    min: 1\n    max: {top}\n    labels: [{labels}]\nitems:\n{items}"
    )


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """Version 1 on a five-point scale, then version 2 rescaled to seven points; version 1 in use."""
    old, new = tmp_path / "v1", tmp_path / "v2"
    old.mkdir()
    new.mkdir()
    (old / "longone.yml").write_text(long_survey(1, 5), encoding="utf-8")
    (new / "longone.yml").write_text(long_survey(2, 7), encoding="utf-8")
    use_programme_folder(old)
    return old, new


def asked(db: Database) -> int:
    """Nia's open request for the long survey, sent with version 1."""
    surveyed_cohort(db, 1)
    with db.unit_of_work() as uow:
        nia = uow.session.scalars(select(Member).where(Member.slack_user_id == NIA)).one()
        request = SurveyRequest(
            workspace_id=nia.workspace_id,
            cohort_id=nia.cohort_id,
            member_id=nia.id,
            instrument="longone",
            instrument_version=1,
            phase=SurveyPhase.BASELINE,
            due_at=START,
            sent_at=START,
        )
        uow.session.add(request)
        uow.commit()
        return request.id


def send(db: Database, request_id: int, part: int, value: int, version: int, final: bool) -> None:
    """Nia sends one part of the form, every question of it answered `value`."""
    given = GivenSurvey({item.id: value for item in parts(instrument("longone"))[part]})
    answer_survey(
        db.unit_of_work(), "T0001", NIA, request_id, given, START, cipher=None, final=final, version=version
    )


def stored(db: Database, request_id: int) -> tuple[int, bool, set[int]]:
    """The request's recorded version, whether it is answered, and the values kept for it."""
    with db.reading() as uow:
        request = uow.session.get_one(SurveyRequest, request_id)
        query = select(SurveyAnswer.value).where(SurveyAnswer.request_id == request_id)
        return request.instrument_version, request.answered_at is not None, set(uow.session.scalars(query))


def test_a_survey_begun_before_its_file_changed_starts_again_on_the_new_file(
    db: Database, files: tuple[Path, Path]
) -> None:
    request_id = asked(db)
    send(db, request_id, 0, 5, version=1, final=False)  # part 1, "5": the top of the old five-point scale
    use_programme_folder(files[1])  # the programme moves to seven points (and the app restarts)

    with pytest.raises(SurveyChanged):  # part 2 of the old form, still open
        send(db, request_id, 1, 5, version=1, final=True)
    again = survey_to_answer(db.unit_of_work(), "T0001", NIA, request_id, START)
    form = survey_modal(again, SurveyOrigin(request_id, "longone")).to_dict()
    questions = [block for block in form["blocks"] if block["type"] == "input"]
    assert len(questions) == len(parts(instrument("longone"))[0])  # part 1 is asked again, all of it
    assert "updated since you began it" in form["blocks"][0]["text"]["text"]

    send(db, request_id, 0, 6, version=2, final=False)
    send(db, request_id, 1, 7, version=2, final=True)
    assert stored(db, request_id) == (2, True, {6, 7})  # no five-point answer read as a seven-point one


def test_a_later_part_sent_to_the_new_version_drops_the_parts_sent_to_the_old_one(
    db: Database, files: tuple[Path, Path]
) -> None:
    request_id = asked(db)
    send(db, request_id, 0, 5, version=1, final=False)
    use_programme_folder(files[1])

    send(db, request_id, 1, 7, version=2, final=True)

    assert stored(db, request_id) == (2, True, {7})


def test_parts_sent_to_one_version_are_kept_together_and_not_asked_again(
    db: Database, files: tuple[Path, Path]
) -> None:
    request_id = asked(db)
    send(db, request_id, 0, 5, version=1, final=False)

    again = survey_to_answer(db.unit_of_work(), "T0001", NIA, request_id, START)
    assert not again.started_over
    form = survey_modal(again, SurveyOrigin(request_id, "longone")).to_dict()
    assert [block for block in form["blocks"] if block["type"] == "input"] == []  # part 1 is kept
    send(db, request_id, 1, 4, version=1, final=True)
    assert stored(db, request_id) == (1, True, {4, 5})


def test_a_survey_in_parts_sent_with_nothing_answered_is_refused_and_stays_open(
    db: Database, files: tuple[Path, Path]
) -> None:
    request_id = asked(db)
    nothing = GivenSurvey({})
    answer_survey(db.unit_of_work(), "T0001", NIA, request_id, nothing, START, cipher=None, final=False)

    with pytest.raises(InvalidSurveyAnswer) as refused:
        answer_survey(db.unit_of_work(), "T0001", NIA, request_id, nothing, START, cipher=None)

    assert "nothing was answered" in " ".join(refused.value.problems.values())
    assert stored(db, request_id) == (1, False, set())  # not a response: still open, nothing counted


def test_the_last_part_may_be_left_empty_when_an_earlier_part_was_answered(
    db: Database, files: tuple[Path, Path]
) -> None:
    request_id = asked(db)
    send(db, request_id, 0, 3, version=1, final=False)

    answer_survey(db.unit_of_work(), "T0001", NIA, request_id, GivenSurvey({}), START, cipher=None)

    assert stored(db, request_id) == (1, True, {3})
