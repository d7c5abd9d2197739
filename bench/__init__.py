"""Benchmarks: each prints its figures against its target (see ARCHITECTURE.md)."""
