"""What each `circles run --role` needs from the settings, and when it warns about SQLite."""

from __future__ import annotations

from typing import Any

import pytest

from bot.roles import Role, require_credentials, several_processes_warning
from circles.settings import Settings, SettingsError


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


def problems(role: Role, **values: Any) -> list[str]:
    try:
        require_credentials(settings(**values), role)
    except SettingsError as error:
        return error.problems
    return []


def test_a_worker_sends_with_a_bot_token_alone() -> None:
    assert problems(Role.WORKER, slack_bot_token="xoxb-1") == []
    assert [p.split()[0] for p in problems(Role.WEB, slack_bot_token="xoxb-1")] == ["SLACK_SIGNING_SECRET"]


def test_a_worker_in_socket_mode_needs_no_app_token_but_a_well_formed_bot_token() -> None:
    assert problems(Role.WORKER, slack_bot_token="xoxb-1", slack_app_token="xapp-1") == []
    [problem] = problems(Role.WORKER, slack_bot_token="not-a-token", slack_app_token="xapp-1")
    assert problem.startswith("SLACK_BOT_TOKEN does not look right")


def test_a_worker_in_oauth_mode_needs_only_the_client_id_the_installations_are_kept_under() -> None:
    assert problems(Role.WORKER, slack_client_id="111.222") == []
    [problem] = problems(Role.WORKER, slack_client_secret="secret")
    assert problem.startswith("SLACK_CLIENT_ID is not set")
    assert len(problems(Role.ALL, slack_client_id="111.222")) == 2  # the web side needs secret and signing


@pytest.mark.parametrize("role", [Role.WEB, Role.WORKER])
def test_a_split_role_on_sqlite_warns_in_one_line_and_postgresql_does_not(role: Role) -> None:
    warning = several_processes_warning(role, "sqlite")
    assert warning is not None
    assert "\n" not in warning
    assert "PostgreSQL" in warning
    assert several_processes_warning(role, "postgresql") is None
    assert several_processes_warning(Role.ALL, "sqlite") is None
