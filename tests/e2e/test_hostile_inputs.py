"""Hostile input over real HTTP: odd characters, odd forms and other people's buttons change nothing."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from sqlalchemy import select

from bot import ids
from bot.deps import build_deps
from bot.dispatch import DispatchOptions
from bot.pacing import Pacer, SlackLimits
from bot.tick import run_tick
from circles.domain.vocabulary import PartnershipStatus, Role
from circles.notes import note_cipher
from circles.persistence.models import Partnership
from standin import SignedRequest, SlackStandIn
from standin.defaults import DEFAULT_TEAM_ID
from standin.forms import submitted_values
from tests import factories
from tests.databases import migrated_postgres, migrated_sqlite_url
from tests.e2e.conftest import RunningApp, start_app
from tests.e2e.test_checkins import click, form_values, outbox, post_checkin, seed, stored
from tests.e2e.test_cohorts import ADMIN, cohorts, open_settings, say

FORM = "application/x-www-form-urlencoded"

NUL_AND_OVERRIDE = "need\x00 help \u202eevil\u202c now\x07"
CLEANED = "need help evil now"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def on_each_database(
    request: pytest.FixtureRequest, serve_app: Callable[..., RunningApp], tmp_path: Path
) -> Iterator[RunningApp]:
    if request.param == "sqlite":
        yield serve_app(migrated_sqlite_url(tmp_path))
        return
    with migrated_postgres() as url:
        yield serve_app(url)


def test_a_support_message_with_a_nul_and_a_direction_override_reaches_the_facilitator_cleaned(
    on_each_database: RunningApp,
) -> None:
    app = on_each_database
    seed(app)
    app.post(app.signer.slash_command(f"support {NUL_AND_OVERRIDE}", user_id="U0LEE"))
    [answer] = app.standin.wait_for("response_url")
    assert "went wrong" not in str(answer.args)
    [dm] = outbox(app)
    assert (dm.channel, dm.payload["args"]["message"]) == ("U0FAY", CLEANED)


def test_a_checkin_note_with_a_nul_and_a_direction_override_is_stored_and_shared_cleaned(
    on_each_database: RunningApp,
) -> None:
    app = on_each_database
    posted = post_checkin(app, seed(app))
    click(app, posted, ids.CHECKIN_OPEN_SUPPORT, str(posted.checkin_id))
    [opened] = app.standin.wait_for("views.open")
    app.standin.clear()
    values = form_values("2", "no", "line one\n" + NUL_AND_OVERRIDE, share=True, support=True)
    submit = app.signer.view_submission(
        ids.CHECKIN_VIEW,
        user_id="U0LEE",
        values=values,
        private_metadata=opened.args["view"]["private_metadata"],
    )
    assert app.post(submit) == (200, b"")
    app.standin.wait_for("chat.update")
    row = stored(app, posted.checkin_id)
    assert row.note_encrypted is not None
    assert note_cipher(app.settings).decrypt(row.note_encrypted) == "line one\n" + CLEANED
    [to_facilitator] = outbox(app)
    assert to_facilitator.payload["args"]["message"] == "line one\n" + CLEANED


def changed(
    app: RunningApp, request: SignedRequest, change: Callable[[dict[str, Any]], None]
) -> SignedRequest:
    """The same interactive request with its payload changed, signed again as Slack would sign it."""
    payload = json.loads(parse_qs(request.body.decode())["payload"][0])
    change(payload)
    return app.signer.sign(urlencode({"payload": json.dumps(payload)}).encode(), FORM)


def settings_submission(app: RunningApp, view: dict[str, Any], **changes: Any) -> SignedRequest:
    return app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW,
        user_id=ADMIN,
        values=submitted_values(view, changes),
        private_metadata=view["private_metadata"],
    )


def answer_to(app: RunningApp, request: SignedRequest) -> dict[str, Any]:
    status, body = app.post(request)
    assert status == 200
    answer: dict[str, Any] = json.loads(body) if body else {}
    return answer


@pytest.fixture(scope="module")
def opened_form(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningApp, dict[str, Any]]]:
    """An admin's new cohort `pgy1`, with its settings form open: one for every refused submission below,
    since a refused one changes nothing (each test checks that it did not)."""
    with contextlib.ExitStack() as stack:
        standin = stack.enter_context(SlackStandIn())
        folder = tmp_path_factory.mktemp("hostile-settings")
        app = start_app(stack, standin, folder, circles_admins=frozenset({ADMIN}))
        say(app, "cohort create pgy1 PGY-1", ADMIN)
        yield app, open_settings(app, "pgy1", ADMIN)


@pytest.fixture
def configurable(
    opened_form: tuple[RunningApp, dict[str, Any]],
) -> Iterator[tuple[RunningApp, dict[str, Any]]]:
    """The cohort's settings form open, as if for this test alone: Slack has heard nothing yet."""
    app, _ = opened_form
    app.standin.clear()
    yield opened_form
    app.settled()


