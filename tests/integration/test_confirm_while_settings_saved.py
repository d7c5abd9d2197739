"""A facilitator confirms a round's preview on one replica while, on another (PostgreSQL), a colleague
saves new settings for the cohort: the confirmation waits for the save, then finds its preview stale
(made for the settings before), instead of forming circles the cohort no longer asks for."""

from __future__ import annotations

import pytest

from circles.domain.match_vocabulary import RunStatus
from circles.errors import StalePreview
from circles.persistence.db import Database
from circles.persistence.models import MatchRun
from circles.services.matching.rounds import confirm_round, preview_round
from tests.databases import postgres
from tests.factories import NOW
from tests.integration.test_cohort_settings_saved_since import opened
from tests.integration.test_cohort_settings_saved_since import save as save_settings
from tests.integration.test_request_round_race import FAC, at_once, cohort_with_two_coaches

__all__ = ["postgres"]  # the fixture: a PostgreSQL database of the test's own


@pytest.mark.postgres
def test_a_round_confirmed_while_the_circle_sizes_are_saved_is_stale(postgres: Database) -> None:
    cohort_with_two_coaches(postgres)
    run_id = preview_round(
        postgres.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW
    ).run_id
    form = opened(postgres, FAC)

    saved, confirmed = at_once(
        postgres,
        lambda: save_settings(postgres, form, FAC, circle_min_size=3, circle_max_size=4),
        lambda: confirm_round(postgres.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=NOW),
    )

    assert saved is None, saved
    assert isinstance(confirmed, StalePreview), confirmed  # a fresh preview uses the sizes just saved
    with postgres.reading() as reading:
        assert reading.session.get_one(MatchRun, run_id).status is RunStatus.PREVIEWED
