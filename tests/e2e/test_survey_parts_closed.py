"""A survey in parts whose form the person closes between them: the part sent is kept, and the DM says so
and how to go on, never that nothing was changed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import MemberStatus
from circles.persistence.models import Cohort, Member, SurveyAnswer, SurveyRequest
from standin import Call
from tests.e2e.conftest import RunningApp
from tests.e2e.test_surveys import TODAY, answer_pressed, on, seed, surveys_to
from tests.e2e.test_tick import tick

APP = ("bot", "circles")
QUESTIONS = 120  # one block each: more than a form holds, so two parts
LONG = "\n".join(
    [
        "name: ward_pulse",
        "title: Ward pulse",
        "description: Many short questions our programme asks. Your answers are private.",
        "version: 1",
        "scales:",
        "  - id: agree5",
        "    min: 1",
        "    max: 5",
        "    labels: [Never, Rarely, Sometimes, Often, Always]",
        "items:",
        *(f"  - id: q{n:03}\n    text: Question {n}.\n    scale: agree5" for n in range(QUESTIONS)),
    ]
)


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "ward_pulse.yml").write_text(LONG + "\n", encoding="utf-8")
    return folder


def invited(serve_app: Callable[..., RunningApp], programme: Path) -> tuple[RunningApp, Call]:
    app = serve_app(circles_instruments_dir=programme)
    seed(app)
    with app.db.unit_of_work() as uow:
        uow.session.scalars(select(Cohort)).one().survey_plan = {"baseline": ["ward_pulse"]}
        uow.commit()
    tick(app, on(TODAY, 9, 5), CIRCLES_INSTRUMENTS_DIR=str(programme))
    [invite] = surveys_to(app, "U0NIA")
    return app, invite


def pressed(app: RunningApp, invite: Call, trigger_id: str) -> tuple[dict[str, Any], str]:
    """Nia presses Answer: the form opened, and its id."""
    view = answer_pressed(app, invite, "U0NIA", trigger_id)
    return view, str(app.standin.calls("views.open")[-1].response["view"]["id"])


def submit(app: RunningApp, view: dict[str, Any], view_id: str, values: dict[str, Any]) -> None:
    request = app.signer.view_submission(
        ids.SURVEY_VIEW,
        user_id="U0NIA",
        values=values,
        private_metadata=view["private_metadata"],
        view_id=view_id,
    )
    assert app.post(request)[0] == 200


def chosen(view: dict[str, Any], value: str) -> dict[str, Any]:
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    return {
        block: {ids.INPUT: {"type": "radio_buttons", "selected_option": {"value": value}}} for block in inputs
    }


def test_a_part_sent_after_the_form_was_closed_is_kept_and_the_dm_says_how_to_go_on(
    serve_app: Callable[..., RunningApp], programme: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app, invite = invited(serve_app, programme)
    first, form = pressed(app, invite, "1.2")
    assert "Part 1 of 2" in json.dumps(first)
    app.standin.clear()
    app.standin.error("views.update", "not_found")  # Nia closed the form before the next part came

    submit(app, first, form, chosen(first, "4"))
    app.activity.wait_idle(30)

    with app.db.reading() as uow:
        kept = uow.session.scalars(select(SurveyAnswer)).all()
        answered = uow.session.scalars(select(SurveyRequest.answered_at)).all()
    assert len(kept) == len(chosen(first, "4"))
    assert {a.value for a in kept} == {4}
    assert answered == [None, None]  # part 2 is still to come
    told = [json.dumps(c.args, ensure_ascii=False) for c in app.standin.calls("chat.postMessage")]
    assert len(told) == 1
    assert "nothing was changed" not in told[0]
    assert "part 1 of 2 are saved" in told[0]
    assert "Answer" in told[0]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(APP)]
    assert not errors

    # What the DM says is what happens: Answer opens the survey again, and Next leads to part 2, with the
    # answers already given kept as they were.
    app.standin.clear()
    again, form = pressed(app, invite, "1.3")
    assert "Part 1 of 2" in json.dumps(again)
    submit(app, again, form, chosen(again, "1"))
    [following] = app.standin.wait_for("views.update")
    second = following.args["view"]
    assert "Part 2 of 2" in json.dumps(second)
    app.standin.clear()
    submit(app, second, form, chosen(second, "5"))
    app.standin.wait_for("chat.update")
    app.settled()
    with app.db.reading() as uow:
        values = [a.value or 0 for a in uow.session.scalars(select(SurveyAnswer))]
        answered = uow.session.scalars(select(SurveyRequest.answered_at)).all()
    assert sorted(values) == sorted([4] * len(chosen(first, "4")) + [5] * len(chosen(second, "5")))
    assert len([at for at in answered if at is not None]) == 1


def item_inputs(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_a_survey_opened_again_asks_nothing_already_answered_and_two_forms_count_once(
    serve_app: Callable[..., RunningApp], programme: Path
) -> None:
    app, invite = invited(serve_app, programme)
    first, form = pressed(app, invite, "1.2")
    app.standin.clear()
    app.standin.error("views.update", "not_found")  # Slack dropped the form before the next part came
    submit(app, first, form, chosen(first, "4"))
    app.activity.wait_idle(30)

    # Opened again on two devices: neither asks part 1's questions again; each goes straight on to part 2.
    views = []
    for trigger in ("1.3", "1.4"):
        app.standin.clear()
        views.append(pressed(app, invite, trigger))
    for again, _ in views:
        assert item_inputs(again) == []
        assert "already answered" in json.dumps(again)
    seconds = []
    for again, form in views:
        app.standin.clear()
        submit(app, again, form, {})
        [following] = app.standin.wait_for("views.update")
        seconds.append(following.args["view"])
    assert all("Part 2 of 2" in json.dumps(second) for second in seconds)
    assert not set(item_inputs(seconds[0])) & set(item_inputs(first))

    app.standin.clear()
    submit(app, seconds[0], views[0][1], chosen(seconds[0], "5"))
    submit(app, seconds[1], views[1][1], chosen(seconds[1], "2"))  # the other device, a moment later
    app.settled()
    with app.db.reading() as uow:
        values = [a.value or 0 for a in uow.session.scalars(select(SurveyAnswer))]
        answered = uow.session.scalars(select(SurveyRequest.answered_at)).all()
    # Each form is saved after its ack, in a thread of its own: whichever is saved first counts, and only it.
    part_one, part_two = [4] * len(item_inputs(first)), len(item_inputs(seconds[0]))
    assert sorted(values) in (sorted(part_one + [5] * part_two), sorted(part_one + [2] * part_two))
    assert len([at for at in answered if at is not None]) == 1
    told = json.dumps([c.args for c in app.standin.calls("chat.postMessage")])
    assert "already answered this survey" in told


def test_a_part_refused_after_its_ack_is_said_on_the_form_not_left_on_one_moment(
    serve_app: Callable[..., RunningApp], programme: Path
) -> None:
    app, invite = invited(serve_app, programme)
    first, form = pressed(app, invite, "1.2")
    with app.db.unit_of_work() as uow:  # Nia leaves, from another device, while part 1 is open
        nia = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0NIA")).one()
        nia.status = MemberStatus.LEFT
        uow.commit()
    app.standin.clear()
    submit(app, first, form, chosen(first, "4"))  # acked with "One moment…": part 2 would follow
    [refusal] = app.standin.wait_for("views.update")
    assert refusal.args["view_id"] == form
    assert "closed" in json.dumps(refusal.args["view"], ensure_ascii=False)
    app.settled()
    with app.db.reading() as uow:
        assert uow.session.scalars(select(SurveyAnswer)).all() == []
