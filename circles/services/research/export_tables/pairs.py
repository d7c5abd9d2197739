"""The research export's tables about pairs where both partners consented: health changes and escalations,
which are about both partners, so they appear for no other pair."""

from __future__ import annotations

from circles.domain.escalations import Outcome
from circles.domain.research.coarsen import iso_week
from circles.domain.research.columns import Column, Table, Value, enum_column, week_column
from circles.domain.vocabulary import EscalationStatus, PartnershipHealthState
from circles.queries.reports.facts import HealthFact
from circles.queries.research import EscalationRow
from circles.services.research.consented import Cohort
from circles.services.research.export_tables.keys import PAIR, pair_keys

HEALTH_STATES = ("none", *(state.value for state in PartnershipHealthState))
ESCALATION_OUTCOMES = (*(o.value for o in Outcome), *(s.value for s in EscalationStatus))


def health_table(cohort: Cohort, history: list[HealthFact], ids: dict[int, str], both: set[int]) -> Table:
    columns = (
        PAIR,
        week_column("week", "the week the pair's health changed"),
        enum_column("from_state", "the state before (none: the first assessment)", HEALTH_STATES),
        enum_column("to_state", "the state after", HEALTH_STATES[1:]),
    )
    rows: list[tuple[str | None, ...]] = []
    previous: dict[int, str] = {}
    for record in history:
        before = previous.get(record.partnership_id, "none")
        previous[record.partnership_id] = record.state.value
        if record.partnership_id in both and before != record.state.value:
            rows.append(
                (
                    ids[record.partnership_id],
                    iso_week(record.computed_at, cohort.zone),
                    before,
                    record.state.value,
                )
            )
    return Table(
        "health_transitions",
        "Health changes of pairs where both consented",
        columns,
        list(rows),
        foreign_keys=pair_keys(),
    )


def escalations_table(
    cohort: Cohort, escalations: list[EscalationRow], ids: dict[int, str], both: set[int]
) -> Table:
    columns = (
        PAIR,
        week_column("opened_week", "the week the facilitators were alerted"),
        Column(
            "claimed_after_days",
            "integer",
            "days from the alert until a facilitator took it on, rounded",
            "0 or more; empty when never claimed",
        ),
        enum_column("outcome", "how it was closed, or where it stands when still open", ESCALATION_OUTCOMES),
    )
    rows: list[tuple[Value, ...]] = [
        (
            ids[e.partnership_id],
            iso_week(e.opened_at, cohort.zone),
            round((e.claimed_at - e.opened_at).total_seconds() / 86400) if e.claimed_at else None,
            e.outcome if e.outcome in ESCALATION_OUTCOMES else str(e.status),
        )
        for e in escalations
        if e.partnership_id in both
    ]
    return Table(
        "escalation_outcomes",
        "Escalations of pairs where both consented",
        columns,
        rows,
        foreign_keys=pair_keys(),
    )
