"""Do Not Disturb under an org-wide install: Slack asks an organisation's token to name the workspace its
people belong to, so each person's own workspace is learnt from Slack and asked about per workspace."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy import select

from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import SlackLimits
from bot.slack_people import slack_person
from circles.domain.vocabulary import OutboxStatus
from circles.messages import CheckinQuestion
from circles.persistence.models import Cohort, OutboxMessage, Profile, Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from tests import factories
from tests.e2e.test_enterprise_grid import NORTH, ORG, SOUTH, T1, T2, org_app  # noqa: F401 - fixture by name
from tests.e2e.test_oauth import OAuthApp, oauth_app, poll  # noqa: F401 - the fixture is used by name


def members_with_profiles(app: OAuthApp) -> None:
    """North (of T1) and South (of T2) are partners in the organisation's cohort, each with a profile."""
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        cohort = uow.session.scalars(select(Cohort)).one()
        factories.member(uow.session, cohort, NORTH)
        factories.member(uow.session, cohort, SOUTH)
        for user in (NORTH, SOUTH):
            factories.profile(uow.session, tenant, user, "UTC")
        uow.commit()


def teams_of_profiles(app: OAuthApp) -> dict[str, str | None]:
    with app.db.reading() as reading:
        return {p.slack_user_id: p.slack_team_id for p in reading.session.scalars(select(Profile))}


def slack_names_their_workspaces(app: OAuthApp) -> None:
    """A profile change of each, as Slack sends it to an org-wide install: the user's own team inside."""
    for user, team in ((NORTH, T1), (SOUTH, T2)):
        changed = {"type": "user_change", "user": {"id": user, "team_id": team, "tz": "UTC", "profile": {}}}
        event = app.signer.event(changed, team_id=team, enterprise_id=ORG, is_enterprise_install=True)
        assert app.post(event)[0] == 200
    poll(lambda: teams_of_profiles(app) == {NORTH: T1, SOUTH: T2})


def checkins_due(app: OAuthApp, now: datetime) -> None:
    with app.db.unit_of_work() as uow:
        tenant = uow.session.scalars(select(Workspace).where(Workspace.team_id == ORG)).one()
        for number, (user, partner) in enumerate(((NORTH, SOUTH), (SOUTH, NORTH)), start=1):
            question = CheckinQuestion(number, "PGY-1 residents", partner)
            enqueue(uow.session, tenant.id, Outgoing(f"checkin:{user}", user, question), now, now)
        uow.commit()


def sent_with_north_in_dnd(app: OAuthApp) -> datetime:
    """North in Do Not Disturb for 40 minutes, both check-ins due, one dispatch pass: returns its instant,
    a weekday morning inside everyone's window whatever the hour the test runs."""
    now = factories.NOW
    app.standin.set_dnd(NORTH, now + timedelta(minutes=40))
    checkins_due(app, now)
    app.standin.clear()
    dispatch(app.deps, now, options=DispatchOptions(limits=SlackLimits.none()))
    return now


def test_an_org_members_check_in_waits_out_their_do_not_disturb_asked_in_their_own_workspace(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    members_with_profiles(org_app)
    assert teams_of_profiles(org_app) == {NORTH: None, SOUTH: None}
    slack_names_their_workspaces(org_app)
    now = sent_with_north_in_dnd(org_app)

    looks = org_app.standin.calls("dnd.teamInfo")
    asked = sorted((call.args.get("team_id"), call.args["users"]) for call in looks)
    assert asked == [(T1, NORTH), (T2, SOUTH)]
    assert all(call.response["ok"] for call in looks)
    assert [call.args["channel"] for call in org_app.standin.calls("chat.postMessage")] == [SOUTH]
    with org_app.db.reading() as reading:
        held = reading.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == NORTH)).one()
    assert held.status == OutboxStatus.PENDING
    assert held.due_at is not None
    assert held.due_at > now + timedelta(minutes=39)


def test_org_members_whose_workspace_is_not_known_are_not_asked_about_and_still_reached(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    members_with_profiles(org_app)
    sent_with_north_in_dnd(org_app)

    assert org_app.standin.calls("dnd.teamInfo") == []
    sent = sorted(call.args["channel"] for call in org_app.standin.calls("chat.postMessage"))
    assert sent == [NORTH, SOUTH]


def test_users_info_through_the_org_wide_token_names_each_persons_own_workspace(
    org_app: OAuthApp,  # noqa: F811 - the fixture imported above
) -> None:
    [installation] = org_app.rows("slack_installations")
    client = WebClient(token=installation.bot_token, base_url=org_app.standin.api_url)
    people = [slack_person(client, user) for user in (NORTH, SOUTH)]
    assert [person.team_id if person else None for person in people] == [T1, T2]
