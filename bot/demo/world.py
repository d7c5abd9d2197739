"""Set up the demo's world: a Slack stand-in, a temporary database, the cohort imported and matched."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from slack_sdk import WebClient

from bot.cli_import import find_people
from bot.demo.population import Person
from bot.deps import Deps, build_deps
from bot.dispatch import DispatchOptions, dispatch
from bot.pacing import Pacer, SlackLimits
from bot.slack_client import web_client
from circles.domain.cohort_file import CohortFile
from circles.persistence import migrate
from circles.persistence.db import Database
from circles.services.cohorts.file_import import import_cohort
from circles.services.matching.rounds import RoundPlan, confirm_round, preview_round
from circles.settings import Settings
from prompts.tracks import track_names
from standin import SlackStandIn

BOT_TOKEN = "xoxb-circles-demo"  # noqa: S105 - accepted by the stand-in only; no real Slack is ever called


class DemoSettings(Settings):
    """The demo's settings: the values it gives and the defaults, never the environment, `.env` or a secrets
    folder. The demo is the same whatever they hold (`PORT=abc`, say), and never reaches a real workspace."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


class VirtualClock:
    """The programme's time: it moves only when the demo moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, step: timedelta) -> datetime:
        self.current += step
        return self.current


@dataclass
class World:
    standin: SlackStandIn
    deps: Deps
    client: WebClient
    clock: VirtualClock
    folder: tempfile.TemporaryDirectory[str]
    team_id: str = ""

    def __enter__(self) -> World:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.deps.db.dispose()
        self.standin.stop()
        self.folder.cleanup()


def build_world(crowd: list[Person], starts_on: date, zone: str) -> World:
    """Start the stand-in with everyone in its directory, and a fresh SQLite database beside it."""
    standin = SlackStandIn().start()
    for person in crowd:
        first = person.name.split()[0].lower()
        standin.add_user(
            person.user_id, name=first, real_name=person.name, email=person.email, tz=person.timezone
        )
    folder = tempfile.TemporaryDirectory(prefix="circles-demo-")
    settings = DemoSettings(
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_signing_secret=SecretStr("circles-demo-signing-secret"),
        slack_api_url=standin.api_url,
        database_url=f"sqlite:///{Path(folder.name) / 'circles.db'}",
        circles_notes_key=SecretStr(Fernet.generate_key().decode()),
    )
    db = Database(settings.database_url)
    migrate.upgrade(db.engine)
    # Ticks every six hours from 03:05: one falls just after the cohort's usual 09:00 prompt time.
    start = datetime.combine(starts_on, time(3, 5), tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))
    clock = VirtualClock(start)
    deps = replace(build_deps(settings, db), clock=clock.now, pacer=Pacer.unpaced())
    return World(standin, deps, web_client(settings, BOT_TOKEN), clock, folder)


def import_and_match(world: World, cohort_file: CohortFile, facilitator: str) -> RoundPlan:
    """Import the cohort as `circles cohort import` does, then match and create round 1 in Slack."""
    settings, now = world.deps.settings, world.clock.now()
    team_id, people, _ = find_people(settings, cohort_file, None)
    world.team_id = team_id
    import_cohort(world.deps.db.unit_of_work(), team_id, cohort_file, people, now=now)
    preview = preview_round(
        world.deps.db.unit_of_work(), team_id, cohort_file.slug, user_id=facilitator, is_admin=False, now=now
    )
    confirm_round(
        world.deps.db.unit_of_work(), team_id, preview.run_id, user_id=facilitator, is_admin=False, now=now
    )
    # The round is created in Slack as any worker would: by sending what confirming queued.
    dispatch(world.deps, now, options=DispatchOptions(limits=SlackLimits.none()))
    return preview


def known_tracks() -> frozenset[str]:
    return frozenset(track_names())
