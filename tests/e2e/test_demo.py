"""`circles demo`: a whole programme with no settings, whose story and report agree.

A simulated programme takes seconds, so the tests that read a story share one run of it in this module
(`story`): sixteen members over five weeks with seed 7, which has everything they look at (circles,
pairs, alerts, a pair ended by a facilitator, nights, a rotation, surveys). Each still asserts only what
it is about.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.demo.behaviour import NOTES_SHARED
from bot.demo.population import people
from bot.demo.run import START, DemoOptions, DemoResult, _privacy_check, run_demo
from bot.demo.world import build_world
from tests.e2e.harness import ROOT, run_circles
from tests.e2e.test_rotations_refusals import LIMITED_CIRCLES


@dataclass(frozen=True)
class Story:
    """One demo run: what it returned, what it printed, and the folder its report went to."""

    result: DemoResult
    text: str
    out: Path

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


MEMBERS, WEEKS, SEED = 16, 5, 7


def tell(out: Path) -> Story:
    """The story of MEMBERS over WEEKS with SEED, its report written to `out`."""
    printed = io.StringIO()
    result = run_demo(DemoOptions(members=MEMBERS, weeks=WEEKS, seed=SEED, out=out), printed)
    return Story(result, printed.getvalue(), out)


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """The demo's story, run once in this module."""
    return tell(tmp_path_factory.mktemp("demo") / "report")


RESEARCH_FILES = {
    "people.csv",
    "partnerships.csv",
    "checkins.csv",
    "survey_answers.csv",
    "health_transitions.csv",
    "escalation_outcomes.csv",
    "summary.csv",
    "codebook.csv",
    "datapackage.json",
    "README.txt",
}


def test_a_small_demo_lives_its_weeks_and_keeps_private_messages_to_facilitators(story: Story) -> None:
    tally = story.result.tally
    text = story.text
    assert "circle:" in text
    assert "pair:" in text
    circles = text.count("  circle: ")
    assert circles >= 2
    # A prompt for every circle each Monday from the start through the end date (the sixth Monday).
    assert tally.sent["circle_prompt"] == circles * (WEEKS + 1)
    assert tally.sent["checkin"] == tally.checkins_due
    assert 0 < tally.checkins_answered <= tally.checkins_due
    assert tally.escalations_claimed <= tally.escalations_opened
    assert tally.private_astray == 0
    assert f"check-ins answered: {tally.checkins_answered} of {tally.checkins_due}" in text


def test_the_demo_asks_surveys_and_writes_a_research_export_of_the_consenting_members_only(
    story: Story,
) -> None:
    lines = story.lines
    rates = [line for line in lines if line.startswith("  survey at the ")]
    assert [line.split(",")[0] for line in rates] == [
        "  survey at the baseline",
        "  survey at the midpoint",
        "  survey at the end",
    ]
    for line in rates:
        answered, sent = (int(n) for n in line.split(": ")[1].split(" answered")[0].split(" of "))
        assert 0 < answered < sent == MEMBERS  # most members answer, not all
    assert any("withdrew their research consent" in line for line in lines)
    [consented] = [line for line in lines if "members consented" in line]
    included, members = consented.split("research export: ")[1].split(" members")[0].split(" of ")
    assert int(members) == MEMBERS
    assert 0 < int(included) < MEMBERS
    [written] = [line for line in lines if line.startswith("  research export: /")]
    zip_path = Path(written.split("research export: ")[1].split(" (")[0])
    assert zip_path.parent == story.out
    assert zip_path.exists()

    with zipfile.ZipFile(zip_path) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert set(files) == RESEARCH_FILES
    people_rows = list(csv.DictReader(io.StringIO(files["people.csv"])))
    assert len(people_rows) == int(included)
    assert len(list(csv.DictReader(io.StringIO(files["survey_answers.csv"])))) > 0
    everything = "\n".join(files.values()).lower()
    for person in people(MEMBERS, SEED):
        assert person.user_id.lower() not in everything
        assert person.name.lower() not in everything
        assert person.email.lower() not in everything


def test_the_demo_report_agrees_with_the_events_the_demo_generated(story: Story) -> None:
    result = story.result
    tally, files = result.tally, result.report
    assert files is not None
    report = files.report
    assert report.checkins_due == tally.checkins_due
    assert report.checkins_answered == tally.checkins_answered
    assert report.escalations.opened == tally.escalations_opened
    assert report.escalations.claimed == tally.escalations_claimed
    assert report.escalations.resolved == tally.escalations_resolved
    assert report.endings.no_fault == tally.ended_by_partner
    assert report.endings.facilitator == tally.ended_by_facilitator
    assert report.endings.completed == tally.completed
    assert report.members_joined == MEMBERS
    sent_prompts = sum(row.prompts_sent for row in report.circles)
    assert sent_prompts == tally.sent["circle_prompt"]
    for written in (files.index, *files.csv_files.values(), *files.charts.values()):
        assert written.exists()
        assert written.stat().st_size > 0
    assert "individual" not in files.csv_files  # aggregates only, unless a facilitator asks


def test_the_demo_labels_each_week_once_and_counts_ending_notices_as_harmless(story: Story) -> None:
    # This story has a pair ended by a facilitator: both partners get an ordinary notice that it ended.
    result = story.result
    headings = [line for line in story.lines if " · " in line and ":" not in line]
    labels = [heading.split(" · ")[0] for heading in headings]
    assert labels[0] == "Before the start"
    assert labels[-1] == "After the end"
    assert len(labels) == len(set(labels))
    assert result.tally.ended_by_facilitator > 0
    assert result.tally.sent["partnership_changed"] > 0
    assert result.tally.private_astray == 0


