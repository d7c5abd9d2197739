"""Importing a cohort file on SQLite and PostgreSQL: create, update, no duplicates; dry runs write nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from circles.domain.cohort_file import CohortFile, CohortFileInvalid, parse_cohort_file
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Facilitator, Member, Profile, Workspace
from circles.services.cohorts.file_import import (
    ChangeKind,
    ImportReport,
    SlackPerson,
    as_given,
    import_cohort,
)
from tests import factories
from tests.factories import NOW

TEAM = "T0001"
LATER = NOW + timedelta(days=3)


def cohort_file(
    members: list[str], *, settings: str = "", facilitators: str = "[U0FAC1, U0FAC2]"
) -> CohortFile:
    text = (
        "cohort:\n  slug: pgy1-spring\n  name: PGY-1 residents, spring\n  pairing: coach_learner\n"
        f"  facilitators: {facilitators}\n{settings}members:\n" + "".join(f"  - {m}\n" for m in members)
    )
    return parse_cohort_file(text, "cohort.yml")


def roster(count: int) -> list[str]:
    """`count` members by email: every tenth a coach, the others learners with interests."""
    return [
        f"{{email: person{n}@hospital.org, role: coach, capacity: 2}}"
        if n % 10 == 0
        else f"{{email: person{n}@hospital.org, role: learner, interests: [teaching, research]}}"
        for n in range(count)
    ]


def slack(cohort: CohortFile) -> dict[str, SlackPerson]:
    """What a Slack lookup would answer: each email belongs to a user, every ID is who it says."""
    people = as_given(cohort)
    for ref in cohort.people():
        if ref.email:
            number = ref.email.split("@")[0].removeprefix("person").upper()
            people[ref.key] = SlackPerson(f"U0P{number}", ref.email, f"Person {number}", "America/Chicago")
    return people


def run(db: Database, cohort: CohortFile, *, dry_run: bool = False, now: Any = NOW) -> ImportReport:
    return import_cohort(db.unit_of_work(), TEAM, cohort, slack(cohort), now=now, dry_run=dry_run)


def stored(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the import may touch, to show that nothing else changed."""
    with db.engine.connect() as connection:
        return {
            model.__tablename__: sorted(
                map(tuple, connection.execute(select(model.__table__)).all()), key=str
            )
            for model in (Workspace, Cohort, Facilitator, Member, Profile)
        }


def kinds(report: ImportReport) -> list[tuple[ChangeKind, str, str]]:
    return [(change.kind, change.subject, change.detail) for change in report.changes]


def test_a_file_creates_the_cohort_and_importing_it_again_changes_nothing(db: Database) -> None:
    cohort = cohort_file([*roster(3), "{user: U0COACH, role: coach}"])
    first = run(db, cohort)
    assert first.applied
    assert kinds(first)[:3] == [
        (ChangeKind.COHORT_CREATED, "pgy1-spring", "PGY-1 residents, spring"),
        (ChangeKind.FACILITATOR_ADDED, "U0FAC1", ""),
        (ChangeKind.FACILITATOR_ADDED, "U0FAC2", ""),
    ]
    assert (ChangeKind.MEMBER_ADDED, "U0P1", "learner") in kinds(first)
    before = stored(db)
    again = run(db, cohort, now=LATER)
    assert (again.changes, again.applied, again.not_in_file) == ([], False, [])
    assert stored(db) == before
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(Cohort)).one()
        assert (row.created_by, row.pairing_mode) == ("import", "coach_learner")
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0P1")).one()
        assert (profile.email, profile.timezone, profile.interests) == (
            "person1@hospital.org",
            "America/Chicago",
            "teaching, research",
        )


def test_fifty_members_are_imported_twice_without_a_single_duplicate(db: Database) -> None:
    cohort = cohort_file(roster(50))
    assert sum(c.kind is ChangeKind.MEMBER_ADDED for c in run(db, cohort).changes) == 50
    assert run(db, cohort, now=LATER).changes == []
    with db.unit_of_work() as uow:
        count = uow.session.scalar
        assert count(select(func.count()).select_from(Member)) == 50
        assert count(select(func.count()).select_from(Profile)) == 50
        assert count(select(func.count()).select_from(Facilitator)) == 2
        assert count(select(func.count()).select_from(Cohort)) == 1
        assert count(select(func.count()).where(Member.role == Role.COACH)) == 5


