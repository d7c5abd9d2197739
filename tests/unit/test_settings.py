"""Settings are read under the names the README documents and explain themselves when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from circles.settings import Mode, Settings, SettingsError, load_settings

CREDENTIALS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        *CREDENTIALS,
        "SLACK_API_URL",
        "SLACK_TIMEOUT_SECONDS",
        "DATABASE_URL",
        "PORT",
        "CIRCLES_ADMINS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's folder


def test_defaults_need_no_servers() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///circles.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.slack_timeout_seconds == 10
    assert settings.circles_admins == frozenset()


def test_settings_come_from_the_environment_and_from_a_dot_env_file(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text("SLACK_BOT_TOKEN=xoxb-from-file\nPORT=4000\n")
    monkeypatch.setenv("PORT", "5000")
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-file"
    assert settings.port == 5000  # the environment wins over the file


def test_tokens_never_show_in_the_settings_repr() -> None:
    settings = Settings(slack_bot_token="xoxb-very-secret", slack_signing_secret="shh", _env_file=None)
    assert "xoxb-very-secret" not in repr(settings)
    assert "shh" not in repr(settings)


def test_without_credentials_each_missing_setting_is_one_line_naming_it() -> None:
    problems = load_settings().problems()
    assert len(problems) == 2
    assert problems[0].startswith("SLACK_BOT_TOKEN is not set")
    assert problems[1].startswith("SLACK_SIGNING_SECRET is not set")
    assert all("README.md" in line and "\n" not in line for line in problems)


@pytest.mark.parametrize(
    ("environment", "mode", "missing"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, Mode.HTTP, []),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, Mode.SOCKET, []),
        ({"SLACK_APP_TOKEN": "xapp-1"}, Mode.SOCKET, ["SLACK_BOT_TOKEN"]),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}, Mode.OAUTH, []),
        ({"SLACK_CLIENT_ID": "1.2"}, Mode.OAUTH, ["SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET"]),
    ],
)
def test_the_credentials_present_choose_the_mode_and_what_else_it_needs(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], mode: Mode, missing: list[str]
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.mode is mode
    assert [line.split()[0] for line in settings.problems()] == missing


def test_a_blank_value_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_APP_TOKEN", "  ")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert load_settings().mode is Mode.HTTP


def test_a_token_of_the_wrong_kind_is_named_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxp-user-token-secret")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    with pytest.raises(SettingsError) as raised:
        load_settings().require_slack()
    [line] = raised.value.problems
    assert line.startswith("SLACK_BOT_TOKEN does not look right: it should start with xoxb-")
    assert "xoxp-user-token-secret" not in line


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxb-…"),  # the README's placeholder, pasted as it stands
        ("SLACK_APP_TOKEN", "xapp-…"),
        ("SLACK_SIGNING_SECRET", "…"),
        ("SLACK_CLIENT_SECRET", "«paste it here»"),
        ("SLACK_CLIENT_ID", "123.45€"),
    ],
)
def test_a_credential_no_slack_app_could_hold_is_one_line_that_shows_none_of_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    """Sent as it is, it would fail in the Authorization header of the first call, with a traceback."""
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith(f"{name}: holds characters no Slack credential has")
    assert value not in line


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("PORT", "abc", "PORT: input should be a valid integer"),
        ("PORT", "70000", "PORT: input should be less than or equal to 65535"),
        ("SLACK_API_URL", "slack.com/api", "SLACK_API_URL: must start with https://"),
        ("SLACK_TIMEOUT_SECONDS", "0", "SLACK_TIMEOUT_SECONDS: input should be greater than 0"),
        ("SLACK_TIMEOUT_SECONDS", "31", "SLACK_TIMEOUT_SECONDS: input should be less than or equal to 30"),
        ("SLACK_TIMEOUT_SECONDS", "nan", "SLACK_TIMEOUT_SECONDS: input should be a finite number"),
        ("SLACK_TIMEOUT_SECONDS", "soon", "SLACK_TIMEOUT_SECONDS: input should be a valid number"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: is not a database URL"),
        ("CIRCLES_ADMINS", "U0123,alice", "CIRCLES_ADMINS: 'alice' is not a Slack user ID"),
    ],
)
def test_a_malformed_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith(expected)


def test_admins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIRCLES_ADMINS", "U0123ABC, W0456DEF,")
    assert load_settings().circles_admins == {"U0123ABC", "W0456DEF"}


def test_the_wait_for_slack_takes_fractions_of_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_TIMEOUT_SECONDS", "2.5")
    assert load_settings().slack_timeout_seconds == 2.5


def test_the_api_url_always_ends_with_a_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:9999/api/"


def test_a_password_with_a_bare_at_sign_is_refused_without_showing_any_of_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://circles:hun@ter2@db.internal/circles")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith("DATABASE_URL: has an @ in its user name or password: write each one there as %40")
    assert "ter2" not in line


def test_a_percent_encoded_at_sign_is_read_as_part_of_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://circles:pa%40ss%25word@db.internal/circles")
    assert load_settings().database_url.endswith("@db.internal/circles")


def test_a_database_url_that_is_no_url_is_not_echoed_with_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "circles:hunter2@db.internal")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith("DATABASE_URL: is not a database URL")
    assert "hunter2" not in line


def test_a_dot_env_file_that_is_not_utf8_is_one_line_that_shows_none_of_it() -> None:
    Path(".env").write_bytes(b"SLACK_BOT_TOKEN=xoxb-secret-\xff\n")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert raised.value.problems == [
        ".env: is not UTF-8 text: save it as UTF-8 (see README.md, section Settings)"
    ]


def test_a_dot_env_file_saved_on_windows_with_export_quotes_and_a_hash_reads_as_meant() -> None:
    Path(".env").write_bytes(
        "\ufeffexport SLACK_BOT_TOKEN='xoxb-from-file'\r\n"
        'SLACK_SIGNING_SECRET="se cret"\r\n'
        "DATABASE_URL=postgresql+psycopg://circles:pa#ss@db.internal/circles # the main one\r\n"
        "PORT=4001\r\n".encode()
    )
    settings = load_settings()
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-file"
    assert settings.slack_signing_secret is not None
    assert settings.slack_signing_secret.get_secret_value() == "se cret"
    assert settings.database_url == "postgresql+psycopg://circles:pa#ss@db.internal/circles"
    assert settings.port == 4001


@pytest.mark.parametrize(
    "credentials",
    [
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"},
        {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"},
    ],
    ids=["http", "socket"],
)
def test_with_one_workspace_admins_may_be_plain_user_ids_or_named_for_it(
    monkeypatch: pytest.MonkeyPatch, credentials: dict[str, str]
) -> None:
    for name, value in {**credentials, "CIRCLES_ADMINS": "U0123ABC,T0123:W0456DEF"}.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.problems() == []
    assert settings.circles_admins == {"U0123ABC", "T0123:W0456DEF"}


def test_with_several_workspaces_each_admin_is_named_for_a_workspace_or_organisation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("CIRCLES_ADMINS", "T0123:U0123ABC, E0456:W0456DEF")
    assert load_settings().circles_admins == {"T0123:U0123ABC", "E0456:W0456DEF"}


def test_with_several_workspaces_a_plain_admin_is_one_line_saying_what_to_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("CIRCLES_ADMINS", "T0123:U0123ABC,U0ADM")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith("CIRCLES_ADMINS: 'U0ADM' names no workspace, and with SLACK_CLIENT_ID set")
    assert "write each as T012AB3CD:U0ADM" in line
    assert "E012AB3CD:U0ADM" in line
    assert line.endswith("(see README.md, section Settings)")


@pytest.mark.parametrize("entry", ["X0123:U0123", "T0123:alice", "T0123:", ":U0123", "T0123:E0456:U0123"])
def test_an_admin_named_for_something_that_is_no_workspace_is_refused(
    monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    monkeypatch.setenv("CIRCLES_ADMINS", entry)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    [line] = raised.value.problems
    assert line.startswith(f"CIRCLES_ADMINS: {entry!r} is not a Slack user ID")
