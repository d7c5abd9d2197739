"""PostgreSQL drops a connection in the middle of a person's request: they hear so, the next request works."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import Role
from circles.persistence.models import Cohort
from tests.databases import migrated_postgres
from tests.dropping import COMMIT, dropped_at
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import open_settings, submit_settings
from tests.e2e.test_profiles_directory import click, direct_messages, request_coach, seed

pytestmark = pytest.mark.postgres

ADMIN = "U0ADMIN"
NAME = "MARKER-NAME-spring residents"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> Iterator[RunningApp]:
    with migrated_postgres() as url:
        yield serve_app(url, circles_admins=frozenset({ADMIN}))


def say(app: RunningApp, text: str) -> str:
    status, _ = app.post(app.signer.slash_command(text, user_id=ADMIN))
    assert status == 200
    [answer] = app.standin.wait_for("response_url")
    app.standin.clear()
    return json.dumps(answer.args)


def cohorts(app: RunningApp) -> list[str]:
    with app.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(Cohort.slug)))


@pytest.mark.parametrize(
    ("statement", "skip"),
    [("INSERT INTO seen_requests", 0), ("INSERT INTO cohorts", 0), (COMMIT, 0), (COMMIT, 1)],
    ids=["taking the request in", "writing", "committing the request's key", "committing the work"],
)
def test_a_request_whose_connection_drops_is_answered_plainly_and_the_next_one_works(
    app: RunningApp, caplog: pytest.LogCaptureFixture, statement: str, skip: int
) -> None:
    caplog.set_level(logging.INFO)
    with dropped_at(app.db.engine, statement, skip=skip) as dropped:
        answer = say(app, f"cohort create spring {NAME}")
    assert dropped
    assert "Circles could not do that just now; please try again" in answer
    assert cohorts(app) == []
    # Circles' own lines (a busy machine may have the server note its queue, which is not ours to count).
    troubles = [
        r for r in caplog.records if r.levelno >= logging.WARNING and not r.name.startswith("waitress")
    ]
    assert len(troubles) == 1, [r.getMessage() for r in troubles]
    assert troubles[0].exc_info is None
    assert NAME not in caplog.text
    assert "spring" not in caplog.text

    assert "Created" in say(app, f"cohort create spring {NAME}")
    assert cohorts(app) == ["spring"]


def test_a_request_done_is_not_answered_as_failed_when_forgetting_old_requests_fails_afterwards(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    with dropped_at(app.db.engine, "DELETE FROM seen_requests") as dropped:
        assert app.post(app.signer.slash_command(f"cohort create spring {NAME}", user_id=ADMIN))[0] == 200
        app.settled()
    assert dropped
    answers = [json.dumps(call.args) for call in app.standin.calls("response_url")]
    assert len(answers) == 1  # before: then "Circles could not do that just now"
    assert "Created" in answers[0]
    assert cohorts(app) == ["spring"]
    assert "could not forget old requests: OperationalError" in caplog.text
    assert NAME not in caplog.text


def test_a_form_whose_saving_drops_the_connection_says_so_on_the_form_itself(app: RunningApp) -> None:
    assert "Created" in say(app, f"cohort create spring {NAME}")
    view = open_settings(app, "spring", ADMIN)
    with dropped_at(app.db.engine, "UPDATE cohorts") as dropped:
        _, answer = submit_settings(app, view, ADMIN, circle_max_size="5")
    assert dropped
    assert "Circles could not do that just now; please try again" in answer["told"]  # not "One moment…"
    assert not [c for c in app.standin.calls("chat.postMessage") if c.args["channel"] == ADMIN]
    with app.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Cohort.circle_max_size)).one() == 6


def test_a_request_whose_copy_cannot_be_kept_still_reaches_the_coach_and_the_learner_hears_so(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    seed(app, U0LEARN=Role.LEARNER, U0ADA=Role.COACH, U0BEN=Role.COACH)
    with dropped_at(app.db.engine, "UPDATE coach_requests SET guide_channel") as dropped:
        answer = request_coach(app, "U0LEARN", "U0ADA")
    assert dropped
    assert "asked <@U0ADA> privately" in json.dumps(answer.args)
    assert direct_messages(app, "U0ADA")  # the request went
    assert "could not keep where request 1 was posted: OperationalError" in caplog.text

    app.standin.clear()  # withdrawn, it cannot be redrawn: its place was never kept
    refused = request_coach(app, "U0LEARN", "U0BEN")
    [withdraw] = [e for b in refused.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    app.standin.clear()
    click(app, ids.REQUEST_WITHDRAW, "U0LEARN", withdraw["value"], channel_id="C0GENERAL01")
    assert "is withdrawn" in app.standin.wait_for("response_url", timeout=10)[0].args["text"]
    app.settled()
    assert app.standin.calls("chat.update") == []
