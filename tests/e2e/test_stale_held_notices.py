"""A notice that waited for a night worker's shift is not sent once it stopped being true: through the real
HTTP app, `circles tick --now` and the stand-in, a coach who went away and then left the cohort is never
announced as away to their former learner, who hears only that the partnership ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from circles.messages import PartnerAway
from circles.persistence.models import Workspace
from circles.services.outbox.enqueue import Outgoing, enqueue
from tests.dispatching import key_of
from tests.e2e.conftest import RunningApp
from tests.e2e.days import at
from tests.e2e.test_delivery_windows import NIGHT_SHIFT, WEEK_2, seed
from tests.e2e.test_tick import tick


def posts_to(app: RunningApp, user: str) -> list[str]:
    return [key_of(c) for c in app.standin.calls("chat.postMessage") if c.args.get("channel") == user]


def test_a_partner_away_notice_held_for_a_night_shift_is_dropped_when_the_partner_left_meanwhile(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    seed(app, learner_pattern=NIGHT_SHIFT)
    with app.db.unit_of_work() as uow:  # Cal said `/circles away` on Monday morning
        ws = uow.session.scalars(select(Workspace)).one()
        until = (WEEK_2 + timedelta(days=14)).date().isoformat()
        notice = PartnerAway("U0CAL", until)
        enqueue(uow.session, ws.id, Outgoing(f"away:1:{until}:U0NIA", "U0NIA", notice), WEEK_2, WEEK_2)
        uow.commit()
    tick(app, at(WEEK_2 + timedelta(minutes=5)))
    assert not any(key.startswith("away:") for key in posts_to(app, "U0NIA"))  # held for her shift

    assert app.post(app.signer.slash_command("leave pgy1", user_id="U0CAL"))[0] == 200
    app.settled()
    tick(app, at(WEEK_2.replace(hour=19, minute=2)))  # her shift began at 19:00

    told = posts_to(app, "U0NIA")
    assert not any(key.startswith("away:") for key in told)
    assert any(key.startswith("partnership:") for key in told)  # she hears the partnership ended
