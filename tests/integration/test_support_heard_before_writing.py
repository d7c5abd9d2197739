"""What a member is told before writing for support is who will read it, on SQLite and PostgreSQL: the form
and the answer to a typed message ask the rule sending follows, so a facilitator who coaches the member, is
away, or was paired with their partner is never promised, and the admins who have it instead are said to."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import ids
from bot.messages import render
from bot.views.support_form import support_modal
from circles.domain.vocabulary import PartnershipKind, Role
from circles.errors import NoFacilitators
from circles.persistence.db import Database
from circles.persistence.models import AwayBlock, OutboxMessage, Workspace
from circles.services.support.care import answer_typed_message
from circles.services.support.form import SupportAbout, SupportForm, send_support, support_form
from circles.services.support.hearing import Heard
from tests import factories
from tests.factories import NOW

ADMIN = "U0ADM"
RUNNERS = "the people who run Circles in this workspace"
PROMISED = "Only the facilitators see what you write here"
# Who runs PGY-1 in each case: Lee is coached by Cole there.
CASES = {
    "a facilitator who may hear Lee": "U0FAY",
    "Lee's own coach": "U0COLE",
    "a facilitator away this week": "U0AWAY",
    "nobody yet": None,
}


def seed(db: Database, facilitator: str | None) -> None:
    with db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        if facilitator:
            factories.facilitator(uow.session, co, facilitator)
        coach = factories.member(uow.session, co, "U0COLE", Role.COACH)
        factories.pair(uow.session, coach, factories.member(uow.session, co, "U0LEE", Role.LEARNER))
        uow.session.add(
            AwayBlock(
                workspace_id=ws.id,
                slack_user_id="U0AWAY",
                starts_at=NOW - timedelta(days=1),
                ends_at=NOW + timedelta(days=6),
                kind="away",
                cohort_id=None,
                created_by="U0AWAY",
                created_at=NOW,
            )
        )
        uow.commit()


def told(db: Database) -> list[str]:
    with db.reading() as reading:
        rows = reading.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [str(row.channel) for row in rows if row.payload["template"] == "support_request"]


def said(form: SupportForm) -> str:
    """What the form says of who reads it: its first lines, the message box's hint, the small print."""
    view = support_modal(form).to_dict()
    [hint] = [b["hint"]["text"] for b in view["blocks"] if b.get("block_id") == ids.SUPPORT_MESSAGE]
    return " ".join([view["blocks"][0]["text"]["text"], hint, view["blocks"][-1]["elements"][0]["text"]])


def never_why(words: str) -> None:
    """Nothing says who could not take it, nor why."""
    assert not {"U0COLE", "U0AWAY", "U0FAY", "away", "coach", "paired"} & set(re.findall(r"[\w']+", words))


def typed_answer(db: Database, admins: tuple[str, ...]) -> str:
    assert answer_typed_message(db.unit_of_work(), "T0001", "U0LEE", NOW, admins)
    with db.reading() as reading:
        row = reading.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "U0LEE")).one()
        message = render(row.payload["template"], row.payload["args"])
    return json.dumps(message.block_dicts(), ensure_ascii=False)


@pytest.mark.parametrize("admins", [(), (ADMIN,)], ids=["no admins", "admins"])
@pytest.mark.parametrize("case", CASES)
def test_the_form_says_who_reads_it_and_that_is_who_it_goes_to(
    db: Database, case: str, admins: tuple[str, ...]
) -> None:
    seed(db, CASES[case])
    about = SupportAbout(cohort_slug="pgy1")
    form = support_form(db.unit_of_work(), "T0001", "U0LEE", about, NOW, admins=admins)
    [choice] = form.cohorts
    expected = {
        "a facilitator who may hear Lee": Heard.FACILITATORS_OR_ADMINS if admins else Heard.FACILITATORS,
    }.get(case, Heard.ADMINS if admins else Heard.NOBODY)
    assert choice.heard is expected
    view = said(form)
    if expected is Heard.NOBODY:
        with pytest.raises(NoFacilitators):
            send_support(
                db.unit_of_work(), "T0001", "U0LEE", about, "help", NOW, request_key="t", admins=admins
            )
        assert "can't be sent" in view
        assert told(db) == []
    else:
        send_support(db.unit_of_work(), "T0001", "U0LEE", about, "help", NOW, request_key="t", admins=admins)
        assert told(db) == ([ADMIN] if expected is Heard.ADMINS else ["U0FAY"])
    assert (PROMISED in view) is (expected is Heard.FACILITATORS)
    assert (RUNNERS in view) is bool(admins)
    never_why(view)


