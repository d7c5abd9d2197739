"""Matching, pure: circles, peer pairs and coach–learner assignment, each with its reasons.

Keys are member ids. `history` holds earlier pairs to avoid, `forbidden` the pairs that must never
share a group (declared conflicts, blocks, and ended partnerships no facilitator allowed again);
both are sets of two-key frozensets. A `history` that is a `Met` also says what each pair's meetings
weigh (recent and frequent ones more), so that repeats that cannot be avoided fall on those who met
longest ago and least often; a plain set weighs every pair alike.
"""

from circles.domain.matching.assignment import AssignmentPlan, AssignmentProblem, Pairing, assign_guides
from circles.domain.matching.circles import CirclePlan, CircleProblem, form_circles
from circles.domain.matching.endings import EndedPairs, Ending, Override, sort_endings
from circles.domain.matching.explain import Group, GroupPlan
from circles.domain.matching.met import Met, weigh_meetings
from circles.domain.matching.peers import PeerPlan, PeerProblem, pair_peers
from circles.domain.matching.people import (
    Guide,
    Learner,
    Pairs,
    Person,
    Unplaced,
    fit,
    guide_from_profile,
    learner_from_profile,
    pair,
    pairs_within,
    profile_terms,
)
from circles.domain.matching.rematch import (
    PeerChoice,
    Placement,
    rematch_guide,
    rematch_into_circle,
    rematch_learner,
    rematch_peer,
)
from circles.domain.matching.sizes import SizePlan, plan_sizes

__all__ = [
    "AssignmentPlan",
    "AssignmentProblem",
    "CirclePlan",
    "CircleProblem",
    "EndedPairs",
    "Ending",
    "Group",
    "GroupPlan",
    "Guide",
    "Learner",
    "Met",
    "Override",
    "Pairing",
    "Pairs",
    "PeerChoice",
    "PeerPlan",
    "PeerProblem",
    "Person",
    "Placement",
    "SizePlan",
    "Unplaced",
    "assign_guides",
    "fit",
    "form_circles",
    "guide_from_profile",
    "learner_from_profile",
    "pair",
    "pair_peers",
    "pairs_within",
    "plan_sizes",
    "profile_terms",
    "rematch_guide",
    "rematch_into_circle",
    "rematch_learner",
    "rematch_peer",
    "sort_endings",
    "weigh_meetings",
]
