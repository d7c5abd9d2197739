"""The largest and oddest inputs the app accepts, as hypothesis strategies for the Slack limits tests."""

from __future__ import annotations

from hypothesis import strategies as st

from circles.services.people.profiles import LIMITS as PROFILE_LIMITS
from circles.services.support.request import SUPPORT_MESSAGE_MAX

COHORT_NAME = 255  # the column; the settings form takes 120, an import or an old row may hold more
SLUG = 40
CIRCLE_NAME = 80
USER_ID = 32  # the column for Slack user IDs
TIMEZONE = 64
SUPPORT = SUPPORT_MESSAGE_MAX
PROFILE = PROFILE_LIMITS
COHORTS_PER_FACILITATOR = 50
PARTNERS_PER_COACH = 25
MEMBERS = 300  # a cohort of 300: 60 circles of 5, 150 pairs

# Characters that stress escaping (5 characters for one `&`), mentions, quoting, emoji and direction marks.
MARKUP = "&<>*_~`\n>😀👩‍⚕️é\u200f\u202e a"
_PATTERN = st.text(alphabet=MARKUP, min_size=1, max_size=8) | st.sampled_from(
    ["&", "<@U123>", "<!channel>", "&amp;", "&lt;3", "😀", "`code`", "x"]
)


def text_of(length: int) -> st.SearchStrategy[str]:
    """Text of exactly `length` characters, made of markup, emoji and mentions typed as text."""
    return _PATTERN.map(lambda pattern: (pattern * length)[:length])


def up_to(length: int) -> st.SearchStrategy[str]:
    """Mostly the longest text allowed, sometimes shorter, never empty."""
    return st.one_of(text_of(length), st.integers(1, length).flatmap(text_of))


def user_ids(count: int) -> list[str]:
    """`count` distinct Slack user IDs, as long as the column allows."""
    return [f"U{n:0{USER_ID - 1}d}" for n in range(count)]


slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{38}[a-z0-9]", fullmatch=True)
cohort_names = up_to(COHORT_NAME)
typed_texts = up_to(SUPPORT)
