"""What a facilitator reads of a round Slack would not make: one line per circle or pair whose conversation
was never made, what a workspace admin can change when Slack refused channels for the whole workspace,
and a re-match offered only where it can seat someone."""

from __future__ import annotations

from bot.views.matching import problem_lines, report_text
from circles.domain.match_vocabulary import RunStatus, StepKind
from circles.services.matching.rounds import RoundPlan
from circles.services.rounds.steps import Problem, Progress, RoundReport

PLAN = RoundPlan(7, "pgy1", "PGY-1", 2, RunStatus.COMPLETE, {"circles": [], "pairs": []})
NO_CONVERSATION = "no_conversation"
SETTING = (
    "Slack refused to create channels in this workspace (a workspace setting): a workspace admin can allow "
    "it, or set the cohort to meet in group DMs in `/circles cohort config pgy1`, then `/circles match pgy1` "
    "again."
)
REMATCH = "`/circles match pgy1 @someone`"


def never_made(circle: str, code: str) -> list[Problem]:
    """A circle whose channel Slack refused, and the steps that then had no conversation to work in."""
    return [
        Problem(StepKind.CIRCLE_CONVERSATION, circle, (), code),
        Problem(StepKind.CIRCLE_INVITE, circle, (), NO_CONVERSATION),
        Problem(StepKind.CIRCLE_KICKOFF, circle, (), NO_CONVERSATION),
    ]


def report(problems: list[Problem], progress: Progress) -> RoundReport:
    return RoundReport(PLAN, progress, problems)


def test_a_circle_whose_conversation_was_never_made_has_one_line() -> None:
    problems = [*never_made("circle-a", "restricted_action"), *never_made("circle-b", "ratelimited")]

    assert problem_lines(problems) == [
        "• *circle-a*: its conversation could not be created (restricted_action)",
        "• *circle-b*: its conversation could not be created (ratelimited)",
    ]


def test_a_welcome_with_no_conversation_of_a_circle_that_was_made_keeps_its_line() -> None:
    problems = [
        *never_made("circle-a", "restricted_action"),
        Problem(StepKind.CIRCLE_KICKOFF, "circle-b", (), NO_CONVERSATION),
    ]

    assert problem_lines(problems)[1:] == [
        "• *circle-b*: the welcome message could not be posted (no_conversation)"
    ]


def test_a_workspace_forbidding_channels_says_what_an_admin_can_change_and_offers_no_rematch() -> None:
    problems = [problem for n in range(12) for problem in never_made(f"circle-{n}", "restricted_action")]

    text = report_text(report(problems, Progress(0, 12, 12)), seats=False)

    assert text.startswith(
        f"Done: round 2 of *PGY-1* — 0 of 12 circles and pairs ready, 12 with a problem. {SETTING}\n"
    )
    assert text.count("\n• ") == 12  # before: 36 lines, of which 30 were shown
    assert "more." not in text
    assert REMATCH not in text


def test_a_round_still_being_made_says_what_an_admin_can_change_rather_than_to_try_again() -> None:
    text = report_text(report(never_made("circle-a", "restricted_action"), Progress(0, 1, 12, {"x": 11})))

    assert f"… Less than a minute to go. {SETTING}\n" in text
    assert "tries again" not in text


def test_a_missing_scope_says_to_install_circles_again() -> None:
    text = report_text(report(never_made("circle-a", "missing_scope"), Progress(0, 1, 1)), seats=False)

    assert (
        "Slack refused to create channels: Circles was installed without the permission to create private "
        "channels (groups:write). A workspace admin can install it again to grant it, or set the cohort to "
        "meet in group DMs in `/circles cohort config pgy1`, then `/circles match pgy1` again."
    ) in text


def test_another_workspace_wide_refusal_is_named_by_its_code() -> None:
    text = report_text(report(never_made("circle-a", "no_permission"), Progress(0, 1, 1)), seats=False)

    assert "Slack refused to create channels in this workspace (no_permission): a workspace admin can" in text


def test_a_channel_refused_alone_offers_a_rematch_only_where_a_circle_has_room() -> None:
    problems = never_made("circle-a", "invalid_name_specials")

    with_room = report_text(report(problems, Progress(2, 1, 3)), seats=True)
    full = report_text(report(problems, Progress(2, 1, 3)), seats=False)

    assert f"To place someone of a circle that could not be made: {REMATCH}." in with_room
    assert "workspace admin" not in with_room
    assert REMATCH not in full
    assert (
        "The next round places the people of a circle that could not be made: `/circles match pgy1`." in full
    )
