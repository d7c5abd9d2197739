"""The support form, what it becomes once sent, and the digest days form, within Slack's limits."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.views.digest import days_modal
from bot.views.support_form import sent_modal, support_modal
from circles.domain.care import FREE_TEXT_HINT_MAX
from circles.services.support.form import CohortChoice, PartnershipChoice, SupportAbout, SupportForm
from circles.services.support.request import SupportSent
from tests.slack_extremes import (
    COHORT_NAME,
    COHORTS_PER_FACILITATOR,
    PARTNERS_PER_COACH,
    cohort_names,
    text_of,
    user_ids,
)
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
USERS = user_ids(PARTNERS_PER_COACH)


def form(name: str, hint: str, cohorts: int, about: SupportAbout) -> SupportForm:
    """A coach in `cohorts` cohorts with 25 partners in each: far more than a menu's 100 options."""
    choices = [CohortChoice(f"{n:02d}" + "s" * 38, name) for n in range(cohorts)]
    partnerships = [
        PartnershipChoice(10**12 - n * 100 - k, USERS[k], name, choice.slug, name)
        for n, choice in enumerate(choices)
        for k in range(PARTNERS_PER_COACH)
    ]
    if about.partnership_id is not None:
        partnerships = partnerships[:1]
    return SupportForm(about, choices, partnerships, hint)


@FEW
@given(
    name=cohort_names,
    hint=text_of(FREE_TEXT_HINT_MAX),
    cohorts=st.integers(1, COHORTS_PER_FACILITATOR),
    about=st.sampled_from(
        [SupportAbout(), SupportAbout(cohort_slug="s" * 40), SupportAbout(partnership_id=10**12 - 1)]
    ),
)
@example(name="<" * COHORT_NAME, hint="&" * 150, cohorts=COHORTS_PER_FACILITATOR, about=SupportAbout())
def test_the_support_form_fits_for_fifty_cohorts_and_every_partner(
    name: str, hint: str, cohorts: int, about: SupportAbout
) -> None:
    assert_within_limits(support_modal(form(name, hint, cohorts, about)), typed=[name, hint])


@FEW
@given(name=cohort_names, facilitators=st.integers(0, 60))
@example(name="<" * COHORT_NAME, facilitators=60)
def test_the_sent_form_names_every_facilitator_within_limits(name: str, facilitators: int) -> None:
    sent = SupportSent("s" * 40, name, user_ids(facilitators))
    assert_within_limits(sent_modal(sent), typed=[name])


@FEW
@given(days=st.frozensets(st.integers(0, 6)))
def test_the_days_form_fits_for_any_choice_of_days(days: frozenset[int]) -> None:
    assert_within_limits(days_modal(days))
