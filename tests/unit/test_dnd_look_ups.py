"""Who dnd.teamInfo is asked about, and with which workspace: a workspace install asks with its own token
alone; an org-wide install names each person's own workspace, and skips those whose workspace is unknown."""

from __future__ import annotations

from bot.gateway.dnd import LookUp, look_ups
from circles.queries.signals import Recipient

ORG = "E0HEALTH"


def in_org(user: str, team: str | None) -> Recipient:
    return Recipient(7, ORG, ORG, user, organisation=True, person_team_id=team)


def test_a_workspace_install_asks_about_its_people_together_naming_no_workspace() -> None:
    people = [Recipient(3, "T0ONE", None, "U0A"), Recipient(3, "T0ONE", None, "U0B", person_team_id="T0ONE")]
    groups, unknown = look_ups(people)
    assert groups == {LookUp(3, "T0ONE", None, None): ["U0A", "U0B"]}
    assert unknown == []


def test_a_workspace_of_an_organisation_installed_alone_still_names_no_workspace() -> None:
    groups, _ = look_ups([Recipient(4, "T0NORTH", ORG, "U0A", person_team_id="T0NORTH")])
    assert groups == {LookUp(4, "T0NORTH", ORG, None): ["U0A"]}


def test_an_org_wide_install_asks_per_workspace_of_its_people() -> None:
    people = [in_org("U0N1", "T0NORTH"), in_org("U0S1", "T0SOUTH"), in_org("U0N2", "T0NORTH")]
    groups, unknown = look_ups(people)
    assert groups == {
        LookUp(7, ORG, ORG, "T0NORTH"): ["U0N1", "U0N2"],
        LookUp(7, ORG, ORG, "T0SOUTH"): ["U0S1"],
    }
    assert unknown == []


def test_people_of_an_org_wide_install_whose_workspace_is_unknown_are_not_asked_about() -> None:
    lost = in_org("U0LOST", None)
    groups, unknown = look_ups([in_org("U0N1", "T0NORTH"), lost, Recipient(3, "T0ONE", None, "U0A")])
    assert groups == {LookUp(7, ORG, ORG, "T0NORTH"): ["U0N1"], LookUp(3, "T0ONE", None, None): ["U0A"]}
    assert unknown == [lost]
