"""Support: a member reaches their facilitators, and anything typed to the app gets a private answer."""
