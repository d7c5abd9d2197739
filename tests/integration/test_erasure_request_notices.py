"""Erasure and the messages around a request for a coach or mentor, on SQLite and PostgreSQL. A learner whose
coach left is told their request closed, and a coach's copy of a request is redrawn as closed once its
learner left; either can still wait in the outbox when the person it names asks to be erased, or be made
afterwards. Once erased, that person is named in none of them: the learner still hears their request
closed, and the coach's copy still loses its buttons and the learner's profile, neither naming who. The
same people's messages about someone not erased, here or in another workspace, keep the name."""

from __future__ import annotations

from datetime import timedelta

from bot.messages import render
from circles.domain.vocabulary import Role
from circles.persistence.db import Database
from circles.services.outbox.queue import Claimed, claim_due
from circles.services.partnerships.request_notices import remember_copy
from circles.services.people.erasure import erase_personal_data
from circles.services.people.membership import leave
from tests.factories import NOW
from tests.integration.test_directory import ask, seed

COACH, LEARNER, OTHER_COACH, OTHER_LEARNER = "U0COACH", "U0ANN", "U0DAN", "U0EVE"
LATER = NOW + timedelta(hours=1)


def going(db: Database) -> list[tuple[str, str, str]]:
    """What the dispatcher claims over the next few days, whatever waits for a window: each row's kind,
    where it goes, and the words Slack receives."""
    sent: list[Claimed] = []
    for hours in range(2, 24 * 4, 6):
        sent += claim_due(
            db.unit_of_work(), NOW + timedelta(hours=hours), limit=100, claim_for=timedelta(days=9)
        )
    found = []
    for message in sent:
        words = render(str(message.payload["template"]), message.payload["args"]).text
        found.append((str(message.payload["template"]), message.channel or "", words))
    return sorted(found)


def test_a_learner_still_to_hear_that_an_erased_coachs_request_closed_is_told_without_their_name(
    db: Database,
) -> None:
    seed(
        db, **{COACH: Role.COACH, OTHER_COACH: Role.COACH, LEARNER: Role.LEARNER, OTHER_LEARNER: Role.LEARNER}
    )
    seed(db, "T0002", **{COACH: Role.COACH, LEARNER: Role.LEARNER})  # the same Slack IDs elsewhere
    for team, learner, coach in (("T0001", LEARNER, COACH), ("T0001", OTHER_LEARNER, OTHER_COACH)):
        ask(db, learner, coach, team_id=team)
    ask(db, LEARNER, COACH, team_id="T0002")
    for team, coach in (("T0001", COACH), ("T0001", OTHER_COACH), ("T0002", COACH)):
        leave(db.unit_of_work(), team, None, coach, NOW)  # each learner's notice waits in the outbox

    assert erase_personal_data(db.unit_of_work(), "T0001", COACH, NOW) is True

    notices = [(to, words) for template, to, words in going(db) if template == "request_closed"]
    assert [to for to, _ in notices] == [LEARNER, LEARNER, OTHER_LEARNER]  # everyone still hears it
    here, elsewhere = sorted((n for n in notices if n[0] == LEARNER), key=lambda n: COACH in n[1])
    assert COACH not in here[1]
    assert "<@>" not in here[1]
    assert "Your request for a coach or mentor in *PGY1-SPRING* has closed: they no longer take" in here[1]
    assert f"<@{COACH}>" in elsewhere[1]  # another workspace's coach, not erased
    assert f"<@{OTHER_COACH}>" in notices[2][1]


def test_a_coachs_copy_still_to_be_redrawn_when_its_learner_is_erased_closes_without_their_name(
    db: Database,
) -> None:
    seed(db, **{COACH: Role.COACH, LEARNER: Role.LEARNER, OTHER_LEARNER: Role.LEARNER})
    for learner, ts in ((LEARNER, "1700000000.000100"), (OTHER_LEARNER, "1700000000.000200")):
        request_id = ask(db, learner, COACH)
        remember_copy(db.unit_of_work(), "T0001", request_id, "D0COACH", ts, NOW)
        leave(db.unit_of_work(), "T0001", None, learner, NOW)  # each copy's redraw waits in the outbox

    assert erase_personal_data(db.unit_of_work(), "T0001", LEARNER, NOW) is True

    redraws = [words for template, to, words in going(db) if template == "request_copy_closed"]
    assert len(redraws) == 2  # the erased learner's copy still loses its buttons and their profile
    assert [w for w in redraws if f"<@{OTHER_LEARNER}>" in w] != []
    [unnamed] = [w for w in redraws if OTHER_LEARNER not in w]
    assert unnamed.startswith("The request to work with you in *PGY1-SPRING* has closed")


def test_a_coachs_copy_remembered_after_its_learner_was_erased_is_redrawn_without_their_name(
    db: Database,
) -> None:
    seed(db, **{COACH: Role.COACH, LEARNER: Role.LEARNER})
    request_id = ask(db, LEARNER, COACH)
    leave(db.unit_of_work(), "T0001", None, LEARNER, NOW)  # before Slack answered the copy's post
    assert erase_personal_data(db.unit_of_work(), "T0001", LEARNER, NOW) is True

    remember_copy(db.unit_of_work(), "T0001", request_id, "D0COACH", "1700000000.000300", LATER)

    [(template, to, words)] = going(db)
    assert (template, to) == ("request_copy_closed", "D0COACH")
    assert LEARNER not in words
    assert words.startswith("The request to work with you in *PGY1-SPRING* has closed")
