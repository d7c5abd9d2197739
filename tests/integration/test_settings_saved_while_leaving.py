"""A facilitator saves the cohort's settings (or an operator imports its file) on one replica while, on
another (PostgreSQL), a member leaves or pauses: one waits for the other and both are done, never a
deadlock (which would have told one of them that something went wrong)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.availability.own_hours import HoursChoice
from circles.domain.cohort_file import parse_cohort_file
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.availability.pattern import choose_hours
from circles.services.cohorts.file_import import as_given, import_cohort
from circles.services.people.membership import leave, pause
from tests import factories
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_cohort_settings_saved_since import opened
from tests.integration.test_cohort_settings_saved_since import save as save_settings
from tests.integration.test_request_round_race import while_held

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own

FAC, PERSON = "U0FAC", "U0LEE"


def two_cohorts(db: Database) -> None:
    """The person is a learner of two cohorts; the facilitator runs the first."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        for slug in ("pgy1", "pgy2"):
            co = factories.cohort(uow.session, ws, slug, slug.upper())
            factories.facilitator(uow.session, co, FAC)
            factories.member(uow.session, co, PERSON, Role.LEARNER, flush=False)
            factories.member(uow.session, co, f"U0OTHER{slug.upper()}", Role.LEARNER, flush=False)
        uow.commit()


def save(db: Database) -> None:
    """The facilitator's save, from a form opened just before: check-ins every three weeks."""
    save_settings(db, opened(db, FAC), FAC, checkin_every_weeks=3)


def imported(db: Database) -> None:
    """The first cohort's file, run by an operator: it changes a setting, and names both its members."""
    text = (
        "cohort:\n  slug: pgy1\n  name: PGY1\n  pairing: coach_learner\n  checkin_every_weeks: 3\n"
        f"  facilitators: [{FAC}]\nmembers:\n"
        f"  - {{user: {PERSON}, role: learner}}\n  - {{user: U0OTHERPGY1, role: learner}}\n"
    )
    wanted = parse_cohort_file(text, "cohort.yml")
    import_cohort(db.unit_of_work(), "T0001", wanted, as_given(wanted), now=NOW)


def while_members_held(
    db: Database,
    change: Callable[[], object],
    other: Callable[[], object] | None = None,
    held_at: tuple[str, ...] = ("FROM members", "FOR NO KEY"),
) -> tuple[object, object]:
    """`change` (the person's) holds their memberships (or runs up to the statement `held_at` names); the
    save (or `other`) starts then, and once it waits, `change` goes on. What each returned or raised: the
    change's, then the save's."""
    changed, saved = while_held(
        db, change, other or (lambda: save(db)), holds=lambda sql: all(part in sql for part in held_at)
    )
    return changed, saved


@pytest.mark.postgres
def test_a_member_leaving_while_the_settings_are_saved_leaves_and_the_settings_are_saved(
    postgres: Database,
) -> None:
    two_cohorts(postgres)

    left, saved = while_members_held(
        postgres, lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", PERSON, NOW)
    )

    assert not isinstance(left, Exception), left
    assert saved is None, saved
    with postgres.reading() as reading:
        assert (
            reading.session.scalars(select(Cohort.checkin_every_weeks).where(Cohort.slug == "pgy1")).one()
            == 3
        )
        statuses = reading.session.scalars(
            select(Member.status).where(Member.slack_user_id == PERSON).order_by(Member.id)
        ).all()
        assert statuses == [MemberStatus.LEFT, MemberStatus.ACTIVE]


@pytest.mark.postgres
def test_a_member_pausing_while_the_settings_are_saved_pauses_and_the_settings_are_saved(
    postgres: Database,
) -> None:
    two_cohorts(postgres)

    paused, saved = while_members_held(
        postgres, lambda: pause(postgres.unit_of_work(), "T0001", PERSON, 2, NOW)
    )

    assert not isinstance(paused, Exception), paused
    assert saved is None, saved
    with postgres.reading() as reading:
        statuses = reading.session.scalars(
            select(Member.status).where(Member.slack_user_id == PERSON).order_by(Member.id)
        ).all()
        assert statuses == [MemberStatus.PAUSED, MemberStatus.PAUSED]


@pytest.mark.postgres
def test_a_member_leaving_while_the_cohort_file_is_imported_leaves_and_the_file_is_applied(
    postgres: Database,
) -> None:
    two_cohorts(postgres)

    left, applied = while_members_held(
        postgres,
        lambda: leave(postgres.unit_of_work(), "T0001", "pgy1", PERSON, NOW),
        lambda: imported(postgres),
    )

    assert not isinstance(left, Exception), left
    assert applied is None, applied
    with postgres.reading() as reading:
        assert (
            reading.session.scalars(select(Cohort.checkin_every_weeks).where(Cohort.slug == "pgy1")).one()
            == 3
        )


@pytest.mark.postgres
def test_a_member_choosing_their_hours_while_the_settings_are_saved_keeps_them_and_they_are_saved(
    postgres: Database,
) -> None:
    two_cohorts(postgres)

    chosen, saved = while_members_held(
        postgres,
        lambda: choose_hours(postgres.unit_of_work(), "T0001", PERSON, HoursChoice(), NOW),
        held_at=("UPDATE cohorts",),  # their cohorts are planned again, then their digest
    )

    assert not isinstance(chosen, Exception), chosen
    assert saved is None, saved
