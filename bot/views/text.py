"""Safe text for Slack's mrkdwn."""


def escape(text: str, limit: int = 80) -> str:
    """Quote what a person typed back to them without it turning into a mention or a link."""
    shortened = text if len(text) <= limit else text[: limit - 1] + "…"
    return shortened.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")
