"""A coach with several learners, through the real HTTP app and the Slack stand-in: all of them everywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import PartnershipStatus
from circles.persistence.models import Cohort, Member, Partnership, Workspace
from standin.forms import submitted_values
from tests import factories, relationship_world
from tests.e2e.conftest import BOT_TOKEN, SIGNING_SECRET, RunningApp
from tests.e2e.days import moved
from tests.e2e.harness import circles_tick
from tests.relationship_world import COACH

USERS = (COACH, "U0L1", "U0L2", "U0L3", "U0L4", "U0L5", "U0FAC")
RUNNING = ("U0L1", "U0L2", "U0L3", "U0L4")  # U0L4's partnership is paused, U0L5's ended
# The second Monday, 09:05 in Chicago: the first check-ins.
CHECKIN_DAY = moved("2027-01-11T15:05:00Z", relationship_world.YEARS_ON)


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        uow.commit()
    for user in USERS:
        running.standin.add_user(user)
    for channel in ("C0ALPHA1", "C0ALPHA2", "C0BETA1"):  # the circles' conversations
        running.standin.add_channel(channel, channel.lower(), is_private=True)
    return running


def shown(surface: Any) -> str:
    return json.dumps(surface, ensure_ascii=False)


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    return found + [b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "button"]


def status(app: RunningApp, user: str = COACH) -> list[dict[str, Any]]:
    app.standin.clear()
    app.post(app.signer.slash_command("status", user_id=user))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    blocks: list[dict[str, Any]] = answer.args["blocks"]
    return blocks


def partnerships(app: RunningApp) -> dict[str, tuple[int, PartnershipStatus]]:
    """Each learner's partnership: its id and status."""
    with app.db.unit_of_work() as uow:
        rows = uow.session.execute(
            select(Member.slack_user_id, Partnership.id, Partnership.status).join(
                Member, Member.id == Partnership.second_member_id
            )
        ).all()
    return {user: (partnership, state) for user, partnership, state in rows}


def tick(app: RunningApp, now: str) -> str:
    url, api = app.settings.database_url, app.standin.api_url
    secret = SIGNING_SECRET
    return circles_tick(now, database_url=url, api_url=api, token=BOT_TOKEN, secret=secret, paced=False)


def test_the_coach_sees_every_running_partner_in_status_each_with_its_own_buttons(app: RunningApp) -> None:
    blocks = status(app)
    text = shown(blocks)
    for learner in RUNNING:
        assert f"<@{learner}>" in text
    assert "<@U0L5>" not in text  # ended
    ids_by_learner = partnerships(app)
    support = {b["value"] for b in buttons(blocks) if b["action_id"] == ids.SUPPORT_OPEN}
    assert support == {f"p:{ids_by_learner[learner][0]}" for learner in RUNNING}
    resume = [b["value"] for b in buttons(blocks) if b["action_id"] == ids.PARTNERSHIP_RESUME]
    assert resume == [str(ids_by_learner["U0L4"][0])]


def test_the_coach_sees_every_running_partner_on_home(app: RunningApp) -> None:
    app.post(app.signer.app_home_opened(COACH))
    app.standin.wait_for("views.publish", timeout=10)
    home = app.standin.home_view(COACH)
    assert home is not None
    text = shown(home["blocks"])
    for learner in RUNNING:
        assert f"<@{learner}>" in text
    assert "<@U0L5>" not in text
    ends = [b for b in buttons(home["blocks"]) if b["action_id"] == ids.PARTNERSHIP_END_OPEN]
    assert len(ends) == len(RUNNING)