def unchanged(app: RunningApp) -> bool:
    [cohort] = cohorts(app)
    return (cohort.pairing_mode.value, cohort.ends_on, cohort.prompt_local_time.hour) == ("none", None, 9)


def test_a_settings_submission_without_its_state_is_answered_on_the_form(
    configurable: tuple[RunningApp, dict[str, Any]],
) -> None:
    app, view = configurable
    request = changed(app, settings_submission(app, view), lambda p: p["view"].pop("state"))
    assert answer_to(app, request)["response_action"] == "errors"
    assert unchanged(app)


@pytest.mark.parametrize(
    ("block", "value"),
    [("pairing_mode", "telepathy"), ("meeting_place", 7), ("prompt_weekday", "9"), ("circle_min_size", [1])],
)
def test_a_value_the_form_never_offered_is_refused_inline(
    configurable: tuple[RunningApp, dict[str, Any]], block: str, value: Any
) -> None:
    app, view = configurable

    def plant(payload: dict[str, Any]) -> None:
        element = payload["view"]["state"]["values"][block]["value"]
        key = "selected_option" if "selected_option" in element else "value"
        element[key] = {"value": value} if key == "selected_option" else value

    answer = answer_to(app, changed(app, settings_submission(app, view), plant))
    assert answer["response_action"] == "errors"
    assert block in answer["errors"]
    assert unchanged(app)


@pytest.mark.parametrize(
    ("changes", "block"),
    [
        ({"prompt_local_time": "25:99"}, "prompt_local_time"),
        ({"prompt_local_time": "9am"}, "prompt_local_time"),
        ({"ends_on": "9999-12-31"}, "ends_on"),
        ({"starts_on": "1900-01-01"}, "starts_on"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"ends_on": "soon"}, "ends_on"),
    ],
)
def test_times_and_dates_out_of_range_are_pointed_out_on_the_form(
    configurable: tuple[RunningApp, dict[str, Any]], changes: dict[str, str], block: str
) -> None:
    app, view = configurable
    answer = answer_to(app, settings_submission(app, view, **changes))
    assert answer["response_action"] == "errors"
    assert block in answer["errors"]
    assert unchanged(app)


# The last days of the calendar: a cohort whose schedule runs to 9999-12-31 overflows date arithmetic.
NEAR_THE_END = datetime(9999, 12, 24, 20, 0, tzinfo=UTC)


def plant_cohort(
    app: RunningApp, slug: str, coach: str, learner: str, team: str | None = None, **row: Any
) -> None:
    """A cohort with one coaching pair checking in weekly, its row written as an old version might have."""
    with app.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session, team or f"T0{slug.upper()}")
        co = factories.cohort(uow.session, ws, slug, slug.upper())
        co.checkin_every_weeks, co.prompt_local_time = 1, time(9)
        for name, value in row.items():
            setattr(co, name, value)
        factories.facilitator(uow.session, co, "U0FAC")
        factories.member(uow.session, co, coach, Role.COACH)
        factories.member(uow.session, co, learner, Role.LEARNER)
        factories.partnership(uow.session, coach, learner).started_at = factories.NOW
        uow.commit()


