"""Who is in a research export: members whose consent stands, under pseudonyms, and the pairs' own IDs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from circles.domain.research.consent import ConsentRecord, latest_decision, may_export
from circles.domain.research.pseudonyms import pseudonym
from circles.queries.research import MemberRow, PartnershipRow


@dataclass(frozen=True)
class Cohort:
    """What the tables need of the cohort: its id (pseudonyms are per cohort), time zone and statement."""

    cohort_id: int
    zone: ZoneInfo
    key: bytes
    statement_version: str = "1"  # the version of the research statement members are asked to now


@dataclass(frozen=True)
class Included:
    """The members in the export (by member id: their pseudonym and consent) and those left out."""

    people: dict[int, str]
    versions: dict[int, str]
    left_out: int


def consent_standing(cohort: Cohort, records: list[ConsentRecord], now: datetime) -> ConsentRecord | None:
    """The decision that lets a member's data into an export now, or None: consent is read only here.

    It must stand at `now` and still stand: an export as of an earlier instant, made after the member
    withdrew, leaves them out too.
    """
    if not may_export(records, now, cohort.statement_version):
        return None
    if not may_export(records, max(record.at for record in records), cohort.statement_version):
        return None  # withdrawn since `now`
    return latest_decision(records, now)


def included(
    cohort: Cohort, members: list[MemberRow], consents: Mapping[str, list[ConsentRecord]], now: datetime
) -> Included:
    """Who is in the export: members whose consent stands at `now`, under their pseudonyms."""
    people: dict[int, str] = {}
    versions: dict[int, str] = {}
    for member in members:
        standing = consent_standing(cohort, consents.get(member.user_id, []), now)
        if standing is not None:
            people[member.member_id] = pseudonym(cohort.key, cohort.cohort_id, member.user_id)
            versions[member.member_id] = standing.statement_version
    return Included(people, versions, len(members) - len(people))


def pair_ids(cohort: Cohort, members: list[MemberRow], pairs: list[PartnershipRow]) -> dict[int, str]:
    """Each partnership's pseudonym, keyed on its partners and its own row so a pair formed twice differs."""
    user_of = {m.member_id: m.user_id for m in members}
    return {
        p.partnership_id: pseudonym(
            cohort.key,
            cohort.cohort_id,
            f"pair\x00{user_of.get(p.first_member_id)}\x00{user_of.get(p.second_member_id)}\x00{p.partnership_id}",
        )
        for p in pairs
    }


def both_consented(pairs: list[PartnershipRow], who: Included) -> set[int]:
    """The partnerships whose partners both consented: only those carry health and escalations."""
    return {p.partnership_id for p in pairs if {p.first_member_id, p.second_member_id} <= who.people.keys()}
