"""Questions about cohorts: which cohort a slug names and holding one while it changes (`lookup`), who
runs it and what one runs (`facilitators`), which cohorts planning looks at and when each is next
due, and setting that due at once (`due`)."""

from circles.queries.cohorts.due import (
    PLAN_AT_ONCE,
    lock_due_cohorts,
    past_end_date,
    plan_at_once,
    plan_people_cohorts_at_once,
    plan_workspace_at_once,
    store_plan_due,
)
from circles.queries.cohorts.facilitators import (
    count_facilitated,
    facilitated_cohorts,
    facilitator_ids,
    facilitators_by_cohort,
    is_facilitator,
    places_among_facilitated,
    reachable_facilitators,
    remove_facilitators,
)
from circles.queries.cohorts.lookup import (
    CohortRef,
    add_cohort_once,
    hold_cohort,
    hold_for_change,
    live_cohort,
    live_cohorts,
    live_slugs,
    slug_taken,
)

__all__ = [
    "PLAN_AT_ONCE",
    "CohortRef",
    "add_cohort_once",
    "count_facilitated",
    "facilitated_cohorts",
    "facilitator_ids",
    "facilitators_by_cohort",
    "hold_cohort",
    "hold_for_change",
    "is_facilitator",
    "live_cohort",
    "live_cohorts",
    "live_slugs",
    "lock_due_cohorts",
    "past_end_date",
    "places_among_facilitated",
    "plan_at_once",
    "plan_people_cohorts_at_once",
    "plan_workspace_at_once",
    "reachable_facilitators",
    "remove_facilitators",
    "slug_taken",
    "store_plan_due",
]
