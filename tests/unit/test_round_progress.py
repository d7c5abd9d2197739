"""The facilitator's progress message says how long the rest of a round will take, by Slack's limits."""

from __future__ import annotations

from bot.views.matching import progress_text
from circles.domain.match_vocabulary import RunStatus
from circles.services.matching.rounds import RoundPlan
from circles.services.rounds.steps import Progress

PLAN = RoundPlan(7, "big", "Big", 1, RunStatus.CONFIRMED, {"circles": [], "pairs": []})


def waiting(circles: int, pairs: int) -> dict[str, int]:
    """The Slack calls still to make for `circles` private channels and `pairs` pair conversations."""
    return {
        "conversations.create": circles,
        "conversations.invite": circles,
        "conversations.open": pairs,
        "chat.postMessage": circles + pairs,
    }


def test_four_hundred_circles_and_a_thousand_pairs_are_about_twenty_one_minutes_away() -> None:
    # Slack lets an app create 20 channels and open 50 conversations a minute: both take 21 minutes.
    text = progress_text(PLAN, Progress(0, 0, 1400, waiting(400, 1000)))

    assert text == "Creating: round 1 of *Big* — 0 of 1400 circles and pairs ready… About 21 minutes to go."


def test_the_estimate_shrinks_as_circles_become_ready() -> None:
    text = progress_text(PLAN, Progress(1200, 0, 1400, waiting(100, 100)))

    assert text.endswith("1200 of 1400 circles and pairs ready… About 5 minutes to go.")


def test_the_last_few_are_less_than_a_minute_away() -> None:
    text = progress_text(PLAN, Progress(1395, 0, 1400, waiting(2, 3)))

    assert text.endswith("1395 of 1400 circles and pairs ready… Less than a minute to go.")


def test_a_finished_round_gives_no_estimate() -> None:
    text = progress_text(PLAN, Progress(1398, 2, 1400))

    assert text == "Done: round 1 of *Big* — 1398 of 1400 circles and pairs ready, 2 with a problem."


def test_a_finished_round_says_its_unmade_pairs_ended_and_how_to_place_their_people_and_its_circles() -> None:
    text = progress_text(PLAN, Progress(1397, 3, 1400, unmade_pairs=2), ["• a problem"] * 5)

    assert (
        "The 2 pairs whose conversation could not be opened have ended unmade (nobody was introduced): each "
        "person in them can be matched again, with `/circles match big @someone` or in the next round. "
        "To place someone of a circle that could not be made: `/circles match big @someone`."
    ) in text


def test_a_round_still_being_made_says_matching_again_tries_its_unmade_pairs_again() -> None:
    text = progress_text(PLAN, Progress(1397, 1, 1400, waiting(1, 1), unmade_pairs=1), ["• a problem"])

    assert "`/circles match big` tries again what had a problem." in text
    assert "ended" not in text
