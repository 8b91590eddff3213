"""Hypothesis for the core tests: no per-example deadline (speed lives in benchmarks/, not in timed tests;
on a loaded machine a deadline fails correct code)."""

from hypothesis import settings

settings.register_profile("core", deadline=None)
settings.load_profile("core")
