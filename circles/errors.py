"""Errors named after the rule they guard; the Slack adapter turns each into a friendly message."""


class CirclesError(Exception):
    """A request the product refuses for a reason the person can act on."""


class WorkspaceUnknown(CirclesError):
    """Nothing is stored for this workspace yet."""
