"""A round whose circles' conversations Slack refuses for the whole workspace, and where a re-match may
still seat someone of a circle it could not make.

Which of Slack's answers hold for a whole workspace is the Slack side's to say (bot.creation_refusals): once
one circle's conversation was refused so, the rest of the round's are failed without asking Slack, until
`/circles match` tries them again (rounds.queue.resume_round, which makes them pending, their error gone).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from circles.domain.cohort_rules import circle_sizes
from circles.persistence.db import UnitOfWork
from circles.persistence.models import Cohort, MatchRun
from circles.queries.circles import round_seats
from circles.queries.members import present_with_profiles
from circles.queries.round_refusals import conversation_refused
from circles.queries.workspaces import meeting_place_of
from circles.services.cohorts.settings_row import settings_of


def refused_before(uow: UnitOfWork, run_id: int, errors: Collection[str]) -> str | None:
    """The error, one of `errors`, Slack refused one of the round's circles' conversations with; None if
    none was refused so (or `/circles match` has tried them again since)."""
    with uow:
        return conversation_refused(uow.session, run_id, errors)


def seat_to_offer(uow: UnitOfWork, run_id: int) -> bool:
    """Whether a circle of the round has a seat a re-match could give, as the re-match counts them: a
    circle not closed (once the round is through, one Slack made) where someone is still seated and fewer
    than the cohort's largest circle (someone who left frees their seat; someone paused keeps theirs)."""
    with uow:
        session = uow.session
        run = session.get_one(MatchRun, run_id)
        cohort = session.get_one(Cohort, run.cohort_id)
        largest = circle_sizes(settings_of(cohort), meeting_place_of(session, cohort))[1]
        seats = round_seats(session, cohort.id, run.round)
        present = {member.id for member, _ in present_with_profiles(session, [s.member_id for s in seats])}
        seated = Counter(seat.circle_id for seat in seats if seat.member_id in present)
        return any(count < largest for count in seated.values())
