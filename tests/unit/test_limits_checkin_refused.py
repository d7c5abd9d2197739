"""A refused check-in answer that asked for support: what the member is told fits Slack, whoever was told."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.views.checkin_refused import support_refused_too, support_went_anyway
from circles.domain.checkins import NOTE_MAX_CHARS, CheckInAnswer
from circles.errors import (
    CheckInAlreadyAnswered,
    CheckInClosed,
    CheckInSuperseded,
    NobodyMayHear,
    PartnershipNotYours,
)
from circles.services.support.request import SupportSent
from tests.slack_extremes import cohort_names, up_to, user_ids
from tests.slack_limits import assert_within_limits

FEW = settings(max_examples=10, deadline=None)
USERS = user_ids(60)
REFUSALS = [CheckInAlreadyAnswered(), CheckInClosed(), CheckInSuperseded(newer_answered=True)]


@FEW
@given(name=cohort_names, note=up_to(NOTE_MAX_CHARS), facilitators=st.integers(0, 60))
def test_the_answer_refused_and_the_request_sent_fits(name: str, note: str, facilitators: int) -> None:
    sent = SupportSent("s" * 40, name, USERS[:facilitators], admins=USERS[:3], facilitated=True)
    for share in (True, False):
        answer = CheckInAnswer(rating=1, met=False, note=note, share_note=share, wants_support=True)
        for refused in REFUSALS:
            assert_within_limits(support_went_anyway(refused, sent, answer), typed=[name])


@FEW
@given(name=cohort_names)
def test_the_answer_and_the_request_both_refused_fits(name: str) -> None:
    for refused in REFUSALS:
        for unsent in (PartnershipNotYours(), NobodyMayHear(name)):
            assert_within_limits(support_refused_too(refused, unsent), typed=[name])
