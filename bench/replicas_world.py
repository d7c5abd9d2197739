"""The programme bench.replicas runs: workspaces, each with one cohort in its second week, in real time.

Each workspace has a cohort of coaches and learners in circles of five (a round already made: each
circle has its conversation) and coach–learner pairs. The cohort's prompt and the pairs' check-ins
fall due a minute before the run starts; a few pairs rated last week's check-in 1 and 1, so the
watch alerts the cohort's two facilitators about them. The Slack stand-in knows every workspace,
person and conversation, and holds one bot token per workspace (the OAuth installation store too).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy.orm import Session

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from standin import SlackStandIn
from tests import factories
from tests.e2e.replicas_world import in_second_week

CLIENT_ID = "1111.2222"
CIRCLE_SIZE = 5
STRUGGLING_EVERY = 25  # one pair in 25 rated last week's check-in 1 and 1


@dataclass(frozen=True)
class Team:
    team_id: str
    token: str
    members: list[str]
    facilitators: tuple[str, str]
    circles: list[str]


def teams(members: int, workspaces: int) -> list[Team]:
    """`members` people spread over `workspaces`, in whole circles of five (half coaches)."""
    per_team = max(2 * CIRCLE_SIZE, members // workspaces // (2 * CIRCLE_SIZE) * (2 * CIRCLE_SIZE))
    made = []
    for w in range(workspaces):
        team = f"T{w:04d}RPL"
        people = [f"U{w:03d}{i:05d}" for i in range(per_team)]
        circles = [f"C{w:03d}{c:05d}" for c in range(per_team // CIRCLE_SIZE)]
        made.append(Team(team, f"xoxb-replicas-{team}", people, (f"U{w:03d}FAC1", f"U{w:03d}FAC2"), circles))
    return made


def slack(standin: SlackStandIn, made: list[Team]) -> None:
    for team in made:
        standin.add_team(team.team_id)
        standin.add_token(team.token, team_id=team.team_id)
        for user in (*team.members, *team.facilitators):
            standin.add_user(user, team_id=team.team_id)
        for i, channel in enumerate(team.circles):
            people = team.members[i * CIRCLE_SIZE : (i + 1) * CIRCLE_SIZE]
            standin.add_channel(
                channel, f"circle-r1-{i}", is_private=True, members=people, team_id=team.team_id
            )


def install(db: Database, made: list[Team], now: datetime) -> None:
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=db.engine)
    for team in made:
        store.save(
            Installation(
                app_id="A0REPLICAS",
                enterprise_id=None,
                team_id=team.team_id,
                bot_token=team.token,
                bot_id=f"B{team.team_id}",
                bot_user_id=f"UB{team.team_id}",
                bot_scopes=["chat:write"],
                user_id=team.facilitators[0],
                installed_at=now.timestamp(),
            )
        )


def seed(db: Database, made: list[Team], due: datetime) -> int:
    """Write every workspace's cohort; the week's prompt and check-ins fall due at `due`. Returns pairs."""
    pairs = 0
    with db.unit_of_work() as uow:
        for team in made:
            pairs += _cohort(uow.session, team, due)
        uow.commit()
    return pairs


def _cohort(session: Session, team: Team, due: datetime) -> int:
    long_ago = due - timedelta(days=14)
    workspace = factories.workspace(session, team.team_id, at=long_ago)
    cohort = factories.cohort(
        session, workspace, "week", "A programme's week", created_by=team.facilitators[0], at=long_ago
    )
    in_second_week(cohort, due)
    for user in team.facilitators:
        factories.facilitator(session, cohort, user, at=long_ago)
    roles = itertools.cycle((Role.COACH, Role.LEARNER))
    people = [factories.member(session, cohort, user, next(roles), at=long_ago) for user in team.members]
    for c, channel in enumerate(team.circles):
        seats = people[c * CIRCLE_SIZE : (c + 1) * CIRCLE_SIZE]
        factories.circle(session, cohort, seats, f"circle-r1-{c}", channel, at=long_ago)
    last_week = due - timedelta(days=7)
    for p, (coach, learner) in enumerate(zip(people[::2], people[1::2], strict=True)):
        pair = factories.pair(session, coach, learner, started_at=long_ago)
        rating = 1 if p % STRUGGLING_EVERY == 0 else 4
        session.add_all(
            factories.checkin(pair, member.id, last_week, rating, after=timedelta(hours=2))
            for member in (coach, learner)
        )
    return len(people) // 2


def struggling(made: list[Team]) -> int:
    """How many pairs the watch should alert about, in all."""
    return sum(len(range(0, len(team.members) // 2, STRUGGLING_EVERY)) for team in made)
