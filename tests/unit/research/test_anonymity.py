"""k-anonymity of the row-level tables: a value fewer than 5 people (or pairs) share reads "suppressed"."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from circles.domain.health.signals import Answer
from circles.domain.research.anonymity import k_anonymous
from circles.domain.research.columns import SUPPRESSED, Table
from circles.domain.research.consent import ConsentRecord, Decision
from circles.domain.vocabulary import MemberStatus, PartnershipKind, Role
from circles.queries.research import CheckInRow, MemberRow, PartnershipRow
from circles.services.research import consented as c
from circles.services.research import export_tables as t
from circles.services.research.package import package_files, zip_bytes

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
START = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday: 2027-W01
COHORT = c.Cohort(7, ZoneInfo("UTC"), b"k" * 32)
KIND = {
    (Role.MENTOR, Role.LEARNER): PartnershipKind.MENTOR_LEARNER,
    (Role.COACH, Role.LEARNER): PartnershipKind.COACH_LEARNER,
    (Role.PEER, Role.PEER): PartnershipKind.PEER,
}


def member(number: int, role: Role = Role.PEER, joined_week: int = 1) -> MemberRow:
    joined = START + timedelta(weeks=joined_week - 1)
    return MemberRow(number, f"U{number:09d}", role, MemberStatus.ACTIVE, joined, None)


def tables(members: list[MemberRow], couples: list[tuple[int, int]]) -> tuple[list[Table], c.Included]:
    """people.csv and partnerships.csv of these members, all consenting, paired as given."""
    consents = {m.user_id: [ConsentRecord(Decision.GIVEN, START, "1")] for m in members}
    who = c.included(COHORT, members, consents, NOW)
    role = {m.member_id: m.role for m in members}
    pairs = [
        PartnershipRow(100 + n, KIND[role[a], role[b]], a, b, START, None, None)
        for n, (a, b) in enumerate(couples)
    ]
    ids = c.pair_ids(COHORT, members, pairs)
    checkins = [
        CheckInRow(p.partnership_id, Answer(p.first_member_id, START, START, 4, True, False)) for p in pairs
    ]
    built = [
        t.people_table(COHORT, members, who),
        t.partnerships_table(COHORT, pairs, ids, who),
        t.checkins_table(COHORT, checkins, ids, who),
    ]
    return built, who


def column(table: Table, name: str) -> dict[object, object]:
    """A column by its row's unit (person_id or partnership_id)."""
    index = table.header.index(name)
    return {row[0]: row[index] for row in table.rows}


def test_the_only_mentors_role_is_suppressed_and_their_pairs_do_not_give_it_back() -> None:
    mentor = member(1, Role.MENTOR)
    learners = [member(n, Role.LEARNER) for n in range(2, 7)]
    peers = [member(n) for n in range(7, 17)]
    couples = [(1, n) for n in range(2, 7)] + [(n, n + 1) for n in range(7, 17, 2)]
    (people, partnerships, _), who = tables([mentor, *learners, *peers], couples)
    shown = k_anonymous([people, partnerships])
    roles = column(shown[0], "role")
    assert roles[who.people[1]] == SUPPRESSED
    # "suppressed" alone would point at the mentor: the learners' role, the next rarest, goes too.
    assert {roles[who.people[n]] for n in range(2, 7)} == {SUPPRESSED}
    assert {roles[who.people[n]] for n in range(7, 17)} == {"peer"}
    kinds = [(row[1], row[2]) for row in shown[1].rows]
    assert {kind for kind, first in kinds if first == who.people[1]} == {SUPPRESSED}
    assert "mentor_learner" not in {kind for kind, _ in kinds}
    assert {kind for kind, first in kinds if first != who.people[1]} == {"peer"}


def test_a_kind_rare_among_pairs_hides_its_partners_roles_too() -> None:
    coaches = [member(n, Role.COACH) for n in range(1, 7)]
    learners = [member(n, Role.LEARNER) for n in range(7, 13)]
    peers = [member(n) for n in range(13, 23)]
    couples = [(1, 7)] + [(n, n + 1) for n in range(13, 23, 2)]
    (people, partnerships, _), who = tables([*coaches, *learners, *peers], couples)
    shown = k_anonymous([people, partnerships])
    roles = column(shown[0], "role")
    assert (roles[who.people[1]], roles[who.people[7]]) == (SUPPRESSED, SUPPRESSED)
    assert {roles[who.people[n]] for n in range(2, 7)} == {"coach"}
    assert {roles[who.people[n]] for n in range(8, 13)} == {"learner"}
    assert {row[1] for row in shown[1].rows} == {SUPPRESSED}


def test_a_week_five_people_share_stays_and_one_four_share_does_not() -> None:
    weeks = [1] * 5 + [2] * 4 + [3]
    members = [member(n, joined_week=week) for n, week in enumerate(weeks, start=1)]
    (people, *_), who = tables(members, [])
    [shown] = k_anonymous([people])
    joined = column(shown, "joined_week")
    assert [joined[who.people[n]] for n in range(1, 11)] == ["2027-W01"] * 5 + [SUPPRESSED] * 5


def test_suppressed_is_never_left_to_fewer_than_five_people() -> None:
    members = [member(n, joined_week=1 if n <= 6 else 2) for n in range(1, 11)]
    (people, *_), _ = tables(members, [])
    [shown] = k_anonymous([people])
    assert set(column(shown, "joined_week").values()) == {SUPPRESSED}


def test_a_cohort_where_every_value_is_common_is_exported_unchanged() -> None:
    members = [member(n) for n in range(1, 11)]
    built, _ = tables(members, [(n, n + 1) for n in range(1, 11, 2)])
    assert k_anonymous(built) == built


def test_the_package_allows_suppressed_wherever_it_can_appear() -> None:
    members = [member(1, Role.MENTOR), *(member(n, Role.LEARNER, joined_week=n) for n in range(2, 5))]
    built, _ = tables(members, [(1, 2), (1, 3)])
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(package_files("spring", "1", k_anonymous(built), 4))))
    package = json.loads(archive.read("datapackage.json"))
    seen = set()
    for resource in package["resources"]:
        for row in csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())):
            for field in resource["schema"]["fields"]:
                value = row[field["name"]]
                if (
                    "enum" in field.get("constraints", {})
                    and value not in resource["schema"]["missingValues"]
                ):
                    assert value in field["constraints"]["enum"], (resource["name"], field["name"])
                seen.add(value)
    assert SUPPRESSED in seen
    book = {
        (r["table"], r["variable"]): r["allowed"]
        for r in csv.DictReader(io.StringIO(archive.read("codebook.csv").decode()))
    }
    assert SUPPRESSED in book["people", "role"]
    assert SUPPRESSED in book["partnerships", "started_week"]
    assert SUPPRESSED not in book["checkins", "rating"]
    assert "Rare values" in archive.read("README.txt").decode()
