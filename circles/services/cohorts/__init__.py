"""Cohorts: create and configure them, and import them from a file."""
