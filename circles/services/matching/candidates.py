"""Who a round and a re-match may pair: one rule for both, so that the two cannot drift apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from circles.domain.vocabulary import Role
from circles.services.matching.inputs import MemberFacts

Running = Iterable[tuple[int, int]]  # running partnerships (active or paused), as stored: (first, second)


def partnered(running: Running) -> frozenset[int]:
    """Everyone in a running partnership, whichever of the two it stores first."""
    return frozenset(member for couple in running for member in couple)


def peer_candidates(members: Sequence[MemberFacts], running: Running) -> list[MemberFacts]:
    """Whom a cohort that pairs peers may pair: every member taking part and in no running partnership,
    whatever their role (a cohort switched to peers keeps the learners and coaches who joined before)."""
    busy = partnered(running)
    return [m for m in members if m.member_id not in busy]


def learner_candidates(members: Sequence[MemberFacts], running: Running) -> list[MemberFacts]:
    """The learners a coach or mentor may be proposed for: those in no running partnership of any kind (a
    peer partnership from before the cohort changed its pairing mode included, whichever partner it names
    first)."""
    busy = partnered(running)
    return [m for m in members if m.role is Role.LEARNER and m.member_id not in busy]


def places_taken(running: Running) -> Counter[int]:
    """The places running partnerships take, by the member each stores first: `inputs.gather` leaves in a
    guide's capacity the pairs of this cohort stored with them first, so those, and only those, are taken
    from it here (on balance a peer partnership takes none, as `queries.partnerships.guidance` counts)."""
    return Counter(first for first, _ in running)
