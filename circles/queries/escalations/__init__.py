"""Questions about escalations: the rows themselves, one unresolved per partnership, claims, the audit
trail, the pair an alert is about and the alerts sent to some people (`rows`); follow-ups and snoozes that
are due, claims their holder may no longer keep (kept from the pair, or away for long), and follow-ups
brought forward (`due`); what health reads of past concerns (`history`); the alerts beside pairs new since
the last watch (`paired`)."""

from circles.queries.escalations.due import (
    claims_kept_from_pair,
    claims_of_the_away,
    follow_up_cohort_at,
    follow_up_now,
    follow_ups_due,
    follow_ups_now,
    snoozes_run_out,
)
from circles.queries.escalations.history import PastConcern, concerns_of
from circles.queries.escalations.paired import alerts_beside_new_pairs
from circles.queries.escalations.rows import (
    add_events,
    claim_once,
    copied_to,
    escalations_by_id,
    escalations_of,
    lock_for_change,
    open_all,
    partners_of,
    unresolved_in_cohort,
    unresolved_of,
    unresolved_of_members,
)

__all__ = [
    "PastConcern",
    "add_events",
    "alerts_beside_new_pairs",
    "claim_once",
    "claims_kept_from_pair",
    "claims_of_the_away",
    "concerns_of",
    "copied_to",
    "escalations_by_id",
    "escalations_of",
    "follow_up_cohort_at",
    "follow_up_now",
    "follow_ups_due",
    "follow_ups_now",
    "lock_for_change",
    "open_all",
    "partners_of",
    "snoozes_run_out",
    "unresolved_in_cohort",
    "unresolved_of",
    "unresolved_of_members",
]
