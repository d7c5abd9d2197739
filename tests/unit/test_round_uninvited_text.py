"""What a facilitator reads of circles whose people Slack would not let in: the refusal once, and a circle
closed for it said in plain words, never as a code of the app's own."""

from __future__ import annotations

from bot.views.matching import problem_lines
from circles.domain.match_vocabulary import StepKind
from circles.services.rounds.steps import Problem
from circles.services.rounds.uninvited import NEWCOMER_NOT_ADDED, NOBODY_INVITED, TOO_FEW_ADDED


def test_a_circle_whose_invitations_failed_outright_has_one_line_not_a_second_for_its_welcome() -> None:
    problems = [
        Problem(StepKind.CIRCLE_INVITE, "circle-a", (), "fatal_error"),
        Problem(StepKind.CIRCLE_KICKOFF, "circle-a", (), NOBODY_INVITED),
    ]

    assert problem_lines(problems) == ["• *circle-a*: nobody could be invited (fatal_error)"]


def test_a_circle_closed_as_too_few_were_let_in_says_so_after_the_people_refused() -> None:
    problems = [
        Problem(StepKind.CIRCLE_INVITE, "circle-a", ("U0AAA", "U0BBB"), "cant_invite"),
        Problem(StepKind.CIRCLE_KICKOFF, "circle-a", (), TOO_FEW_ADDED),
    ]

    assert problem_lines(problems) == [
        "• <@U0AAA> and <@U0BBB> could not be added to *circle-a* (cant_invite)",
        "• *circle-a*: closed, as fewer than two of its people could be added to its channel",
    ]


def test_a_newcomer_refused_is_one_line_not_a_second_for_the_welcome_nobody_needs() -> None:
    problems = [
        Problem(StepKind.CIRCLE_INVITE, "circle-a", ("U0NEW",), "user_is_restricted"),
        Problem(StepKind.CIRCLE_KICKOFF, "circle-a", (), NEWCOMER_NOT_ADDED),
    ]

    assert problem_lines(problems) == ["• <@U0NEW> could not be added to *circle-a* (user_is_restricted)"]
