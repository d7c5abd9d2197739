"""Joining, status, a member's Home and every error answer, within Slack's limits for the largest inputs."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.views.directory.requests import notice_modal, say
from bot.views.errors import friendly_message
from bot.views.home import home_view
from bot.views.membership import choose_role, left_message, partnership_ended, welcome
from bot.views.relationships import PARTNERS_SHOWN, _cohort, _count, _named, partners_modal, status_message
from bot.views.text import mrkdwn
from circles import errors
from circles.domain.vocabulary import MemberStatus, PartnershipKind, PartnershipStatus, Role
from circles.services.partnerships.running import CircleStatus, PartnerStatus
from circles.services.people.status import CohortStatus
from prompts.roles import role_texts
from tests.slack_extremes import (
    CIRCLE_NAME,
    COHORT_NAME,
    COHORTS_PER_FACILITATOR,
    PARTNERS_PER_COACH,
    cohort_names,
    slugs,
    text_of,
    user_ids,
)
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


def statuses(count: int, name: str, partners: int = 1) -> list[CohortStatus]:
    """`count` cohorts, each with `partners` running partnerships and the longest circle names."""
    return [
        CohortStatus(
            slug=f"{n:02d}" + "s" * 38,
            name=name,
            role=Role.COACH,
            status=MemberStatus.PAUSED,
            paused_until=WHEN,
            circles=tuple(CircleStatus("c" * CIRCLE_NAME, "C" + "0" * 31) for _ in range(3)),
            partners=tuple(
                PartnerStatus(
                    partnership_id=10**12 - n * 100 - k,
                    partner_user_id=USERS[k],
                    kind=PartnershipKind.COACH_LEARNER,
                    status=PartnershipStatus.PAUSED if k % 2 else PartnershipStatus.ACTIVE,
                    started_at=WHEN,
                )
                for k in range(partners)
            ),
            next_prompt=WHEN,
            next_checkin=WHEN,
        )
        for n in range(count)
    ]


@FEW
@given(name=cohort_names, count=st.integers(1, COHORTS_PER_FACILITATOR), partners=st.integers(0, 25))
@example(name="<" * COHORT_NAME, count=COHORTS_PER_FACILITATOR, partners=PARTNERS_PER_COACH)
def test_status_fits_for_fifty_cohorts_with_twenty_five_partners_each(
    name: str, count: int, partners: int
) -> None:
    assert_within_limits(status_message(statuses(count, name, partners)), typed=[name])


@FEW
@given(name=cohort_names, partners=st.integers(0, 60))
@example(name="&" * COHORT_NAME, partners=60)
def test_the_list_of_all_partners_in_a_cohort_fits_one_modal(name: str, partners: int) -> None:
    [status] = statuses(1, name, partners)
    note = f"Your partnership in *{mrkdwn(name)}* is paused. <@{USERS[0]}> is told only that."
    assert_within_limits(partners_modal(status, note=note), typed=[name])


@FEW
@given(name=cohort_names, partners=st.integers(0, 25))
@example(name="<" * COHORT_NAME, partners=PARTNERS_PER_COACH)
def test_a_members_home_fits_for_fifty_cohorts(name: str, partners: int) -> None:
    assert_within_limits(home_view(statuses(COHORTS_PER_FACILITATOR, name, partners)), typed=[name])


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


def test_a_cohorts_blocks_are_counted_as_many_as_are_drawn() -> None:
    """Status counts each cohort's blocks before drawing any, to show as many partners as fit: a count off
    by one would show fewer partners than fit, or more blocks than a message holds."""
    for partners in (0, 1, 4, 5, 6, 25):
        [status] = statuses(1, "PGY-1", partners)
        for all_circles, shown in itertools.product((False, True), range(PARTNERS_SHOWN + 1)):
            named = _named(status, all_circles)
            drawn = _cohort(status, shown, all_circles, named)
            assert _count(status, shown, all_circles, named) == len(drawn), (partners, all_circles, shown)