def test_the_same_seed_tells_the_same_story(story: Story, tmp_path: Path) -> None:
    again = tell(tmp_path / "report")
    assert story.text.replace(str(story.out), "OUT") == again.text.replace(str(again.out), "OUT")


def test_the_demo_has_residents_on_nights_and_one_away_on_rotation_without_an_alert_from_it(
    story: Story,
) -> None:
    lines = story.lines
    [nights] = [line for line in lines if "work nights" in line]
    assert nights.endswith("work nights (Sun-Thu 19:00-07:00): what is personal waits for their evening")
    [rota] = [line for line in lines if "imported the rota" in line]
    away = rota.split("imported the rota: ")[1].split(" on rotation ")[0]
    assert rota.endswith(f"{away} on rotation Mon 11 Jan to Sun 24 Jan")
    said = [line.split(maxsplit=2)[2] for line in lines if line.startswith("  Mon 00:00")]
    assert said[0].startswith(f"{away} is away on rotation until Mon 25 Jan: no check-ins or nudges for them")
    assert said[1] == f"{away} is back from rotation"
    [summary] = [line for line in lines if line.startswith(f"  away ({away}, 14 days on rotation)")]
    assert summary.endswith(
        ": 0 check-ins reached them while away; 0 alerts about their partnership were opened while away"
    )
    [night] = [line for line in lines if line.startswith("  night shift (")]
    arrived, asked = night.split("): ")[1].split(" check-ins")[0].split(" of ")
    assert int(asked) > 0
    assert arrived == asked  # every one of their check-ins came in their working hours
    [held] = [line for line in lines if line.startswith("  held for a window: ")]
    assert int(held.split(": ")[1].split()[0]) > 0


# Settings `circles run` would refuse, each stopping it with a line: the demo takes none of them.
REFUSED_SETTINGS = {
    "PORT": "abc",
    "CIRCLES_TICK_SECONDS": "-5",
    "SLACK_TIMEOUT_SECONDS": "99",
    "CIRCLES_INSTRUMENTS_DIR": "/nonexistent",
    "DATABASE_URL": "not a url",
    "SLACK_API_URL": "ftp://slack.example",
}


@pytest.mark.early
def test_the_demo_command_needs_no_settings_ignores_any_and_refuses_bad_options(tmp_path: Path) -> None:
    def demo(*args: str, **settings: str) -> subprocess.CompletedProcess[str]:
        return run_circles("demo", *args, cwd=tmp_path, timeout=300, **settings)

    ran = demo("--members", "4", "--weeks", "2", "--quiet", "--out", "report", **REFUSED_SETTINGS)
    assert ran.returncode == 0, ran.stderr
    assert "In all" in ran.stdout
    assert " · " not in ran.stdout  # quiet: no week by week story, only its summary
    assert "Traceback" not in ran.stderr
    refused = demo("--members", "2")
    assert refused.returncode == 2
    assert "choose 4 to 300" in refused.stderr
    missing = demo("--cohort", "nowhere.yml")
    assert missing.returncode == 2
    assert "nowhere.yml" in missing.stdout + missing.stderr


def test_a_cohort_file_it_cannot_read_is_refused_in_one_line_as_the_import_refuses_it(tmp_path: Path) -> None:
    (tmp_path / "latin1.yml").write_bytes("cohort:\n  name: Caf\u00e9 residents\n".encode("latin-1"))
    (tmp_path / "utf16.yml").write_bytes("cohort:\n  name: residents\n".encode("utf-16"))
    (tmp_path / "binary.yml").write_bytes(bytes(range(256)))
    for name in ("latin1.yml", "utf16.yml", "binary.yml"):
        refused = run_circles("demo", "--cohort", name, "--quiet", cwd=tmp_path)
        assert (refused.returncode, refused.stdout) == (2, ""), refused.stderr
        [line] = refused.stderr.splitlines()  # no traceback
        assert line.startswith(f"circles: {name}: cannot read it: 'utf-8' codec can't decode byte "), line
    # Read no further than a cohort file may be, in a process that cannot hold much more.
    endless = run_circles("demo", "--cohort", "/dev/zero", "--quiet", cwd=tmp_path, cli=LIMITED_CIRCLES)
    assert (endless.returncode, endless.stdout) == (2, ""), endless.stderr
    [line] = endless.stderr.splitlines()
    assert line.startswith("circles: /dev/zero: larger than 5 MB: "), line
    assert not (tmp_path / "circles-demo-report").exists()


def test_the_example_cohort_file_runs_as_a_demo(tmp_path: Path) -> None:
    out = io.StringIO()
    result = run_demo(DemoOptions(weeks=2, cohort=ROOT / "examples" / "cohort.yml", out=tmp_path / "r"), out)
    assert "pair:" in out.getvalue()
    assert result.tally.private_astray == 0


def test_the_privacy_check_counts_a_note_that_reached_a_partner(tmp_path: Path) -> None:
    crowd = people(8, 1)
    facilitator = crowd[0].user_id
    with build_world(crowd, START, "UTC") as world:
        world.client.chat_postMessage(channel=facilitator, text=f"> {NOTES_SHARED[0]}")
        assert _privacy_check(world, {facilitator}) == (0, 0)
        world.client.chat_postMessage(channel=crowd[1].user_id, text="Your partnership has ended.")
        assert _privacy_check(world, {facilitator}) == (0, 0)
        world.client.chat_postMessage(channel=crowd[1].user_id, text=f"They wrote: {NOTES_SHARED[0]}")
        assert _privacy_check(world, {facilitator}) == (0, 1)
