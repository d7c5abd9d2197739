"""A survey in parts is not sent empty: its last part, with nothing answered before, is refused on the
form as an empty one-part form is; a part left empty on the way, or after earlier answers, goes on."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack

from bot import ids
from bot.listeners.views.surveys import check_form
from bot.views.survey_form import SurveyOrigin, parts, survey_modal
from circles.domain.vocabulary import SurveyPhase
from circles.services.surveys.answers import SurveyToAnswer
from instruments.catalog import instrument, use_programme_folder

ITEMS = "".join(f"  - id: q{n}\n    text: Question {n}.\n    scale: s\n" for n in range(120))
LONG = (
    "name: longone\ntitle: Long\ndescription: Many questions.\nversion: 1\n"
    f"scales:\n  - id: s\n    min: 1\n    max: 5\n    labels: [A, B, C, D, E]\nitems:\n{ITEMS}"
)


@pytest.fixture(autouse=True)
def long_survey(tmp_path: Path) -> None:
    """A programme's instrument too long for one form: two parts."""
    (tmp_path / "longone.yml").write_text(LONG, encoding="utf-8")
    use_programme_folder(tmp_path)


def acked(part: int, answered: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What the ack answers to this part's form sent with nothing chosen."""
    survey = SurveyToAnswer(7, instrument("longone"), SurveyPhase.BASELINE, "PGY-1", datetime.now(UTC))
    form = survey_modal(replace(survey, answered=answered), SurveyOrigin(7, "longone", part=part))
    ack = Ack()  # type: ignore[no-untyped-call]
    check_form(ack, {"view": form.to_dict() | {"state": {"values": {}}}})
    assert ack.response is not None
    said: dict[str, Any] = json.loads(ack.response.body or "{}")
    return said  # empty: the form closes, its answers sent


def test_the_last_part_sent_empty_with_nothing_answered_before_stays_open_asking_for_an_answer() -> None:
    last = len(parts(instrument("longone"))) - 1
    said = acked(last)
    assert said.get("response_action") == "errors"
    assert (
        "Answer at least one question"
        in said["errors"][ids.SURVEY_ITEM + parts(instrument("longone"))[last][0].id]
    )


def test_the_last_part_may_be_sent_empty_once_an_earlier_part_was_answered() -> None:
    first = frozenset(item.id for item in parts(instrument("longone"))[0])
    assert acked(len(parts(instrument("longone"))) - 1, answered=first) == {}  # the form closes: sent


def test_a_part_left_empty_on_the_way_goes_on_to_the_next() -> None:
    assert acked(0)["response_action"] == "update"
