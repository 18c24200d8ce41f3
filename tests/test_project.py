"""The project's own promises: environment.yml agrees with pyproject.toml, CI runs the README's command."""

import re
import subprocess
import sys
import textwrap
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


def test_every_data_file_of_the_package_is_shipped():
    """A file beside the code (rules, weights, samples, templates) is in the wheel only when a
    package-data pattern of its package names it."""
    from fnmatch import fnmatch

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data = project["tool"]["setuptools"]["package-data"]
    tracked = subprocess.run(
        ["git", "ls-files", "socanalysis"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = []
    for name in tracked:
        path = ROOT / name
        if path.suffix == ".py" or not path.is_file():
            continue
        package = path.parent
        while not (package / "__init__.py").is_file():
            package = package.parent
        dotted = ".".join(package.relative_to(ROOT).parts)
        inside = path.relative_to(package).as_posix()
        if not any(fnmatch(inside, pattern) for pattern in data.get(dotted, [])):
            missing.append(name)
    assert not missing, missing


# --------------------------------------------------------------------------- dependencies by use
HIDE = """
import sys
for name in {names!r}:
    sys.modules[name] = None  # as if not installed
"""


def test_extras_split_the_install_by_use():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    core = " ".join(project["dependencies"])
    extras = project["optional-dependencies"]
    for name in ("voila", "ipywidgets", "ipykernel", "kaleido", "dask"):
        assert name not in core, name
    assert {"dashboards", "images", "dask", "dev"} <= set(extras)
    assert "socanalysis[dashboards,images,dask,postgres]" in extras["dev"]


def test_the_core_install_classifies_without_jupyter_or_a_browser_toolkit(tmp_path):
    jupyter = ["voila", "ipywidgets", "ipykernel", "nbformat", "kaleido", "jupyter_server", "dask", "distributed"]
    leads = tmp_path / "leads.csv"
    leads.write_text("Company,Description\nAcme,Payroll for employers\nGrain Co,Grows wheat\n", encoding="utf-8")
    code = HIDE.format(names=jupyter) + textwrap.dedent(
        f"""
        import socanalysis as sa
        print(sa.classify(sa.load_portfolio({str(leads)!r}))["soc_report"].tolist())
        from socanalysis.cli import main
        print(main(["classify", {str(leads)!r}, "-o", {str(tmp_path / "out.csv")!r}, "--quiet"]))
        print(sorted(m for m in {jupyter!r} if sys.modules.get(m) is not None))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:3] == ["['Both', 'Neither']", "0", "[]"]


def test_the_dashboard_command_without_its_extra_says_what_to_install():
    code = HIDE.format(names=["voila"]) + "from socanalysis.cli import main\nraise SystemExit(main(['dashboard']))\n"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install 'socanalysis[dashboards]'" in lines[0] and "voila" in lines[0]


def test_make_targets_write_nothing_into_the_repository():
    """Every file a make target writes goes to build/ (ignored by git), never beside the sources."""
    import shutil

    if shutil.which("make") is None:
        import pytest

        pytest.skip("make is not installed")
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "build/" in ignored
    for target in ("classify-sample",):
        commands = subprocess.run(
            ["make", "-n", "-o", "install", target, "VENV=/nonexistent"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        outputs = re.findall(r"(?:-o|--output)\s+(\S+)", commands)
        assert outputs, commands
        assert all(Path(o).parts[0] == "build" for o in outputs), outputs
