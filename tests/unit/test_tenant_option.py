"""The tenant a command line's `--team` names: a workspace's T… or an organisation's E…, nothing else."""

from __future__ import annotations

import pytest

from bot.cli_common import Refused, tenant_name, tenant_option
from circles.domain.tenants import TenantKind, is_tenant_key, resolve_tenant


@pytest.mark.parametrize("key", ["T0HOSP", "T012AB3CD", "E0ORG", "E012AB3CD", "T" + "A" * 31])
def test_a_workspace_or_an_organisation_id_names_a_tenant(key: str) -> None:
    assert is_tenant_key(key)
    assert tenant_option(key) == key


@pytest.mark.parametrize(
    "key",
    ["", "T", "E", "t0hosp", "e0org", "U0ANN", "W0ANN", "T0 HOSP", " T0HOSP", "T0HOSP\n", "T" + "A" * 32],
)
def test_anything_else_is_refused_in_one_line_naming_the_option(key: str) -> None:
    assert not is_tenant_key(key)
    with pytest.raises(Refused) as refused:
        tenant_option(key, "--workspace")
    assert str(refused.value) == (
        f"--workspace {key}: a workspace ID looks like T012AB3CD, an organisation's like E012AB3CD"
    )


def test_no_option_names_no_tenant() -> None:
    assert tenant_option(None) is None


@pytest.mark.parametrize("key", ["T0HOSP", "E0ORG", "X0", "T0 HOSP", "e0org", "E0ORG "])
def test_the_rule_agrees_with_the_apps_tenant_resolution(key: str) -> None:
    # The app recognises a team ID, or an organisation's for an org-wide install, by the same shapes.
    recognised_team = resolve_tenant(key, None, False).team_id == key
    recognised_org = resolve_tenant(None, key, True).kind is TenantKind.ORGANISATION
    assert is_tenant_key(key) is (recognised_team or recognised_org)


def test_lines_name_a_tenant_by_its_kind() -> None:
    assert tenant_name("T0HOSP") == "workspace T0HOSP"
    assert tenant_name("E0ORG") == "organisation E0ORG"
