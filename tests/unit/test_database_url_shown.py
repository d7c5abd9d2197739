"""A database URL as Circles prints it: no password, wherever in the URL it was given."""

from __future__ import annotations

import pytest

from circles.persistence.trouble import shown


def test_a_password_before_the_at_is_hidden() -> None:
    assert shown("postgresql://circles:hunter2@db/circles") == "postgresql://circles:***@db/circles"


@pytest.mark.parametrize(
    "key", ["password", "PASSWORD", "sslpassword", "passfile", "client_secret", "api_token"]
)
def test_a_query_value_whose_key_names_a_secret_is_hidden(key: str) -> None:
    printed = shown(f"postgresql://circles@db/circles?{key}=hunter2&sslmode=require")
    assert "hunter2" not in printed
    assert f"{key}=***" in printed
    assert "sslmode=require" in printed  # what helps find the database stays


def test_a_url_without_secrets_is_printed_as_it_is() -> None:
    assert shown("sqlite:///circles.db") == "sqlite:///circles.db"
    assert shown("postgresql://circles@db:5433/circles?sslmode=require") == (
        "postgresql://circles@db:5433/circles?sslmode=require"
    )


def test_what_is_not_a_url_is_not_printed() -> None:
    assert shown("hunter2") == "(not a database URL)"
