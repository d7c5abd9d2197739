"""Matching: preview and confirm a round of circles and pairs, re-match one member, keep ended pairs apart."""
