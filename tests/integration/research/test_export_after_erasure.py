"""The research export after an erasure: a member who was erased, came back and agreed again is in it as
someone new; nothing from before the erasure leaves again, nor can the old files be joined to the new."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from circles.domain.research.pseudonyms import pseudonym
from circles.domain.vocabulary import PairingMode, Role
from circles.persistence.db import Database
from circles.persistence.models import Cohort, Member
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership.joining import join
from circles.services.people.membership.leaving import leave
from circles.services.research.consent import decide
from circles.services.research.export import ResearchExport
from tests import factories
from tests.integration.research.test_export import KEY, NOW, START, export, seed, table

LEARNER = "U0L000000"
LEFT = START + timedelta(weeks=3, hours=1)
BACK = START + timedelta(weeks=4)


def erase_and_come_back(db: Database) -> ResearchExport:
    """The first learner leaves and is erased, then joins the same cohort again and agrees again; the
    export made just before they left."""
    before = export(db, LEFT - timedelta(minutes=1))
    leave(db.unit_of_work(), "T0001", "pgy1", LEARNER, LEFT)
    assert erase_personal_data(db.unit_of_work(), "T0001", LEARNER, LEFT + timedelta(hours=1)) is True
    with db.unit_of_work() as uow:  # the seeded pairs are coaches' and learners'
        uow.session.execute(update(Cohort).values(pairing_mode=PairingMode.COACH_LEARNER))
        uow.commit()
    join(db.unit_of_work(), "T0001", "pgy1", LEARNER, Role.LEARNER, BACK)
    decide(db.unit_of_work(), "T0001", LEARNER, "pgy1", True, BACK)
    return before


def old_id(db: Database) -> str:
    """The ID the erased learner had in every export before their erasure."""
    with db.unit_of_work() as uow:
        return pseudonym(KEY, uow.session.scalars(select(Cohort.id)).one(), LEARNER)


def people(made: ResearchExport) -> set[str]:
    return {row["person_id"] for row in table(made, "people")}


def ids(made: ResearchExport, name: str) -> set[str]:
    return {value for row in table(made, name) for value in row.values()}


def test_a_member_back_after_an_erasure_is_exported_under_an_id_the_old_files_never_held(
    db: Database,
) -> None:
    seed(db, 3)
    before = erase_and_come_back(db)
    after = export(db, NOW)
    old, new = people(before), people(after)
    assert (len(old), len(new), after.included) == (6, 6, 6)
    assert old - new == {old_id(db)}  # their old ID is gone for good
    [back] = new - old
    assert not any(back in ids(before, name) for name in ("people", "checkins", "partnerships"))
    [them] = [row for row in table(after, "people") if row["person_id"] == back]
    # This stint's weeks (its week of joining, unique in the cohort, hidden), never the erased one's.
    assert (them["joined_week"], them["left_week"]) == ("suppressed", "")


def test_check_ins_from_before_an_erasure_never_leave_again(db: Database) -> None:
    seed(db, 3)
    before = erase_and_come_back(db)
    after = export(db, NOW)
    theirs = [row for row in table(after, "checkins") if row["person_id"] == old_id(db)]
    assert theirs == []  # weeks 1 to 3 of the stint they had erased, under the ID they had then
    assert (len(table(before, "checkins")), len(table(after, "checkins"))) == (18, 18 - 3)
    assert not people(after) - people(before) & ids(after, "checkins")  # none under their new ID either


def test_a_pair_begun_before_an_erasure_shows_that_partner_as_not_consented_and_keeps_its_health_out(
    db: Database,
) -> None:
    seed(db, 3)
    before = erase_and_come_back(db)
    after = export(db, NOW)
    [old_pair] = [
        row["partnership_id"] for row in table(before, "partnerships") if old_id(db) in row.values()
    ]
    [pair] = [row for row in table(after, "partnerships") if row["partnership_id"] == old_pair]
    assert pair["person_b"] == "not_consented"
    assert not people(after) - people(before) & ids(after, "partnerships")  # nor under their new ID
    assert old_pair not in ids(after, "health_transitions") | ids(after, "escalation_outcomes")
    assert (len(table(after, "health_transitions")), len(table(after, "escalation_outcomes"))) == (2, 2)


def test_what_a_member_does_after_coming_back_is_exported_under_their_new_id(db: Database) -> None:
    seed(db, 3)
    before = erase_and_come_back(db)
    with db.unit_of_work() as uow:
        session = uow.session
        learner = session.scalars(select(Member).where(Member.slack_user_id == LEARNER)).one()
        cohort = session.get_one(Cohort, learner.cohort_id)
        guide = factories.member(session, cohort, "U0C999999", Role.COACH, at=BACK)
        pairing = factories.pair(session, guide, learner, started_at=BACK)
        session.add(factories.checkin(pairing, learner.id, BACK + timedelta(days=7), 5))
        uow.commit()
    decide(db.unit_of_work(), "T0001", "U0C999999", "pgy1", True, BACK)
    after = export(db, NOW)
    coach = pseudonym(KEY, cohort.id, "U0C999999")  # never erased: the ID they always had
    [back] = [row["person_b"] for row in table(after, "partnerships") if row["person_a"] == coach]
    assert back not in ids(before, "people")
    assert [row["rating"] for row in table(after, "checkins") if row["person_id"] == back] == ["5"]
    assert [row["person_b"] for row in table(after, "partnerships")].count(back) == 1  # only the new pair


def test_the_summary_counts_none_of_the_check_ins_from_before_an_erasure(db: Database) -> None:
    seed(db, 5)
    before = erase_and_come_back(db)
    after = export(db, NOW)
    learners = ("2027-W01", "learner")
    assert members(before)[learners] == "5"
    assert members(after)[learners] == "suppressed"  # four learners that week now: too few to show


def members(made: ResearchExport) -> dict[tuple[str, str], str]:
    return {(row["week"], row["role"]): row["members"] for row in table(made, "summary")}
