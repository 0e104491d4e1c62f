"""Benchmarks: scripts and a settings/URL overlay that never ship with the app."""
