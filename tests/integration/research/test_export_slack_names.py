"""Every name Slack gives for a person is left out of a research export, not only the one shown: a display
name may be a handle ("sconnor") while shared words name them as their colleagues do ("Sarah Connor")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack_people import slack_person
from circles.persistence.db import Database
from circles.persistence.models import Profile, Workspace
from circles.queries.research import workspace_identities
from circles.services.people.erasure import erase_personal_data
from circles.services.people.profiles.slack import apply_slack
from instruments.catalog import use_programme_folder
from tests import factories
from tests.integration.research.test_export import NOW, seed
from tests.integration.research.test_export_own_words import REFLECTION, export, reflections, wrote


@pytest.fixture
def reflection(tmp_path: Path) -> None:
    """The programme's own instrument, with a free-text item, known to the process for this test."""
    (tmp_path / "reflection.yml").write_text(REFLECTION, encoding="utf-8")
    use_programme_folder(tmp_path)


class HandleSlack:
    """users.info as Slack answers it for someone whose display name is a handle."""

    def __init__(self, **profile: str) -> None:
        self.profile = profile

    def users_info(self, user: str) -> dict[str, Any]:
        names = {"display_name": "sconnor", "real_name": "Sarah Connor"} | self.profile
        return {
            "user": {
                "id": user,
                "name": "s.connor",
                "tz": "UTC",
                "real_name": "Sarah Connor",
                "profile": names,
            }
        }


def told_by_slack(db: Database, user_id: str, slack: HandleSlack) -> None:
    """The app asked Slack about the person (as on a join, or when their card is opened) and kept what it
    said."""
    with db.unit_of_work() as uow:
        workspace = uow.session.scalars(select(Workspace)).one()
        profile = factories.profile(uow.session, workspace, user_id)
        apply_slack(uow.session, profile, slack_person(slack, user_id), NOW)  # type: ignore[arg-type]
        uow.commit()


def test_a_real_name_in_shared_words_is_withheld_though_the_display_name_is_a_handle(
    db: Database, reflection: None
) -> None:
    seed(db, 5)
    told_by_slack(db, "U0C000000", HandleSlack())
    wrote(db, "U0L000000", "Sarah Connor listened to me every week")
    wrote(db, "U0L000001", "Connor was there for me")
    wrote(db, "U0L000002", "nights on ward 7 were long")
    made = export(db)
    assert made.withheld == 2
    assert sorted(row["reflection_words"] for row in reflections(made)) == [
        "nights on ward 7 were long",
        "withheld",
        "withheld",
    ]


def test_a_first_name_slack_gives_apart_from_the_real_name_is_withheld_too(
    db: Database, reflection: None
) -> None:
    seed(db, 5)
    told_by_slack(db, "U0C000000", HandleSlack(first_name="Sally", last_name="Connor"))
    wrote(db, "U0L000000", "sally kept me going")
    assert [row["reflection_words"] for row in reflections(export(db))] == ["withheld"]


def test_the_names_slack_gives_are_kept_once_each_and_go_with_the_erased_profile(db: Database) -> None:
    with db.unit_of_work() as uow:
        factories.workspace(uow.session)
        uow.commit()
    told_by_slack(db, "U0GONE", HandleSlack(first_name="Sarah", real_name_normalized="Sarah Connor"))
    with db.unit_of_work() as uow:
        profile = uow.session.scalars(select(Profile)).one()
        assert profile.display_name == "sconnor"  # what the app shows is as before
        assert profile.slack_names == ["Sarah Connor", "sconnor", "Sarah", "s.connor"]
        workspace_id = profile.workspace_id
    assert erase_personal_data(db.unit_of_work(), "T0001", "U0GONE", NOW)
    with db.unit_of_work() as uow:
        assert workspace_identities(uow.session, workspace_id).names == frozenset()
