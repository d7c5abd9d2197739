"""Facilitators create and configure cohorts; members join, leave, pause and resume — over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import ids
from circles.domain.vocabulary import MemberStatus, PairingMode, Role
from circles.persistence.models import Cohort, Facilitator, Member, Profile
from standin import Call
from standin.forms import submitted_values
from tests import factories
from tests.e2e.conftest import RunningApp

ADMIN, MEMBER, COACH, OTHER_FACILITATOR = "U0ADMIN", "U0MEMBER", "U0COACH", "U0FAC2"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(circles_admins=frozenset({ADMIN}))
    for user in (MEMBER, COACH, OTHER_FACILITATOR, "U0STRANGER"):
        running.standin.add_user(user)
    return running


@pytest.fixture
def sending_app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    """The app with its sender running: notices recorded in the outbox reach Slack."""
    running = serve_app(circles_admins=frozenset({ADMIN}), sending=True)
    for user in (MEMBER, COACH, OTHER_FACILITATOR, "U0STRANGER"):
        running.standin.add_user(user)
    return running


def say(app: RunningApp, text: str, user_id: str) -> Call:
    """Type `/circles <text>` and return the private answer."""
    status, body = app.post(app.signer.slash_command(text, user_id=user_id))
    assert status == 200
    assert body == b""
    [answer] = app.standin.wait_for("response_url")
    app.standin.clear()
    return answer


def shown(call: Call) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def cohorts(app: RunningApp) -> list[Cohort]:
    with app.db.unit_of_work() as uow:
        return list(uow.session.scalars(select(Cohort)))


def open_settings(app: RunningApp, slug: str, user_id: str) -> dict[str, Any]:
    app.post(app.signer.slash_command(f"cohort config {slug}", user_id=user_id))
    [opened] = app.standin.wait_for("views.open")
    app.standin.clear()
    view: dict[str, Any] = opened.args["view"]
    return view


def submit_settings(
    app: RunningApp, view: dict[str, Any], user_id: str, **changes: Any
) -> tuple[int, dict[str, Any]]:
    request = app.signer.view_submission(
        ids.COHORT_CONFIG_VIEW,
        user_id=user_id,
        values=submitted_values(view, changes),
        private_metadata=view["private_metadata"],
    )
    app.standin.clear()
    status, body = app.post(request)
    answer = json.loads(body) if body else {}
    if answer.get("response_action") == "update":  # accepted: the form says "one moment", then the outcome
        [told] = app.standin.wait_for("views.update")
        return status, {"told": json.dumps(told.args["view"])}
    return status, answer


SAVED = "Saved the settings"


def test_an_admin_creates_a_cohort_and_becomes_its_facilitator(app: RunningApp) -> None:
    answer = say(app, "cohort create pgy1-spring PGY-1 residents, spring", ADMIN)
    assert "Created *PGY-1 residents, spring* (`pgy1-spring`)" in shown(answer)
    [cohort] = cohorts(app)
    assert (cohort.slug, cohort.name, cohort.circle_min_size, cohort.circle_max_size) == (
        "pgy1-spring",
        "PGY-1 residents, spring",
        4,
        6,
    )
    with app.db.unit_of_work() as uow:
        assert list(uow.session.scalars(select(Facilitator.slack_user_id))) == [ADMIN]


def test_a_workspace_owner_may_create_cohorts_too(app: RunningApp) -> None:
    app.standin.add_user("U0OWNER", is_owner=True)
    assert "Created" in shown(say(app, "cohort create owners Owners' cohort", "U0OWNER"))


def test_anyone_else_is_refused_politely_and_nothing_is_created(app: RunningApp) -> None:
    answer = say(app, "cohort create sneaky Sneaky cohort", MEMBER)
    assert answer.args["response_type"] == "ephemeral"
    assert "Only workspace admins" in shown(answer)
    assert cohorts(app) == []


@pytest.mark.parametrize("slug", ["PGY1", "pgy_1", "-pgy1", "x", "a" * 41, "pgy1!"])
def test_bad_slugs_are_explained(app: RunningApp, slug: str) -> None:
    answer = say(app, f"cohort create {slug} A name", ADMIN)
    assert "is not a valid cohort slug" in shown(answer)
    assert "lowercase letters, digits and dashes" in shown(answer)
    assert cohorts(app) == []


def test_a_slug_in_use_is_refused(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    assert "There is already a cohort called `pgy1`" in shown(say(app, "cohort create pgy1 Another", ADMIN))
    assert len(cohorts(app)) == 1


def test_create_without_a_name_shows_how(app: RunningApp) -> None:
    assert "cohort create &lt;slug&gt; &lt;name…&gt;" in shown(say(app, "cohort create pgy1", ADMIN))


def test_a_facilitator_configures_the_cohort_through_the_modal(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    view = open_settings(app, "pgy1", ADMIN)
    assert view["callback_id"] == ids.COHORT_CONFIG_VIEW
    status, body = submit_settings(
        app,
        view,
        ADMIN,
        circle_min_size="3",
        circle_max_size="5",
        pairing_mode="coach_learner",
        meeting_place="group_dm",
        prompt_weekday="2",
        prompt_local_time="08:30",
        checkin_every_weeks="3",
        timezone="America/Chicago",
        starts_on="2027-01-11",
        ends_on="2027-06-28",
        facilitators=[ADMIN, OTHER_FACILITATOR],
        health_days_without_meeting="28",
    )
    assert status == 200
    assert SAVED in body["told"]
    [cohort] = cohorts(app)
    assert cohort.pairing_mode is PairingMode.COACH_LEARNER
    assert (cohort.circle_min_size, cohort.circle_max_size, cohort.prompt_weekday) == (3, 5, 2)
    assert cohort.prompt_local_time.isoformat() == "08:30:00"
    assert (cohort.timezone, str(cohort.starts_on), str(cohort.ends_on)) == (
        "America/Chicago",
        "2027-01-11",
        "2027-06-28",
    )
    assert cohort.health_thresholds["days_without_meeting"] == 28
    with app.db.unit_of_work() as uow:
        assert sorted(uow.session.scalars(select(Facilitator.slack_user_id))) == [ADMIN, OTHER_FACILITATOR]
    # the new one may, too (the form carries its cohort, then a digest of the settings it shows)
    assert open_settings(app, "pgy1", OTHER_FACILITATOR)["private_metadata"].split()[0] == "pgy1"


def test_a_form_opened_before_another_facilitator_saved_says_so_and_keeps_their_change(
    app: RunningApp,
) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    status, body = submit_settings(
        app, open_settings(app, "pgy1", ADMIN), ADMIN, facilitators=[ADMIN, OTHER_FACILITATOR]
    )
    assert SAVED in body["told"]
    mine, theirs = open_settings(app, "pgy1", ADMIN), open_settings(app, "pgy1", OTHER_FACILITATOR)
    assert SAVED in submit_settings(app, theirs, OTHER_FACILITATOR, checkin_every_weeks="3")[1]["told"]
    status, body = submit_settings(app, mine, ADMIN, circle_max_size="5")
    assert status == 200
    assert "Not saved: someone changed the settings of `pgy1` after you opened this form" in body["told"]
    assert "/circles cohort config pgy1" in body["told"]
    [cohort] = cohorts(app)
    assert (cohort.checkin_every_weeks, cohort.circle_max_size) == (3, 6)
    again = open_settings(app, "pgy1", ADMIN)  # opened again, it shows their change and saves on top
    assert SAVED in submit_settings(app, again, ADMIN, circle_max_size="5")[1]["told"]
    [cohort] = cohorts(app)
    assert (cohort.checkin_every_weeks, cohort.circle_max_size) == (3, 5)


def test_out_of_range_settings_come_back_as_inline_errors_and_change_nothing(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    view = open_settings(app, "pgy1", ADMIN)
    status, body = submit_settings(
        app,
        view,
        ADMIN,
        circle_min_size="7",
        circle_max_size="5",
        checkin_every_weeks="40",
        timezone="Mars/Olympus",
        starts_on="2027-06-01",
        ends_on="2027-01-01",
        facilitators=[],
        health_low_rating="9",
    )
    assert status == 200
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        "circle_max_size",
        "checkin_every_weeks",
        "timezone",
        "ends_on",
        "facilitators",
        "health_low_rating",
    }
    [cohort] = cohorts(app)
    assert (cohort.circle_min_size, cohort.circle_max_size, cohort.timezone) == (4, 6, "UTC")


def test_a_facilitator_words_the_hint_and_the_resources_and_empty_brings_back_the_default(
    app: RunningApp,
) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    view = open_settings(app, "pgy1", ADMIN)
    too_long = {ids.COHORT_FREE_TEXT_HINT: "x" * 151, ids.COHORT_WELLBEING_RESOURCES: "y" * 1001}
    _, body = submit_settings(app, view, ADMIN, **too_long)
    assert set(body["errors"]) == {ids.COHORT_FREE_TEXT_HINT, ids.COHORT_WELLBEING_RESOURCES}
    worded = {
        ids.COHORT_FREE_TEXT_HINT: "  No patient details here, please. ",
        ids.COHORT_WELLBEING_RESOURCES: "The wellbeing team is on the intranet.\nIn an emergency, call 999.",
    }
    assert SAVED in submit_settings(app, view, ADMIN, **worded)[1]["told"]
    [cohort] = cohorts(app)
    assert cohort.free_text_hint == "No patient details here, please."
    assert cohort.wellbeing_resources == "The wellbeing team is on the intranet.\nIn an emergency, call 999."
    again = {block.get("block_id"): block for block in open_settings(app, "pgy1", ADMIN)["blocks"]}
    assert again[ids.COHORT_FREE_TEXT_HINT]["element"]["initial_value"] == "No patient details here, please."
    assert "Please don't include patient information." in again[ids.COHORT_FREE_TEXT_HINT]["hint"]["text"]
    empty = {ids.COHORT_FREE_TEXT_HINT: None, ids.COHORT_WELLBEING_RESOURCES: "   "}
    assert SAVED in submit_settings(app, view, ADMIN, **empty)[1]["told"]
    [cohort] = cohorts(app)
    assert (cohort.free_text_hint, cohort.wellbeing_resources) == (None, None)


def test_a_non_facilitator_can_neither_open_nor_submit_the_settings(app: RunningApp) -> None:
    say(app, "cohort create pgy1 PGY-1", ADMIN)
    view = open_settings(app, "pgy1", ADMIN)
    refused = say(app, "cohort config pgy1", MEMBER)
    assert "Only the facilitators of `pgy1`" in shown(refused)
    assert app.standin.calls("views.open") == []
    _, body = submit_settings(app, view, MEMBER, circle_max_size="12", facilitators=[MEMBER])
    assert "Only the facilitators" in body["told"]
    assert SAVED not in body["told"]
    [cohort] = cohorts(app)
    assert cohort.circle_max_size == 6
    with app.db.unit_of_work() as uow:
        assert list(uow.session.scalars(select(Facilitator.slack_user_id))) == [ADMIN]


def test_config_of_an_unknown_cohort_suggests_the_closest(app: RunningApp) -> None:
    say(app, "cohort create pgy1-spring PGY-1", ADMIN)
    assert "Did you mean `pgy1-spring`?" in shown(say(app, "cohort config pgy1-sprng", ADMIN))


def configured(app: RunningApp, mode: str) -> None:
    say(app, "cohort create pgy1 PGY-1 residents", ADMIN)
    view = open_settings(app, "pgy1", ADMIN)
    assert SAVED in submit_settings(app, view, ADMIN, pairing_mode=mode)[1]["told"]


def membership(app: RunningApp, user_id: str) -> Member | None:
    with app.db.unit_of_work() as uow:
        return uow.session.scalars(select(Member).where(Member.slack_user_id == user_id)).one_or_none()


def test_joining_asks_for_the_role_then_welcomes_privately_and_asks_for_a_profile(app: RunningApp) -> None:
    configured(app, "coach_learner")
    choice = say(app, "join pgy1", MEMBER)
    buttons = [e for b in choice.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["value"] for b in buttons] == ["pgy1:learner", "pgy1:coach"]
    app.post(
        app.signer.block_action(
            buttons[0]["action_id"],
            user_id=MEMBER,
            value="pgy1:learner",
            response_url=app.standin.response_url("join"),
        )
    )
    [welcome] = app.standin.wait_for("chat.postMessage")
    assert welcome.args["channel"] == MEMBER  # a DM to the member, nowhere else
    assert "learner" in shown(welcome).lower()
    assert "facilitators see" in shown(welcome)
    [answer] = app.standin.wait_for("response_url")
    assert "You have joined *PGY-1 residents* as a learner" in shown(answer)
    [profile_form] = app.standin.wait_for("views.open")
    assert "Welcome to PGY-1 residents" in shown(profile_form)
    member = membership(app, MEMBER)
    assert member is not None
    assert (member.role, member.status) == (Role.LEARNER, MemberStatus.ACTIVE)


def test_joining_twice_is_harmless_and_says_so(app: RunningApp) -> None:
    configured(app, "none")
    say(app, "join pgy1", MEMBER)  # one role only: joined at once
    again = say(app, "join pgy1", MEMBER)
    assert "already in *PGY-1 residents* as a peer" in shown(again)
    with app.db.unit_of_work() as uow:
        assert len(list(uow.session.scalars(select(Member)))) == 1


def test_an_unknown_slug_answers_with_the_closest_ones(app: RunningApp) -> None:
    configured(app, "none")
    assert "Did you mean `pgy1`?" in shown(say(app, "join pgy2", MEMBER))
    assert membership(app, MEMBER) is None


def test_joining_with_two_words_joins_nothing_and_says_one_cohort_at_a_time(app: RunningApp) -> None:
    configured(app, "none")
    answer = shown(say(app, "join pgy1 pgy2", MEMBER))
    assert "Nothing was changed: join one cohort at a time" in answer
    assert "Which cohort?" not in answer
    assert membership(app, MEMBER) is None


def test_status_of_a_cohort_typed_with_a_stray_character_offers_the_one_meant(app: RunningApp) -> None:
    configured(app, "none")
    say(app, "join pgy1", MEMBER)
    answer = shown(say(app, "status pgy1.", MEMBER))
    assert "You are not in `pgy1.`. Did you mean `pgy1`?" in answer


def test_leave_pause_resume_and_status(app: RunningApp) -> None:
    configured(app, "none")
    say(app, "join pgy1", MEMBER)
    status = shown(say(app, "status", MEMBER))
    assert "PGY-1 residents" in status
    assert "Prompts start once your facilitators place you in a circle." in status  # no date, in no circle
    assert "Paused until" in shown(say(app, "pause 2", MEMBER))
    member = membership(app, MEMBER)
    assert member is not None
    assert member.status is MemberStatus.PAUSED
    assert "Use `/circles resume` on its own" in shown(say(app, "resume pgy1", MEMBER))
    still = membership(app, MEMBER)
    assert still is not None
    assert still.status is MemberStatus.PAUSED
    assert "Welcome back" in shown(say(app, "resume", MEMBER))
    assert "Pause for a whole number of weeks" in shown(say(app, "pause 99", MEMBER))
    left = say(app, "leave", MEMBER)
    assert "You have left `pgy1`" in shown(left)
    member = membership(app, MEMBER)
    assert member is not None
    assert member.status is MemberStatus.LEFT
    assert "not in any cohort" in shown(say(app, "leave", MEMBER))


def test_when_someone_leaves_their_partner_learns_only_that_it_ended(sending_app: RunningApp) -> None:
    app = sending_app  # the partner's notice goes through the outbox, like every partnership notice
    configured(app, "coach_learner")
    for user, role in ((COACH, "coach"), (MEMBER, "learner")):
        hook = app.standin.response_url(user)
        app.post(
            app.signer.block_action(
                f"{ids.JOIN_AS_ROLE}:{role}", user_id=user, value=f"pgy1:{role}", response_url=hook
            )
        )
        app.standin.wait_for("response_url")  # joined; the welcome went out before this answer
        app.standin.clear()
    with app.db.unit_of_work() as uow:
        factories.partnership(uow.session, COACH, MEMBER)
        # The coach keeps no quiet hours: whatever the hour the test runs, their notice is due at once.
        uow.session.execute(update(Profile).where(Profile.slack_user_id == COACH).values(quiet_hours=""))
        uow.commit()
    app.standin.clear()
    app.post(app.signer.slash_command("leave pgy1", user_id=MEMBER))
    [told] = app.standin.wait_for("chat.postMessage")
    assert told.args["channel"] == COACH
    assert "has ended" in shown(told)
    assert MEMBER not in shown(told)  # not who asked
    assert "left" not in shown(told).lower()  # nor why
