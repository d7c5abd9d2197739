"""The card of someone who has written nothing on their profile, through the real app: whether their profile
row holds what Slack said of them at their join or there is no row at all (Slack was not asked then), the
people of their cohort read the same card saying they have not written anything yet."""

from __future__ import annotations

from circles.domain.vocabulary import Role
from tests.e2e.conftest import RunningApp
from tests.e2e.test_profiles_directory import COHORT, command, eventually, profile, seed, shown

UNWRITTEN = "They have not written anything in their profile yet."
NOT_SHARED = "can't show that profile"


def joined_through_slack(running: RunningApp, user_id: str) -> None:
    """They type `/circles join`; the app keeps Slack's time zone and name on a profile made for it."""
    running.standin.add_user(user_id, tz="Europe/London")
    command(running, f"join {COHORT}", user_id)
    eventually(lambda: profile(running, user_id))
    running.settled()


def test_a_member_with_a_zone_only_profile_and_one_with_none_read_the_same_unwritten_card(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0NOROW=Role.PEER)  # nothing kept of U0NOROW
    joined_through_slack(running, "U0ZONE")
    kept = profile(running, "U0ZONE")
    assert kept is not None
    assert (kept.timezone, kept.interests) == ("Europe/London", "")
    assert profile(running, "U0NOROW") is None

    zone_only = shown(command(running, "profile <@U0ZONE>", "U0LEARN"))
    no_row = shown(command(running, "profile <@U0NOROW>", "U0LEARN"))
    assert UNWRITTEN in zone_only
    assert "peer in *PGY-1 spring*" in no_row
    assert NOT_SHARED not in no_row  # they do share a cohort
    assert no_row.replace("U0NOROW", "U0ZONE") == zone_only
    assert profile(running, "U0NOROW") is None  # looking stores nothing of them


def test_someone_with_no_profile_row_sees_their_own_card_not_a_refusal(running: RunningApp) -> None:
    seed(running, U0NOROW=Role.LEARNER)
    answer = shown(command(running, "profile <@U0NOROW>", "U0NOROW"))
    assert UNWRITTEN in answer
    assert NOT_SHARED not in answer


def test_someone_in_no_shared_cohort_is_still_refused_whether_or_not_a_profile_exists(
    running: RunningApp,
) -> None:
    seed(running, U0LEARN=Role.LEARNER, U0ADA=Role.COACH)  # the coach wrote a profile, the learner none
    running.standin.add_user("U0STRANGER", tz="Europe/London")
    for subject in ("U0LEARN", "U0ADA"):
        assert NOT_SHARED in shown(command(running, f"profile <@{subject}>", "U0STRANGER"))
