"""Every ```python block of the README runs against the sample data, as a reader would run it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from socanalysis.load.samples import sample_path

ROOT = Path(__file__).resolve().parents[1]


def _blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)


def test_the_readme_has_python_blocks():
    assert len(_blocks()) >= 2


@pytest.mark.parametrize("drop", [[], ["Industry"]], ids=["sample", "without-industry"])
def test_every_python_block_runs_on_the_sample(tmp_path, drop, capsys):
    """The blocks run in order in one namespace, in a folder holding the sample as clients.xlsx."""
    sample = pd.read_csv(sample_path("portfolio"), dtype=str, keep_default_na=False).head(40)
    sample.drop(columns=drop).to_excel(tmp_path / "clients.xlsx", index=False)
    namespace: dict = {}
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        for number, block in enumerate(_blocks(), start=1):
            try:
                exec(compile(block, f"README.md python block {number}", "exec"), namespace)
            except Exception as exc:  # noqa: BLE001 - say which block failed
                pytest.fail(f"README python block {number} failed: {type(exc).__name__}: {exc}")
    finally:
        os.chdir(here)
    assert (tmp_path / "report.html").stat().st_size > 0
    assert "SOC 1" in capsys.readouterr().out  # explain() printed its reasoning


@pytest.mark.parametrize("command", ["classify", "report"])
def test_the_readmes_command_line_names_every_option_of_classify_and_report(command):
    """The README's synopsis is where a new user looks for --sheet and --column."""
    import argparse

    from socanalysis.cli import _parser

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(f"socanalysis {command} "))
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    shared = {"--help", "--debug", "--workspace", "--database", "--no-review", "--save", "--label"}  # said below
    options = {o for a in sub._actions for o in a.option_strings if o.startswith("--")} - shared
    missing = sorted(o for o in options if o not in line and not (o == "--output" and " -o " in line))
    assert missing == [], f"README's 'socanalysis {command}' line lacks {missing}"
