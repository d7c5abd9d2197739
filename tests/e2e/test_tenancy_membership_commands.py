"""Hostile and odd words after `/circles pause`, `join`, `leave` and `resume`, from someone in several
cohorts: each gets one private, kind answer, and nothing changes that was not asked for."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.models import Member
from tests import factories
from tests.e2e.conftest import RunningApp

PERSON = "U0MANY"


@pytest.fixture
def in_three(running: RunningApp) -> RunningApp:
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in ("pgy1", "pgy2", "faculty"):
            factories.member(
                uow.session, factories.cohort(uow.session, ws, slug, slug.upper()), PERSON, Role.PEER
            )
        uow.commit()
    running.standin.add_user(PERSON)
    return running


def say(app: RunningApp, text: str) -> str:
    status, _ = app.post(app.signer.slash_command(text, user_id=PERSON))
    assert status == 200
    [answer] = app.standin.wait_for("response_url")
    app.standin.clear()
    return json.dumps(answer.args, ensure_ascii=False)


def statuses(app: RunningApp) -> list[str]:
    with app.db.reading() as reading:
        rows = reading.session.scalars(
            select(Member).where(Member.slack_user_id == PERSON).order_by(Member.id)
        )
        return [m.status.value for m in rows]


@pytest.mark.parametrize("words", ["9" * 5000, "-1", "1e9", "２", "0", "1.5", "27", "٣"])
def test_pause_with_weeks_it_cannot_take_changes_nothing(in_three: RunningApp, words: str) -> None:
    answer = say(in_three, f"pause {words}")
    assert "pause" in answer.lower()
    assert statuses(in_three) == ["active"] * 3


def test_pause_with_many_leading_zeros_is_read_as_its_number(in_three: RunningApp) -> None:
    assert "Paused until" in say(in_three, "pause " + "0" * 5000 + "2")
    assert statuses(in_three) == ["paused"] * 3


@pytest.mark.parametrize(
    "words",
    [
        "join ../pgy1",
        "join pgy1;--",
        "join PGY1 pgy2",
        "join " + "p" * 5000,
        "join ｐｇｙ１",
        "leave pgy1 pgy2",
        "leave <@U0OTHER>",
        "leave " + "p" * 5000,
        "resume now please",
    ],
)
def test_odd_words_after_join_leave_or_resume_change_nothing(in_three: RunningApp, words: str) -> None:
    answer = say(in_three, words)
    assert "went wrong" not in answer
    assert len(answer) < 4000
    assert statuses(in_three) == ["active"] * 3


def test_leave_without_a_cohort_names_the_three_and_changes_nothing(in_three: RunningApp) -> None:
    answer = say(in_three, "leave")
    assert all(f"/circles leave {slug}" in answer for slug in ("pgy1", "pgy2", "faculty"))
    assert statuses(in_three) == ["active"] * 3
