"""People: who is asking, their memberships, profiles, the directory of guides, their status."""
