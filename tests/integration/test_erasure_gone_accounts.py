"""Erasure and Slack saying an account ended, on SQLite and PostgreSQL: when someone's account was
deactivated is kept only while it matters (they facilitate, or are a member whose data stands). Of someone
erased nothing new is kept when Slack deactivates their account afterwards, and an erasure forgets it;
a facilitator's stays, since alerts must not go to an account nobody reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.persistence.models import GoneAccount
from circles.services.people.erasure import erase_personal_data
from circles.services.people.left_slack import left_slack
from circles.services.people.membership import join, leave
from tests import factories
from tests.databases import meanwhile
from tests.factories import NOW

SAM, FAC = "U0SAM", "U0FAC"
LATER = NOW + timedelta(days=30)


def sam_in_pgy1(db: Database, *, facilitates_other: bool = False) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        pgy1, other = (factories.cohort(uow.session, ws, slug, slug.upper()) for slug in ("pgy1", "other"))
        factories.facilitator(uow.session, pgy1, FAC)
        factories.member(uow.session, pgy1, SAM, Role.PEER)
        factories.profile(uow.session, ws, SAM)
        if facilitates_other:
            factories.facilitator(uow.session, other, SAM)
        uow.commit()


def gone(db: Database) -> list[str]:
    with db.reading() as reading:
        return sorted(reading.session.scalars(select(GoneAccount.slack_user_id)))


def test_slack_deactivating_an_erased_members_account_keeps_nothing_about_them(db: Database) -> None:
    sam_in_pgy1(db)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    left_slack(db, "T0001", SAM, LATER)

    assert gone(db) == []


def test_an_erasure_forgets_that_slack_said_the_members_account_ended(db: Database) -> None:
    sam_in_pgy1(db)
    left_slack(db, "T0001", SAM, NOW)  # leaves pgy1 as Slack deactivates the account
    assert gone(db) == [SAM]

    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW + timedelta(hours=1)) is True

    assert gone(db) == []


def test_a_facilitator_erased_as_a_member_is_still_kept_as_gone(db: Database) -> None:
    sam_in_pgy1(db, facilitates_other=True)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    left_slack(db, "T0001", SAM, LATER)
    left_slack(db, "T0001", FAC, LATER)

    assert gone(db) == [FAC, SAM]  # nobody sends them what must be read


def test_someone_erased_who_joined_again_is_kept_as_gone_when_slack_deactivates_them(db: Database) -> None:
    sam_in_pgy1(db)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True
    join(db.unit_of_work(), "T0001", "pgy1", SAM, Role.PEER, NOW + timedelta(days=1))

    left_slack(db, "T0001", SAM, LATER)

    assert gone(db) == [SAM]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_slack_deactivating_the_account_while_the_erasure_commits_keeps_nothing_about_them(
    db: Database,
) -> None:
    sam_in_pgy1(db)
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW)

    with meanwhile(db, "DELETE FROM profiles", lambda: left_slack(db, "T0001", SAM, LATER)) as outcome:
        assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW) is True

    assert outcome == [[]]  # Sam had left every cohort: nothing more to leave
    assert gone(db) == []
