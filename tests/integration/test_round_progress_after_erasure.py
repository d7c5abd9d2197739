"""A round's progress message, drawn again after someone in one of its problem lines was erased, shows them as
an erased member, never by their Slack ID; whoever was not erased is still named. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from bot.views.matching import problem_lines, progress_text
from circles.persistence.db import Database
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership.leaving import leave
from circles.services.rounds.steps import round_report
from tests.factories import NOW
from tests.integration.test_round_group_dm_refused import round_with_one_refused
from tests.integration.test_unmade_pairs import COACH, LEARNER, round_whose_pair_slack_never_opened


def progress_shown(db: Database, run_id: int) -> tuple[list[str], str]:
    """The problem lines, and the whole progress message, as the next update of it would read."""
    report = round_report(db.reading(), run_id)
    lines = problem_lines(report.problems)
    return lines, progress_text(report.plan, report.progress, lines)


def left_and_erased(db: Database, user_id: str) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", user_id, NOW + timedelta(days=1))
    assert erase_personal_data(db.unit_of_work(), "T0001", user_id, NOW + timedelta(days=2))


def test_someone_slack_refused_in_a_circle_and_then_erased_is_shown_as_an_erased_member(db: Database) -> None:
    run_id, _ = round_with_one_refused(db)
    left_and_erased(db, "U0P05")

    [line], text = progress_shown(db, run_id)
    # Before: "• <@U0P05> could not be added to *circle-pgy1-r1-…* (user_disabled)".
    assert "U0P05" not in text
    assert line.startswith("• an erased member could not be added to *circle-pgy1-r1-")
    assert "user_disabled" in line


def test_a_pair_never_opened_names_only_the_partner_who_was_not_erased(db: Database) -> None:
    run_id = round_whose_pair_slack_never_opened(db)
    left_and_erased(db, LEARNER)

    lines, text = progress_shown(db, run_id)
    assert LEARNER not in text  # before: "• <@U0C1> and <@U0L1>: their conversation could not be opened …"
    assert lines == [
        f"• <@{COACH}> and an erased member: their conversation could not be opened (ratelimited)",
        f"• <@{COACH}> and an erased member: the welcome message could not be posted (no_conversation)",
    ]
