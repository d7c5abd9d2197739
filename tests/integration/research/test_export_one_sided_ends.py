"""How a pair ended goes into the export only when both partners consented: for a pair kept for one
consenting partner, "member_left" and its week would tell of the other's departure (rule 8)."""

from __future__ import annotations

from datetime import timedelta

from circles.persistence.db import Database
from circles.services.people.membership.leaving import leave
from circles.services.research.consent import decide
from tests.integration.research.test_export import NOW, START, export, seed, table

LEFT = START + timedelta(weeks=3, hours=1)
UNLESS_BOTH = "not given unless both partners consented"


def learners_leave(db: Database, *, withdrawn: bool) -> None:
    """Five pairs; every learner leaves (having withdrawn first, or not) while their coach stays."""
    seed(db, 5)
    for n in range(5):
        if withdrawn:
            decide(db.unit_of_work(), "T0001", f"U0L{n:06d}", "pgy1", False, START + timedelta(hours=1))
        leave(db.unit_of_work(), "T0001", "pgy1", f"U0L{n:06d}", LEFT)


def ends(db: Database) -> list[tuple[str, str, str]]:
    rows = table(export(db, NOW), "partnerships")
    return sorted((row["person_b"], row["ended_week"], row["end_reason"]) for row in rows)


def test_a_pair_kept_for_its_consenting_coach_does_not_say_when_or_why_it_ended(db: Database) -> None:
    learners_leave(db, withdrawn=True)
    assert ends(db) == [("not_consented", "", "")] * 5


def test_a_pair_both_partners_consented_to_says_when_and_why_it_ended(db: Database) -> None:
    learners_leave(db, withdrawn=False)
    assert [(week, reason) for _, week, reason in ends(db)] == [("2027-W04", "member_left")] * 5


def test_the_codebook_says_a_pairs_end_is_given_only_when_both_partners_consented(db: Database) -> None:
    seed(db, 5)
    codebook = table(export(db, NOW), "codebook")
    described = {row["variable"]: row for row in codebook if row["table"] == "partnerships"}
    assert UNLESS_BOTH in described["ended_week"]["allowed"]
    assert UNLESS_BOTH in described["end_reason"]["meaning"]
