"""Who is in a research export: members whose consent stands, under pseudonyms, and the pairs' own IDs.

Nothing of a member's from before an erasure is exported again: a member back after one is someone new
(another pseudonym), their rows up to it are dropped, and a pair begun by then shows them as not consented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from circles.domain.research.consent import ConsentRecord, counted, latest_decision, may_export
from circles.domain.research.pseudonyms import pseudonym
from circles.queries.research import CheckInRow, MemberRow, PartnershipRow, SurveyAnswerRow


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
    erased: dict[int, datetime] = field(default_factory=dict)  # members erased, by id: up to when

    def kept(self, member_id: int, at: datetime) -> bool:
        """Whether something of the member's dated `at` came after their last erasure (or there was none)."""
        erased = self.erased.get(member_id)
        return erased is None or at > erased

    def in_pair(self, member_id: int, pair: PartnershipRow) -> str | None:
        """The member's pseudonym in this pair, or None: not consented, or the pair began by their erasure."""
        return self.people.get(member_id) if self.kept(member_id, pair.started_at) else None


def consent_standing(cohort: Cohort, records: list[ConsentRecord], now: datetime) -> ConsentRecord | None:
    """The decision that lets a member's data into an export now, or None: consent is read only here, of
    the `records` that count (`counted`: none from before the member's erasure).

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
    """Who is in the export: members whose consent stands at `now`, under their pseudonyms; never one as
    they stood in a stint since erased (an export as of then)."""
    people: dict[int, str] = {}
    versions: dict[int, str] = {}
    erased = {m.member_id: m.erased_before for m in members if m.erased_before is not None}
    for member in members:
        standing = consent_standing(
            cohort, counted(consents.get(member.user_id, []), member.erased_before), now
        )
        if standing is not None and (member.erased_before is None or member.joined_at > member.erased_before):
            people[member.member_id] = pseudonym(
                cohort.key, cohort.cohort_id, member.user_id, member.erased_before
            )
            versions[member.member_id] = standing.statement_version
    return Included(people, versions, len(members) - len(people), erased)


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
    """The partnerships whose partners both consented (neither erased since it began): only those carry
    health and escalations."""
    return {
        p.partnership_id
        for p in pairs
        if who.in_pair(p.first_member_id, p) is not None and who.in_pair(p.second_member_id, p) is not None
    }


def since_erasures(
    checkins: list[CheckInRow], pairs: list[PartnershipRow], who: Included
) -> list[CheckInRow]:
    """The check-ins without any of a member's from before their erasure: due by then, or in a pair begun
    by then."""
    began = {pair.partnership_id: pair.started_at for pair in pairs}
    return [
        row
        for row in checkins
        if who.kept(row.answer.member_id, row.answer.due_at)
        and who.kept(row.answer.member_id, began.get(row.partnership_id, row.answer.due_at))
    ]


def answers_since_erasures(answers: list[SurveyAnswerRow], who: Included) -> list[SurveyAnswerRow]:
    """The survey answers without any given by a member up to their erasure (which deletes them too)."""
    return [answer for answer in answers if who.kept(answer.member_id, answer.answered_at)]
