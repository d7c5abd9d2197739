"""Profiles: what people tell others about themselves (`fields`), filling and saving one's own (`edit`),
who may see someone's card (`card`), and what Slack keeps fresh, from a join on (`slack`)."""

from circles.services.people.profiles.card import ProfileCard, profile_card
from circles.services.people.profiles.edit import ProfileForm, profile_form, save_profile
from circles.services.people.profiles.fields import LIMITS, ProfileFields, profile_problems
from circles.services.people.profiles.slack import SlackPerson, keep_from_slack, refresh_from_slack

__all__ = [
    "LIMITS",
    "ProfileCard",
    "ProfileFields",
    "ProfileForm",
    "SlackPerson",
    "keep_from_slack",
    "profile_card",
    "profile_form",
    "profile_problems",
    "refresh_from_slack",
    "save_profile",
]