def test_a_request_about_a_partnership_a_facilitator_was_paired_into_is_said_to_go_to_the_admins(
    db: Database,
) -> None:
    """Fay runs PGY-1 and was once Cole's peer in Faculty: Lee's own requests reach her, never one about
    his partnership with Cole; the form about that partnership says the admins will read it."""
    seed(db, "U0FAY")
    with db.unit_of_work() as uow:
        faculty = factories.cohort(uow.session, uow.session.scalars(select(Workspace)).one(), "fac", "Fac")
        peers = [factories.member(uow.session, faculty, user, Role.PEER) for user in ("U0FAY", "U0COLE")]
        factories.pair(uow.session, *peers, kind=PartnershipKind.PEER)
        uow.commit()
    mine = support_form(db.unit_of_work(), "T0001", "U0LEE", SupportAbout(), NOW, admins=(ADMIN,))
    assert [c.heard for c in mine.cohorts] == [Heard.FACILITATORS_OR_ADMINS]
    assert RUNNERS in said(mine)
    [with_cole] = mine.partnerships
    about = SupportAbout(partnership_id=with_cole.partnership_id)
    form = support_form(db.unit_of_work(), "T0001", "U0LEE", about, NOW, admins=(ADMIN,))
    assert [c.heard for c in form.cohorts] == [Heard.ADMINS]
    view = said(form)
    assert f"so it goes privately to {RUNNERS}" in view
    assert PROMISED not in view
    never_why(view.replace("<@U0COLE>", ""))  # the partnership it is about, and nothing of why
    send_support(db.unit_of_work(), "T0001", "U0LEE", about, "help", NOW, request_key="t", admins=(ADMIN,))
    assert told(db) == [ADMIN]


@pytest.mark.parametrize("case", ["Lee's own coach", "a facilitator away this week"])
def test_with_a_facilitator_who_may_not_hear_them_the_answer_never_says_the_cohort_has_none(
    db: Database, case: str
) -> None:
    seed(db, CASES[case])
    shown = typed_answer(db, admins=())
    assert "it has no facilitator" not in shown
    assert "Nobody can receive a message through Circles for *PGY-1* yet" in shown
    assert "none of its facilitators can take one from you" in shown
    never_why(shown)


def test_a_cohort_with_no_facilitator_is_still_said_to_have_none(db: Database) -> None:
    seed(db, None)
    assert "yet: it has no facilitator." in typed_answer(db, admins=())


@pytest.mark.parametrize("case", ["Lee's own coach", "a facilitator away this week", "nobody yet"])
def test_when_the_admins_would_read_it_the_answer_says_so_not_that_only_facilitators_see_it(
    db: Database, case: str
) -> None:
    seed(db, CASES[case])
    shown = typed_answer(db, admins=(ADMIN,))
    assert f"To reach {RUNNERS} privately instead, use *Message my facilitators*" in shown
    assert "To reach the facilitators of" not in shown
    assert ADMIN not in shown
    if CASES[case] is None:
        assert "*PGY-1* has no facilitator yet." in shown
    else:
        assert "No facilitator of *PGY-1* can take a message from you just now." in shown
    never_why(shown)
