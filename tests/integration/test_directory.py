"""The directory and coach requests on real databases: room, one open request, who may answer, isolation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.views.directory.listing import directory_message
from circles.domain.requests import RequestStatus
from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipKind, PartnershipStatus, Role
from circles.errors import (
    AlreadyPartnered,
    GuideFull,
    GuidePaused,
    InvalidProfile,
    NotALearnerThere,
    NotInAnyCohort,
    PartneredBefore,
    ProfileNotShared,
    RequestAlreadyOpen,
    RequestClosed,
    RequestLapsed,
    RequestNotForYou,
)
from circles.persistence.db import Database
from circles.persistence.models import CoachRequest, Cohort, Member, PairOverride, Partnership, Profile
from circles.services.intake.workspaces import find_workspace
from circles.services.partnerships.requests import accept_request, decline_request, request_guide
from circles.services.people.directory import directory
from circles.services.people.membership import leave, pause, resume
from circles.services.people.profiles import (
    ProfileFields,
    SlackPerson,
    profile_card,
    profile_form,
    save_profile,
)
from tests import factories
from tests.factories import NOW


@dataclass
class Ids:
    workspace: int
    cohort: int
    members: dict[str, int]


def seed(db: Database, team_id: str = "T0001", slug: str = "pgy1-spring", **people: Role) -> Ids:
    """A cohort with these people (user id → role); coaches and mentors get a profile with room for two. It
    pairs learners with coaches when it has a coach or mentor, as it must for its learners to ask them."""
    with db.unit_of_work() as uow:
        session = uow.session
        ws = find_workspace(session, team_id) or factories.workspace(session, team_id)
        co = factories.cohort(session, ws, slug, slug.upper())
        if any(role.guides for role in people.values()):
            co.pairing_mode = PairingMode.COACH_LEARNER
        guides = [user_id for user_id, role in people.items() if role.guides]
        known = set(
            session.scalars(
                select(Profile.slack_user_id).where(
                    Profile.workspace_id == ws.id, Profile.slack_user_id.in_(guides)
                )
            )
        )
        rows = {}
        for user_id, role in people.items():  # flushed together, at the commit
            rows[user_id] = factories.member(session, co, user_id, role, flush=False)
            if role.guides and user_id not in known:
                profile = factories.profile(session, ws, user_id, flush=False)
                profile.capacity, profile.skills = 2, "feedback"
        uow.commit()
        return Ids(ws.id, co.id, {user_id: row.id for user_id, row in rows.items()})


def pair(db: Database, ids: Ids, coach: str, learner: str, status: PartnershipStatus) -> None:
    with db.unit_of_work() as uow:
        co = uow.session.get_one(Cohort, ids.cohort)
        uow.session.add(
            Partnership(
                workspace_id=co.workspace_id,
                cohort_id=co.id,
                kind=PartnershipKind.COACH_LEARNER,
                first_member_id=ids.members[coach],
                second_member_id=ids.members[learner],
                status=status,
                started_at=NOW,
            )
        )
        uow.commit()


def ask(db: Database, learner: str, coach: str, slug: str = "pgy1-spring", team_id: str = "T0001") -> int:
    return request_guide(db.unit_of_work(), team_id, learner, slug, coach, NOW).request_id


def partnerships(db: Database) -> list[tuple[int, int, PartnershipKind]]:
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(Partnership).order_by(Partnership.id))
        return [(p.first_member_id, p.second_member_id, p.kind) for p in rows]


def test_the_directory_lists_the_guides_of_my_active_cohorts_with_the_room_they_have_left(
    db: Database,
) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR, U0PEER=Role.PEER)
    seed(db, slug="other", U0ELSE=Role.COACH)  # a cohort the learner is not in
    pair(db, ids, "U0COACH", "U0PEER", PartnershipStatus.ACTIVE)
    found = directory(db.unit_of_work(), "T0001", "U0LEARN", "feedback", now=NOW)
    assert [(e.user_id, e.remaining, e.can_request) for e in found.entries] == [
        ("U0MENTOR", 2, True),
        ("U0COACH", 1, True),
    ]
    assert found.entries[0].matches == ("feedback",)


def test_ended_partnerships_free_a_place_and_paused_ones_keep_it(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0A=Role.LEARNER, U0B=Role.LEARNER, U0COACH=Role.COACH)
    pair(db, ids, "U0COACH", "U0A", PartnershipStatus.ENDED)
    pair(db, ids, "U0COACH", "U0B", PartnershipStatus.PAUSED)
    [entry] = directory(db.unit_of_work(), "T0001", "U0LEARN", None, now=NOW).entries
    assert entry.remaining == 1


def test_a_full_coach_is_listed_last_and_cannot_be_asked(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0A=Role.LEARNER, U0B=Role.LEARNER, U0COACH=Role.COACH)
    seed(db, slug="pgy1-spring-b", U0OTHER=Role.COACH)
    pair(db, ids, "U0COACH", "U0A", PartnershipStatus.ACTIVE)
    pair(db, ids, "U0COACH", "U0B", PartnershipStatus.ACTIVE)
    [entry] = directory(db.unit_of_work(), "T0001", "U0LEARN", "feedback", now=NOW).entries
    assert entry.full
    with pytest.raises(GuideFull):
        ask(db, "U0LEARN", "U0COACH")


def test_a_learner_has_at_most_one_open_request_per_cohort(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR)
    seed(db, slug="fall", U0LEARN=Role.LEARNER, U0FALL=Role.COACH)
    first = ask(db, "U0LEARN", "U0COACH")
    with pytest.raises(RequestAlreadyOpen):
        ask(db, "U0LEARN", "U0MENTOR")
    ask(db, "U0LEARN", "U0FALL", slug="fall")  # another cohort is another matter
    decline_request(db.unit_of_work(), "T0001", "U0COACH", first, NOW)
    ask(db, "U0LEARN", "U0MENTOR")  # answered: free to ask again


def test_the_database_itself_refuses_a_second_open_request_but_keeps_closed_ones(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR)

    def row(coach: str, status: RequestStatus) -> CoachRequest:
        return CoachRequest(
            workspace_id=ids.workspace,
            cohort_id=ids.cohort,
            learner_member_id=ids.members["U0LEARN"],
            coach_member_id=ids.members[coach],
            status=status,
            created_at=NOW,
        )

    with db.unit_of_work() as uow:
        uow.session.add_all([row("U0COACH", RequestStatus.DECLINED), row("U0COACH", RequestStatus.DECLINED)])
        uow.session.add(row("U0COACH", RequestStatus.OPEN))
        uow.commit()
    with db.unit_of_work() as uow:
        uow.session.add(row("U0MENTOR", RequestStatus.OPEN))
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_only_learners_of_the_cohort_may_ask_and_nobody_twice_once_partnered(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0PEER=Role.PEER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR)
    with pytest.raises(NotALearnerThere):
        ask(db, "U0PEER", "U0COACH")
    with pytest.raises(NotALearnerThere):
        ask(db, "U0OUTSIDER", "U0COACH")
    pair(db, ids, "U0COACH", "U0LEARN", PartnershipStatus.ACTIVE)
    with pytest.raises(AlreadyPartnered):
        ask(db, "U0LEARN", "U0MENTOR")


def test_only_the_coach_asked_can_answer_and_a_refusal_changes_nothing(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR)
    request_id = ask(db, "U0LEARN", "U0COACH")
    for someone in ("U0MENTOR", "U0LEARN", "U0STRANGER"):
        with pytest.raises(RequestNotForYou):
            accept_request(db.unit_of_work(), "T0001", someone, request_id, NOW)
        with pytest.raises(RequestNotForYou):
            decline_request(db.unit_of_work(), "T0001", someone, request_id, NOW)
    assert partnerships(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, request_id).status is RequestStatus.OPEN


def test_accepting_creates_exactly_one_partnership_of_the_guides_kind(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0MENTOR=Role.MENTOR)
    request_id = ask(db, "U0LEARN", "U0MENTOR")
    answer = accept_request(db.unit_of_work(), "T0001", "U0MENTOR", request_id, NOW)
    assert (answer.status, answer.learner_id, answer.coach_id) == (
        RequestStatus.ACCEPTED,
        "U0LEARN",
        "U0MENTOR",
    )
    with pytest.raises(RequestClosed):
        accept_request(db.unit_of_work(), "T0001", "U0MENTOR", request_id, NOW)
    with pytest.raises(RequestClosed):
        decline_request(db.unit_of_work(), "T0001", "U0MENTOR", request_id, NOW)
    assert partnerships(db) == [
        (ids.members["U0MENTOR"], ids.members["U0LEARN"], PartnershipKind.MENTOR_LEARNER)
    ]


def test_room_is_checked_again_when_the_coach_accepts(db: Database) -> None:
    seed(db, U0A=Role.LEARNER, U0B=Role.LEARNER, U0C=Role.LEARNER, U0COACH=Role.COACH)
    first, second, third = (ask(db, learner, "U0COACH") for learner in ("U0A", "U0B", "U0C"))
    accept_request(db.unit_of_work(), "T0001", "U0COACH", first, NOW)
    accept_request(db.unit_of_work(), "T0001", "U0COACH", second, NOW)
    with pytest.raises(GuideFull) as refused:
        accept_request(db.unit_of_work(), "T0001", "U0COACH", third, NOW)
    assert refused.value.answering
    assert len(partnerships(db)) == 2
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, third).status is RequestStatus.OPEN  # still answerable
    assert decline_request(db.unit_of_work(), "T0001", "U0COACH", third, NOW).status is RequestStatus.DECLINED


def test_a_request_from_someone_who_has_left_is_withdrawn_instead_of_accepted(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:
        uow.session.get_one(Member, ids.members["U0LEARN"]).status = MemberStatus.LEFT
        uow.commit()
    with pytest.raises(RequestClosed):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert partnerships(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, request_id).status is RequestStatus.WITHDRAWN


def test_nothing_of_one_workspace_is_seen_or_answered_from_another(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    seed(db, team_id="T0OTHER", slug="elsewhere", U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    with pytest.raises(RequestNotForYou):  # the same user ID in another workspace is another person
        accept_request(db.unit_of_work(), "T0OTHER", "U0COACH", request_id, NOW)
    assert [
        e.cohort_slug for e in directory(db.unit_of_work(), "T0OTHER", "U0LEARN", None, now=NOW).entries
    ] == ["elsewhere"]
    with pytest.raises(NotInAnyCohort):
        directory(db.unit_of_work(), "T0NOBODY", "U0LEARN", None, now=NOW)
    assert partnerships(db) == []


def test_a_profile_card_is_shown_only_within_shared_cohorts_of_the_same_workspace(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    seed(db, slug="fall", U0FALL=Role.LEARNER)
    seed(db, team_id="T0OTHER", slug="elsewhere", U0LEARN=Role.LEARNER)
    slack = SlackPerson(timezone="Asia/Tokyo", display_name="Coach")
    card = profile_card(db.unit_of_work(), "T0001", "U0LEARN", "U0COACH", slack=slack, now=NOW)
    assert (card.fields.skills, card.timezone, card.roles) == (
        "feedback",
        "Asia/Tokyo",
        [("PGY1-SPRING", Role.COACH)],
    )
    for team_id, viewer in (("T0001", "U0FALL"), ("T0OTHER", "U0LEARN")):
        with pytest.raises(ProfileNotShared):
            profile_card(db.unit_of_work(), team_id, viewer, "U0COACH", slack=None, now=NOW)


def test_only_coaches_and_mentors_set_what_they_offer_and_their_capacity(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    given = ProfileFields(interests="Research", offers="Everything", capacity=5)
    for user_id in ("U0LEARN", "U0COACH"):
        save_profile(db.unit_of_work(), "T0001", user_id, given, slack=None, now=NOW)
    learner, coach = (profile_form(db.unit_of_work(), "T0001", u).fields for u in ("U0LEARN", "U0COACH"))
    assert (learner.interests, learner.offers, learner.capacity) == ("Research", "", None)
    assert (coach.offers, coach.capacity) == ("Everything", 5)
    with pytest.raises(InvalidProfile):
        save_profile(db.unit_of_work(), "T0001", "U0COACH", ProfileFields(capacity=21), slack=None, now=NOW)
    with pytest.raises(NotInAnyCohort):
        save_profile(db.unit_of_work(), "T0001", "U0STRANGER", given, slack=None, now=NOW)


def test_leaving_withdraws_the_open_requests_a_member_made_or_received(db: Database) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    ask(db, "U0LEARN", "U0COACH")
    leave(db.unit_of_work(), "T0001", "pgy1-spring", "U0COACH", NOW)
    with db.unit_of_work() as uow:
        assert [r.status for r in uow.session.scalars(select(CoachRequest))] == [RequestStatus.WITHDRAWN]


def test_an_ended_pair_cannot_be_formed_again_by_a_request_unless_a_facilitator_allows_it(
    db: Database,
) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    pair(db, ids, "U0COACH", "U0LEARN", PartnershipStatus.ENDED)
    with pytest.raises(PartneredBefore):
        ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:
        first, second = sorted((ids.members["U0COACH"], ids.members["U0LEARN"]))
        uow.session.add(
            PairOverride(
                workspace_id=ids.workspace,
                cohort_id=ids.cohort,
                first_member_id=first,
                second_member_id=second,
                set_by="U0FACIL",
                allowed_at=NOW + timedelta(minutes=1),
            )
        )
        uow.commit()
    request_id = ask(db, "U0LEARN", "U0COACH")
    accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert (ids.members["U0COACH"], ids.members["U0LEARN"], PartnershipKind.COACH_LEARNER) in partnerships(db)


@pytest.mark.parametrize("how", ["paused", "paused for two weeks", "left"])
def test_a_learner_who_paused_or_left_after_asking_is_not_accepted_and_their_request_closes(
    db: Database, how: str
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    if how == "left":
        leave(db.unit_of_work(), "T0001", "pgy1-spring", "U0LEARN", NOW)
    else:
        pause(db.unit_of_work(), "T0001", "U0LEARN", 2 if "weeks" in how else None, NOW)

    with pytest.raises(RequestClosed) as refused:
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW + timedelta(days=1))
    assert isinstance(
        refused.value, RequestLapsed
    )  # said in place of the request (a leave closed it already)
    assert not refused.value.yours
    assert partnerships(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, request_id).status is RequestStatus.WITHDRAWN
    with pytest.raises(RequestClosed):  # nothing left to press
        decline_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW + timedelta(days=1))


def test_a_learner_whose_dated_pause_ran_out_can_be_accepted(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    pause(db.unit_of_work(), "T0001", "U0LEARN", 1, NOW)

    accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW + timedelta(weeks=1, hours=1))
    assert partnerships(db) == [
        (ids.members["U0COACH"], ids.members["U0LEARN"], PartnershipKind.COACH_LEARNER)
    ]


def test_a_coach_who_paused_cannot_accept_until_they_resume_and_the_request_waits(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    pause(db.unit_of_work(), "T0001", "U0COACH", None, NOW)

    with pytest.raises(GuidePaused):
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert partnerships(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, request_id).status is RequestStatus.OPEN
    resume(db.unit_of_work(), "T0001", "U0COACH", NOW)
    accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert partnerships(db) == [
        (ids.members["U0COACH"], ids.members["U0LEARN"], PartnershipKind.COACH_LEARNER)
    ]


@pytest.mark.parametrize(
    ("who", "change"),
    [("U0COACH", "left"), ("U0COACH", "learner"), ("U0LEARN", "coach")],
    ids=["coach left by a file", "coach now a learner", "learner now a coach"],
)
def test_a_request_whose_coach_or_learner_changed_in_the_cohort_closes_instead_of_pairing_them(
    db: Database, who: str, change: str
) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    request_id = ask(db, "U0LEARN", "U0COACH")
    with db.unit_of_work() as uow:  # as a cohort file can change them, leaving the request open
        member = uow.session.get_one(Member, ids.members[who])
        if change == "left":
            member.status = MemberStatus.LEFT
        else:
            member.role = Role(change)
        uow.commit()

    with pytest.raises(RequestLapsed) as refused:
        accept_request(db.unit_of_work(), "T0001", "U0COACH", request_id, NOW)
    assert refused.value.yours is (who == "U0COACH")
    assert partnerships(db) == []
    with db.unit_of_work() as uow:
        assert uow.session.get_one(CoachRequest, request_id).status is RequestStatus.WITHDRAWN


def test_a_learner_with_a_coach_in_one_cohort_is_told_why_its_coaches_have_no_button(db: Database) -> None:
    ids = seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH, U0MENTOR=Role.MENTOR)
    seed(db, slug="other", U0LEARN=Role.LEARNER, U0ELSE=Role.COACH)
    pair(db, ids, "U0COACH", "U0LEARN", PartnershipStatus.PAUSED)  # a paused pair comes back
    found = directory(db.unit_of_work(), "T0001", "U0LEARN", None, now=NOW)
    assert {(e.user_id, e.cohort_slug, e.can_request) for e in found.entries} == {
        ("U0COACH", "pgy1-spring", False),
        ("U0MENTOR", "pgy1-spring", False),
        ("U0ELSE", "other", True),
    }
    words = json.dumps(directory_message(found).block_dicts())
    assert "You have a coach or mentor in *PGY1-SPRING* already" in words
    assert "*OTHER*" not in words


def test_a_facilitator_in_no_cohort_of_their_own_is_not_sent_to_a_profile_they_cannot_have(
    db: Database,
) -> None:
    seed(db, U0LEARN=Role.LEARNER, U0COACH=Role.COACH)
    with db.unit_of_work() as uow:
        factories.facilitator(uow.session, uow.session.scalars(select(Cohort)).one(), "U0FAC")
        uow.commit()
    found = directory(db.unit_of_work(), "T0001", "U0FAC", None, now=NOW)
    assert [(e.user_id, e.can_request) for e in found.entries] == [("U0COACH", False)]
    words = json.dumps(directory_message(found).block_dicts())
    assert "in the cohorts you run" in words
    assert "/circles profile" not in words
