"""The cohort's research settings and consent on Home, through the real HTTP app and the Slack stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.research.consent import DEFAULT_STATEMENT, Decision
from circles.domain.vocabulary import Role
from circles.persistence.models import Cohort, Consent
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_cohorts import open_settings as opened_settings
from tests.e2e.test_cohorts import submit_settings

FACILITATOR, MEMBER = "U0FAC", "U0LEARN"
START, HALF, END = (f"{ids.COHORT_SURVEYS}:{phase}" for phase in ("baseline", "midpoint", "end"))
SAVED = "Saved the settings"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.facilitator(uow.session, co, FACILITATOR)
        factories.member(uow.session, co, MEMBER, Role.LEARNER)
        uow.commit()
    for user in (FACILITATOR, MEMBER):
        running.standin.add_user(user)
    return running


def open_settings(app: RunningApp) -> dict[str, Any]:
    return opened_settings(app, "pgy1", FACILITATOR)


def submit(app: RunningApp, view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    status, answer = submit_settings(app, view, FACILITATOR, **changes)
    assert status == 200
    return answer


def by_block(view: dict[str, Any]) -> dict[str, Any]:
    return {block.get("block_id"): block for block in view["blocks"]}


def chosen(view: dict[str, Any], block: str) -> list[str]:
    return [option["value"] for option in by_block(view)[block]["element"].get("initial_options") or []]


def stored(app: RunningApp) -> Cohort:
    with app.db.unit_of_work() as uow:
        cohort = uow.session.scalars(select(Cohort)).one()
        uow.session.expunge(cohort)
        return cohort


def test_a_facilitator_picks_surveys_by_title_saves_and_sees_them_again(app: RunningApp) -> None:
    view = open_settings(app)
    offered = {o["text"]["text"]: o["value"] for o in by_block(view)[START]["element"]["options"]}
    assert offered["Belonging"] == "belonging"
    assert "checkin" not in offered.values()  # the check-in's own questions are not a survey
    assert chosen(view, START) == []
    picked = {START: ["belonging", "burnout"], END: ["relationship_quality"], "ends_on": "2027-06-28"}
    assert SAVED in submit(app, view, starts_on="2027-01-11", **picked)["told"]
    assert stored(app).survey_plan == {"baseline": ["belonging", "burnout"], "end": ["relationship_quality"]}
    again = open_settings(app)
    assert chosen(again, START) == ["belonging", "burnout"]
    assert chosen(again, HALF) == []
    assert chosen(again, END) == ["relationship_quality"]


def test_unknown_surveys_and_a_half_way_survey_without_an_end_date_are_refused_on_their_fields(
    app: RunningApp,
) -> None:
    view = open_settings(app)
    answer = submit(app, view, **{START: ["belonging", "made_up"], HALF: ["burnout"]})
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {START, HALF}
    assert "made_up" in answer["errors"][START]
    assert "end date" in answer["errors"][HALF]
    assert stored(app).survey_plan == {}


def test_changing_the_statement_makes_version_2_and_the_default_left_alone_keeps_version_1(
    app: RunningApp,
) -> None:
    view = open_settings(app)
    statement = by_block(view)[ids.COHORT_RESEARCH_STATEMENT]["element"]["initial_value"]
    assert "pseudonymous" in statement  # the product's default, shown to edit
    assert SAVED in submit(app, view)["told"]
    assert (stored(app).research_statement, stored(app).research_statement_version) == (None, "1")
    words = "We study how circles help. Your answers are used under a code, never your name."
    assert SAVED in submit(app, view, **{ids.COHORT_RESEARCH_STATEMENT: words})["told"]
    assert (stored(app).research_statement, stored(app).research_statement_version) == (words, "2")
    again = open_settings(app)
    assert by_block(again)[ids.COHORT_RESEARCH_STATEMENT]["element"]["initial_value"] == words
    assert SAVED in submit(app, again)["told"]
    assert stored(app).research_statement_version == "2"  # saved unchanged: the same version


def published_home(app: RunningApp) -> str:
    [published] = app.standin.wait_for("views.publish", timeout=10)
    return json.dumps(published.args["view"], ensure_ascii=False)


def decisions(app: RunningApp) -> list[tuple[Decision, str]]:
    with app.db.unit_of_work() as uow:
        return [(row.decision, row.statement_version) for row in uow.session.scalars(select(Consent))]


def test_home_shows_research_and_agreeing_there_records_consent_and_refreshes_home(app: RunningApp) -> None:
    app.standin.clear()
    app.post(app.signer.app_home_opened(MEMBER))
    home = published_home(app)
    assert "*Research*" in home
    assert "Research in PGY-1" in home
    assert "not decided yet" in home
    assert ids.CONSENT_GIVE in home
    assert ids.CONSENT_WITHDRAW in home
    app.standin.clear()
    app.post(app.signer.block_action(ids.CONSENT_GIVE, user_id=MEMBER, value="pgy1", view={"type": "home"}))
    assert "You agreed on" in published_home(app)
    assert decisions(app) == [(Decision.GIVEN, "1")]

    view = open_settings(app)  # the facilitator rewords the statement: the member is asked again
    assert SAVED in submit(app, view, **{ids.COHORT_RESEARCH_STATEMENT: "New words."})["told"]
    app.standin.clear()
    app.post(app.signer.app_home_opened(MEMBER))
    home = published_home(app)
    assert "The statement has changed since you agreed" in home
    assert "New words." in home
    app.standin.clear()
    app.post(app.signer.slash_command("consent", user_id=MEMBER))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "The statement has changed since you agreed" in json.dumps(answer.args["blocks"])


def test_an_emptied_statement_brings_back_the_default_as_a_new_version(app: RunningApp) -> None:
    view = open_settings(app)
    assert SAVED in submit(app, view, **{ids.COHORT_RESEARCH_STATEMENT: "Ours."})["told"]
    assert SAVED in submit(app, open_settings(app), **{ids.COHORT_RESEARCH_STATEMENT: None})["told"]
    assert (stored(app).research_statement, stored(app).research_statement_version) == (None, "3")
    reopened = by_block(open_settings(app))[ids.COHORT_RESEARCH_STATEMENT]["element"]["initial_value"]
    assert reopened == DEFAULT_STATEMENT


def test_a_form_opened_before_it_had_the_research_fields_keeps_the_plan_and_the_statement(
    app: RunningApp,
) -> None:
    view = open_settings(app)
    picked = {START: ["belonging"], ids.COHORT_RESEARCH_STATEMENT: "Ours."}
    assert SAVED in submit(app, view, **picked)["told"]
    research = {START, HALF, END, ids.COHORT_RESEARCH_STATEMENT}
    older = {**view, "blocks": [b for b in view["blocks"] if b.get("block_id") not in research]}
    assert SAVED in submit(app, older, circle_max_size="5")["told"]
    cohort = stored(app)
    assert cohort.circle_max_size == 5
    assert (cohort.survey_plan, cohort.research_statement) == ({"baseline": ["belonging"]}, "Ours.")
    assert cohort.research_statement_version == "2"
