"""Fictional portfolios and lead lists for tests, benchmarks and the bundled samples (python -m
socanalysis._testing.synthetic writes the samples)."""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={"synthetic": ["make_leads", "make_portfolio", "sample_frames", "write_csv_bulk", "write_samples"]},
)
