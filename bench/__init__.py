"""Benchmarks: `make bench` runs bench/run.py and writes build/bench.json."""
