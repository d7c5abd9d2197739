"""Identifiers shared by the stand-in and the request builders, so both sides agree."""

DEFAULT_TEAM_ID = "T0001"
DEFAULT_TEAM_NAME = "Circles Test"
DEFAULT_TEAM_DOMAIN = "circles-test"
APP_ID = "A0CIRCLES1"
APP_NAME = "Circles"
# The token Slack puts in every payload; Bolt ignores it, but real payloads carry one.
VERIFICATION_TOKEN = "verification-token-0001"


def bot_user_id(team_id: str) -> str:
    """The bot user's id in a team (one bot user per installed team)."""
    return f"U{team_id[1:]}BOT"


def bot_id(team_id: str) -> str:
    """The bot's B-id in a team."""
    return f"B{team_id[1:]}BOT"


def dm_channel_id(user_id: str) -> str:
    """The id of the bot's direct-message channel with a user (deterministic so payloads can name it)."""
    return f"D{user_id[1:]}"