def test_after_a_tick_the_coach_is_asked_about_each_active_partner_separately(app: RunningApp) -> None:
    app.standin.clear()
    tick(app, CHECKIN_DAY)
    posted = [c.args for c in app.standin.calls("chat.postMessage")]
    checkins = [args for args in posted if ids.CHECKIN_RATE in shown(args.get("blocks"))]
    to_coach = [shown(c["blocks"]) for c in checkins if c["channel"] == COACH]
    asked_about = sorted(
        learner
        for learner in RUNNING
        for asked in to_coach
        if f"partnership with <@{learner}> going?" in asked
    )
    assert asked_about == ["U0L1", "U0L2", "U0L3"]  # one each; the paused partnership waits
    assert sorted(c["channel"] for c in checkins if c["channel"] != COACH) == ["U0L1", "U0L2", "U0L3"]


def test_ending_one_partnership_ends_only_that_one_and_its_learner_hears_only_that_it_ended(
    app: RunningApp,
) -> None:
    chosen = partnerships(app)["U0L2"][0]
    values = [b["value"] for b in buttons(status(app)) if b["action_id"] == ids.PARTNERSHIP_END_OPEN]
    assert str(chosen) in values
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.PARTNERSHIP_END_OPEN, user_id=COACH, value=str(chosen), channel_id="D0COACH", trigger_id="t1"
        )
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    form = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    reason = "We both feel we have reached our goals."
    app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW,
            user_id=COACH,
            values=submitted_values(form, {ids.PARTNERSHIP_END_REASON: reason}),
            private_metadata=form["private_metadata"],
        )
    )
    app.standin.wait_for("chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == COACH)
    now = partnerships(app)
    assert now["U0L2"] == (chosen, PartnershipStatus.ENDED)
    assert [now[u][1] for u in ("U0L1", "U0L3", "U0L4")] == [
        PartnershipStatus.ACTIVE,
        PartnershipStatus.ACTIVE,
        PartnershipStatus.PAUSED,
    ]
    app.standin.clear()
    tuesday = moved("2027-01-05T15:05:00Z", relationship_world.YEARS_ON)
    tick(app, tuesday)  # a Tuesday with nothing planned: only the notices go out
    [told] = [c.args for c in app.standin.calls("chat.postMessage") if c.args["channel"] == "U0L2"]
    assert "has ended" in told["text"]
    assert COACH not in shown(told)
    assert "goals" not in shown(told)
    remaining = shown(status(app))
    assert "<@U0L2>" not in remaining
    assert all(f"<@{u}>" in remaining for u in ("U0L1", "U0L3", "U0L4"))


def test_a_pause_pressed_on_home_is_confirmed_in_the_dm_and_home_shows_that_partner_paused(
    app: RunningApp,
) -> None:
    app.post(app.signer.app_home_opened(COACH))
    app.standin.wait_for("views.publish", timeout=10)
    home = app.standin.home_view(COACH)
    assert home is not None
    chosen = str(partnerships(app)["U0L1"][0])
    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=COACH, value=chosen, view=home))
    [told] = app.standin.wait_for("chat.postMessage", timeout=10)
    assert (told.args["channel"], "is paused" in told.args["text"]) == (COACH, True)
    app.standin.wait_for("views.publish", timeout=10)
    refreshed = app.standin.home_view(COACH)
    assert refreshed is not None
    resume = sorted(
        b["value"] for b in buttons(refreshed["blocks"]) if b["action_id"] == ids.PARTNERSHIP_RESUME
    )
    assert resume == sorted([chosen, str(partnerships(app)["U0L4"][0])])


