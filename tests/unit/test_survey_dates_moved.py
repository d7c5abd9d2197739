"""What becomes of a survey request when its cohort's dates move: re-timed or withdrawn while unsent; once
sent, asked again only when its phase's new day falls after it closed, and only once it has closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from circles.domain.surveys import OPEN_FOR, RequestState, message_held_until
from circles.domain.surveys_moved import Move, Standing, after_move
from circles.domain.vocabulary import MemberStatus

DUE = datetime(2026, 4, 28, 13, tzinfo=UTC)
SENT = Standing(DUE, DUE, None)
UNSENT = Standing(DUE, None, None)
MONTHS_LATER = DUE + timedelta(days=92)


def test_a_request_not_yet_sent_follows_its_phase_or_is_withdrawn_when_the_phase_no_longer_applies() -> None:
    assert after_move(UNSENT, DUE, DUE) is Move.KEEP
    assert after_move(UNSENT, MONTHS_LATER, DUE) is Move.RETIME
    assert after_move(UNSENT, DUE - timedelta(days=3), DUE) is Move.RETIME
    assert after_move(UNSENT, None, DUE) is Move.WITHDRAW


def test_a_sent_request_stands_while_its_phase_moved_earlier_or_within_the_time_it_was_open() -> None:
    later = DUE + OPEN_FOR + timedelta(days=1)
    assert after_move(SENT, DUE - timedelta(days=20), later) is Move.KEEP
    assert after_move(SENT, DUE + OPEN_FOR, later) is Move.KEEP
    assert after_move(SENT, None, later) is Move.KEEP


def test_a_sent_or_answered_request_is_asked_again_when_its_phase_moved_past_its_close() -> None:
    assert after_move(SENT, MONTHS_LATER, MONTHS_LATER) is Move.ASK_AGAIN
    answered = Standing(DUE, DUE, DUE + timedelta(hours=1))
    assert after_move(answered, MONTHS_LATER, MONTHS_LATER) is Move.ASK_AGAIN


def test_a_sent_request_still_open_is_asked_again_only_once_it_closed() -> None:
    held_back = Standing(DUE, DUE + timedelta(days=20), None)  # its invitation went late: open longer
    new_day = DUE + OPEN_FOR + timedelta(days=1)
    assert after_move(held_back, new_day, new_day) is Move.KEEP


def test_a_message_of_a_request_moved_to_a_later_day_waits_for_that_day() -> None:
    state = RequestState(MONTHS_LATER, None, None, MemberStatus.ACTIVE, None, None)
    assert message_held_until(state, DUE, reminder=False) == MONTHS_LATER
    assert message_held_until(state, DUE, reminder=True) == MONTHS_LATER
    assert message_held_until(state, MONTHS_LATER, reminder=False) is None
