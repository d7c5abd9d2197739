"""Benchmarks: each prints its figures against the design's target."""
