"""What `circles cohort import` says when Slack refuses it: the code Slack gave, never the token."""

from __future__ import annotations

import pytest

from bot.cli_slack import slack_refused


@pytest.mark.parametrize("code", ["invalid_auth", "token_revoked", "account_inactive", "team_not_found"])
def test_a_refused_token_is_named_with_the_code_slack_gave(code: str) -> None:
    assert (
        slack_refused(code)
        == f"SLACK_BOT_TOKEN was refused by Slack ({code}): copy it again from OAuth & Permissions"
    )


def test_another_refusal_says_nothing_was_imported() -> None:
    assert slack_refused("ratelimited") == "Slack answered ratelimited: nothing was imported"
