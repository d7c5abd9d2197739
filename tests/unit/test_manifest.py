"""manifest.yml is a Slack app manifest (schema v1) that Slack will accept and that fits the product.

The allowed keys, required keys and length limits below are transcribed from Slack's app
manifest reference (https://docs.slack.dev/reference/app-manifest) and Slack's published JSON
schema for v1 manifests (github.com/slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json).
If Slack adds a manifest field that we start to use, add it to ``ALLOWED_KEYS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias
from urllib.parse import urlsplit

import pytest
import yaml

MANIFEST_PATH: Final = Path(__file__).parents[2] / "manifest.yml"

# --- what Slack allows -----------------------------------------------------------------------
#
# A key tree: a dict is a JSON object (only the listed keys are allowed), a one-element list is
# an array of such objects, and a string names a leaf: "str", "bool", "int", "str[]" (array of
# strings) or "any" (a structure we do not use and do not check further).
KeyTree: TypeAlias = "dict[str, KeyTree | list[KeyTree] | str]"

ALLOWED_KEYS: Final[KeyTree] = {
    "$schema": "str",
    "_metadata": {
        "major_version": "int",
        "minor_version": "int",
        "schema_version": "int",
        "min_version": "int",
    },
    "display_information": {
        "name": "str",
        "description": "str",
        "long_description": "str",
        "background_color": "str",
    },
    "app_directory": {
        "app_directory_categories": "str[]",
        "use_direct_install": "bool",
        "direct_install_url": "str",
        "installation_landing_page": "str",
        "privacy_policy_url": "str",
        "support_url": "str",
        "support_email": "str",
        "supported_languages": "str[]",
        "pricing": "str",
    },
    "features": {
        "app_home": {
            "home_tab_enabled": "bool",
            "messages_tab_enabled": "bool",
            "messages_tab_read_only_enabled": "bool",
        },
        "bot_user": {"display_name": "str", "always_online": "bool"},
        "functions": "any",
        "shortcuts": [{"name": "str", "type": "str", "callback_id": "str", "description": "str"}],
        "slash_commands": [
            {
                "command": "str",
                "url": "str",
                "description": "str",
                "usage_hint": "str",
                "should_escape": "bool",
            }
        ],
        "workflow_steps": [{"name": "str", "callback_id": "str"}],
        "unfurl_domains": "str[]",
    },
    "oauth_config": {
        "redirect_urls": "str[]",
        "scopes": {"user": "str[]", "bot": "str[]"},
        "token_management_enabled": "bool",
    },
    "settings": {
        "allowed_ip_address_ranges": "str[]",
        "event_subscriptions": {
            "request_url": "str",
            "bot_events": "str[]",
            "user_events": "str[]",
            "metadata_subscriptions": [{"app_id": "str", "event_type": "str"}],
        },
        "incoming_webhooks": {"incoming_webhooks_enabled": "bool"},
        "interactivity": {
            "is_enabled": "bool",
            "request_url": "str",
            "message_menu_options_url": "str",
        },
        "org_deploy_enabled": "bool",
        "socket_mode_enabled": "bool",
        "is_hosted": "bool",
        "token_rotation_enabled": "bool",
        "siws_links": {"initiate_uri": "str"},
        "hermes_app_type": "str",
        "function_runtime": "str",
    },
    # Deno (next-generation platform) sections, never used by a Bolt for Python app.
    "functions": "any",
    "workflows": "any",
    "datastores": "any",
    "outgoing_domains": "any",
    "types": "any",
    "external_auth_providers": "any",
}

# Keys Slack requires inside an object when that object is present ("[]" = each array item).
REQUIRED_KEYS: Final[Mapping[str, frozenset[str]]] = {
    "": frozenset({"display_information"}),
    "display_information": frozenset({"name"}),
    "features.bot_user": frozenset({"display_name"}),
    "features.slash_commands[]": frozenset({"command", "description"}),
    "settings.interactivity": frozenset({"is_enabled"}),
}

# Length limits (minimum, maximum) in characters.
NAME_LIMITS: Final = (1, 35)
DESCRIPTION_LIMITS: Final = (1, 140)
LONG_DESCRIPTION_LIMITS: Final = (175, 4000)
BOT_DISPLAY_NAME_LIMITS: Final = (1, 80)
COMMAND_LIMITS: Final = (2, 32)
COMMAND_DESCRIPTION_LIMITS: Final = (1, 2000)
USAGE_HINT_LIMITS: Final = (1, 1000)
COMMAND_URL_MAX: Final = 3000
REQUEST_URL_MAX: Final = 3500
REDIRECT_URL_MAX: Final = 2500
SCOPE_NAME_MAX: Final = 50
SCOPES_MAX: Final = 255
EVENT_NAME_MAX: Final = 50
EVENTS_MAX: Final = 100
HEX_COLOUR: Final = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?")

# --- what the product needs ------------------------------------------------------------------

MEMBER_SUBCOMMANDS: Final = (
    "help",
    "join",
    "leave",
    "pause",
    "resume",
    "profile",
    "coaches",
    "status",
    "checkin",
    "support",
)
FACILITATOR_SUBCOMMANDS: Final = ("cohort create", "cohort config", "match", "health", "report")

NEEDED_BOT_SCOPES: Final = frozenset(
    {
        "commands",  # /circles
        "chat:write",  # messages in DMs, group DMs and circle channels
        "im:write",  # open DMs for check-ins, nudges, alerts
        "im:history",  # the message.im event: whoever types in the app's DM gets an answer
        "app_mentions:read",  # the app_mention event: whoever names the app in a channel gets an answer
        "mpim:write",  # open group DMs for partnerships and facilitators
        "groups:write",  # create private circle channels and invite members
        "users:read",  # time zones, admin flags; user_change
        "users:read.email",  # match imported members by email
        "files:write",  # report charts
        "dnd:read",  # Do Not Disturb and snooze: personal messages wait until they end
    }
)
# Anything beyond the needed set must be on this list (and justified in manifest.yml).
ALLOWED_BOT_SCOPES: Final = NEEDED_BOT_SCOPES | frozenset({"groups:read"})

# Events we may subscribe to, with the scopes Slack requires for each.
ALLOWED_BOT_EVENTS: Final[Mapping[str, frozenset[str]]] = {
    "app_home_opened": frozenset(),
    "app_uninstalled": frozenset(),
    "tokens_revoked": frozenset(),
    "team_access_revoked": frozenset(),  # an org-wide install lost one of the organisation's workspaces
    "team_access_granted": frozenset(),
    "user_change": frozenset({"users:read"}),
    "message.im": frozenset({"im:history"}),
    "app_mention": frozenset({"app_mentions:read"}),  # the app named in a channel: answered in the DM
    "function_executed": frozenset(),  # a workflow ran one of the app's steps
}

EVENTS_PATH: Final = "/slack/events"
OAUTH_REDIRECT_PATH: Final = "/slack/oauth_redirect"


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "manifest.yml must be a YAML mapping"
    return loaded


def lookup(manifest: Mapping[str, Any], dotted: str) -> Any:
    node: Any = manifest
    for part in dotted.split("."):
        assert isinstance(node, Mapping), f"{dotted!r}: {part!r} is not inside a mapping"
        assert part in node, f"manifest has no {dotted!r}"
        node = node[part]
    return node


def the_command(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    commands = lookup(manifest, "features.slash_commands")
    assert isinstance(commands, list)
    assert len(commands) == 1, "the app has exactly one slash command"
    command = commands[0]
    assert isinstance(command, Mapping)
    return command


def bot_scopes(manifest: Mapping[str, Any]) -> list[str]:
    scopes = lookup(manifest, "oauth_config.scopes.bot")
    assert isinstance(scopes, list)
    assert all(isinstance(s, str) for s in scopes)
    return scopes


def bot_events(manifest: Mapping[str, Any]) -> list[str]:
    events = lookup(manifest, "settings.event_subscriptions.bot_events")
    assert isinstance(events, list)
    assert all(isinstance(e, str) for e in events)
    return events


def leaf_problem(value: object, kind: str) -> str | None:
    if kind == "any":
        return None
    if kind == "str[]":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "bool":
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    return None if ok else f"should be {kind}, got {type(value).__name__}"


def structure_problems(value: object, allowed: KeyTree | list[KeyTree] | str, path: str) -> Iterator[str]:
    """Yield a readable line for every key, type or required-key mismatch under ``path``."""
    where = path or "<top level>"
    if isinstance(allowed, str):
        problem = leaf_problem(value, allowed)
        if problem is not None:
            yield f"{where}: {problem}"
        return
    if isinstance(allowed, list):
        if not isinstance(value, list) or not value:
            yield f"{where}: should be a non-empty list"
            return
        for index, item in enumerate(value):
            yield from structure_problems(item, allowed[0], f"{path}[{index}]")
        return
    if not isinstance(value, Mapping):
        yield f"{where}: should be a mapping, got {type(value).__name__}"
        return
    required = REQUIRED_KEYS.get(re.sub(r"\[\d+\]", "[]", path), frozenset())
    for key in sorted(required - value.keys()):
        yield f"{where}: missing required key {key!r}"
    for key, child in value.items():
        child_path = f"{path}.{key}" if path else str(key)
        if key not in allowed:
            yield f"{child_path}: not a key Slack's manifest reference allows here"
        else:
            yield from structure_problems(child, allowed[key], child_path)


def assert_length(text: object, limits: tuple[int, int], what: str) -> None:
    assert isinstance(text, str), f"{what} must be a string"
    low, high = limits
    assert low <= len(text) <= high, f"{what} is {len(text)} characters; Slack allows {low}-{high}"


def as_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


# --- shape -----------------------------------------------------------------------------------


def test_manifest_uses_only_top_level_sections_slack_allows(manifest: dict[str, Any]) -> None:
    assert set(manifest) <= set(ALLOWED_KEYS)
    assert set(manifest) == {
        "_metadata",
        "display_information",
        "features",
        "oauth_config",
        "settings",
        "functions",  # Workflow Builder steps
    }


def test_manifest_targets_schema_version_1_1(manifest: dict[str, Any]) -> None:
    assert manifest["_metadata"] == {"major_version": 1, "minor_version": 1}


def test_every_nested_key_is_allowed_by_the_reference_with_the_right_type(
    manifest: dict[str, Any],
) -> None:
    assert list(structure_problems(manifest, ALLOWED_KEYS, "")) == []


def test_structure_check_reports_unknown_misplaced_and_missing_keys() -> None:
    broken = {
        "display_information": {"name": "Circles", "colour": "#fff"},
        "features": {"slash_commands": [{"command": "/circles", "hint": "x"}]},
        "settings": {"interactivity": {"request_url": "https://a.example/x"}, "socket_mode": True},
    }
    problems = list(structure_problems(broken, ALLOWED_KEYS, ""))
    assert problems == [
        "display_information.colour: not a key Slack's manifest reference allows here",
        "features.slash_commands[0]: missing required key 'description'",
        "features.slash_commands[0].hint: not a key Slack's manifest reference allows here",
        "settings.interactivity: missing required key 'is_enabled'",
        "settings.socket_mode: not a key Slack's manifest reference allows here",
    ]


# --- display information ---------------------------------------------------------------------


def test_display_texts_fit_slacks_length_limits(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    assert info["name"] == "Circles"
    assert_length(info["name"], NAME_LIMITS, "display_information.name")
    assert_length(info["description"], DESCRIPTION_LIMITS, "display_information.description")
    assert_length(info["long_description"], LONG_DESCRIPTION_LIMITS, "display_information.long_description")


def test_background_color_is_a_hex_colour(manifest: dict[str, Any]) -> None:
    assert HEX_COLOUR.fullmatch(lookup(manifest, "display_information.background_color"))


def test_long_description_explains_circles_partnerships_and_private_escalation(
    manifest: dict[str, Any],
) -> None:
    text = lookup(manifest, "display_information.long_description").lower()
    for idea in ("health system", "medical school", "circles", "reflection prompts", "coach", "mentor"):
        assert idea in text, idea
    for idea in ("check-in", "private", "facilitator", "early"):
        assert idea in text, idea


# --- features --------------------------------------------------------------------------------


def test_home_tab_is_enabled_and_people_can_use_the_apps_dm(manifest: dict[str, Any]) -> None:
    assert lookup(manifest, "features.app_home") == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }


def test_bot_user_is_circles_and_always_online(manifest: dict[str, Any]) -> None:
    bot_user = lookup(manifest, "features.bot_user")
    assert bot_user == {"display_name": "Circles", "always_online": True}
    assert_length(bot_user["display_name"], BOT_DISPLAY_NAME_LIMITS, "features.bot_user.display_name")


def test_the_only_slash_command_is_circles_and_fits_slacks_limits(manifest: dict[str, Any]) -> None:
    command = the_command(manifest)
    assert command["command"] == "/circles"
    assert_length(command["command"], COMMAND_LIMITS, "command")
    assert_length(command["description"], COMMAND_DESCRIPTION_LIMITS, "command description")
    assert_length(command["usage_hint"], USAGE_HINT_LIMITS, "command usage_hint")
    # Mentions must arrive escaped (<@U123|name>) so that `profile @someone` carries a user ID.
    assert command["should_escape"] is True


@pytest.mark.parametrize("subcommand", MEMBER_SUBCOMMANDS)
def test_usage_hint_names_every_member_subcommand(manifest: dict[str, Any], subcommand: str) -> None:
    assert as_word(subcommand).search(the_command(manifest)["usage_hint"])


@pytest.mark.parametrize("subcommand", FACILITATOR_SUBCOMMANDS)
def test_command_description_names_every_facilitator_subcommand(
    manifest: dict[str, Any], subcommand: str
) -> None:
    assert as_word(subcommand).search(the_command(manifest)["description"])


def test_usage_hint_names_every_subcommand_a_member_can_type(manifest: dict[str, Any]) -> None:
    from bot.listeners.commands import SUBCOMMANDS
    from bot.subcommands import Audience

    hint = the_command(manifest)["usage_hint"]
    typed = {sub.key.split()[0] for sub in SUBCOMMANDS if sub.audience is Audience.EVERYONE}
    assert {word for word in typed if not as_word(word).search(hint)} == set()


# --- scopes and events -----------------------------------------------------------------------


def test_bot_scopes_cover_what_the_product_needs(manifest: dict[str, Any]) -> None:
    assert NEEDED_BOT_SCOPES - set(bot_scopes(manifest)) == set()


def test_bot_scopes_stay_within_the_least_privilege_list(manifest: dict[str, Any]) -> None:
    assert set(bot_scopes(manifest)) - ALLOWED_BOT_SCOPES == set()


def test_bot_scopes_are_unique_and_within_slacks_limits(manifest: dict[str, Any]) -> None:
    scopes = bot_scopes(manifest)
    assert len(scopes) == len(set(scopes))
    assert len(scopes) <= SCOPES_MAX
    assert all(len(scope) <= SCOPE_NAME_MAX for scope in scopes)


def test_app_asks_for_no_user_token_and_no_history_but_its_own_dms(manifest: dict[str, Any]) -> None:
    assert set(lookup(manifest, "oauth_config.scopes")) == {"bot"}
    assert [scope for scope in bot_scopes(manifest) if scope.endswith(":history")] == ["im:history"]
    assert "chat:write.public" not in bot_scopes(manifest)


def test_typed_dms_are_subscribed_so_that_nobody_who_writes_goes_unanswered(manifest: dict[str, Any]) -> None:
    events = bot_events(manifest)
    assert "message.im" in events
    assert not [event for event in events if event.startswith("message.") and event != "message.im"]


def test_mentions_are_subscribed_so_that_nobody_who_names_the_app_goes_unanswered(
    manifest: dict[str, Any],
) -> None:
    assert "app_mention" in bot_events(manifest)
    assert "app_mentions:read" in bot_scopes(manifest)
    [event_line] = [
        line for line in MANIFEST_PATH.read_text(encoding="utf-8").splitlines() if "- app_mention " in line
    ]
    assert "never in the channel" in event_line
    assert "never kept" in event_line


def test_im_history_is_explained_where_it_is_asked_for() -> None:
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    scopes = text.split("    bot:\n", 1)[1].split("\nsettings:", 1)[0]
    before, _, _ = scopes.partition("      - im:history")
    explanation = " ".join(line.strip(" #") for line in before.splitlines()[-5:])
    for promise in ("message.im", "only to answer them", "never stores, logs"):
        assert promise in explanation, promise
    [event_line] = [line for line in text.splitlines() if line.strip().startswith("- message.im")]
    assert "never kept" in event_line


def test_users_read_email_is_requested_together_with_users_read(manifest: dict[str, Any]) -> None:
    scopes = set(bot_scopes(manifest))
    assert "users:read.email" not in scopes or "users:read" in scopes


def test_home_tab_gets_the_app_home_opened_event(manifest: dict[str, Any]) -> None:
    assert lookup(manifest, "features.app_home.home_tab_enabled") is True
    assert "app_home_opened" in bot_events(manifest)


def test_every_subscribed_event_is_justified_and_has_its_scopes(manifest: dict[str, Any]) -> None:
    events = bot_events(manifest)
    assert len(events) == len(set(events)) <= EVENTS_MAX
    assert all(len(event) <= EVENT_NAME_MAX for event in events)
    assert set(events) - ALLOWED_BOT_EVENTS.keys() == set()
    granted = set(bot_scopes(manifest))
    missing = {event: ALLOWED_BOT_EVENTS[event] - granted for event in events}
    assert {event: scopes for event, scopes in missing.items() if scopes} == {}


def test_installation_lifecycle_events_are_subscribed(manifest: dict[str, Any]) -> None:
    assert {"app_uninstalled", "tokens_revoked"} <= set(bot_events(manifest))


# --- settings and URLs -----------------------------------------------------------------------


def test_interactivity_is_enabled(manifest: dict[str, Any]) -> None:
    assert lookup(manifest, "settings.interactivity.is_enabled") is True


def test_transport_defaults_are_http_org_ready_without_token_rotation(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    # Enterprise Grid organisations can install once for all their workspaces.
    assert settings["org_deploy_enabled"] is True
    # A rotating token would expire under a SLACK_BOT_TOKEN install; OAuth installs may turn it on.
    assert settings["token_rotation_enabled"] is False


def request_urls(manifest: Mapping[str, Any]) -> dict[str, tuple[str, int]]:
    """Every URL Slack posts requests to, with Slack's maximum length for it."""
    return {
        "slash command url": (the_command(manifest)["url"], COMMAND_URL_MAX),
        "event request_url": (lookup(manifest, "settings.event_subscriptions.request_url"), REQUEST_URL_MAX),
        "interactivity request_url": (
            lookup(manifest, "settings.interactivity.request_url"),
            REQUEST_URL_MAX,
        ),
        "options load url": (
            lookup(manifest, "settings.interactivity.message_menu_options_url"),
            REQUEST_URL_MAX,
        ),
    }


