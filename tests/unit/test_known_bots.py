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
