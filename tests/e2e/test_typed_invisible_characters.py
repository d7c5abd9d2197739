"""Invisible characters, full-width letters, punctuation after a mention and line breaks in typed
`/circles` text: each answer reads what the person saw, privately, and a cohort is never named with
nothing visible nor broken across lines."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from circles.domain.vocabulary import Role
from circles.persistence.models import Cohort
from tests import factories
from tests.e2e.conftest import RunningApp

ADMIN = "U0ADMIN"
ZWSP, WORD_JOINER, BOM, ZWNJ = "\u200b", "\u2060", "\ufeff", "\u200c"


@pytest.fixture
def app(serve_app: Callable[..., RunningApp]) -> RunningApp:
    running = serve_app(circles_admins=frozenset({ADMIN}))
    with running.db.unit_of_work() as uow:
        ws = factories.workspace(uow.session)
        co = factories.cohort(uow.session, ws, "nights", "Night shifts")
        factories.facilitator(uow.session, co, "U0FAY")
        factories.member(uow.session, co, "U0LEE", Role.PEER)
        factories.profile(uow.session, ws, "U0LEE", "UTC")
        uow.commit()
    for user in ("U0LEE", "U0FAY", ADMIN):
        running.standin.add_user(user)
    return running


def say(app: RunningApp, text: str, user: str = "U0LEE") -> str:
    app.standin.clear()
    assert app.post(app.signer.slash_command(text, user_id=user))[0] == 200
    [answer] = app.standin.wait_for("response_url")
    assert answer.args["response_type"] == "ephemeral"
    return json.dumps(answer.args, ensure_ascii=False)


def cohort_names(app: RunningApp, slug: str) -> list[str]:
    with app.db.unit_of_work() as uow:
        return [c.name for c in uow.session.scalars(select(Cohort).where(Cohort.slug == slug))]


@pytest.mark.parametrize(
    "word",
    [
        f"nights{ZWSP}",
        f"{ZWSP}nights",
        f"nights{BOM}",
        f"{BOM}nights",
        f"nig{WORD_JOINER}hts",
        f"nights{ZWNJ}",
        "ｎｉｇｈｔｓ",  # as a Japanese input method types it
        "ＮＩＧＨＴＳ",
    ],
)
def test_status_finds_a_cohort_typed_with_invisible_or_full_width_letters(app: RunningApp, word: str) -> None:
    answer = say(app, f"status {word}")
    assert "You are not in" not in answer, answer
    assert "Night shifts" in answer


def test_a_byte_order_mark_before_the_subcommand_is_not_read_as_part_of_it(app: RunningApp) -> None:
    answer = say(app, f"{BOM}status nights")
    assert "I don't know" not in answer, answer
    assert "Night shifts" in answer


def test_consent_finds_a_cohort_typed_with_a_zero_width_space(app: RunningApp) -> None:
    answer = say(app, f"consent yes nights{ZWSP}")
    assert "You are not in" not in answer, answer


def test_a_cohort_the_person_is_not_in_is_never_suggested_as_itself(app: RunningApp) -> None:
    answer = say(app, f"status nightz{ZWSP}")
    assert "You are not in `nightz`. Did you mean `nights`?" in answer, answer


@pytest.mark.parametrize("name", [ZWSP, BOM, f"{ZWSP}{WORD_JOINER}", ZWNJ, "\u3164"])
def test_a_cohort_name_of_only_invisible_characters_is_refused(app: RunningApp, name: str) -> None:
    answer = say(app, f"cohort create blank {name}", ADMIN)
    # Invisible characters are dropped as typed, leaving no name; the rest show nothing as a name.
    assert "Use `/circles cohort create" in answer or "Give the cohort a name." in answer, answer
    assert cohort_names(app, "blank") == []


def test_an_emoji_joined_with_a_zero_width_joiner_stays_whole_in_a_cohort_name(app: RunningApp) -> None:
    say(app, "cohort create docs 👩\u200d⚕️ Doctors", ADMIN)
    assert cohort_names(app, "docs") == ["👩\u200d⚕️ Doctors"]


@pytest.mark.parametrize("typed", ["Night\nshifts  2027", "Night\tshifts\n\n2027", "Night \r\n shifts 2027"])
def test_a_cohort_name_typed_with_line_breaks_or_tabs_is_one_line(app: RunningApp, typed: str) -> None:
    answer = say(app, f"cohort create new3 {typed}", ADMIN)
    assert cohort_names(app, "new3") == ["Night shifts 2027"]
    assert "Night shifts 2027" in answer


@pytest.mark.parametrize("after", [",", ".", "?", "!", ";", ":", ")", "?!"])
def test_a_mention_followed_by_punctuation_shows_that_persons_card(app: RunningApp, after: str) -> None:
    answer = say(app, f"profile <@U0LEE>{after}", "U0FAY")
    assert "couldn't tell who" not in answer, answer
    assert "Mention someone" not in answer, answer


def test_a_mention_with_letters_run_on_is_still_not_a_mention(app: RunningApp) -> None:
    answer = say(app, "profile <@U0LEE>abc", "U0FAY")
    assert "couldn't tell who" in answer or "Mention someone" in answer, answer
