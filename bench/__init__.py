"""lvm's benchmarks: `python -m bench` (see bench/cli.py and docs/benchmarks.md)."""