def test_a_cohort_that_cannot_be_planned_is_skipped_and_counted_and_the_others_check_in(
    running: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    plant_cohort(running, "sound", "U0COACH", "U0LEARN", prompt_weekday=4, prompt_local_time=time(18))
    plant_cohort(
        running,
        "far",
        "U0COACH2",
        "U0LEARN2",
        prompt_weekday=5,
        timezone="Pacific/Kiritimati",  # already Saturday 25 December there
        starts_on=date(9999, 11, 1),
        ends_on=date(9999, 12, 31),
    )
    deps = replace(build_deps(running.settings, running.db), pacer=Pacer.unpaced())
    # Within no limits but the stand-in's, as the app's own sender: what is planned is under test here.
    summary = run_tick(deps, NEAR_THE_END, sending=DispatchOptions(limits=SlackLimits.none()))
    assert summary.counts["cohorts skipped"] == 1
    assert summary.counts["check-ins planned"] == 2  # the sound cohort's coach and learner
    sent = {call.args["channel"] for call in running.standin.calls("chat.postMessage")}
    assert sent == {"U0COACH", "U0LEARN"}
    assert "planning skipped cohort" in caplog.text
    assert "FAR" not in caplog.text  # ids only, never a name


@pytest.fixture
def partnered(running: RunningApp) -> tuple[RunningApp, str]:
    """A coach and a learner in a cohort run by U0FAC; the app, and their partnership's button value."""
    plant_cohort(running, "pgy1", "U0COACH", "U0LEARN", team=DEFAULT_TEAM_ID)
    for user in ("U0FAC", "U0COACH", "U0LEARN", "U0STRANGER"):
        running.standin.add_user(user)
    with running.db.unit_of_work() as uow:
        [pair_id] = uow.session.scalars(select(Partnership.id)).all()
    return running, str(pair_id)


def pressed(app: RunningApp, action: str, user: str, value: str) -> str:
    """Press a button in a message; the private answer, once it has come."""
    app.standin.clear()
    request = app.signer.block_action(
        action, user_id=user, value=value, response_url=app.standin.response_url("b"), trigger_id="t1"
    )
    assert app.post(request) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    return json.dumps(answer.args)


def test_the_end_form_opens_for_a_partner_only_and_anyone_else_is_told_in_one_private_line(
    partnered: tuple[RunningApp, str],
) -> None:
    app, pair = partnered
    assert "not one of yours" in pressed(app, ids.PARTNERSHIP_END_OPEN, "U0STRANGER", pair)
    assert "not one of yours" in pressed(app, ids.PARTNERSHIP_END_OPEN, "U0FAC", pair)
    assert app.standin.calls("views.open") == []
    app.post(
        app.signer.block_action(ids.PARTNERSHIP_END_OPEN, user_id="U0LEARN", value=pair, trigger_id="t2")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    assert opened.args["view"]["callback_id"] == ids.PARTNERSHIP_END_VIEW


def test_an_ended_partnership_opens_no_end_form(partnered: tuple[RunningApp, str]) -> None:
    app, pair = partnered
    with app.db.unit_of_work() as uow:
        uow.session.get_one(Partnership, int(pair)).status = PartnershipStatus.ENDED
        uow.commit()
    assert "went wrong" not in pressed(app, ids.PARTNERSHIP_END_OPEN, "U0LEARN", pair)
    assert app.standin.calls("views.open") == []


@pytest.mark.parametrize("text", ["report pgy1", "report pgy1 individual", "report nowhere"])
def test_a_report_someone_may_not_see_is_refused_without_preparing_anything(
    partnered: tuple[RunningApp, str], text: str
) -> None:
    app, _ = partnered
    app.standin.clear()
    assert app.post(app.signer.slash_command(text, user_id="U0LEARN")) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    app.settled()  # anything said after the refusal has arrived by now
    assert [call.args["text"] for call in app.standin.calls("response_url")] == [answer.args["text"]]
    assert "Preparing" not in answer.args["text"]


def test_an_ending_reason_reaches_the_facilitators_cleaned(partnered: tuple[RunningApp, str]) -> None:
    app, pair = partnered
    app.standin.clear()
    opening = app.signer.block_action(
        ids.PARTNERSHIP_END_OPEN, user_id="U0LEARN", value=pair, trigger_id="t3"
    )
    assert app.post(opening) == (200, b"")
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"]
    values = submitted_values(view, {ids.PARTNERSHIP_END_REASON: NUL_AND_OVERRIDE})
    ending = app.signer.view_submission(
        ids.PARTNERSHIP_END_VIEW, user_id="U0LEARN", values=values, private_metadata=view["private_metadata"]
    )
    assert app.post(ending)[0] == 200
    app.standin.wait_for("chat.postMessage", timeout=10)
    [report] = [row for row in outbox(app) if row.channel == "U0FAC"]
    assert CLEANED in json.dumps(report.payload)
    assert "\\u202e" not in json.dumps(report.payload)
