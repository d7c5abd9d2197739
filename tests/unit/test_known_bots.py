"""Who the bot is in a workspace is kept a while and for a bounded number of tokens, then asked again."""

from __future__ import annotations

from slack_bolt.authorization import AuthorizeResult

from bot.edge.known_bots import KnownBots


def answer(team: str) -> AuthorizeResult:
    return AuthorizeResult(enterprise_id=None, team_id=team, bot_user_id="U0BOT", bot_token=f"xoxb-{team}")


def test_an_answer_is_kept_for_its_time_then_asked_again() -> None:
    now = [0.0]
    known = KnownBots(keep=600, most=10, clock=lambda: now[0])
    known["xoxb-a"] = answer("T1")
    now[0] = 599
    assert "xoxb-a" in known
    assert known["xoxb-a"].team_id == "T1"
    now[0] = 600
    assert "xoxb-a" not in known


def test_past_the_most_it_holds_the_oldest_answer_goes_first() -> None:
    known = KnownBots(keep=600, most=2, clock=lambda: 0.0)
    for token in ("xoxb-a", "xoxb-b", "xoxb-c"):
        known[token] = answer(token)
    assert "xoxb-a" not in known
    assert "xoxb-b" in known
    assert "xoxb-c" in known
    assert len(known) == 2


def test_an_answer_found_is_still_read_though_another_request_found_it_expired_meanwhile() -> None:
    now = [0.0]
    known = KnownBots(keep=600, most=10, clock=lambda: now[0])
    known["xoxb-a"] = answer("T1")
    now[0] = 599
    assert "xoxb-a" in known  # one request finds it, just in time
    now[0] = 600
    assert "xoxb-a" not in known  # another, a moment later, finds it expired
    assert known["xoxb-a"].team_id == "T1"  # the first reads what it found, not a KeyError


def test_an_answer_just_found_is_not_the_one_a_newer_answer_pushes_out() -> None:
    known = KnownBots(keep=600, most=2, clock=lambda: 0.0)
    known["xoxb-a"] = answer("T1")
    known["xoxb-b"] = answer("T2")
    assert "xoxb-a" in known  # a request finds it as another workspace's answer comes in
    known["xoxb-c"] = answer("T3")
    assert known["xoxb-a"].team_id == "T1"
