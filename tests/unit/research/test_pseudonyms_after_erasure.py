"""Pseudonyms after an erasure: someone new to the export, while nobody else's ID changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from circles.domain.research.pseudonyms import pseudonym

KEY = b"installation-secret-0123456789abcdef"
ERASED = datetime(2027, 1, 25, 10, 0, 0, 123456, tzinfo=UTC)


def test_a_person_never_erased_keeps_the_id_earlier_exports_gave_them() -> None:
    assert pseudonym(KEY, 7, "U01ABCDEF23") == "P-CAZO4LHB6ECH"  # as made before erasures were keyed in
    assert pseudonym(KEY, 7, "U01ABCDEF23", None) == "P-CAZO4LHB6ECH"


def test_a_person_back_after_an_erasure_gets_an_id_they_never_had() -> None:
    assert pseudonym(KEY, 7, "U01ABCDEF23", ERASED) != pseudonym(KEY, 7, "U01ABCDEF23")


def test_each_erasure_gives_another_id() -> None:
    again = ERASED + timedelta(weeks=10)
    assert pseudonym(KEY, 7, "U01ABCDEF23", again) != pseudonym(KEY, 7, "U01ABCDEF23", ERASED)


def test_the_same_erasure_read_in_another_zone_gives_the_same_id() -> None:
    elsewhere = ERASED.astimezone(timezone(timedelta(hours=-5)))
    assert pseudonym(KEY, 7, "U01ABCDEF23", elsewhere) == pseudonym(KEY, 7, "U01ABCDEF23", ERASED)
