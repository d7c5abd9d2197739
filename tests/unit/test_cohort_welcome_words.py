"""What someone added to a cohort by others is told: fitted to the cohort's pairing and their role."""

from __future__ import annotations

import pytest

from bot.messages import render_payload
from circles.domain.vocabulary import PairingMode, Role
from circles.messages import CohortWelcome, Host

FAY, LEE = Host("U0FAY"), Host("U0LEE")


def words(welcome: CohortWelcome) -> str:
    message = render_payload(welcome)
    return message.text + str(message.block_dicts())


def welcome(role: Role, pairing: PairingMode, *hosts: Host, every: int = 2) -> CohortWelcome:
    return CohortWelcome("PGY-1 spring", "pgy1-spring", role, pairing, 0, every, hosts or (FAY,))


@pytest.mark.parametrize(
    ("role", "pairing", "partnership"),
    [
        (Role.LEARNER, PairingMode.COACH_LEARNER, "You'll also be paired with a coach."),
        (Role.COACH, PairingMode.COACH_LEARNER, "You'll also coach one or more learners, one to one."),
        (Role.LEARNER, PairingMode.MENTOR_LEARNER, "You'll also be paired with a mentor."),
        (Role.MENTOR, PairingMode.MENTOR_LEARNER, "You'll also mentor one or more learners, one to one."),
        (Role.PEER, PairingMode.PEER, "You may also be paired with a peer"),
    ],
)
def test_a_cohort_that_pairs_people_says_which_partnership_and_who_sees_the_check_ins(
    role: Role, pairing: PairingMode, partnership: str
) -> None:
    said = words(welcome(role, pairing))
    assert partnership in said
    assert "Each Monday, you and a small circle" in said
    assert "Every 2 weeks, Circles sends you a short private check-in" in said
    assert "Your partner never sees your check-in answers" in said
    assert "a note reaches them only if you choose to share it" in said


def test_a_cohort_of_circles_only_promises_no_partnership_or_check_ins() -> None:
    said = words(welcome(Role.PEER, PairingMode.NONE))
    assert "Each Monday, you and a small circle" in said
    assert "paired" not in said
    assert "check-in" not in said
    assert "`/circles consent`" in said  # research is off until they agree, whatever the cohort


def test_facilitators_are_named_as_mentions_and_a_weekly_check_in_reads_as_weekly() -> None:
    said = words(welcome(Role.LEARNER, PairingMode.COACH_LEARNER, FAY, LEE, every=1))
    assert "<@U0FAY> and <@U0LEE> run it as its facilitators." in said
    assert "Every week, Circles sends you" in said


def test_a_cohort_without_facilitators_yet_does_not_promise_that_support_reaches_anyone() -> None:
    none = CohortWelcome("PGY-1 spring", "pgy1-spring", Role.PEER, PairingMode.NONE, 0, 2)
    said = words(none)
    assert "Its facilitators have not been named yet." in said
    assert "contact whoever runs your programme directly" in said
    assert "reaches your facilitators privately" not in said
