"""Benchmarks of the build and of the published database (see bench/README.md)."""
