"""A check-in form whose saving loses the database connection: the person hears it once, plainly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from bot import ids
from tests.databases import migrated_postgres
from tests.dropping import dropped_at
from tests.e2e.conftest import RunningApp
from tests.e2e.test_checkins import form_values, seed, stored

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> Iterator[RunningApp]:
    with migrated_postgres() as url:
        yield serve_app(url)


def test_a_check_in_form_whose_saving_drops_the_connection_is_answered_once_in_the_dm(
    app: RunningApp,
) -> None:
    checkin_id = seed(app)
    metadata = json.dumps({"checkin": checkin_id, "channel": None, "ts": None})
    values = form_values("4", "yes", None, share=False, support=False)
    submit = app.signer.view_submission(
        ids.CHECKIN_VIEW, user_id="U0LEE", values=values, private_metadata=metadata
    )

    with dropped_at(app.db.engine, "UPDATE checkins") as dropped:
        assert app.post(submit)[0] == 200
        app.settled()
    assert dropped

    told = [json.dumps(c.args) for c in app.standin.calls("chat.postMessage") if c.args["channel"] == "U0LEE"]
    assert len(told) == 1, told
    assert "Circles could not do that just now; please try again" in told[0]
    assert stored(app, checkin_id).answered_at is None
