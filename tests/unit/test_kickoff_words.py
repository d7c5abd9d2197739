"""The words of a kickoff's expectations: each role is named as people write it."""

from __future__ import annotations

from bot.views.kickoff import expectations
from circles.domain.match_vocabulary import StepKind
from circles.domain.vocabulary import MeetingPlace, Role
from circles.services.rounds.steps import Introduction, StepWork
from prompts.roles import role_texts


def circle_of(*roles: Role) -> StepWork:
    people = [Introduction(f"U0{n}", role) for n, role in enumerate(roles)]
    return StepWork(
        1, StepKind.CIRCLE_KICKOFF, "pgy1", "PGY-1", "t", MeetingPlace.PRIVATE_CHANNEL, "c", None, people
    )


def test_each_role_in_a_circle_is_named_in_its_own_plural() -> None:
    said = expectations(circle_of(Role.LEARNER, Role.COACH, Role.MENTOR, Role.PEER), role_texts())
    labels = [line.split(":_")[0] + ":_" for line in said.splitlines()]
    assert labels == ["_Learners:_", "_Coaches:_", "_Mentors:_", "_Peers:_"]


def test_a_coaching_circle_never_reads_coachs() -> None:
    said = expectations(circle_of(Role.COACH, Role.LEARNER, Role.LEARNER), role_texts())
    assert "_Coaches:_" in said
    assert "Coachs" not in said
