"""The command line: exit codes, one-line errors, summaries."""

import importlib.util
import os
import platform
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from socanalysis.cli import main

LEADS = "Company,Description,NAICS\nAcme Payroll,Payroll processing for employers,\nGranite,,212312\n"


@pytest.fixture
def leads(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def test_classify_writes_every_row_and_prints_the_summary(leads, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["classify", str(leads), "-o", str(out), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Both" in printed and "total" in printed and "rows/s" in printed
    df = pd.read_csv(out, dtype=str)
    assert df["Company"].tolist() == ["Acme Payroll", "Granite"]
    assert df["soc_report"].tolist() == ["Both", "Neither"]


@pytest.mark.parametrize("ext", [".parquet", ".xlsx"])
def test_classify_writes_other_formats(leads, tmp_path, ext):
    out = tmp_path / f"out{ext}"
    assert main(["classify", str(leads), "-o", str(out), "--jobs", "1", "--quiet"]) == 0
    df = pd.read_parquet(out) if ext == ".parquet" else pd.read_excel(out, sheet_name=0, dtype=str)
    column = "soc_report" if ext == ".parquet" else "Report needed"  # Parquet keeps the code names
    assert df[column].tolist() == ["Both", "Neither"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify", "missing.csv", "-o", "x.csv"], "no such file: 'missing.csv'"),
        (["classify", "{leads}", "-o", "x.txt"], "the output must end in one of .csv, .parquet, .xlsx"),
        (["classify", "{notes}", "-o", "x.csv"], "no column"),
        (["classify", "{leads}", "-o", "x.csv", "--rules", "nope.yaml"], "rules file 'nope.yaml' does not exist"),
        (["classify", "{leads}", "-o", "x.csv", "--column", "name"], "expected FIELD=HEADER"),
        (["explain"], "give a description"),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, leads, capsys, monkeypatch, args, message):
    notes = tmp_path / "notes.csv"
    notes.write_text("Company,Notes\nA,x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = [a.format(leads=leads, notes=notes) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("socanalysis: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv"])
def test_report_writes_the_meeting_report(tmp_path, capsys, suffix):
    from socanalysis.load.samples import sample_path

    out = tmp_path / f"report{suffix}"
    args = ["report", str(sample_path("portfolio")), "-o", str(out), "--as-of", "2026-11-26"]
    assert main([*args, "--branding", str(_branding(tmp_path))]) == 0
    assert capsys.readouterr().out.strip() == f"report written to {out}"
    if suffix == ".html":
        page = out.read_text(encoding="utf-8")
        assert "Harbour Audit · as of 2026-11-26 · 200 organisations" in page
    elif suffix == ".csv":
        assert len(pd.read_csv(out, encoding="utf-8-sig", dtype=str)) == 200
    else:
        assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["brand.yaml", out.name])


def _branding(folder):
    path = folder / "brand.yaml"
    path.write_text("firm_name: Harbour Audit\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "{leads}", "-o", "r.docx"], "cannot write a report as 'r.docx'"),
        (["report", "{leads}", "-o", "r.html", "--as-of", "soon"], "as_of='soon' is not a date"),
        (["report", "missing.csv", "-o", "r.html"], "no such file: missing.csv"),
        (["report", "{leads}", "-o", "r.html", "--branding", "{leads}"], "branding: give a mapping of firm_name"),
        (["report", "{leads}", "-o", "r.html", "--fees", "nope.yaml"], "nope.yaml"),
    ],
)
def test_report_errors_exit_2_with_one_line_and_write_nothing(tmp_path, leads, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main([a.format(leads=leads) for a in args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("socanalysis: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv"]


def test_report_takes_columns_and_a_sheet_as_classify_does(tmp_path, capsys):
    book = tmp_path / "clients.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"Note": ["not this sheet"]}).to_excel(writer, sheet_name="Cover", index=False)
        pd.DataFrame(
            {"Who": ["Acme Payroll", "Granite Quarry"], "Line of work": ["Payroll processing", "Crushed stone"]}
        ).to_excel(writer, sheet_name="Clients", index=False)
    out = tmp_path / "report.csv"
    args = ["report", str(book), "-o", str(out), "--as-of", "2026-11-26", "--sheet", "Clients"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--column name='Your Column'" in err and "columns={" not in err and not out.exists()
    assert main([*args, "--column", "name=Who", "--column", "description=Line of work"]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert table["Who"].tolist() == ["Acme Payroll", "Granite Quarry"]
    assert table["Report needed"].tolist()[0] in ("SOC 1", "Both")


def test_column_errors_name_the_command_line_option_not_python(tmp_path, capsys):
    notes = tmp_path / "notes.csv"
    notes.write_text("Company,Notes\nA,x\n", encoding="utf-8")
    assert main(["classify", str(notes), "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "no column carrying a signal" in err and "columns={" not in err
    assert "--column description='Your Column' or --column industry='Your Column'" in err
    assert main(["classify", str(notes), "-o", str(tmp_path / "x.csv"), "--column", "name=Legal"]) == 2
    err = capsys.readouterr().err
    assert "name=Legal: there is no column 'Legal'" in err and "columns={" not in err


def test_explain_prints_the_reasoning(capsys):
    assert main(["explain", "We run payroll for small employers", "--industry", "Software"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recommendation: Both") and "Rules that fired:" in out and "payroll" in out


def test_rules_lists_the_active_rules(capsys, tmp_path):
    firm = tmp_path / "firm.yaml"
    firm.write_text(
        "rules:\n  - id: widgets\n    reason: Hosts widgets\n    terms: [widgets]\n    supports: {SOC 2: 0.9}\n"
    )
    assert main(["rules", "--rules", str(firm)]) == 0
    out = capsys.readouterr().out
    assert "payroll" in out and "widgets" in out and "firm.yaml" in out


def test_sample_paths_exist(capsys):
    assert main(["sample", "leads"]) == 0
    assert capsys.readouterr().out.strip().endswith("sample_leads.csv")


def test_the_installed_command_runs_without_a_traceback(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "socanalysis.cli", "classify", str(tmp_path / "nope.csv"), "-o", "x.csv"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr and "no such file" in run.stderr


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the allocator settings are glibc's")
def test_classify_keeps_freed_memory_for_the_next_chunk():
    code = "from socanalysis.cli import reuse_freed_memory; print(reuse_freed_memory())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


@pytest.mark.parametrize("before", ["gc.enable()", "gc.disable()"])
def test_importing_the_package_leaves_the_garbage_collector_as_it_found_it(before):
    # the collector is paused while the package's modules load (on first use), and only then
    code = f"import gc; {before}; was = gc.isenabled(); import socanalysis as sa; sa.classify; "
    code += "print(gc.isenabled() == was)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


def test_classify_command_leaves_the_collector_on_and_the_loaded_modules_frozen(tmp_path, monkeypatch):
    import gc

    import socanalysis.leads

    seen = {}

    def fake(*args, **kwargs):
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
        raise SystemExit(0)

    monkeypatch.setattr(socanalysis.leads, "classify_file", fake)  # where the command takes it from
    try:
        with pytest.raises(SystemExit):
            main(["classify", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--quiet"])
    finally:
        gc.unfreeze()
    assert seen["enabled"] is True and seen["frozen"] > 1000


def test_classify_starts_reading_a_csv_before_the_classifier_loads(leads, tmp_path):
    # the first chunks parse on the worker threads while pandas, numba and the rules load
    out = tmp_path / "out.csv"
    code = textwrap.dedent(
        """
        import os, sys
        from socanalysis.leads import streaming
        from socanalysis.cli import main

        seen = {}

        class Recording(streaming.CsvReading):
            def __init__(self, *args, **kwargs):
                seen["loaded"] = sorted(m for m in ("pandas", "numba", "socanalysis.classify") if m in sys.modules)
                super().__init__(*args, **kwargs)
                seen["threads"] = self.pool is not None

        streaming.CsvReading = Recording
        status = main(["classify", sys.argv[1], "-o", sys.argv[2], "--jobs", "2", "--quiet"])
        print(status, seen["loaded"], seen["threads"], os.environ["OPENBLAS_NUM_THREADS"])
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    run = subprocess.run(
        [sys.executable, "-c", code, str(leads), str(out)], capture_output=True, text=True, check=True, env=env
    )
    assert run.stdout.split() == ["0", "[]", "True", "1"]
    # and the file is what the library writes without reading ahead
    from socanalysis.leads.batch import classify_file

    classify_file(leads, tmp_path / "reference.csv", jobs=1)
    assert out.read_bytes() == (tmp_path / "reference.csv").read_bytes()


def test_classify_keeps_a_user_s_openblas_setting(leads, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    assert main(["classify", str(leads), "-o", str(tmp_path / "out.csv"), "--quiet"]) == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == "3"


def test_importing_the_package_loads_nothing_heavy_and_classify_stays_a_function():
    code = textwrap.dedent(
        """
        import sys
        import socanalysis
        heavy = sorted(m for m in ("pandas", "numpy", "pyarrow", "numba") if m in sys.modules)
        import socanalysis.classifier.decide
        import socanalysis.pipeline
        import socanalysis.portfolio.coverage
        from socanalysis.classifier.decide import classify_columns
        print(heavy, callable(socanalysis.classify), type(socanalysis.coverage).__name__,
              socanalysis.classify is sys.modules["socanalysis.pipeline"].classify)
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["[]", "True", "function", "True"]


def test_classify_command_runs_without_numbas_optional_extras(tmp_path):
    # numba loads coverage and cffi, when installed, for features the command does not use
    from importlib.util import find_spec

    out = tmp_path / "out.csv"
    code = textwrap.dedent(
        f"""
        import sys
        from socanalysis.cli import main
        from socanalysis.load.samples import sample_path
        status = main(["classify", str(sample_path("leads")), "-o", {str(out)!r}, "--quiet"])
        from numba.misc import coverage_support
        from numba.core.typing import cffi_utils
        loaded = sorted(m for m in ("coverage", "cffi") if sys.modules.get(m) is not None)
        print(status, loaded, coverage_support.coverage_available, cffi_utils.SUPPORTED)
        import coverage, cffi  # importable again once the command is done
        print(coverage.__name__, cffi.__name__)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    if find_spec("coverage") is None or find_spec("cffi") is None:
        pytest.skip("coverage and cffi are not both installed")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == ["0 [] False False", "coverage cffi"]
    assert len(pd.read_csv(out)) > 10


def test_hidden_modules_cannot_be_imported_until_shown_again():
    from socanalysis.cli import _hide_modules, _unhide_modules

    hidden = _hide_modules(["json", "socanalysis_test_not_loaded_yet"])
    try:
        assert hidden == ["socanalysis_test_not_loaded_yet"]  # json is loaded: left alone
        with pytest.raises(ImportError):
            import socanalysis_test_not_loaded_yet  # noqa: F401
        import json  # noqa: F401
    finally:
        _unhide_modules(hidden)
    assert "socanalysis_test_not_loaded_yet" not in sys.modules


@pytest.mark.parametrize(
    ("before", "exits_at_once"),
    [("", True), ("import coverage", False)],  # a coverage measurement saves its data at exit
)
def test_the_classify_command_ends_at_once_once_its_output_is_written(tmp_path, before, exits_at_once):
    from socanalysis.load.samples import sample_path

    if before and importlib.util.find_spec("coverage") is None:
        pytest.skip("coverage is not installed")
    out = tmp_path / "out.csv"
    code = textwrap.dedent(
        f"""
        import atexit, sys
        {before}
        atexit.register(lambda: print("the interpreter's teardown ran"))
        from socanalysis.cli import run
        sys.argv = ["socanalysis", "classify", {str(sample_path("leads"))!r}, "-o", {str(out)!r}]
        run()
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "written to" in done.stdout  # the summary was flushed before the end
    assert ("the interpreter's teardown ran" not in done.stdout) == exits_at_once
    assert len(pd.read_csv(out)) == len(pd.read_csv(sample_path("leads")))


def test_other_commands_and_failures_end_as_usual(tmp_path):
    code = textwrap.dedent(
        f"""
        import atexit, sys
        atexit.register(lambda: print("the interpreter's teardown ran"))
        from socanalysis.cli import run
        sys.argv = ["socanalysis", "classify", {str(tmp_path / "missing.csv")!r}, "-o", "out.csv"]
        run()
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2 and "the interpreter's teardown ran" in done.stdout
    code = code.replace(f'"classify", {str(tmp_path / "missing.csv")!r}, "-o", "out.csv"', '"sample", "leads"')
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and "the interpreter's teardown ran" in done.stdout


def test_classify_loads_the_compiler_while_a_csv_parses_before_pandas_loads(leads, tmp_path):
    code = textwrap.dedent(
        """
        import sys
        order = []

        class Watch:
            def find_spec(self, name, path=None, target=None):
                if name == "pandas":
                    order.append(name)

        sys.meta_path.insert(0, Watch())
        import socanalysis._kernels.scanning as compiled
        from socanalysis.cli import main

        load = compiled.load_compiler
        compiled.load_compiler = lambda: (load(), order.append("compiler"))  # pandas not loaded by it
        status = main(["classify", sys.argv[1], "-o", sys.argv[2], "--quiet"])
        print(status, order)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(leads), str(tmp_path / "out.csv")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "['compiler',", "'pandas']"]


def test_only_the_local_classify_command_ends_without_the_teardown():
    from socanalysis.cli import _ends_at_once, _parser

    def ends_at_once(argv):
        return _ends_at_once(_parser().parse_args(argv))

    assert ends_at_once(["classify", "in.csv", "-o", "out.csv", "--quiet"])
    assert ends_at_once(["--debug", "classify", "in.csv", "-o", "out.parquet"])
    assert not ends_at_once(["classify", "leads/*.parquet", "-o", "out.csv", "--engine", "dask"])
    assert not ends_at_once(["report", "portfolio.csv", "-o", "report.html"])
