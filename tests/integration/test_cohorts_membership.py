"""Cohort and membership services on SQLite and PostgreSQL: rules, authorization and isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from circles.domain.availability import AbsenceKind
from circles.domain.cohort_rules import CohortSettings
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipStatus, Role, SurveyPhase
from circles.errors import (
    CohortNotFound,
    InvalidCohortSettings,
    NotAFacilitator,
    NotAllowedToCreateCohorts,
    NotAMember,
    RoleNotOffered,
    SlugTaken,
    WhichCohort,
)
from circles.persistence.db import Database
from circles.persistence.models import (
    AwayBlock,
    CheckIn,
    Consent,
    Member,
    Partnership,
    Profile,
    SurveyAnswer,
    SurveyRequest,
)
from circles.queries.availability import away_block
from circles.services.cohorts.config import cohort_config, configure_cohort, create_cohort
from circles.services.intake.workspaces import find_workspace
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import join, join_choice, leave, pause, resume
from circles.services.people.status import cohorts_run_by, my_status
from circles.services.research.consent import decide
from tests import factories
from tests.factories import NOW


def new_cohort(db: Database, slug: str = "pgy1", team: str = "T0001", creator: str = "U0ADMIN") -> None:
    create_cohort(db.unit_of_work(), team, slug, "PGY-1", creator=creator, creator_is_admin=True, now=NOW)


def set_mode(db: Database, slug: str, **changes: object) -> None:
    config = cohort_config(db.unit_of_work(), "T0001", slug, user_id="U0ADMIN", is_admin=False)
    configure_cohort(
        db.unit_of_work(),
        "T0001",
        slug,
        config.settings.with_changes(**changes),
        config.facilitators,
        user_id="U0ADMIN",
        is_admin=False,
        now=NOW,
    )


def test_only_admins_create_cohorts_and_slugs_are_unique_per_workspace(db: Database) -> None:
    with pytest.raises(NotAllowedToCreateCohorts):
        create_cohort(
            db.unit_of_work(), "T0001", "pgy1", "PGY-1", creator="U0X", creator_is_admin=False, now=NOW
        )
    new_cohort(db)
    with pytest.raises(SlugTaken):
        new_cohort(db)
    new_cohort(db, team="T0OTHER")  # the same slug in another workspace is another cohort


def test_settings_are_for_facilitators_and_admins_only(db: Database) -> None:
    new_cohort(db)
    with pytest.raises(NotAFacilitator):
        cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0MEMBER", is_admin=False)
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0OTHERADMIN", is_admin=True)
    with pytest.raises(NotAFacilitator):
        configure_cohort(
            db.unit_of_work(),
            "T0001",
            "pgy1",
            config.settings.with_changes(circle_max_size=8),
            ["U0MEMBER"],
            user_id="U0MEMBER",
            is_admin=False,
            now=NOW,
        )
    assert cohort_config(
        db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=False
    ).facilitators == ["U0ADMIN"]


def test_a_facilitator_of_one_workspace_sees_nothing_of_another(db: Database) -> None:
    new_cohort(db, team="T0OTHER", creator="U0ADMIN")
    with pytest.raises(CohortNotFound) as missing:
        cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=True)
    assert missing.value.suggestions == []
    assert cohorts_run_by(db.unit_of_work(), "T0001", "U0ADMIN", NOW) == []


def test_invalid_settings_change_nothing(db: Database) -> None:
    new_cohort(db)
    config = cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=False)
    bad: CohortSettings = config.settings.with_changes(circle_min_size=9, circle_max_size=3)
    with pytest.raises(InvalidCohortSettings) as invalid:
        configure_cohort(
            db.unit_of_work(), "T0001", "pgy1", bad, [], user_id="U0ADMIN", is_admin=False, now=NOW
        )
    assert set(invalid.value.problems) == {"circle_max_size", "facilitators"}
    assert (
        cohort_config(db.unit_of_work(), "T0001", "pgy1", user_id="U0ADMIN", is_admin=False).settings
        == config.settings
    )


def test_joining_offers_the_roles_of_the_pairing_mode_and_twice_is_harmless(db: Database) -> None:
    new_cohort(db)
    set_mode(db, "pgy1", pairing_mode="mentor_learner")
    assert join_choice(db.unit_of_work(), "T0001", "PGY1", "U0A").roles == (Role.LEARNER, Role.MENTOR)
    with pytest.raises(RoleNotOffered):
        join(db.unit_of_work(), "T0001", "pgy1", "U0A", Role.COACH, NOW)
    first = join(db.unit_of_work(), "T0001", "pgy1", "U0A", Role.LEARNER, NOW)
    second = join(db.unit_of_work(), "T0001", "pgy1", "U0A", Role.MENTOR, NOW)
    assert (first.already, second.already, second.role) == (False, True, Role.LEARNER)
    assert join_choice(db.unit_of_work(), "T0001", "pgy1", "U0A").current_role is Role.LEARNER


def test_leaving_ends_partnerships_without_fault_and_names_the_partner_to_tell(db: Database) -> None:
    new_cohort(db)
    set_mode(db, "pgy1", pairing_mode="coach_learner")
    join(db.unit_of_work(), "T0001", "pgy1", "U0COACH", Role.COACH, NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0LEARNER", Role.LEARNER, NOW)
    with db.unit_of_work() as uow:
        factories.partnership(uow.session, "U0COACH", "U0LEARNER")
        uow.commit()
    [status] = my_status(db.unit_of_work(), "T0001", "U0LEARNER", NOW)
    assert [p.partner_user_id for p in status.partners] == ["U0COACH"]
    left = leave(db.unit_of_work(), "T0001", None, "U0LEARNER", NOW + timedelta(days=3))
    assert (left.slug, left.former_partners) == ("pgy1", ["U0COACH"])
    with db.unit_of_work() as uow:
        partnership = uow.session.scalars(select(Partnership)).one()
    assert (partnership.status, partnership.end_reason) == (PartnershipStatus.ENDED, EndReason.MEMBER_LEFT)
    assert my_status(db.unit_of_work(), "T0001", "U0LEARNER", NOW) == []
    [coach_status] = my_status(db.unit_of_work(), "T0001", "U0COACH", NOW)
    assert coach_status.partners == ()


def test_leave_needs_a_slug_when_in_several_cohorts(db: Database) -> None:
    new_cohort(db, "one")
    new_cohort(db, "two")
    for slug in ("one", "two"):
        join(db.unit_of_work(), "T0001", slug, "U0A", Role.PEER, NOW)
    with pytest.raises(WhichCohort):
        leave(db.unit_of_work(), "T0001", None, "U0A", NOW)
    assert leave(db.unit_of_work(), "T0001", "two", "U0A", NOW).slug == "two"
    with pytest.raises(NotAMember):
        leave(db.unit_of_work(), "T0001", "two", "U0A", NOW)


def test_pause_and_resume_cover_every_cohort(db: Database) -> None:
    new_cohort(db, "one")
    new_cohort(db, "two")
    for slug in ("one", "two"):
        join(db.unit_of_work(), "T0001", slug, "U0A", Role.PEER, NOW)
    until = pause(db.unit_of_work(), "T0001", "U0A", 2, NOW)
    assert until == NOW + timedelta(weeks=2)
    assert {s.status for s in my_status(db.unit_of_work(), "T0001", "U0A", NOW)} == {MemberStatus.PAUSED}
    assert all(s.next_prompt is None for s in my_status(db.unit_of_work(), "T0001", "U0A", NOW))
    assert resume(db.unit_of_work(), "T0001", "U0A", NOW) == ["one", "two"]


def test_erasing_removes_the_profile_only_once_the_person_is_in_no_cohort(db: Database) -> None:
    new_cohort(db)
    join(db.unit_of_work(), "T0001", "pgy1", "U0A", Role.PEER, NOW)
    with db.unit_of_work() as uow:
        workspace = find_workspace(uow.session, "T0001")
        assert workspace is not None
        factories.profile(uow.session, workspace, "U0A")
        span = (NOW, NOW + timedelta(weeks=2))
        uow.session.add(away_block(workspace.id, "U0A", span, AbsenceKind.ROTATION, by="import", now=NOW))
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0A")).one()
        asked = SurveyRequest(
            workspace_id=workspace.id,
            cohort_id=member.cohort_id,
            member_id=member.id,
            instrument="belonging",
            instrument_version=1,
            phase=SurveyPhase.BASELINE,
            due_at=NOW,
            sent_at=NOW,
            answered_at=NOW,
        )
        uow.session.add(asked)
        uow.session.flush()
        uow.session.add(
            SurveyAnswer(workspace_id=workspace.id, request_id=asked.id, item_id="fit_in", value=4)
        )
        uow.commit()
    decide(db.unit_of_work(), "T0001", "U0A", "pgy1", True, NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0A", NOW) is False
    leave(db.unit_of_work(), "T0001", "pgy1", "U0A", NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0A", NOW) is True
    with db.unit_of_work() as uow:
        assert uow.session.scalars(select(Profile)).all() == []
        # Their absences and research consent are theirs too: nothing of them is left.
        assert uow.session.scalars(select(AwayBlock)).all() == []
        assert uow.session.scalars(select(Consent)).all() == []
        # And so are their survey answers; the request they were sent stays, naming nobody, for the rates.
        assert [request.member_id for request in uow.session.scalars(select(SurveyRequest))] == [None]
        assert uow.session.scalars(select(SurveyAnswer)).all() == []


def test_head_counts_for_facilitators(db: Database) -> None:
    new_cohort(db)
    for user in ("U0A", "U0B", "U0C"):
        join(db.unit_of_work(), "T0001", "pgy1", user, Role.PEER, NOW)
    pause(db.unit_of_work(), "T0001", "U0B", None, NOW)
    leave(db.unit_of_work(), "T0001", "pgy1", "U0C", NOW)
    [run] = cohorts_run_by(db.unit_of_work(), "T0001", "U0ADMIN", NOW)
    assert run.active(Role.PEER) == 1
    assert run.counts[(Role.PEER, MemberStatus.PAUSED)] == 1
    assert run.counts[(Role.PEER, MemberStatus.LEFT)] == 1


def test_erasing_also_removes_every_note_the_person_wrote_and_keeps_the_ratings(db: Database) -> None:
    new_cohort(db)
    set_mode(db, "pgy1", pairing_mode="coach_learner")
    join(db.unit_of_work(), "T0001", "pgy1", "U0COACH", Role.COACH, NOW)
    join(db.unit_of_work(), "T0001", "pgy1", "U0LEARNER", Role.LEARNER, NOW)
    with db.unit_of_work() as uow:
        pair = factories.partnership(uow.session, "U0COACH", "U0LEARNER")
        uow.session.add(
            CheckIn(
                workspace_id=pair.workspace_id,
                partnership_id=pair.id,
                member_id=pair.second_member_id,
                due_at=NOW,
                rating=2,
                note_encrypted=b"sealed note",
                note_shared=True,
            )
        )
        uow.commit()
    leave(db.unit_of_work(), "T0001", "pgy1", "U0LEARNER", NOW)
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0LEARNER", NOW) is True
    with db.unit_of_work() as uow:
        checkin = uow.session.scalars(select(CheckIn)).one()
    assert (checkin.note_encrypted, checkin.note_shared, checkin.rating) == (None, False, 2)