def test_a_changed_file_changes_only_what_differs_and_keeps_members_it_leaves_out(db: Database) -> None:
    run(db, cohort_file(roster(4)))
    changed = cohort_file(
        [
            "{email: person1@hospital.org, role: coach}",  # was a learner
            "{email: person2@hospital.org, role: learner, status: paused}",
            "{email: person3@hospital.org, role: learner, interests: [wellbeing]}",
            "{email: person4@hospital.org, role: learner}",  # new
        ],  # person0 is left out
        settings="  circle_size: {max: 8}\n  prompts: {time: '10:30'}\n",
        facilitators="[U0FAC1, U0FAC3]",
    )
    report = run(db, changed, now=LATER)
    assert kinds(report) == [
        (ChangeKind.SETTING_CHANGED, "circle_size.max", "6 → 8"),
        (ChangeKind.SETTING_CHANGED, "prompts.time", "09:00 → 10:30"),
        (ChangeKind.FACILITATOR_ADDED, "U0FAC3", ""),
        (ChangeKind.FACILITATOR_REMOVED, "U0FAC2", ""),
        (ChangeKind.ROLE_CHANGED, "U0P1", "learner → coach"),
        (ChangeKind.STATUS_CHANGED, "U0P2", "active → paused"),
        (ChangeKind.PROFILE_CHANGED, "U0P3", "interests"),
        (ChangeKind.MEMBER_ADDED, "U0P4", "learner"),
        (ChangeKind.PROFILE_CHANGED, "U0P4", "email, display_name, timezone"),
    ]
    assert report.not_in_file == ["U0P0"]
    with db.unit_of_work() as uow:
        members = {m.slack_user_id: m for m in uow.session.scalars(select(Member))}
        assert set(members) == {"U0P0", "U0P1", "U0P2", "U0P3", "U0P4"}
        assert members["U0P0"].status is MemberStatus.ACTIVE
        assert members["U0P2"].status is MemberStatus.PAUSED
        profile = uow.session.scalars(select(Profile).where(Profile.slack_user_id == "U0P1")).one()
        assert profile.interests == "teaching, research"  # not in the changed file: kept
        assert profile.updated_at == NOW


def test_a_dry_run_reports_the_changes_and_writes_nothing(db: Database) -> None:
    cohort = cohort_file(roster(3))
    empty = stored(db)
    report = run(db, cohort, dry_run=True)
    assert not report.applied
    assert report.changes[0].kind is ChangeKind.COHORT_CREATED
    assert stored(db) == empty
    run(db, cohort)
    before = stored(db)
    changed = cohort_file(
        ["{email: person1@hospital.org, role: coach}"], settings="  timezone: Europe/London\n"
    )
    dry = run(db, changed, dry_run=True, now=LATER)
    assert kinds(dry)[:2] == [
        (ChangeKind.SETTING_CHANGED, "timezone", "UTC → Europe/London"),
        (ChangeKind.ROLE_CHANGED, "U0P1", "learner → coach"),
    ]
    assert stored(db) == before


def test_a_member_who_left_stays_out_unless_the_file_brings_them_back(db: Database) -> None:
    cohort = cohort_file(["{user: U0ANN, role: learner}"])
    run(db, cohort)
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member)).one()
        member.status, member.left_at = MemberStatus.LEFT, NOW
        uow.commit()
    assert run(db, cohort, now=LATER).changes == []
    back = run(db, cohort_file(["{user: U0ANN, role: learner, status: active}"]), now=LATER)
    assert kinds(back) == [(ChangeKind.STATUS_CHANGED, "U0ANN", "left → active")]
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member)).one()
        assert (member.status, member.left_at, member.joined_at) == (MemberStatus.ACTIVE, None, LATER)


