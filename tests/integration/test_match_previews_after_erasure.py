"""Someone who left and was erased on SQLite and PostgreSQL: "See all" on a preview from before they left
is refused as stale, as Confirm refuses it, and no stored plan keeps their Slack user or the interests
their profile shared with the others."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.views.match_list import ERASED, round_modal
from circles.domain.match_vocabulary import RunStatus
from circles.domain.vocabulary import PairingMode, Role
from circles.errors import StalePreview
from circles.persistence.db import Database
from circles.persistence.models import Cohort, MatchRun, Member
from circles.services.matching.previews import stored_round
from circles.services.matching.rematch import preview_rematch
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from tests import factories
from tests.factories import NOW

FAC, X, NEW = "U0FAC", "U0XERASED", "U0NEW"
PEERS = [f"U0P{n:02d}" for n in range(8)]
LATER = NOW + timedelta(minutes=1)


@pytest.fixture(autouse=True)
def cohort(db: Database) -> None:
    """Eight peers and X, each with the interest "Zebrafishology", paired too."""
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        co.pairing_mode = PairingMode.PEER
        factories.facilitator(uow.session, co, FAC)
        for user in [X, *PEERS]:
            factories.member(uow.session, co, user, Role.PEER, flush=False)
            factories.profile(uow.session, ws, user, flush=False).interests = "Zebrafishology"
        uow.commit()


def previewed(db: Database) -> RoundPlan:
    return preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=NOW)


def left_and_erased(db: Database) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", X, LATER)
    assert erase_personal_data(db.unit_of_work(), "T0001", X, LATER + timedelta(minutes=1))


def see_all(db: Database, run_id: int) -> str:
    """What "See all" would open: the modal's first page, as Slack is sent it."""
    shown = stored_round(db.unit_of_work(), "T0001", run_id, user_id=FAC, is_admin=False, now=LATER)
    return json.dumps(round_modal(shown).to_dict())


def stored_plans(db: Database) -> dict[int, tuple[RunStatus, str]]:
    with db.unit_of_work() as uow:
        rows = uow.session.execute(select(MatchRun.id, MatchRun.status, MatchRun.plan))
        return {run_id: (status, json.dumps(plan).lower()) for run_id, status, plan in rows}


def test_see_all_after_an_erasure_is_refused_as_stale_and_shows_neither_their_id_nor_interests(
    db: Database,
) -> None:
    run = previewed(db)
    before = see_all(db, run.run_id)
    assert X in before
    assert "zebrafishology" in before
    left_and_erased(db)
    with pytest.raises(StalePreview) as stale:  # before: the modal, naming X and "in common: zebrafishology"
        see_all(db, run.run_id)
    assert (stale.value.slug, stale.value.rematch_user_id) == ("pgy1", None)


def test_a_preview_gone_stale_by_a_mere_leave_is_refused_on_see_all_as_on_confirm(db: Database) -> None:
    run = previewed(db)
    leave(db.unit_of_work(), "T0001", "pgy1", X, LATER)
    with pytest.raises(StalePreview):
        see_all(db, run.run_id)
    with pytest.raises(StalePreview):
        confirm_round(db.unit_of_work(), "T0001", run.run_id, user_id=FAC, is_admin=False, now=LATER)


def test_the_erasure_leaves_no_stored_preview_naming_them_and_keeps_one_made_after_they_left(
    db: Database,
) -> None:
    replaced, latest = previewed(db).run_id, previewed(db).run_id  # the first superseded by the second
    leave(db.unit_of_work(), "T0001", "pgy1", X, LATER)
    since = preview_round(db.unit_of_work(), "T0001", "pgy1", user_id=FAC, is_admin=False, now=LATER).run_id
    with db.unit_of_work() as uow:
        member_id = uow.session.scalars(select(Member.id).where(Member.slack_user_id == X)).one()
    named = [stored_plans(db)[run][1] for run in (replaced, latest)]
    assert all(X.lower() in plan for plan in named)
    assert all("zebrafishology" in plan for plan in named)
    assert erase_personal_data(db.unit_of_work(), "T0001", X, LATER + timedelta(minutes=1))

    plans = stored_plans(db)
    assert plans[replaced] == plans[latest] == (RunStatus.SUPERSEDED, "{}")  # before: both still named X
    assert X.lower() not in plans[since][1]
    assert f'"{member_id}"' not in plans[since][1]
    assert plans[since][0] is RunStatus.PREVIEWED  # it never named them: still to confirm
    confirm_round(db.unit_of_work(), "T0001", since, user_id=FAC, is_admin=False, now=LATER)


def test_a_round_made_before_the_erasure_shows_them_as_someone_who_left_without_their_circles_reasons(
    db: Database,
) -> None:
    run = previewed(db)
    confirm_round(db.unit_of_work(), "T0001", run.run_id, user_id=FAC, is_admin=False, now=NOW)
    left_and_erased(db)

    modal = see_all(db, run.run_id)
    assert X not in modal  # before: <@U0XERASED>
    assert ERASED in modal
    lines = [line for block in json.loads(modal)["blocks"] for line in json.dumps(block).split("\\n")]
    theirs = [line for line in lines if ERASED in line]
    assert theirs
    assert all("zebrafishology" not in line.lower() for line in theirs)
    assert any("zebrafishology" in line.lower() for line in lines)  # the others' reasons stay
    assert X.lower() not in stored_plans(db)[run.run_id][1]


def test_a_re_match_preview_retired_by_the_erasure_still_offers_a_fresh_re_match_of_the_same_person(
    db: Database,
) -> None:
    run = previewed(db)
    confirm_round(db.unit_of_work(), "T0001", run.run_id, user_id=FAC, is_admin=False, now=NOW)
    with db.unit_of_work() as uow:
        factories.member(uow.session, uow.session.scalars(select(Cohort)).one(), NEW, Role.PEER)
        uow.commit()
    rematch = preview_rematch(db.unit_of_work(), "T0001", "pgy1", NEW, user_id=FAC, is_admin=False, now=NOW)
    left_and_erased(db)

    assert X.lower() not in stored_plans(db)[rematch.run_id][1]
    with pytest.raises(StalePreview) as stale:
        confirm_round(db.unit_of_work(), "T0001", rematch.run_id, user_id=FAC, is_admin=False, now=LATER)
    assert stale.value.rematch_user_id == NEW  # the fresh preview offered is NEW's re-match, not a round
