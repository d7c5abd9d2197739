"""A learner asks their facilitators for support about their partnership with Sam, their coach, and the
request waits in the outbox (Slack failing, the dispatcher not run yet) when Sam leaves and asks to be
erased. The request still reaches the facilitator, naming Sam nowhere: "about their partnership with an
erased member". So does the facilitator's notice that such a request could not be shown, whether it waited
already or is made afterwards from the request. A request about a partner who was not erased still names
them. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.messages import render
from circles.domain.vocabulary import PairingMode, Role
from circles.messages import SupportRequest, SupportUnshown
from circles.persistence.db import Database
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.outbox.refused import fail_refused
from circles.services.outbox.unreachable import Unreachable
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from circles.services.support.form import SupportAbout, send_support
from tests import factories
from tests.factories import NOW
from tests.traces import everything_stored

SAM, L1, KEPT, L2, FAC = "U0COACH", "U0LONE", "U0KEPT", "U0LTWO", "U0FAC"
ERASED = "in their check-in about their partnership with an erased member"


@dataclass(frozen=True)
class Pairs:
    sams: int  # L1 with Sam
    kept: int  # L2 with KEPT, nobody erased


def pairs(db: Database) -> Pairs:
    with db.unit_of_work() as uow:
        s = uow.session
        ws = factories.workspace(s)
        co = factories.cohort(s, ws, "pgy1", "PGY1")
        co.pairing_mode = PairingMode.COACH_LEARNER
        factories.facilitator(s, co, FAC)
        sams = factories.pair(s, factories.member(s, co, SAM, Role.COACH), factories.member(s, co, L1))
        kept = factories.pair(s, factories.member(s, co, KEPT, Role.COACH), factories.member(s, co, L2))
        factories.profile(s, ws, SAM)
        uow.commit()
        return Pairs(sams.id, kept.id)


def ask(db: Database, learner: str, pair_id: int, key: str) -> None:
    about = SupportAbout(partnership_id=pair_id)
    send_support(db.unit_of_work(), "T0001", learner, about, "help", NOW, request_key=key)


def erase_sam(db: Database) -> None:
    leave(db.unit_of_work(), "T0001", "pgy1", SAM, NOW + timedelta(minutes=1))
    assert erase_personal_data(db.unit_of_work(), "T0001", SAM, NOW + timedelta(minutes=2)) is True


def claimed(db: Database, minutes: int) -> list[Claimed]:
    return claim_due(
        db.unit_of_work(), NOW + timedelta(minutes=minutes), limit=100, claim_for=timedelta(minutes=5)
    )


def shown(message: Claimed) -> str:
    """What the facilitator reads: the message's text and blocks."""
    drawn = render(str(message.payload["template"]), message.payload["args"])
    return drawn.text + str(drawn.block_dicts())


def refuse(db: Database, message: Claimed, minutes: int) -> None:
    """Slack refuses what the request's copy holds: the facilitator is to be told that the member asked."""
    row = Unreachable(
        message.id, message.attempt, message.workspace_id, message.key, message.channel or "", message.payload
    )
    assert fail_refused(db.unit_of_work(), row, "invalid_blocks", NOW + timedelta(minutes=minutes)) is True


def test_a_waiting_request_about_an_erased_partner_reaches_the_facilitator_naming_them_nowhere(
    db: Database,
) -> None:
    made = pairs(db)
    ask(db, L1, made.sams, "k-1")
    ask(db, L2, made.kept, "k-2")

    erase_sam(db)

    with db.engine.connect() as connection:
        stored = everything_stored(connection)
    requests = {
        str(m.payload["args"]["member_user_id"]): shown(m)
        for m in claimed(db, 3)
        if m.payload["template"] == SupportRequest.TEMPLATE
    }
    assert sorted(requests) == [L1, L2]  # both still go to the facilitator
    assert ERASED in requests[L1]
    assert SAM not in requests[L1]
    assert f"their partnership with <@{KEPT}>" in requests[L2]
    assert not [line for line in stored.splitlines() if SupportRequest.TEMPLATE in line and SAM in line]


def test_a_waiting_notice_that_a_request_about_an_erased_partner_was_not_shown_names_them_nowhere(
    db: Database,
) -> None:
    made = pairs(db)
    ask(db, L1, made.sams, "k-1")
    [request] = claimed(db, 1)
    refuse(db, request, 1)  # the facilitator's notice that L1 asked, naming Sam, waits

    erase_sam(db)

    [notice] = [m for m in claimed(db, 3) if m.payload["template"] == SupportUnshown.TEMPLATE]
    assert notice.channel == FAC
    assert ERASED in shown(notice)
    assert SAM not in shown(notice)


def test_a_request_about_an_erased_partner_that_cannot_be_shown_later_names_them_nowhere_either(
    db: Database,
) -> None:
    made = pairs(db)
    ask(db, L1, made.sams, "k-1")
    erase_sam(db)
    [request] = [m for m in claimed(db, 3) if m.payload["template"] == SupportRequest.TEMPLATE]

    refuse(db, request, 3)

    [notice] = [m for m in claimed(db, 4) if m.payload["template"] == SupportUnshown.TEMPLATE]
    assert ERASED in shown(notice)
    assert SAM not in shown(notice)


def test_a_request_about_a_partnership_still_names_a_partner_who_was_not_erased(db: Database) -> None:
    made = pairs(db)
    ask(db, L2, made.kept, "k-2")
    [request] = claimed(db, 1)
    refuse(db, request, 1)

    [notice] = [m for m in claimed(db, 2) if m.payload["template"] == SupportUnshown.TEMPLATE]
    assert f"in their check-in about their partnership with <@{KEPT}>" in shown(notice)
