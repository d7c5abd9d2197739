"""Circles: facilitated relational communities — the product, free of Slack."""
