"""Each health rule fires at its threshold and not one below; combinations give the documented state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from circles.domain.health import Rule, Who
from circles.domain.vocabulary import PartnershipHealthState as State
from circles.domain.vocabulary import PartnershipKind
from tests.health_story import GOOD, SILENT, Clock, Reply, Story, fired, words

MakeStory = Callable[..., Story]


@pytest.fixture
def make_story() -> MakeStory:
    clock = Clock()
    return lambda **options: Story(clock, **options)


@pytest.fixture
def story(make_story: MakeStory) -> Story:
    return make_story()


def test_a_new_pair_with_nothing_to_go_on_is_steady_without_reasons(story: Story) -> None:
    health = story.later(days=3).health()
    assert (health.state, health.reasons, health.attention_streak) == (State.STEADY, (), 0)


def test_partners_who_rate_it_well_meet_and_answer_are_thriving(story: Story) -> None:
    health = story.checkin(Reply(5), Reply(4)).checkin(Reply(4), Reply(5)).health()
    assert health.state is State.THRIVING
    assert fired(health) == {
        (Rule.RATED_HIGHLY, Who.BOTH),
        (Rule.MEETING, Who.PAIR),
        (Rule.ANSWERING, Who.BOTH),
    }
    assert "both partners rate it well (4 and 5 of 5)" in words(health)


@pytest.mark.parametrize(("high_rating", "state"), [(4, State.THRIVING), (5, State.STEADY)])
def test_thriving_takes_both_ratings_at_or_above_high_rating(
    story: Story, high_rating: int, state: State
) -> None:
    assert story.checkin(Reply(4), Reply(5)).health(high_rating=high_rating).state is state


def test_thriving_takes_a_reported_meeting(story: Story) -> None:
    health = story.checkin(Reply(5, met=False), Reply(5, met=False)).health()
    assert (health.state, health.reasons) == (State.STEADY, ())


def test_one_missed_checkin_keeps_a_well_rated_pair_steady_rather_than_thriving(story: Story) -> None:
    story.checkin(Reply(5), Reply(5)).checkin(Reply(5), SILENT).after_due(timedelta(days=3))
    assert story.health().state is State.STEADY


@pytest.mark.parametrize("low_rating", [2, 3])
def test_a_rating_at_the_low_threshold_needs_attention_and_one_above_does_not(
    make_story: MakeStory, low_rating: int
) -> None:
    at = make_story().checkin(Reply(4), Reply(low_rating)).health(low_rating=low_rating, disagreement_gap=4)
    assert at.state is State.NEEDS_ATTENTION
    assert words(at) == [f"the learner rated it {low_rating} of 5 at the latest check-in"]
    above = make_story().checkin(Reply(4), Reply(low_rating + 1)).health(low_rating=low_rating)
    assert (Rule.LOW_RATING, Who.SECOND) not in fired(above)


def test_both_partners_rating_it_low_is_struggling_and_said_once(story: Story) -> None:
    health = story.checkin(Reply(2), Reply(1)).health()
    assert health.state is State.STRUGGLING
    assert words(health) == ["both partners rated it low at their latest check-ins (2 and 1 of 5)"]


@pytest.mark.parametrize("gap", [2, 3])
def test_ratings_the_disagreement_gap_apart_need_attention_and_one_closer_do_not(
    make_story: MakeStory, gap: int
) -> None:
    limits = {"disagreement_gap": gap, "low_rating": 1, "rating_drop": 4}
    apart = make_story().checkin(Reply(5), Reply(5)).checkin(Reply(5), Reply(5 - gap)).health(**limits)
    assert apart.state is State.NEEDS_ATTENTION
    assert words(apart) == [
        f"the partners see it differently: the coach rated it 5 of 5, the learner {5 - gap}"
    ]
    closer = make_story().checkin(Reply(5), Reply(5)).checkin(Reply(5), Reply(6 - gap)).health(**limits)
    assert Rule.DISAGREEMENT not in {rule for rule, _ in fired(closer)}


@pytest.mark.parametrize("drop", [2, 3])
def test_a_fall_of_rating_drop_needs_attention_and_one_less_does_not(
    make_story: MakeStory, drop: int
) -> None:
    limits = {"rating_drop": drop, "low_rating": 1, "disagreement_gap": 4}
    fell = make_story().checkin(Reply(5), Reply(5)).checkin(Reply(5), Reply(5 - drop)).health(**limits)
    assert fell.state is State.NEEDS_ATTENTION
    assert words(fell) == [f"the learner's rating fell from 5 to {5 - drop} since the check-in before"]
    less = make_story().checkin(Reply(5), Reply(5)).checkin(Reply(5), Reply(6 - drop)).health(**limits)
    assert Rule.RATING_DROP not in {rule for rule, _ in fired(less)}


def test_both_ratings_falling_is_one_reason_for_both(story: Story) -> None:
    health = story.checkin(Reply(5), Reply(5)).checkin(Reply(3), Reply(3)).health()
    assert words(health) == ["both partners' ratings fell since the check-in before (5 to 3 and 5 to 3)"]


@pytest.mark.parametrize("missed", [2, 3])
def test_missing_the_threshold_of_checkins_in_a_row_needs_attention_and_one_fewer_does_not(
    make_story: MakeStory, missed: int
) -> None:
    story = make_story(every=timedelta(weeks=1)).checkin()
    for _ in range(missed - 1):
        story.checkin(GOOD, SILENT)
    story.after_due(timedelta(days=3))
    assert Rule.MISSED_CHECKINS not in {rule for rule, _ in fired(story.health(missed_checkins=missed))}
    story.checkin(GOOD, SILENT).after_due(timedelta(days=3))
    health = story.health(missed_checkins=missed)
    assert health.state is State.NEEDS_ATTENTION
    assert words(health) == [f"the learner missed the last {('two', 'three')[missed - 2]} check-ins"]


@pytest.mark.parametrize("within", [3, 5])
def test_an_unanswered_checkin_counts_as_missed_once_the_answer_window_closes(
    story: Story, within: int
) -> None:
    story.checkin().checkin(GOOD, SILENT).checkin(GOOD, SILENT)
    story.after_due(timedelta(days=within) - timedelta(seconds=1))
    assert story.health(answer_within_days=within).signals.second.missed_in_a_row == 1
    story.after_due(timedelta(days=within))
    health = story.health(answer_within_days=within)
    assert health.signals.second.missed_in_a_row == 2
    assert (Rule.MISSED_CHECKINS, Who.SECOND) in fired(health)


def test_an_answer_starts_the_count_of_missed_checkins_again(story: Story) -> None:
    story.checkin().checkin(GOOD, SILENT).checkin(GOOD, SILENT).checkin(GOOD, GOOD)
    health = story.health()
    assert health.signals.second.missed_in_a_row == 0
    assert health.state is State.THRIVING


def test_both_partners_missing_checkins_is_said_once_and_needs_attention(make_story: MakeStory) -> None:
    story = make_story(every=timedelta(weeks=1)).checkin().checkin(SILENT, SILENT).checkin(SILENT, SILENT)
    health = story.after_due(timedelta(days=3)).health()
    assert words(health) == ["both partners missed the last two check-ins"]
    assert health.state is State.NEEDS_ATTENTION


def test_both_partners_silent_with_no_meeting_for_too_long_is_struggling(story: Story) -> None:
    story.checkin().checkin(SILENT, SILENT).checkin(SILENT, SILENT).after_due(timedelta(days=3))
    health = story.health()
    assert health.state is State.STRUGGLING
    assert words(health) == ["both partners missed the last two check-ins", "no meeting reported for 30 days"]


@pytest.mark.parametrize("days", [21, 30])
def test_no_meeting_for_the_threshold_of_days_needs_attention_and_a_second_less_does_not(
    story: Story, days: int
) -> None:
    story.checkin(Reply(4), Reply(4))
    met_at = story.last_due + timedelta(hours=6)
    story.clock.move_to(met_at + timedelta(days=days) - timedelta(seconds=1))
    assert story.health(days_without_meeting=days).reasons[0].rule is not Rule.NO_MEETING
    story.clock.move_to(met_at + timedelta(days=days))
    health = story.health(days_without_meeting=days)
    assert health.state is State.NEEDS_ATTENTION
    assert words(health) == [f"no meeting reported for {days} days"]


def test_a_pair_that_never_reported_a_meeting_counts_from_the_day_it_was_paired(story: Story) -> None:
    health = story.checkin(Reply(4, met=False), Reply(4, met=False)).later(days=8).health()
    assert words(health) == ["no meeting reported since they were paired 22 days ago"]


@pytest.mark.parametrize("early_fit", [3, 4])
def test_a_lukewarm_rating_after_the_first_meeting_needs_attention_and_one_above_does_not(
    make_story: MakeStory, early_fit: int
) -> None:
    lukewarm = make_story().checkin(Reply(early_fit + 1), Reply(early_fit)).health(early_fit_rating=early_fit)
    assert lukewarm.state is State.NEEDS_ATTENTION
    assert words(lukewarm) == [f"after their first meeting, the learner rated it only {early_fit} of 5"]
    warmer = (
        make_story().checkin(Reply(early_fit + 1), Reply(early_fit + 1)).health(early_fit_rating=early_fit)
    )
    assert Rule.EARLY_FIT not in {rule for rule, _ in fired(warmer)}


def test_a_low_first_rating_counts_as_low_not_as_a_poor_early_fit(story: Story) -> None:
    assert fired(story.checkin(Reply(4), Reply(2)).health(disagreement_gap=3)) == {
        (Rule.LOW_RATING, Who.SECOND)
    }


def test_the_early_fit_check_waits_for_the_first_meeting_and_ends_with_the_next_answer(story: Story) -> None:
    story.checkin(Reply(4, met=False), Reply(3, met=False))
    assert Rule.EARLY_FIT not in {rule for rule, _ in fired(story.health())}
    story.checkin(Reply(4), Reply(3))
    assert fired(story.health()) == {(Rule.EARLY_FIT, Who.SECOND)}
    story.checkin(Reply(4), Reply(3))
    assert story.health().state is State.STEADY


def test_both_partners_lukewarm_after_meeting_is_one_reason(story: Story) -> None:
    health = story.checkin(Reply(3), Reply(3)).health()
    assert words(health) == ["after their first meeting, both partners rated it only 3 and 3 of 5"]


def test_a_support_request_needs_attention_until_a_later_answer_without_one(story: Story) -> None:
    health = story.checkin(Reply(4, support=True), Reply(4)).health()
    assert health.state is State.NEEDS_ATTENTION
    assert words(health) == ["the coach asked for support at the latest check-in"]
    assert story.checkin(Reply(4), Reply(4)).health().state is State.THRIVING


def test_a_support_request_with_a_low_rating_is_struggling(story: Story) -> None:
    health = story.checkin(Reply(4), Reply(2, support=True)).health(disagreement_gap=3)
    assert health.state is State.STRUGGLING
    assert fired(health) == {(Rule.LOW_RATING, Who.SECOND), (Rule.SUPPORT_REQUESTED, Who.SECOND)}


def test_both_partners_asking_for_support_is_one_reason(story: Story) -> None:
    health = story.checkin(Reply(4, support=True), Reply(4, support=True)).health()
    assert words(health) == ["both partners asked for support at their latest check-ins"]
    assert health.state is State.NEEDS_ATTENTION


def test_a_support_request_with_no_meeting_for_too_long_is_struggling(story: Story) -> None:
    health = story.checkin(Reply(4, met=False, support=True), Reply(4, met=False)).later(days=8).health()
    assert fired(health) == {(Rule.SUPPORT_REQUESTED, Who.FIRST), (Rule.NO_MEETING, Who.PAIR)}
    assert health.state is State.STRUGGLING


def test_the_lower_rating_of_the_two_is_read_alongside_each_partners(story: Story) -> None:
    signals = story.checkin(Reply(5), Reply(3)).health().signals
    assert (signals.first.latest_rating, signals.second.latest_rating, signals.lower_rating) == (5, 3, 3)
    assert signals.to_json()["lower_rating"] == 3


def test_a_support_request_with_missed_checkins_is_struggling(make_story: MakeStory) -> None:
    story = make_story(every=timedelta(weeks=1)).checkin()
    story.checkin(Reply(4, support=True), SILENT).checkin(Reply(4, support=True), SILENT)
    assert story.after_due(timedelta(days=3)).health().state is State.STRUGGLING


def test_a_low_rating_followed_by_silence_is_struggling(make_story: MakeStory) -> None:
    story = make_story(every=timedelta(weeks=1)).checkin(Reply(3), Reply(2))
    story.checkin(Reply(3), SILENT).checkin(Reply(3), SILENT).after_due(timedelta(days=3))
    health = story.health()
    assert health.state is State.STRUGGLING
    assert fired(health) == {(Rule.LOW_RATING, Who.SECOND), (Rule.MISSED_CHECKINS, Who.SECOND)}


def test_a_low_rating_with_no_meeting_for_too_long_is_struggling(story: Story) -> None:
    story.checkin(Reply(4), Reply(4)).checkin(Reply(3, met=False), Reply(2, met=False)).later(days=8)
    health = story.health()
    assert health.state is State.STRUGGLING
    assert fired(health) == {
        (Rule.LOW_RATING, Who.SECOND),
        (Rule.RATING_DROP, Who.SECOND),
        (Rule.NO_MEETING, Who.PAIR),
    }


def test_concerns_that_do_not_combine_need_attention(story: Story) -> None:
    health = story.checkin(Reply(5), Reply(5)).checkin(Reply(5), Reply(3)).health()
    assert fired(health) == {(Rule.DISAGREEMENT, Who.PAIR), (Rule.RATING_DROP, Who.SECOND)}
    assert health.state is State.NEEDS_ATTENTION


def test_the_attention_streak_counts_checkins_in_a_row_up_to_the_escalation_setting(story: Story) -> None:
    for rating in (4, 4, 2, 2, 2):
        story.checkin(Reply(4), Reply(rating))
    assert story.health(attention_checkins_before_escalation=5).attention_streak == 3
    assert story.health().attention_streak == 2  # the default setting: two are all an escalation asks


def test_a_good_checkin_breaks_the_attention_streak(story: Story) -> None:
    for rating in (2, 2, 4, 2):
        story.checkin(Reply(4), Reply(rating))
    assert story.health(attention_checkins_before_escalation=5).attention_streak == 1
    assert story.checkin(Reply(4), Reply(4)).health().attention_streak == 0


def test_peer_pairs_are_described_without_roles(make_story: MakeStory) -> None:
    story = make_story(kind=PartnershipKind.PEER).checkin(Reply(5), Reply(5)).checkin(Reply(2), Reply(5))
    assert words(story.health(rating_drop=4)) == [
        "one partner rated it 2 of 5 at the latest check-in",
        "the partners see it differently: one rated it 5 of 5, the other 2",
    ]


def test_riskier_pairs_sort_first(make_story: MakeStory) -> None:
    thriving = make_story().checkin(Reply(5), Reply(5)).health()
    steady = make_story().checkin(Reply(3), Reply(3, met=False)).health(early_fit_rating=2)
    attention = make_story().checkin(Reply(4, support=True), Reply(4)).health()
    worse = make_story().checkin(Reply(5), Reply(3)).health()
    struggling = make_story().checkin(Reply(1), Reply(2)).health()
    ordered = sorted([thriving, steady, worse, attention, struggling], key=lambda h: h.risk_key())
    assert ordered == [struggling, worse, attention, steady, thriving]
