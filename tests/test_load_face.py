"""The load room's face: every name it lists is importable from it, and comes from the module that defines it."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import socanalysis
import socanalysis.load as load


@pytest.mark.parametrize("name", load.__all__)
def test_every_listed_name_is_importable_from_the_face(name):
    value = getattr(load, name)
    defined_in = getattr(value, "__module__", None)
    if callable(value) and defined_in and defined_in.startswith("socanalysis.load."):
        assert getattr(importlib.import_module(defined_in), name) is value  # the definition, not a re-export


@pytest.mark.parametrize(
    "name",
    [
        "load_portfolio",
        "read_table",
        "field_mapping",
        "normalise_name",
        "normalise_domain",
        "parse_dates",
        "parse_month_day",
        "parse_reports",
    ],
)
def test_the_package_face_finds_the_load_names(name):
    assert getattr(socanalysis, name) is getattr(load, name)


def test_the_command_line_reads_a_layout_before_pandas_loads():
    code = (
        "import sys, socanalysis.load as load; load.csv_layout_of; load.resolve(['Client']); "
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
