"""Which tables Alembic compares with the models."""

# Slack's installation and OAuth-state tables are created by our migrations but defined by slack_sdk.
SLACK_SDK_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave slack_sdk's tables out of the comparison: the models do not describe them."""
    return not (type_ == "table" and name in SLACK_SDK_TABLES)
