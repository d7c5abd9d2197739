"""A block the programme imported is the programme's, whatever its kind: a person's own `/circles away` and
`/circles back` change only the block they set themselves; their answer says the day partners were told."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from bot.views.availability import away_answer
from circles.domain.availability.going_away import AwayRequest
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock
from circles.services.availability.away import come_back, go_away
from tests.integration.availability.test_rotation_notices import (
    BACK,
    LEE_ON_ROTATION,
    START,
    a_programme,
    imported,
    rota,
    say_away,
    tick,
    told,
)

LEE_AWAY_BY_THE_PROGRAMME = rota("r0@hospital.org,2027-01-04,2027-01-31,away")


def blocks(db: Database) -> list[tuple[str, datetime]]:
    """Lee's blocks: who made each, and when it ends, earliest first."""
    with db.reading() as unit:
        rows = unit.session.scalars(select(AwayBlock).order_by(AwayBlock.starts_at, AwayBlock.id))
        return [(row.created_by, row.ends_at) for row in rows]


def test_coming_back_leaves_an_away_block_the_programme_imported(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_AWAY_BY_THE_PROGRAMME)
    tick(db, START)
    back = come_back(db.unit_of_work(), "T0HOSP", "U0000", START + timedelta(days=2))
    assert back.was_away is False  # "You were not marked away…: ask your facilitator"
    assert blocks(db) == [("import", BACK)]
    assert {kind for _, kind, _ in told(db)} == {"partner_away"}  # nobody hears Lee is back


def test_coming_back_ends_their_own_block_and_says_the_programmes_away_block_still_runs(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_AWAY_BY_THE_PROGRAMME)
    tick(db, START)
    said = START + timedelta(days=2)
    say_away(db, "2027-02-20", said)
    back = come_back(db.unit_of_work(), "T0HOSP", "U0000", START + timedelta(days=3))
    assert (back.was_away, back.away_until) == (True, date(2027, 2, 1))
    assert blocks(db) == [("import", BACK), ("U0000", START + timedelta(days=3))]


def test_saying_an_earlier_day_during_the_programmes_away_block_leaves_it_and_tells_partners_nothing(
    db: Database,
) -> None:
    a_programme(db)
    imported(db, LEE_AWAY_BY_THE_PROGRAMME)
    tick(db, START)
    heard = told(db)
    say_away(db, "2027-01-20", START + timedelta(days=2))
    tick(db, START + timedelta(days=3))
    assert told(db) == heard  # they still know the day Lee is back: 2027-02-01, not 2027-01-20
    assert [by for by, _ in blocks(db)] == ["import", "U0000"]
    assert blocks(db)[0] == ("import", BACK)


def test_the_answer_to_an_earlier_day_than_a_rotation_says_the_day_partners_were_told(db: Database) -> None:
    a_programme(db)
    imported(db, LEE_ON_ROTATION)
    away = go_away(
        db.unit_of_work(), "T0HOSP", "U0000", AwayRequest(until=date(2027, 1, 20)), START + timedelta(hours=1)
    )
    assert {args["until"] for _, _, args in told(db)} == {"2027-02-01"}
    said = away_answer(away)
    assert "You're away until *Wednesday 20 January 2027*" in said
    assert "2 partners are told you are away until *Monday 1 February 2027*" in said
    assert "until then" not in said.split("partners are told")[1]
