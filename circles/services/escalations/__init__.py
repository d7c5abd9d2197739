"""Escalations: open one per struggling partnership, show it to its facilitators, act on it, follow it up."""
