"""A programme's own instrument (CIRCLES_INSTRUMENTS_DIR) goes out like a shipped one, and the words a
member writes in it stay theirs: encrypted at rest, in no message to anyone, in no log line."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot import ids
from circles.persistence.models import Cohort, SurveyAnswer, SurveyRequest
from instruments.catalog import use_programme_folder
from standin import Call
from tests.e2e.conftest import RunningApp
from tests.e2e.test_quiet_logs import app_log  # noqa: F401  (the app's own logging, to a buffer)
from tests.e2e.test_surveys import TODAY, answer_pressed, on, seed, submit, surveys_to
from tests.e2e.test_tick import tick

WORDS = "MARKER-SURVEY nights on ward 7 are wearing me down"
REFLECTION = """\
name: ward_reflection
title: Our ward, this month
description: Two questions our programme asks of its residents. Your answers are private.
version: 3
scales:
  - id: often5
    min: 1
    max: 5
    labels: [Never, Rarely, Sometimes, Often, Always]
items:
  - id: supported
    text: I felt supported by my team this month.
    scale: often5
  - id: words
    text: Anything you would like to add?
    scale: text
"""


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "ward_reflection.yml").write_text(REFLECTION, encoding="utf-8")
    return folder


def test_a_programmes_own_survey_is_sent_answered_and_its_words_reach_nobody(
    app_log: io.StringIO,  # noqa: F811  (first: the app logs into it, as `circles run` sets logging up first)
    serve_app: Callable[..., RunningApp],
    programme: Path,
) -> None:
    app, invite = invited(serve_app, programme)
    assert "Our ward, this month" in json.dumps(invite.args, ensure_ascii=False)

    view = answer_pressed(app, invite, "U0NIA", trigger_id="1.2")
    values = {
        ids.SURVEY_ITEM + "supported": {
            ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": "2"}}
        },
        ids.SURVEY_ITEM + "words": {ids.INPUT: {"type": "plain_text_input", "value": WORDS}},
        ids.SURVEY_RESEARCH + "words": {ids.INPUT: {"type": "checkboxes", "selected_options": []}},
    }
    submit(app, view["private_metadata"], values)
    app.standin.wait_for("chat.update")
    app.settled()

    with app.db.reading() as uow:
        stored = {a.item_id: a for a in uow.session.scalars(select(SurveyAnswer))}
        raw = uow.session.execute(text("SELECT text_encrypted FROM survey_answers")).scalars().all()
    assert stored["supported"].value == 2
    assert stored["words"].text_encrypted is not None
    assert stored["words"].text_shared_for_research is False
    assert not any(b"MARKER-SURVEY" in bytes(cell) for cell in raw if cell is not None)

    app.post(app.signer.slash_command("health pgy1", user_id="U0FAY"))
    app.standin.wait_for("response_url", timeout=10)
    app.settled()
    said = json.dumps([(c.method, c.args) for c in app.standin.calls()], ensure_ascii=False)
    assert "Our ward, this month: 1 of 2 answered (50%)" in said
    assert "MARKER-SURVEY" not in said  # not to the facilitator, not to anyone
    assert "MARKER-SURVEY" not in app_log.getvalue()


def test_a_form_opened_before_its_instrument_changed_stores_nothing_and_the_new_one_records_its_version(
    serve_app: Callable[..., RunningApp], programme: Path, tmp_path: Path
) -> None:
    app, invite = invited(serve_app, programme)
    old_form = answer_pressed(app, invite, "U0NIA", trigger_id="1.2")

    # The programme moves its question to a seven-point scale while Nia's form is open.
    changed = tmp_path / "instruments-v4"
    changed.mkdir()
    seven = "min: 1\n    max: 7\n    labels: [Never, Seldom, Rarely, Sometimes, Often, Mostly, Always]"
    new_text = REFLECTION.replace("version: 3", "version: 4").replace("often5", "often7")
    new_text = new_text.replace(
        "min: 1\n    max: 5\n    labels: [Never, Rarely, Sometimes, Often, Always]", seven
    )
    (changed / "ward_reflection.yml").write_text(new_text, encoding="utf-8")
    use_programme_folder(changed)

    app.standin.clear()
    chosen = {ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": "5"}}}
    submit(app, old_form["private_metadata"], {ids.SURVEY_ITEM + "supported": chosen})
    [told] = app.standin.wait_for("chat.postMessage")
    assert "updated since you opened it" in json.dumps(told.args)
    app.settled()
    with app.db.reading() as uow:
        assert uow.session.scalars(select(SurveyAnswer)).all() == []  # a 5 of five is not a 5 of seven

    app.standin.clear()
    new_form = answer_pressed(app, invite, "U0NIA", trigger_id="1.3")
    submit(app, new_form["private_metadata"], {ids.SURVEY_ITEM + "supported": chosen})
    app.standin.wait_for("chat.update")
    app.settled()
    with app.db.reading() as uow:
        assert [a.value for a in uow.session.scalars(select(SurveyAnswer))] == [5]
        answered = select(SurveyRequest.instrument_version).where(SurveyRequest.answered_at.is_not(None))
        assert uow.session.scalars(answered).all() == [4]


def invited(serve_app: Callable[..., RunningApp], programme: Path) -> tuple[RunningApp, Call]:
    """The app with the programme's instruments, and Nia's invitation to the ward's own survey at baseline."""
    app = serve_app(circles_instruments_dir=programme)
    seed(app)
    with app.db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().survey_plan = {"baseline": ["ward_reflection"]}
        uow.commit()
    tick(app, on(TODAY, 9, 5), CIRCLES_INSTRUMENTS_DIR=str(programme))
    [invite] = surveys_to(app, "U0NIA")
    return app, invite
