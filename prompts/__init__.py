"""Prompt tracks and role texts, kept as data files beside this module."""
