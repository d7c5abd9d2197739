"""A `circles` command in OAuth mode whose tenant's rotating token is due for refresh just as Slack fails:
the command says so in one line, as for any other call Slack refuses, not with a traceback."""

from __future__ import annotations

import pytest

from bot.cli_common import Refused
from bot.cli_slack import connect
from circles.persistence.db import Database
from standin import SlackStandIn
from tests.integration.test_token_rotation import TEAM, install_rotating, replica, standin

__all__ = ["standin"]  # the Slack stand-in fixture of the token rotation tests


@pytest.mark.parametrize("failing", ["error", "status"], ids=["Slack refuses for now", "Slack fails"])
def test_a_command_whose_token_refresh_fails_is_refused_in_one_line(
    db: Database, standin: SlackStandIn, failing: str
) -> None:
    deps = replica(db, standin)
    try:
        install_rotating(deps, standin)
        if failing == "error":
            standin.faults.error("oauth.v2.access", "service_unavailable")
        else:
            standin.faults.fail("oauth.v2.access", status=500)

        with pytest.raises(Refused) as refused:
            connect(deps.settings, TEAM)

        assert "\n" not in str(refused.value)
    finally:
        deps.db.dispose()