def test_past_five_partners_a_list_holds_them_all_and_acts_on_each(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        coach = uow.session.scalars(
            select(Member).where(Member.slack_user_id == COACH).order_by(Member.id)
        ).first()
        assert coach is not None
        alpha = uow.session.get_one(Cohort, coach.cohort_id)
        for n in range(6, 10):
            relationship_world.pair(uow.session, coach, factories.member(uow.session, alpha, f"U0L{n}"))
        uow.commit()
    blocks = status(app)
    [more] = [b for b in buttons(blocks) if b["action_id"] == ids.RELATIONSHIPS_MORE]
    assert "…and 2 more partners in *Alpha residents*" in shown(blocks)  # 7 running: 5 shown
    app.standin.clear()
    app.post(
        app.signer.block_action(ids.RELATIONSHIPS_MORE, user_id=COACH, value=more["value"], channel_id="D0C")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    listed = opened.response["view"]
    assert len([b for b in buttons(listed["blocks"]) if b["action_id"] == ids.SUPPORT_OPEN]) == 7

    chosen = str(partnerships(app)["U0L9"][0])
    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_PAUSE, user_id=COACH, value=chosen, view=listed))
    [updated] = app.standin.wait_for("views.update", timeout=10)
    assert updated.args["view_id"] == listed["id"]
    assert "is paused" in shown(updated.args["view"])
    assert partnerships(app)["U0L9"][1] is PartnershipStatus.PAUSED

    app.standin.clear()
    support = f"p:{partnerships(app)['U0L8'][0]}"
    app.post(app.signer.block_action(ids.SUPPORT_OPEN, user_id=COACH, value=support, view=listed))
    [stacked] = app.standin.wait_for("views.push", timeout=10)  # a modal cannot open another, only stack one
    assert stacked.response["view"]["callback_id"] == ids.SUPPORT_VIEW
    assert "<@U0L8>" in json.dumps(stacked.response["view"])

    app.standin.clear()
    app.post(app.signer.block_action(ids.PARTNERSHIP_END_OPEN, user_id=COACH, value=chosen, view=listed))
    [pushed] = app.standin.wait_for("views.push", timeout=10)
    form = pushed.response["view"]
    status_code, body = app.post(
        app.signer.view_submission(
            ids.PARTNERSHIP_END_VIEW, user_id=COACH, values={}, private_metadata=form["private_metadata"]
        )
    )
    assert (status_code, json.loads(body)) == (200, {"response_action": "clear"})
    app.standin.wait_for("chat.postMessage", timeout=10, predicate=lambda c: c.args["channel"] == COACH)
    assert partnerships(app)["U0L9"][1] is PartnershipStatus.ENDED
    assert partnerships(app)["U0L8"][1] is PartnershipStatus.ACTIVE


def test_a_facilitator_of_many_cohorts_turns_the_pages_of_home(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        for n in range(12):
            name, years_on = f"Extra {n:02d}", relationship_world.YEARS_ON
            relationship_world.cohort(uow.session, ws, f"extra-{n:02d}", name, years_on)
        uow.commit()
    app.post(app.signer.app_home_opened("U0FAC"))
    app.standin.wait_for("views.publish", timeout=10)
    home = app.standin.home_view("U0FAC")
    assert home is not None
    assert "Cohorts 1–10 of 14 …and 4 more." in shown(home["blocks"])
    [following] = [b for b in buttons(home["blocks"]) if b["action_id"].startswith(ids.HOME_RUNS_PAGE)]
    app.standin.clear()
    app.post(
        app.signer.block_action(following["action_id"], user_id="U0FAC", value=following["value"], view=home)
    )
    app.standin.wait_for("views.publish", timeout=10)
    turned = app.standin.home_view("U0FAC")
    assert turned is not None
    assert "Cohorts 11–14 of 14." in shown(turned["blocks"])
    assert "extra-11" in shown(turned["blocks"])
    assert "extra-00" not in shown(turned["blocks"])


@pytest.mark.parametrize("value", ["alpha\x00", "\x00", "a" * 5000])
def test_a_see_all_partners_button_carrying_no_slug_is_answered_kindly_on_either_database(
    serve_app: Callable[..., RunningApp], any_database: str, value: str
) -> None:
    app = serve_app(database_url=any_database, migrate=False)
    with app.db.unit_of_work() as uow:
        relationship_world.coach_with_learners(uow.session, relationship_world.YEARS_ON)
        uow.commit()
    app.post(
        app.signer.block_action(
            ids.RELATIONSHIPS_MORE, user_id=COACH, value=value, response_url=app.standin.response_url("m")
        )
    )
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "no longer in that cohort" in answer.args["text"]
    assert app.standin.calls("views.open") == []
