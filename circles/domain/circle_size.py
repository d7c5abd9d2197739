"""How small a circle may get in the middle of a round: below the size its cohort makes circles, its
facilitators want to know; down to one person, it is nobody's conversation any more and its prompts stop
until someone is seated beside them (a re-match) or the next round regroups everyone."""

from __future__ import annotations

from circles.domain.planning import CircleIn
from circles.domain.vocabulary import MemberStatus

MEETS_FROM = 2  # people still in a circle (away or paused included) for its prompts to go on


def still_meets(remaining: int) -> bool:
    """Whether a circle with this many members left (not gone) still gets its prompts."""
    return remaining >= MEETS_FROM


def short_of(remaining: int, smallest: int) -> bool:
    """Whether a circle left with this many members is below the smallest its cohort makes, and someone
    is still in it to regroup."""
    return 0 < remaining < smallest


def meets(circle: CircleIn) -> bool:
    """Whether planning gives the circle its prompts: enough of its members have not left."""
    return still_meets(sum(person.status is not MemberStatus.LEFT for person in circle.people))
