"""The project's own promises: environment.yml agrees with pyproject.toml, CI runs the README's command."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_installs_the_package_with_its_dev_extra():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = env["dependencies"]
    python = next(d for d in deps if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["project"]["requires-python"]
    assert "pip" in deps
    pip = next(d for d in deps if isinstance(d, dict))["pip"]
    assert pip == ["-e .[dev]"]
    assert "dev" in project["project"]["optional-dependencies"]


def test_ci_runs_the_test_command_the_readme_gives():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```\n(.*?)\n```", readme, re.M | re.S)
    setup = [b for b in blocks if b.startswith("python3 -m venv .venv")]
    assert len(setup) == 2, setup
    demo, test = setup
    assert demo.endswith("socanalysis dashboard") and test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert test in commands
    assert "export CI=true" in commands


def test_package_data_ships_rules_samples_and_fees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = project["tool"]["setuptools"]["package-data"]
    assert "*.yaml" in data["socanalysis.classifier.rules"] and "*.csv" in data["socanalysis.data"]
    for name in (
        "classifier/rules/default.yaml",
        "data/sample_leads.csv",
        "data/sample_portfolio.csv",
        "data/fees.yaml",
    ):
        assert (ROOT / "socanalysis" / name).is_file(), name
