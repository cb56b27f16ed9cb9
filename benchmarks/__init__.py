"""The speed benchmark behind ``make bench``: see benchmarks/README.md."""
