"""The role welcome texts ship for every role and are checked when loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from circles.domain.vocabulary import Role
from prompts.roles import ROLES_DIR, RoleTextError, load_role_texts


def test_every_role_has_a_welcome_that_covers_expectations_check_ins_support_and_endings() -> None:
    texts = load_role_texts()
    assert set(texts) == set(Role)
    for text in texts.values():
        assert text.responsibilities
        assert text.good_partnership
        assert "facilitators" in text.checkins
        assert "/circles support" in text.support
        assert "not who asked or why" in text.ending or "blame" in text.ending


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROLES_DIR, tmp_path / "roles")
    return tmp_path / "roles"


def test_a_missing_role_file_is_named(copy: Path) -> None:
    (copy / "mentor.yml").unlink()
    with pytest.raises(RoleTextError, match=r"mentor\.yml: missing"):
        load_role_texts(copy)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("role: coach\n", r"coach\.yml: title: must be non-empty text"),
        ("role: learner\n", r"coach\.yml: role: must be 'coach'"),
        ("role: [unclosed\n", r"coach\.yml: not valid YAML"),
        ("role: coach\ncolour: blue\n", r"coach\.yml: unknown field\(s\): colour"),
    ],
)
def test_a_broken_file_is_named_with_the_field(copy: Path, content: str, problem: str) -> None:
    (copy / "coach.yml").write_text(content)
    with pytest.raises(RoleTextError, match=problem):
        load_role_texts(copy)


def test_a_section_too_long_for_slack_is_refused(copy: Path) -> None:
    text = (copy / "peer.yml").read_text().replace("intro: >-", "intro: " + "x" * 3000 + "\nold_intro: >-")
    (copy / "peer.yml").write_text(text)
    with pytest.raises(RoleTextError, match=r"peer\.yml"):
        load_role_texts(copy)
