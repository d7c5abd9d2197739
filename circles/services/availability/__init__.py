"""Availability: when each person can be reached, their away blocks, and Slack's own signals."""
