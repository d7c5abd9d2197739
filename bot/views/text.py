"""Safe text for Slack's mrkdwn, where &, < and > are control characters."""


def mrkdwn(text: str) -> str:
    """Escape text so Slack shows it as written (`<cohort>` would otherwise be read as a link)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote_typed(text: str, limit: int = 80) -> str:
    """Quote what a person typed back to them, short, and unable to become a mention, link or code break."""
    shortened = text if len(text) <= limit else text[: limit - 1] + "…"
    return mrkdwn(shortened).replace("`", "'")