def test_a_member_the_file_brings_back_keeps_the_time_they_were_here_before_on_record(db: Database) -> None:
    cohort = cohort_file(["{user: U0ANN, role: learner}"])
    run(db, cohort)
    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member)).one()
        member.status, member.left_at = MemberStatus.LEFT, NOW + timedelta(days=1)
        uow.commit()

    run(db, cohort_file(["{user: U0ANN, role: learner, status: active}"]), now=LATER)

    with db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member)).one()
        # As a join of their own keeps it: reports count this stint's join and leave.
        assert member.earlier_stints == [[NOW.isoformat(), (NOW + timedelta(days=1)).isoformat()]]
        assert (member.joined_at, member.left_at) == (LATER, None)


def test_the_slug_of_an_archived_cohort_is_refused_on_its_line(db: Database) -> None:
    with db.unit_of_work() as uow:
        archived = factories.cohort(uow.session, factories.workspace(uow.session, TEAM), slug="pgy1-spring")
        archived.archived_at = NOW
        uow.commit()
    with pytest.raises(CohortFileInvalid) as raised:
        run(db, cohort_file([]))
    assert [str(p) for p in raised.value.problems] == [
        "cohort.yml:2: slug: `pgy1-spring` belongs to an archived cohort; choose another slug"
    ]


def test_an_import_touches_only_its_own_workspace(db: Database) -> None:
    with db.unit_of_work() as uow:
        other = factories.cohort(uow.session, factories.workspace(uow.session, "T0OTHER"), slug="pgy1-spring")
        factories.member(uow.session, other, "U0P1")
        uow.commit()
    report = run(db, cohort_file(roster(2)))
    assert report.changes[0].kind is ChangeKind.COHORT_CREATED
    assert report.not_in_file == []
    with db.unit_of_work() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Member)) == 3


def test_the_cohorts_own_words_are_imported_changed_and_put_back_to_the_default(db: Database) -> None:
    worded = "  free_text_hint: No patient details here.\n  wellbeing_resources: Call the wellbeing team.\n"
    first = run(db, cohort_file(roster(2), settings=worded))
    assert first.applied
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(Cohort)).one()
        assert (row.free_text_hint, row.wellbeing_resources) == (
            "No patient details here.",
            "Call the wellbeing team.",
        )
    assert run(db, cohort_file(roster(2), settings=worded), now=LATER).changes == []
    back = run(db, cohort_file(roster(2)), now=LATER)  # left out: the default wording again
    assert kinds(back) == [
        (ChangeKind.SETTING_CHANGED, "free_text_hint", '"No patient details here." → default wording'),
        (ChangeKind.SETTING_CHANGED, "wellbeing_resources", '"Call the wellbeing team." → default wording'),
    ]
    with db.unit_of_work() as uow:
        row = uow.session.scalars(select(Cohort)).one()
        assert (row.free_text_hint, row.wellbeing_resources) == (None, None)


def test_each_persons_own_workspace_from_slack_is_kept_on_their_profile_without_being_reported(
    db: Database,
) -> None:
    cohort = cohort_file(roster(2))
    people = slack(cohort)
    people = {key: replace(person, team_id="T0NORTH") for key, person in people.items()}
    report = import_cohort(db.unit_of_work(), TEAM, cohort, people, now=NOW)
    assert "slack_team_id" not in str(report.changes)
    with db.unit_of_work() as uow:
        teams = set(uow.session.scalars(select(Profile.slack_team_id).where(Profile.email.is_not(None))))
    assert teams == {"T0NORTH"}
    again = import_cohort(db.unit_of_work(), TEAM, cohort, people, now=LATER)
    assert (again.changes, again.applied) == ([], False)


def test_a_display_name_from_slack_with_a_nul_or_a_direction_override_is_stored_cleaned(db: Database) -> None:
    cohort = cohort_file(roster(2))
    named = "\u202eAda\x00 Diaz"
    people = {key: replace(person, display_name=named) for key, person in slack(cohort).items()}
    import_cohort(db.unit_of_work(), TEAM, cohort, people, now=NOW)
    with db.unit_of_work() as uow:
        names = set(uow.session.scalars(select(Profile.display_name).where(Profile.email.is_not(None))))
    assert names == {"Ada Diaz"}
