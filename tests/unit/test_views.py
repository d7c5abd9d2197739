"""What people see: help by role, the home tab, and errors without traces."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot import ids
from bot.listeners.commands import SUBCOMMANDS
from bot.views.errors import SOMETHING_WENT_WRONG, friendly_message
from bot.views.help import help_message
from bot.views.home import home_view
from bot.views.text import mrkdwn, quote_typed
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.errors import CirclesError, WorkspaceUnknown
from circles.services.partnerships.running import CircleStatus, PartnerStatus
from circles.services.people.status import CohortStatus, RunCohort

NOW = datetime(2027, 1, 4, 15, tzinfo=UTC)


def rendered(blocks: object) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_members_see_member_commands_but_not_facilitator_ones() -> None:
    message = help_message(SUBCOMMANDS, runs_cohorts=False)
    text = rendered(message.block_dicts())
    assert "/circles join &lt;cohort&gt;" in text
    assert "/circles support [&lt;message&gt;]" in text
    assert "cohort create" not in text
    assert "For facilitators" not in text


def test_facilitators_also_see_the_commands_that_run_a_cohort() -> None:
    text = rendered(help_message(SUBCOMMANDS, runs_cohorts=True).block_dicts())
    for usage in (
        "cohort create &lt;slug&gt;",
        "cohort config &lt;slug&gt;",
        "match &lt;slug&gt; [preview]",
        "health &lt;slug&gt;",
    ):
        assert usage in text
    assert "For facilitators" in text


def test_facilitators_learn_from_help_how_to_re_match_one_member() -> None:
    text = rendered(help_message(SUBCOMMANDS, runs_cohorts=True).block_dicts())
    [match] = [line for line in text.split("\\n") if "/circles match" in line]
    assert "@someone" in match


def test_help_says_who_sees_check_ins_and_notes() -> None:
    text = rendered(help_message(SUBCOMMANDS, runs_cohorts=False).block_dicts())
    assert "seen only by your cohort's facilitators" in text


def test_a_note_comes_first_and_the_fallback_text_is_plain() -> None:
    message = help_message(SUBCOMMANDS, runs_cohorts=False, note="I don't know `dance`.")
    assert message.block_dicts()[0]["text"] == {"type": "mrkdwn", "text": "I don't know `dance`."}
    assert message.text.startswith("I don't know `dance`. Circles commands: help, join &lt;cohort&gt;")


def test_home_shows_cohorts_with_circle_partner_and_next_dates() -> None:
    status = CohortStatus(
        slug="spring",
        name="Spring residents",
        role=Role.LEARNER,
        status=MemberStatus.ACTIVE,
        paused_until=None,
        circles=(CircleStatus("Circle 3", "C0CIRCLE3"),),
        partners=(PartnerStatus(7, "U0COACH", PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, NOW),),
        next_prompt=datetime(2027, 1, 11, 15, tzinfo=UTC),
        next_checkin=datetime(2027, 1, 25, 15, tzinfo=UTC),
    )
    text = rendered(home_view([status]).to_dict())
    assert "Spring residents" in text
    assert "<#C0CIRCLE3>" in text
    assert "Your coaching partner: <@U0COACH>" in text
    assert "Next prompt: <!date^1799679600^" in text
    assert ids.HOME_EDIT_PROFILE in text
    assert ids.HOME_OPEN_DIRECTORY in text
    assert "Cohorts you run" not in text


def test_facilitators_see_head_counts_and_a_settings_button_per_cohort() -> None:
    run = RunCohort("fall", "Fall faculty")
    run.counts.update({(Role.COACH, MemberStatus.ACTIVE): 3, (Role.LEARNER, MemberStatus.ACTIVE): 9})
    run.counts.update({(Role.LEARNER, MemberStatus.PAUSED): 1, (Role.LEARNER, MemberStatus.LEFT): 2})
    text = rendered(home_view([], [run]).to_dict())
    assert "9 learners, 3 coaches" in text
    assert "1 paused · 2 left" in text
    assert ids.HOME_CONFIGURE_COHORT in text


def test_home_for_a_newcomer_says_how_to_join() -> None:
    text = rendered(home_view([]).to_dict())
    assert "You are not in a cohort yet" in text
    assert "Cohorts you run" not in text


def test_unexpected_errors_get_an_apology_and_product_errors_their_own_words() -> None:
    assert friendly_message(KeyError("payload")) == SOMETHING_WENT_WRONG
    assert "not been set up" in friendly_message(WorkspaceUnknown())
    assert friendly_message(CirclesError("That cohort is full.")) == "That cohort is full."


def test_quoted_text_cannot_become_a_mention_or_a_link() -> None:
    assert quote_typed("<!channel>") == "&lt;!channel&gt;"
    assert quote_typed("`code`") == "'code'"
    assert len(quote_typed("x" * 500)) == 80
    assert mrkdwn("join <cohort> & more") == "join &lt;cohort&gt; &amp; more"
