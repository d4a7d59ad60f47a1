"""Benchmarks: `make bench`. Each prints ratios against a floor measured in the same run."""