def test_every_request_url_is_https_on_the_slack_events_path(manifest: dict[str, Any]) -> None:
    urls = request_urls(manifest)
    for what, (url, max_length) in urls.items():
        parts = urlsplit(url)
        assert parts.scheme == "https", what
        assert parts.hostname, what
        assert parts.path == EVENTS_PATH, what
        assert not parts.query, what
        assert not parts.fragment, what
        assert len(url) <= max_length, what
    assert len({url for url, _ in urls.values()}) == 1, "commands, events and interactivity share one URL"


def test_oauth_redirect_is_https_on_the_same_host(manifest: dict[str, Any]) -> None:
    redirects = lookup(manifest, "oauth_config.redirect_urls")
    assert isinstance(redirects, list)
    assert len(redirects) == 1
    redirect = urlsplit(redirects[0])
    events = urlsplit(lookup(manifest, "settings.event_subscriptions.request_url"))
    assert redirect.scheme == "https"
    assert redirect.netloc == events.netloc
    assert redirect.path == OAUTH_REDIRECT_PATH
    assert len(redirects[0]) <= REDIRECT_URL_MAX


def test_header_comment_explains_http_and_socket_mode_setup() -> None:
    header = MANIFEST_PATH.read_text(encoding="utf-8").split("\n_metadata:")[0]
    for needed in ("socket_mode_enabled: true", "connections:write", "SLACK_APP_TOKEN", "/slack/events"):
        assert needed in header, needed
