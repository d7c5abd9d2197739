"""Research consent through the real HTTP app: read the statement, agree, withdraw, each kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from circles.domain.research.consent import Decision
from circles.domain.vocabulary import MemberStatus, Role
from circles.persistence.models import Consent, Member
from tests import factories
from tests.e2e.conftest import RunningApp


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app()
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "pgy1", "PGY-1")
        factories.member(uow.session, co, "U0LEARN", Role.LEARNER)
        uow.commit()
    running.standin.add_user("U0LEARN")
    return running


def answer_to(app: RunningApp, request: Any) -> dict[str, Any]:
    app.standin.clear()
    status, body = app.post(request)
    assert (status, body) == (200, b"")
    [answer] = app.standin.wait_for("response_url", timeout=10)
    assert answer.args["response_type"] == "ephemeral"
    return dict(answer.args)


def command(app: RunningApp, text: str) -> dict[str, Any]:
    return answer_to(app, app.signer.slash_command(text, user_id="U0LEARN"))


def click(app: RunningApp, action: str, slug: str) -> dict[str, Any]:
    return answer_to(
        app, app.signer.block_action(action, user_id="U0LEARN", value=slug, channel_id="D0LEARN")
    )


def decisions(app: RunningApp) -> list[tuple[str, Decision, str]]:
    with app.db.unit_of_work() as uow:
        rows = uow.session.scalars(select(Consent).order_by(Consent.id))
        return [(row.slack_user_id, row.decision, row.statement_version) for row in rows]


def test_a_member_reads_the_statement_agrees_then_withdraws_and_both_are_kept(app: RunningApp) -> None:
    shown = command(app, "consent")
    words = str(shown["blocks"])
    assert "*Research in PGY-1*" in words
    assert "pseudonymous" in words
    assert "not decided yet" in words
    actions = [b for b in shown["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [ids.CONSENT_GIVE, ids.CONSENT_WITHDRAW]

    agreed = click(app, ids.CONSENT_GIVE, "pgy1")
    assert "you agreed" in agreed["text"]
    assert "statement version 1" in agreed["text"]
    assert decisions(app) == [("U0LEARN", Decision.GIVEN, "1")]
    assert "You agreed on" in str(command(app, "consent")["blocks"])

    withdrawn = click(app, ids.CONSENT_WITHDRAW, "pgy1")
    assert "You withdrew consent in *PGY-1*" in withdrawn["text"]
    assert decisions(app) == [("U0LEARN", Decision.GIVEN, "1"), ("U0LEARN", Decision.WITHDRAWN, "1")]


def test_consent_as_text_and_malformed_text_gets_short_help(app: RunningApp) -> None:
    assert "you agreed" in command(app, "consent yes pgy1")["text"]
    assert "Nothing changed" in command(app, "consent yes pgy1")["text"]
    assert "Nothing changed" in command(app, "consent yes PGY1")["text"]  # a slug in any case, as elsewhere
    assert "/circles consent yes &lt;cohort&gt;" in command(app, "consent maybe")["text"]
    assert "You withdrew" in command(app, "consent no pgy1")["text"]
    assert len(decisions(app)) == 2


def test_a_button_naming_no_cohort_of_the_presser_changes_nothing(app: RunningApp) -> None:
    assert "You are not in" in click(app, ids.CONSENT_GIVE, "elsewhere")["text"]
    assert "not in any cohort" in click(app, ids.CONSENT_GIVE, "")["text"]
    assert decisions(app) == []


def test_someone_who_left_is_not_told_they_are_in_no_cohort_yet(app: RunningApp) -> None:
    with app.db.unit_of_work() as uow:
        member = uow.session.scalars(select(Member).where(Member.slack_user_id == "U0LEARN")).one()
        member.status = MemberStatus.LEFT
        uow.commit()
    told = command(app, "consent")["text"]
    assert "not in a cohort now" in told
    assert "yet" not in told
