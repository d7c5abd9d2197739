"""Through the app: someone who runs Circles (one of CIRCLES_ADMINS) or facilitates a cohort, and was also a
member of one, leaves it and presses "Erase my personal data". A member's request for support still waiting
to reach them as an admin or as a facilitator still does; what waited for them as a member does not."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from bot import ids
from circles.domain.vocabulary import OutboxStatus, Role
from circles.persistence.models import OutboxMessage, Workspace
from circles.services.support.request import request_support
from tests import factories
from tests.e2e.conftest import RunningApp, coaching_pair
from tests.factories import NOW


def erase(app: RunningApp, user_id: str, slug: str) -> None:
    """The person leaves the cohort, then presses the erasure the answer offers."""
    assert app.post(app.signer.slash_command(f"leave {slug}", user_id=user_id)) == (200, b"")
    [left] = app.standin.wait_for("response_url", timeout=10)
    assert ids.LEAVE_ERASE in json.dumps(left.args)
    app.standin.clear()
    hook = app.standin.response_url(user_id)
    press = app.signer.block_action(
        ids.LEAVE_ERASE, user_id=user_id, value=slug, channel_id=f"D{user_id}", response_url=hook
    )
    assert app.post(press) == (200, b"")
    [done] = app.standin.wait_for("response_url", timeout=10)
    assert "your profile and your notes have been erased" in json.dumps(done.args)


def to(app: RunningApp, user_id: str) -> dict[str, OutboxStatus]:
    """The rows to this person, by kind, and their status."""
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == user_id))
        return {str(row.payload.get("template")): row.status for row in rows}


def cohort_asking(app: RunningApp, slug: str, facilitator: str | None) -> None:
    """A second cohort, with U0ASK in it, who asks for support there."""
    with app.db.unit_of_work() as uow:
        ws = uow.session.scalars(select(Workspace)).one()
        co = factories.cohort(uow.session, ws, slug, slug.title())
        if facilitator:
            factories.facilitator(uow.session, co, facilitator)
        factories.member(uow.session, co, "U0ASK", Role.LEARNER)
        uow.commit()
    app.standin.add_user("U0ASK")
    request_support(
        app.db.unit_of_work(), "T0001", "U0ASK", "Rough week", NOW, slug, request_key="k1", admins={"U0COACH"}
    )


def test_an_admin_erased_as_a_former_member_still_gets_a_request_that_went_to_the_admins(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app(circles_admins=frozenset({"U0COACH"}))
    coaching_pair(app)
    cohort_asking(app, "nights", None)  # no facilitator there: the request went to the admins
    assert to(app, "U0COACH") == {"support_request": OutboxStatus.PENDING}

    erase(app, "U0COACH", "pgy1")

    assert to(app, "U0COACH") == {"support_request": OutboxStatus.PENDING}


def test_a_facilitator_erased_as_a_former_member_still_gets_a_request_from_the_cohort_they_run(
    serve_app: Callable[..., RunningApp],
) -> None:
    app = serve_app()
    coaching_pair(app)
    cohort_asking(app, "nights", "U0COACH")  # U0COACH facilitates nights and coaches in pgy1

    erase(app, "U0COACH", "pgy1")

    assert to(app, "U0COACH") == {"support_request": OutboxStatus.PENDING}
