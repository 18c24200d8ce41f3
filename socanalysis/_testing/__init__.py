"""Fictional portfolios and lead lists for tests, benchmarks and the bundled samples (python -m
socanalysis._testing.synthetic writes the samples)."""
