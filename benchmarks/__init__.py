"""Benchmarks: each ``bench_<area>.py`` has a ``main(argv)`` that prints a side-by-side table."""
