"""Status and Home say where someone without a partner stands, where the rest of their circles are, and how to
act on partners past a modal's room, within Slack's limits for the largest inputs."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.views.home import home_view
from bot.views.relationships import partners_modal, status_message
from circles.domain.vocabulary import MemberStatus, PairingMode, PartnershipKind, PartnershipStatus, Role
from circles.queries.members.standing import AskedOf
from circles.services.partnerships.running import CircleStatus, PartnerStatus
from circles.services.people.status import CohortStatus
from tests.slack_extremes import CIRCLE_NAME, COHORT_NAME, COHORTS_PER_FACILITATOR, cohort_names, user_ids
from tests.slack_limits import assert_within_limits, problems

NOW = datetime(2027, 1, 4, 15, tzinfo=UTC)
FEW = settings(max_examples=10, deadline=None)
NO_COACH = (
    "No coach yet: your facilitators pair people when they run a round. "
    "`/circles coaches` shows who offers what."
)
ENDED = (
    "Your partnership ended; your facilitators can offer you a new partner — `/circles support` reaches them."
)


def learner(
    slug: str = "alpha", *, pairing: PairingMode = PairingMode.COACH_LEARNER, **changes: object
) -> CohortStatus:
    status = CohortStatus(
        slug, "Alpha", Role.LEARNER, MemberStatus.ACTIVE, None, next_prompt=NOW, pairing=pairing
    )
    return replace(status, **changes)  # type: ignore[arg-type]


def circles(count: int, slug: str = "alpha", length: int = 20) -> tuple[CircleStatus, ...]:
    return tuple(
        CircleStatus(f"{slug}-{n:03d}".ljust(length, "c"), f"C0{slug.upper()}{n:04d}") for n in range(count)
    )


def partners(count: int) -> tuple[PartnerStatus, ...]:
    return tuple(
        PartnerStatus(10**9 + n, f"U0P{n:05d}", PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, NOW)
        for n in range(count)
    )


def shown(surface: object) -> str:
    return json.dumps(surface, ensure_ascii=False)


def test_a_learner_not_matched_yet_is_told_who_pairs_them_in_status_and_on_home() -> None:
    assert NO_COACH in shown(status_message([learner()]).block_dicts())
    assert NO_COACH in shown(home_view([learner()]).to_dict())


def test_a_mentee_waits_for_a_mentor_and_a_coach_for_learners() -> None:
    mentee = shown(status_message([learner(pairing=PairingMode.MENTOR_LEARNER)]).block_dicts())
    assert "No mentor yet: your facilitators pair people when they run a round." in mentee
    coach = shown(status_message([learner(role=Role.COACH)]).block_dicts())
    assert "No learners yet: your facilitators pair people when they run a round." in coach


def test_a_partner_whose_partnership_ended_hears_how_to_get_a_new_one_in_status_home_and_the_list() -> None:
    ended = learner(partnership_ended=True)
    assert ENDED in shown(status_message([ended]).block_dicts())
    assert ENDED in shown(home_view([ended]).to_dict())
    assert ENDED in shown(partners_modal(ended).to_dict())
    assert NO_COACH not in shown(status_message([ended]).block_dicts())


def test_nothing_about_partners_where_no_one_is_paired_someone_is_paired_or_is_paused() -> None:
    for quiet in (
        learner(pairing=PairingMode.NONE),
        learner(partners=partners(1)),
        learner(partners=partners(1), partnership_ended=True),
        learner(status=MemberStatus.PAUSED),
    ):
        text = shown(status_message([quiet]).block_dicts())
        assert "yet:" not in text, quiet
        assert "ended" not in text, quiet


ASKED = AskedOf("U0ADA", NOW)
WAITS = (
    "You asked <@U0ADA> <!date^1799074800^{date_short_pretty} at {time}|Mon 04 Jan 2027 15:00 UTC>, who has"
)


def test_a_learner_who_asked_a_coach_sees_whom_and_since_when_in_status_and_on_home() -> None:
    for pairing in (PairingMode.COACH_LEARNER, PairingMode.NONE):  # a circles-only cohort has a directory too
        waiting = learner(pairing=pairing, asked=ASKED)
        for surface in (status_message([waiting]).block_dicts(), home_view([waiting]).to_dict()):
            text = shown(surface)
            assert WAITS in text, pairing
            assert "`/circles coaches`: Circles offers to withdraw this request." in text
            assert NO_COACH not in text
    after_an_ending = shown(status_message([learner(asked=ASKED, partnership_ended=True)]).block_dicts())
    assert WAITS in after_an_ending
    assert ENDED not in after_an_ending


def test_a_coach_hears_how_many_requests_wait_for_them_with_or_without_learners() -> None:
    one = shown(status_message([learner(role=Role.COACH, requests_to_answer=1)]).block_dicts())
    assert "A learner asked to work with you and waits for your answer. The request is in your" in one
    assert "No learners yet" not in one
    several = learner(role=Role.COACH, requests_to_answer=3, partners=partners(2))
    text = shown(home_view([several]).to_dict())
    assert "3 learners asked to work with you and wait for your answer. Each request is in your" in text
    assert "direct messages with Circles, with Accept and Decline." in text
    assert "asked" not in shown(status_message([learner(role=Role.COACH)]).block_dicts())
    paused = learner(role=Role.COACH, requests_to_answer=1, status=MemberStatus.PAUSED)
    assert "with Accept and Decline: to accept, `/circles resume` first." in shown(
        status_message([paused]).block_dicts()
    )
    full = learner(role=Role.COACH, requests_to_answer=1, no_room=True, partners=partners(2))
    assert "with Accept and Decline: to accept, raise your capacity with `/circles profile` first." in shown(
        home_view([full]).to_dict()
    )
    both = replace(full, status=MemberStatus.PAUSED)
    assert "to accept, `/circles resume` and raise your capacity with `/circles profile` first." in shown(
        status_message([both]).block_dicts()
    )


def test_home_says_where_to_see_every_circle_and_status_of_the_one_cohort_shows_them() -> None:
    alpha, beta = learner(circles=circles(9)), learner("beta", circles=circles(2, "beta"))
    home = shown(home_view([alpha, beta]).to_dict())
    assert "and 6 more (`/circles status alpha` shows them all)" in home
    one = shown(status_message([alpha]).block_dicts())
    assert "and 6 more, listed below" in one
    assert all(f"<#C0ALPHA{n:04d}>" in one for n in range(9))
    several = shown(status_message([alpha, beta]).block_dicts())
    assert "`/circles status alpha` shows them all" in several


def test_partners_past_a_modals_room_come_with_how_to_act_on_them() -> None:
    view = partners_modal(learner(role=Role.COACH, partners=partners(60))).to_dict()
    text = shown(view)
    assert "…and 11 more: <@U0P00049>" in text
    assert "`/circles support` lets you choose the partnership and reach your facilitators." in text
    assert problems(view) == []
    huge = partners_modal(learner(role=Role.COACH, partners=partners(5000))).to_dict()
    assert "`/circles support` lets you choose the partnership" in shown(huge)
    assert problems(huge) == []


def statuses(count: int, name: str, circle_count: int, ended: bool) -> list[CohortStatus]:
    return [
        CohortStatus(
            f"{n:02d}" + "s" * 38,
            name,
            Role.LEARNER,
            MemberStatus.ACTIVE,
            NOW,
            circles(circle_count, f"{n:02d}", CIRCLE_NAME),
            (),
            NOW,
            NOW,
            pairing=PairingMode.MENTOR_LEARNER,
            partnership_ended=ended,
            asked=None if ended else AskedOf("U" + "W" * 20, NOW),
            requests_to_answer=10**6,
        )
        for n in range(count)
    ]


@FEW
@given(name=cohort_names, circle_count=st.integers(0, 400), ended=st.booleans())
@example(name="<" * COHORT_NAME, circle_count=400, ended=False)
def test_one_cohort_with_every_circle_and_a_waiting_line_fits_a_message(
    name: str, circle_count: int, ended: bool
) -> None:
    assert_within_limits(status_message(statuses(1, name, circle_count, ended)), typed=[name])


@FEW
@given(name=cohort_names, circle_count=st.integers(0, 40), ended=st.booleans())
@example(name="&" * COHORT_NAME, circle_count=40, ended=True)
def test_fifty_waiting_cohorts_fit_status_and_home(name: str, circle_count: int, ended: bool) -> None:
    many = statuses(COHORTS_PER_FACILITATOR, name, circle_count, ended)
    assert_within_limits(status_message(many), typed=[name])
    assert_within_limits(home_view(many), typed=[name])


@FEW
@given(count=st.integers(0, 3000))
@example(count=3000)
def test_the_list_of_partners_fits_one_modal_however_many_there_are(count: int) -> None:
    people = tuple(
        PartnerStatus(n, uid, PartnershipKind.COACH_LEARNER, PartnershipStatus.ACTIVE, NOW)
        for n, uid in enumerate(user_ids(count))
    )
    status = replace(statuses(1, "<" * COHORT_NAME, 3, False)[0], role=Role.COACH, partners=people)
    assert_within_limits(partners_modal(status))
