"""Which response_urls the app answers on: Slack's hooks, or the hooks of the Slack SLACK_API_URL names."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

logger = logging.getLogger("circles.web")

Origin = tuple[str, str, int]  # scheme, host, port

# Where Slack's response_urls point, in its commercial cloud and in GovSlack.
SLACK_HOOKS: frozenset[Origin] = frozenset(
    {("https", "hooks.slack.com", 443), ("https", "hooks.slack-gov.com", 443)}
)
# Slack's own Web API: behind it, response_urls are the hooks above and nothing else.
SLACK_DOMAINS = ("slack.com", "slack-gov.com")
DEFAULT_PORTS = {"http": 80, "https": 443}
LONGEST_HOST = 100  # what of a refused host the log keeps


def slacks_own(url: object, slack_api_url: str) -> str | None:
    """The payload's response_url when it is Slack's; None (answer as if there were none) otherwise.

    The app posts its answer, and whatever the person's request said, to that address: one a payload
    names elsewhere would have the app's network reach a host of the sender's choosing. Besides Slack's
    hooks, the origin of a SLACK_API_URL that is not Slack's own is Slack's for this app: a proxy, or the
    stand-in the tests and the demo run against, which serves response_urls where it serves the Web API.
    """
    if url is None or url == "":
        return None
    origin = _origin(url) if isinstance(url, str) else None
    if origin is not None and (origin in SLACK_HOOKS or origin == _stand_in(slack_api_url)):
        return str(url)
    # The host alone: the path and query of a response_url are what lets anyone post in Slack for the app.
    logger.warning(
        "ignored a response_url to %s, which is not Slack's: answered as if it had none", _host(url)
    )
    return None


def _stand_in(slack_api_url: str) -> Origin | None:
    """The origin of a SLACK_API_URL that is not Slack's; None for Slack's own Web API."""
    origin = _origin(slack_api_url)
    if origin is None or any(_within(origin[1], domain) for domain in SLACK_DOMAINS):
        return None
    return origin


def _origin(url: str) -> Origin | None:
    """Scheme, host and port of a plain http(s) URL; None for anything a URL parser might read two ways."""
    # Spaces, control characters, backslashes and credentials are where parsers part ways on the host.
    if not (url.isascii() and url.isprintable()) or " " in url or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or an unbalanced IPv6 bracket
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith(f".{domain}")


def _host(url: object) -> str:
    """The host a refused response_url names, as the log may show it."""
    if not isinstance(url, str):
        return f"something that is not a URL ({type(url).__name__})"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    if not host or not (host.isascii() and host.isprintable()):
        return "an address that is not a plain URL"
    return host[:LONGEST_HOST]
