"""slack_sdk's OAuth installation and state stores work on the tables our migrations create."""

from __future__ import annotations

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from circles.persistence.db import Database


def test_an_installation_saved_by_slack_sdk_is_found_again(db: Database) -> None:
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=db.engine)
    store.save(
        Installation(
            app_id="A0APP",
            team_id="T0042",
            team_name="Teaching Hospital",
            bot_token="xoxb-42",
            bot_id="B0BOT",
            bot_user_id="U0BOT",
            bot_scopes="commands,chat:write",
            user_id="U0INSTALLER",
        )
    )
    bot = store.find_bot(enterprise_id=None, team_id="T0042")
    assert bot is not None
    assert bot.bot_token == "xoxb-42"
    assert store.find_bot(enterprise_id=None, team_id="T9999") is None


def test_an_oauth_state_can_be_consumed_once(db: Database) -> None:
    store = SQLAlchemyOAuthStateStore(expiration_seconds=60, engine=db.engine)
    state = store.issue()
    assert store.consume(state) is True
    assert store.consume(state) is False
