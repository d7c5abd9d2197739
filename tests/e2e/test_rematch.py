"""Re-matching one member after a round, and facilitators recording conflicts, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.match_vocabulary import ConstraintKind
from circles.domain.vocabulary import MeetingPlace, PairingMode, Role
from circles.persistence.models import (
    Circle,
    CircleMembership,
    Cohort,
    MatchConstraint,
    Member,
    Partnership,
    Profile,
)
from standin import Call
from standin.forms import submitted_values
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.e2e.test_matching import COACHING, FACILITATOR, NINE, command, seed


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    return serve_app(sending=True)


def done(app: RunningApp) -> None:
    app.standin.wait_for("chat.update", timeout=20, predicate=lambda c: "Done:" in c.args.get("text", ""))


def newcomer(app: RunningApp, user: str, role: Role) -> None:
    with app.db.unit_of_work() as uow:
        factories.member(uow.session, uow.session.scalars(select(Cohort)).one(), user, role)
        uow.commit()
    app.standin.add_user(user)


def preview_buttons(answer: Call) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in answer.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def confirmed(app: RunningApp, preview: Call) -> None:
    """The facilitator presses Confirm on the re-match preview, and its creation in Slack is done."""
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFIRM,
            user_id=FACILITATOR,
            value=preview_buttons(preview)[ids.MATCH_CONFIRM],
            response_url=app.standin.response_url("c"),
        )
    )
    done(app)


def test_a_newcomer_is_previewed_into_a_circle_with_room_and_confirmed_into_its_channel(
    app: RunningApp,
) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 4), MeetingPlace.PRIVATE_CHANNEL)
    command(app, "match pgy1")
    done(app)
    newcomer(app, "U0NEW", Role.PEER)
    preview = command(app, "match pgy1 <@U0NEW|new> preview")
    text = json.dumps(preview.args)
    assert "Re-match in PGY-1" in text
    assert "Joins *circle-pgy1-r1-" in text
    assert app.standin.calls("conversations.invite") == []
    confirmed(app, preview)
    with app.db.unit_of_work() as uow:
        circle = uow.session.execute(
            select(Circle)
            .join(CircleMembership, CircleMembership.circle_id == Circle.id)
            .join(Member, Member.id == CircleMembership.member_id)
            .where(Member.slack_user_id == "U0NEW")
        ).scalar_one()
        size = len(
            uow.session.scalars(select(CircleMembership).where(CircleMembership.circle_id == circle.id)).all()
        )
    assert size == 4  # three from the round, and the newcomer
    invited = [c.args for c in app.standin.calls("conversations.invite")]
    assert any(a["channel"] == circle.conversation_id and "U0NEW" in a["users"] for a in invited)
    assert app.standin.calls("conversations.create") == []  # the circle keeps its channel
    kickoffs = [
        c for c in app.standin.calls("chat.postMessage") if c.args.get("channel") == circle.conversation_id
    ]
    assert len(kickoffs) == 1
    assert "U0NEW" in json.dumps(kickoffs[0].args)


def test_a_learner_left_out_gets_the_coach_who_made_room_and_a_group_dm(app: RunningApp) -> None:
    seed(app, COACHING, PairingMode.COACH_LEARNER, (3, 5), MeetingPlace.GROUP_DM)
    command(app, "match pgy1")
    done(app)
    with app.db.unit_of_work() as uow:
        paired = {
            m
            for p in uow.session.scalars(select(Partnership))
            for m in (p.first_member_id, p.second_member_id)
        }
        waiting = [
            m for m in uow.session.scalars(select(Member)) if m.role is Role.LEARNER and m.id not in paired
        ]
        uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0C1")).one().capacity = 3
        uow.commit()
    assert len(waiting) == 2  # two coaches with room for two each, six learners
    learner = waiting[0].slack_user_id
    app.standin.clear()
    command(app, f"match pgy1 <@{learner}>")
    done(app)
    with app.db.unit_of_work() as uow:
        pair = uow.session.scalars(
            select(Partnership).where(Partnership.second_member_id == waiting[0].id)
        ).one()
        coach = uow.session.get_one(Member, pair.first_member_id)
    assert coach.slack_user_id == "U0C1"
    opened = [c.args["users"] for c in app.standin.calls("conversations.open")]
    assert any(set(u.split(",")) == {"U0C1", learner} for u in opened)
    kickoffs = [
        c for c in app.standin.calls("chat.postMessage") if c.args.get("channel") == pair.conversation_id
    ]
    assert len(kickoffs) == 1


def test_a_learner_is_told_every_coach_is_full_when_none_has_room(app: RunningApp) -> None:
    seed(app, COACHING, PairingMode.COACH_LEARNER, (3, 5), MeetingPlace.GROUP_DM)
    command(app, "match pgy1")
    done(app)
    newcomer(app, "U0L9", Role.LEARNER)
    text = json.dumps(command(app, "match pgy1 <@U0L9> preview").args)
    assert "Every coach or mentor is full" in text


def test_someone_already_placed_and_partnered_gets_a_preview_with_nothing_to_confirm(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    command(app, "match pgy1")
    done(app)
    preview = command(app, "match pgy1 <@U0P1> preview")
    text = json.dumps(preview.args)
    assert "Already in circle-pgy1-r1-" in text
    assert ids.MATCH_CONFIRM not in text


def test_re_matching_someone_outside_the_cohort_or_before_any_round_is_refused_kindly(
    app: RunningApp,
) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    first = json.dumps(command(app, "match pgy1 <@U0P1> preview").args)
    assert "no circles or partnerships yet" in first
    command(app, "match pgy1")
    done(app)
    stranger = json.dumps(command(app, "match pgy1 <@U0STRANGER> preview").args)
    assert "is not an active member of `pgy1`" in stranger


def test_a_member_cannot_re_match_anyone(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    app.standin.clear()
    app.post(app.signer.slash_command("match pgy1 <@U0P2> preview", user_id="U0P1"))
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "facilitator" in json.dumps(answer.args).lower()


def test_a_facilitator_records_a_conflict_from_the_preview_and_it_is_applied(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    preview = command(app, "match pgy1 preview")
    slug = preview_buttons(preview)[ids.MATCH_CONFLICT_OPEN]
    app.standin.clear()
    app.post(
        app.signer.block_action(ids.MATCH_CONFLICT_OPEN, user_id=FACILITATOR, value=slug, trigger_id="t1")
    )
    [opened] = app.standin.wait_for("views.open", timeout=10)
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    same = submitted_values(view, {ids.MATCH_CONFLICT_ONE: "U0P1", ids.MATCH_CONFLICT_OTHER: "U0P1"})
    status, body = app.post(
        app.signer.view_submission(
            ids.MATCH_CONFLICT_VIEW, user_id=FACILITATOR, values=same, private_metadata=slug
        )
    )
    assert status == 200
    assert b"two different people" in body
    values = submitted_values(
        view,
        {
            ids.MATCH_CONFLICT_ONE: "U0P1",
            ids.MATCH_CONFLICT_OTHER: "U0P2",
            ids.MATCH_CONFLICT_KIND: "assesses",
        },
    )
    app.post(
        app.signer.view_submission(
            ids.MATCH_CONFLICT_VIEW, user_id=FACILITATOR, values=values, private_metadata=slug
        )
    )
    [told] = app.standin.wait_for("views.update", timeout=10)  # on the form, which waited on "One moment…"
    assert "will never be put in the same circle" in json.dumps(told.args["view"])
    with app.db.unit_of_work() as uow:
        [row] = uow.session.scalars(select(MatchConstraint)).all()
    assert (row.slack_user_id, row.other_user_id, row.kind) == ("U0P1", "U0P2", ConstraintKind.ASSESSES)
    # Neither member hears of it.
    assert all(c.args.get("channel") not in ("U0P1", "U0P2") for c in app.standin.calls("chat.postMessage"))
    command(app, "match pgy1")
    done(app)
    with app.db.unit_of_work() as uow:
        together = uow.session.execute(
            select(CircleMembership.circle_id, Member.slack_user_id).join(
                Member, Member.id == CircleMembership.member_id
            )
        ).all()
    circles: dict[int, set[str]] = {}
    for circle_id, user in together:
        circles.setdefault(circle_id, set()).add(user)
    assert not any({"U0P1", "U0P2"} <= people for people in circles.values())


def test_a_member_cannot_open_the_conflict_form(app: RunningApp) -> None:
    seed(app, NINE, PairingMode.NONE, (3, 3), MeetingPlace.GROUP_DM)
    app.standin.clear()
    app.post(
        app.signer.block_action(
            ids.MATCH_CONFLICT_OPEN, user_id="U0P1", value="pgy1", response_url=app.standin.response_url("m")
        )
    )
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert "facilitator" in json.dumps(answer.args).lower()
    assert app.standin.calls("views.open") == []
