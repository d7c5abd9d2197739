"""Joining, status, a member's Home and every error answer, within Slack's limits for the largest inputs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.views.directory import notice_modal, say
from bot.views.errors import friendly_message
from bot.views.home import home_view
from bot.views.membership import choose_role, left_message, partnership_ended, status_message, welcome
from circles import errors
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.services.status import CohortStatus
from prompts.roles import role_texts
from tests.slack_extremes import CIRCLE_NAME, COHORTS_PER_FACILITATOR, cohort_names, slugs, text_of, user_ids
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
USERS = user_ids(60)
WHEN = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)


@FEW
@given(slug=slugs, name=cohort_names)
def test_joining_leaving_and_the_welcome_fit_for_every_role(slug: str, name: str) -> None:
    assert_within_limits(choose_role(slug, name, tuple(Role)), typed=[name])
    for guide in role_texts().values():
        assert_within_limits(welcome(name, guide), typed=[name])
    assert_within_limits(left_message(slug, 10**6))
    assert_within_limits(partnership_ended(name), typed=[name])


def statuses(count: int, name: str) -> list[CohortStatus]:
    return [
        CohortStatus(
            slug=f"{n:02d}" + "s" * 38,
            name=name,
            role=Role.PEER,
            status=MemberStatus.PAUSED,
            paused_until=WHEN,
            circle_name="c" * CIRCLE_NAME,
            circle_conversation="C" + "0" * 31,
            partner_user_id=USERS[n],
            partner_kind=PartnershipKind.PEER,
            next_prompt=WHEN,
            next_checkin=WHEN,
            partnership_id=10**12 - n,
            partnership_status=PartnershipStatus.PAUSED,
        )
        for n in range(count)
    ]


@FEW
@given(name=cohort_names, count=st.integers(1, 24))
def test_status_fits_for_up_to_twenty_four_cohorts_with_a_partner_each(name: str, count: int) -> None:
    assert_within_limits(status_message(statuses(count, name)), typed=[name])


@pytest.mark.xfail(strict=True, reason="two blocks a cohort with a partner: passes 50 blocks at 25 cohorts")
def test_status_fits_for_fifty_cohorts() -> None:
    assert_within_limits(status_message(statuses(COHORTS_PER_FACILITATOR, "Cohort")))


@FEW
@given(name=cohort_names)
def test_a_members_home_fits_for_fifty_cohorts(name: str) -> None:
    assert_within_limits(home_view(statuses(COHORTS_PER_FACILITATOR, name)), typed=[name])


def every_error(typed: str, slug: str) -> list[Exception]:
    slugs_50 = [f"{n:02d}{slug[2:]}" for n in range(COHORTS_PER_FACILITATOR)]
    said = typed[:120]  # what a form field holds, as a rule may repeat it
    problems = {"name": f"Keep the name to 120 characters: {said}", "timezone": f"No time zone {said}"}
    made: list[Exception] = [
        errors.NotAFacilitator(typed),
        errors.InvalidSlug(f"{said}: 2–40 characters"),
        errors.SlugTaken(typed),
        errors.CohortNotFound(typed, slugs_50[:3]),
        errors.InvalidCohortSettings(problems),
        errors.RoleNotOffered(typed, ["learner", "coach"]),
        errors.NotAMember(typed),
        errors.WhichCohort(slugs_50),
        errors.InvalidProfile(problems),
        errors.NotALearnerThere(typed),
        errors.GuideNotAvailable(typed),
        errors.RequestAlreadyOpen(typed),
        errors.AlreadyPartnered(typed),
        errors.GuideFull(answering=True),
        errors.StalePreview(typed, USERS[0]),
        errors.NothingToMatch(typed, 1),
        errors.PersonNotInCohort(typed, USERS[0]),
        errors.NoRoundYet(typed),
        errors.CheckInSuperseded(newer_answered=True),
        errors.InvalidCheckIn(problems),
        errors.SupportWhichCohort(slugs_50),
        errors.NoFacilitators(typed[:255]),
        errors.InvalidSupportMessage(2000),
        errors.EscalationTaken(USERS[0]),
        RuntimeError(typed),
    ]
    made += [kind() for kind in errors.CirclesError.__subclasses__() if _takes_nothing(kind)]
    return made


def _takes_nothing(kind: type[errors.CirclesError]) -> bool:
    try:
        kind()
    except TypeError:
        return False
    return True


@FEW
@given(typed=text_of(4000), slug=slugs)
def test_every_error_answer_fits_whatever_was_typed(typed: str, slug: str) -> None:
    for error in every_error(typed, slug):
        answer = friendly_message(error)
        assert_within_limits({"text": answer, "blocks": []}, typed=[typed])
        assert_within_limits(notice_modal(say(answer)), typed=[typed])  # over a form, from the Home tab
