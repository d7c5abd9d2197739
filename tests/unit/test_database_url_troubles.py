"""What is said of a DATABASE_URL that cannot be used: the real cause, whichever spelling of PostgreSQL it
uses, and never what was typed where a port should be (often the password, its @ forgotten)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from circles.persistence.trouble import reason
from circles.settings_checks import database_url_parses


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_postgresql_url_that_cannot_connect_says_why_in_either_spelling(scheme: str) -> None:
    error = OperationalError("connect", {}, Exception('database "x" does not exist'))

    said = reason(f"{scheme}://u:pw@127.0.0.1:5432/x", error)

    assert "not supported" not in said
    assert 'database "x" does not exist' in said


@pytest.mark.parametrize(
    "url", ["postgresql://circles:s3cr3t/circles", "postgresql://u:p@127.0.0.1:5432:5433/x"]
)
def test_a_port_that_is_not_a_number_is_refused_without_repeating_it(url: str) -> None:
    with pytest.raises(ValueError, match="port that is not a number") as raised:
        database_url_parses(url)

    assert "s3cr3t" not in str(raised.value)
    assert "5433" not in str(raised.value)
