"""Slack's `user_change` gives every name of a person (real, display, first and last): a research export
made after it leaves each of them out of shared words, not only the display name, which may be a handle."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from circles.persistence.models import Profile, Workspace
from instruments.catalog import use_programme_folder
from tests import factories
from tests.e2e.conftest import RunningApp
from tests.integration.research.test_export import seed
from tests.integration.research.test_export_own_words import REFLECTION, export, reflections, wrote


@pytest.fixture
def reflection(tmp_path: Path) -> None:
    """The programme's own instrument, with a free-text item, known to the process for this test."""
    (tmp_path / "reflection.yml").write_text(REFLECTION, encoding="utf-8")
    use_programme_folder(tmp_path)


def renamed(user: str) -> dict[str, object]:
    """What Slack sends when someone's profile changes: their display name a handle, their names besides."""
    profile = {
        "display_name": "sconnor",
        "real_name": "Sarah Connor",
        "first_name": "Sarah",
        "last_name": "Connor",
    }
    person = {"id": user, "name": "sconnor", "real_name": "Sarah Connor", "tz": "UTC", "profile": profile}
    return {"type": "user_change", "user": person}


def test_a_real_name_slack_tells_of_in_a_profile_change_is_withheld_from_shared_words(
    running: RunningApp, reflection: None
) -> None:
    seed(running.db, 5)
    with running.db.unit_of_work() as uow:
        factories.profile(uow.session, uow.session.scalars(select(Workspace)).one(), "U0C000000", "UTC")
        uow.commit()
    wrote(running.db, "U0L000000", "Sarah listened to me every week")
    assert running.post(running.signer.event(renamed("U0C000000"))) == (200, b"")
    running.settled()
    with running.db.unit_of_work() as uow:
        assert uow.session.scalars(select(Profile.display_name)).one() == "sconnor"
    assert [row["reflection_words"] for row in reflections(export(running.db))] == ["withheld"]
