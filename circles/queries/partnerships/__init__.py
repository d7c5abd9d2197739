"""Questions about partnerships, asked set-based (one query, never one per pair): every pair of a cohort
and what matching counts of them (`pairs`), which still run and who the partner is (`partners`), which
have not ended and the bulk endings (`endings`)."""

from circles.queries.partnerships.endings import complete_past_end_date, unended_with_cohorts
from circles.queries.partnerships.pairs import (
    PairRow,
    guided_counts,
    guiding_here,
    has_running_guide,
    pair_rows,
)
from circles.queries.partnerships.partners import (
    ActiveOf,
    PartnerIn,
    Running,
    active_partnerships_of,
    hold_active,
    partners_of,
    running_partnerships,
)

__all__ = [
    "ActiveOf",
    "PairRow",
    "PartnerIn",
    "Running",
    "active_partnerships_of",
    "complete_past_end_date",
    "guided_counts",
    "guiding_here",
    "has_running_guide",
    "hold_active",
    "pair_rows",
    "partners_of",
    "running_partnerships",
    "unended_with_cohorts",
]
