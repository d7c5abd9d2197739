"""The research export's tables about consented members: who they are, their partnerships and their
check-ins.

Only members whose consent stands at the export's instant appear. A partner who did not consent, or was
erased since the pair began, appears as "not_consented" in a pair's row.
"""

from __future__ import annotations

from circles.domain.research.coarsen import iso_week
from circles.domain.research.columns import NOT_CONSENTED, Column, Table, Value, enum_column, week_column
from circles.domain.vocabulary import EndReason, MemberStatus, PartnershipKind, Role
from circles.queries.research import CheckInRow, MemberRow, PartnershipRow
from circles.services.research.consented import Cohort, Included, both_consented
from circles.services.research.export_tables.keys import PAIR, PERSON, person_and_pair_keys


def people_table(cohort: Cohort, members: list[MemberRow], who: Included) -> Table:
    columns = (
        PERSON,
        enum_column("role", "the member's role in the cohort", [role.value for role in Role]),
        week_column("joined_week", "the week the member joined"),
        week_column("left_week", "the week the member left", empty="while still a member"),
        enum_column("status", "the member's status at the export", [status.value for status in MemberStatus]),
        Column("consent_version", "string", "the version of the research statement the member consented to"),
    )
    rows = [
        (
            who.people[m.member_id],
            m.role.value,
            iso_week(m.joined_at, cohort.zone),
            iso_week(m.left_at, cohort.zone) if m.left_at else None,
            m.status.value,
            who.versions[m.member_id],
        )
        for m in members
        if m.member_id in who.people
    ]
    return Table("people", "Consented members", columns, sorted(rows), primary_key=("person_id",))


# A pair Slack never made is no partnership: the export has none (cohort_partnerships), nor its reason.
ENDED_BECAUSE = [reason.value for reason in EndReason if reason is not EndReason.NEVER_MADE]
UNLESS_BOTH = "not given unless both partners consented or it completed"


def partnerships_table(
    cohort: Cohort, pairs: list[PartnershipRow], ids: dict[int, str], who: Included
) -> Table:
    partner = f"the partner's person_id, or {NOT_CONSENTED} when they did not consent"
    columns = (
        PAIR,
        enum_column("kind", "the kind of partnership", [kind.value for kind in PartnershipKind]),
        Column("person_a", "string", "the first partner (the coach or mentor in those pairs): " + partner),
        Column("person_b", "string", "the second partner (the learner in those pairs): " + partner),
        week_column("started_week", "the week the partnership started"),
        week_column("ended_week", "the week it ended", empty=f"while it runs; {UNLESS_BOTH}"),
        enum_column(
            "end_reason", f"why it ended, as a category (empty while it runs; {UNLESS_BOTH})", ENDED_BECAUSE
        ),
    )
    # A pair's end says of both partners that one left or asked, and when: "member_left" in a week where
    # the consenting partner stayed is the other's departure. Like health, only pairs both consented to.
    both = both_consented(pairs, who)
    told = {
        p.partnership_id for p in pairs if p.partnership_id in both or p.end_reason is EndReason.COMPLETED
    }
    rows = [
        (
            ids[p.partnership_id],
            p.kind.value,
            who.in_pair(p.first_member_id, p) or NOT_CONSENTED,
            who.in_pair(p.second_member_id, p) or NOT_CONSENTED,
            iso_week(p.started_at, cohort.zone),
            iso_week(p.ended_at, cohort.zone) if p.ended_at and p.partnership_id in told else None,
            p.end_reason.value if p.end_reason and p.partnership_id in told else None,
        )
        for p in pairs
        if who.in_pair(p.first_member_id, p) or who.in_pair(p.second_member_id, p)
    ]
    # person_a and person_b hold "not_consented" for some pairs, so they cannot be foreign keys.
    return Table(
        "partnerships", "Partnerships with a consented partner", columns, sorted(rows), ("partnership_id",)
    )


def checkins_table(cohort: Cohort, checkins: list[CheckInRow], ids: dict[int, str], who: Included) -> Table:
    columns = (
        PERSON,
        PAIR,
        week_column("week", "the week the check-in was due"),
        Column(
            "answered",
            "boolean",
            "whether the member answered it (a row per check-in of each consenting member: counts made "
            "from these rows are not suppressed as summary.csv's figures are)",
            "true or false",
        ),
        Column(
            "rating",
            "integer",
            "how the partnership felt, 1 (poorly) to 5 (very well)",
            "1 to 5; empty when not given",
        ),
        Column(
            "met",
            "boolean",
            "whether the partners met since the last check-in",
            "true or false; empty when not said",
        ),
        Column(
            "wants_support",
            "boolean",
            "whether the member asked the facilitators for support",
            "true or false",
        ),
    )
    rows: list[tuple[Value, ...]] = [
        (
            who.people[a.member_id],
            ids[pair],
            iso_week(a.due_at, cohort.zone),
            a.answered_at is not None,
            a.rating,
            a.met,
            a.wants_support,
        )
        for pair, a in ((c.partnership_id, c.answer) for c in checkins)
        if a.member_id in who.people and pair in ids
    ]
    return Table(
        "checkins", "Check-ins of consented members", columns, rows, foreign_keys=person_and_pair_keys()
    )
