"""Hostile and careless inputs: each builds the file or the mistake and checks the outcome. Every
row in comes out (the ones that could not be read or were repaired say so in ``problem``), or the
command ends with status 2, one line, and nothing written; the input is never touched."""

import io
import os
import time
import zipfile

import openpyxl
import pandas as pd
import pytest

from socanalysis.cli import main
from socanalysis.leads import classify_file
from socanalysis.load import read_table
from socanalysis.present import OutputLock

ROW = "payroll processing for employers"


def lead_rows(n: int) -> list[str]:
    return ["Company,Description"] + [f"Org {i},{ROW}" for i in range(1, n + 1)]


def write(path, lines, end="\n"):
    path.write_bytes((end.join(lines) + end).encode("utf-8"))
    return path


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("socanalysis: error:") and "Traceback" not in err, err
    return lines[0]


# --------------------------------------------------------------------------- the output is never the input
@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink"])
def test_the_output_cannot_be_the_input(tmp_path, capsys, spelling):
    source = write(tmp_path / "x.csv", lead_rows(50))
    before = source.read_bytes()
    output = {
        "same": source,
        "dot": f"{tmp_path}/./x.csv",
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
    }[spelling]
    if spelling == "symlink":
        os.symlink(source, output)
    if spelling == "hardlink":
        os.link(source, output)
    status, _, err = run(capsys, "classify", source, "-o", output, "--jobs", "1")
    assert status == 2
    assert "is the input file" in one_error_line(err)
    assert source.read_bytes() == before


# --------------------------------------------------------------------------- a stray quote mark
@pytest.mark.parametrize("later_quote", [False, True])
@pytest.mark.parametrize("chunk_bytes", [64, 8 << 20])
def test_a_stray_quote_mark_costs_its_own_row_only(tmp_path, later_quote, chunk_bytes):
    lines = lead_rows(1000)
    lines[500] = 'B "x,"open'  # row 500
    if later_quote:
        lines[700] = 'C,"quoted ""fine"" text"'
    source = write(tmp_path / "leads.csv", lines)
    summary = classify_file(source, tmp_path / "out.csv", jobs=2, chunk_bytes=chunk_bytes)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert summary.rows == len(out) == 1000
    assert summary.malformed_rows == [500]
    assert out.loc[499, "problem"].startswith("malformed row: a quote mark")
    assert out.loc[499, "soc_report"] == "Undetermined"
    expected = [f"Org {i}" for i in range(1, 1001)]
    expected[499] = ""
    if later_quote:
        expected[699] = "C"
    assert out["Company"].tolist() == expected
    assert (out["Description"].str.len() < 100).all()  # no cell took in other rows


def test_a_quote_never_closed_in_a_large_file_is_cut_out(tmp_path):
    lines = lead_rows(20_000)
    lines[15_000] = 'Acme,"an open quote'
    source = write(tmp_path / "leads.csv", lines)
    summary = classify_file(source, tmp_path / "out.csv", jobs=2, chunk_bytes=4096)
    assert summary.rows == 20_000 and summary.malformed_rows == [15_000]


# --------------------------------------------------------------------------- files that yield no rows
def test_rows_ending_in_a_carriage_return_alone_are_read(tmp_path, capsys):
    source = write(tmp_path / "mac.csv", lead_rows(30), end="\r")
    status, _, _ = run(capsys, "classify", source, "-o", tmp_path / "o.csv", "--jobs", "1", "--quiet")
    assert status == 0
    out = pd.read_csv(tmp_path / "o.csv", dtype=str)
    assert out["Company"].tolist() == [f"Org {i}" for i in range(1, 31)]


@pytest.mark.parametrize(
    "content",
    ["Company,Description\n", "Company,Description\n\n\n", "  ,  \nAcme,payroll\n"],
    ids=["header-only", "header-and-blank-lines", "blank-header"],
)
def test_a_file_without_rows_fails_and_leaves_the_earlier_output(tmp_path, capsys, content):
    source = tmp_path / "in.csv"
    source.write_text(content, encoding="utf-8")
    earlier = tmp_path / "o.csv"
    earlier.write_text("earlier output\n")
    status, out, err = run(capsys, "classify", source, "-o", earlier, "--jobs", "1")
    assert status == 2 and "written to" not in out
    assert "no data rows" in one_error_line(err) or "expected" in err
    assert earlier.read_text() == "earlier output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]


# --------------------------------------------------------------------------- writes
def test_a_second_writer_of_the_same_output_is_refused(tmp_path, capsys):
    source = write(tmp_path / "in.csv", lead_rows(20))
    output = tmp_path / "o.csv"
    lock = OutputLock(output)
    try:
        status, _, err = run(capsys, "classify", source, "-o", output, "--jobs", "1")
    finally:
        lock.release()
    assert status == 2 and "another run is writing it" in one_error_line(err)
    assert not output.exists()
    assert run(capsys, "classify", source, "-o", output, "--jobs", "1", "--quiet")[0] == 0
    assert len(pd.read_csv(output)) == 20
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv"]  # no lock file left


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx"])
def test_a_failure_while_writing_leaves_the_earlier_output_whole(tmp_path, ext):
    source = write(tmp_path / "in.csv", lead_rows(3000))
    output = tmp_path / f"o{ext}"
    classify_file(source, output, jobs=1, chunk_bytes=4096)
    before = output.read_bytes()

    def stop(done_bytes, rows):
        if rows > 1000:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        classify_file(source, output, jobs=1, chunk_bytes=4096, progress=stop)
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", f"o{ext}"]


def test_a_formula_in_a_header_is_neutralised_in_the_csv_output(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text('Company,Description,"=HYPERLINK(""http://e"")"\nAcme,payroll,x\n', encoding="utf-8")
    assert run(capsys, "classify", source, "-o", tmp_path / "o.csv", "--jobs", "1", "--quiet")[0] == 0
    header = (tmp_path / "o.csv").read_text(encoding="utf-8").splitlines()[0]
    assert '"\'=HYPERLINK(""http://e"")"' in header and ',"=' not in header


# --------------------------------------------------------------------------- workbooks
def workbook(path, cells: dict, rows: int = 0):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Company", "Description"])
    for i in range(rows):
        sheet.append([f"Org {i}", ROW])
    for where, value in cells.items():
        sheet[where] = value
    book.save(path)
    return path


def test_a_cell_at_the_last_row_and_column_costs_one_cell(tmp_path):
    path = workbook(tmp_path / "far.xlsx", {"XFD1048576": "far away"}, rows=3)
    started = time.perf_counter()
    df = read_table(path)
    assert time.perf_counter() - started < 10
    assert len(df) == 4 and df.iloc[-1].dropna().tolist() == ["far away"]
    assert len(df.columns) == 3


def test_a_stray_cell_at_column_xfd_adds_one_column(tmp_path):
    path = workbook(tmp_path / "stray.xlsx", {"XFD1": "stray"}, rows=2000)
    started = time.perf_counter()
    summary = classify_file(path, tmp_path / "o.csv", jobs=1)
    assert time.perf_counter() - started < 30
    out = pd.read_csv(tmp_path / "o.csv", dtype=str)
    assert summary.rows == len(out) == 2000
    assert list(out.columns[:3]) == ["Company", "Description", "stray"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    path = workbook(tmp_path / "bomb.xlsx", {}, rows=0)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b" " * (3 << 20))  # 3 MB that packs to a few kilobytes
    monkeypatch.setenv("SOCANALYSIS_MAX_UNZIPPED_MB", "2")
    with pytest.raises(Exception, match="more than the limit of 2.*SOCANALYSIS_MAX_UNZIPPED_MB"):
        read_table(path)
    monkeypatch.setenv("SOCANALYSIS_MAX_UNZIPPED_MB", "4")
    assert read_table(path).empty


def test_the_column_and_cell_limits_stop_reading_with_how_to_raise_them(tmp_path, monkeypatch, capsys):
    path = workbook(tmp_path / "wide.xlsx", {"C1": "a", "D1": "b", "E1": "c"}, rows=10)
    monkeypatch.setenv("SOCANALYSIS_MAX_COLUMNS", "4")
    status, _, err = run(capsys, "classify", path, "-o", tmp_path / "o.csv")
    assert status == 2 and "SOCANALYSIS_MAX_COLUMNS" in one_error_line(err)
    monkeypatch.setenv("SOCANALYSIS_MAX_COLUMNS", "5")
    monkeypatch.setenv("SOCANALYSIS_MAX_CELLS", "20")
    status, _, err = run(capsys, "classify", path, "-o", tmp_path / "o.csv")
    assert status == 2 and "SOCANALYSIS_MAX_CELLS" in one_error_line(err)
    assert not (tmp_path / "o.csv").exists()


def test_a_formula_without_a_saved_value_is_named_in_problem(tmp_path):
    path = workbook(tmp_path / "f.xlsx", {"B3": "=A2"}, rows=3)
    classify_file(path, tmp_path / "o.csv", jobs=1)
    out = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert len(out) == 3
    assert out.loc[1, "problem"].startswith("cell B3 holds a formula without a saved value")
    assert out.loc[0, "problem"] == "" and out.loc[2, "problem"] == ""


def test_a_text_longer_than_an_excel_cell_is_named_in_problem(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f"Company,Description\nAcme,{'payroll ' * 5000}\nNimbus,hosting\n", encoding="utf-8")
    classify_file(source, tmp_path / "o.xlsx", jobs=1)
    out = pd.read_excel(tmp_path / "o.xlsx", sheet_name=0, dtype=str)
    assert "'Description' cut to Excel's 32,767 characters (it holds 40,000)" in out.loc[0, "Problem"]
    assert pd.isna(out.loc[1, "Problem"])


# --------------------------------------------------------------------------- text
@pytest.mark.parametrize("filler", [0, 400_000])
def test_rows_in_another_encoding_are_repaired_and_named_in_small_and_large_files(tmp_path, filler):
    lines = ["Company,Description", f"Café Noir,{ROW}"] + [f"Org {i},{ROW}" for i in range(filler // 40)]
    data = "\n".join(lines).encode("utf-8") + "\nCafé Blanc,hosting\n".encode("cp1252") + b"Last,hosting\n"
    source = tmp_path / "mixed.csv"
    source.write_bytes(data)
    summary = classify_file(source, tmp_path / "o.csv", jobs=2)
    out = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert summary.rows == len(out) == len(lines) + 1
    assert out.loc[0, "Company"] == "Café Noir" and out.loc[0, "problem"] == ""
    assert out["Company"].iloc[-2] == "Café Blanc"
    assert out["problem"].iloc[-2] == "bytes that are not UTF-8 text were read as cp1252 (Windows) characters"
    assert out["problem"].iloc[-1] == ""
    if not filler:  # the loader reads the same way
        df = read_table(source)
        assert df["Company"].tolist()[-2] == "Café Blanc" and list(df.attrs["socanalysis"]["notes"]) == [1]
        # and the classification of a loaded frame (the dashboards, the report) names the repair too
        import socanalysis as sa

        classified = sa.classify(df, review=False)
        assert classified["problem"].tolist()[-2] == out["problem"].iloc[-2]
        assert classified["problem"].tolist()[0] == ""
        kept = classified[classified["Company"] != "Café Noir"]  # a filtered frame keeps its rows' notes
        assert sa.classify(df.loc[kept.index], review=False)["problem"].tolist()[0] == out["problem"].iloc[-2]


@pytest.mark.parametrize("at", [1, 5000])
def test_a_stray_nul_byte_is_removed_and_named_wherever_it_is(tmp_path, at):
    lines = lead_rows(6000)
    lines[at] = lines[at].replace("Org", "Org\x00")
    source = write(tmp_path / "nul.csv", lines)
    classify_file(source, tmp_path / "o.csv", jobs=1)
    out = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert len(out) == 6000 and out.loc[at - 1, "Company"] == f"Org {at}"
    assert out.loc[at - 1, "problem"].startswith("a NUL byte (0x00)")
    assert (out["problem"] != "").sum() == 1


def test_a_binary_file_gets_one_short_error_line(tmp_path, capsys):
    source = tmp_path / "blob.csv"
    source.write_bytes(bytes(range(32, 127)) * 200)  # no newline at all
    status, _, err = run(capsys, "classify", source, "-o", tmp_path / "o.csv")
    assert status == 2 and len(one_error_line(err)) < 1100


def test_deeply_nested_json_is_a_user_error(tmp_path, capsys):
    source = tmp_path / "deep.json"
    source.write_text("[" * 100_000 + "]" * 100_000)
    status, _, err = run(capsys, "classify", source, "-o", tmp_path / "o.csv")
    assert status == 2 and "nests its values too deeply" in one_error_line(err)


# --------------------------------------------------------------------------- rules files and options
def test_a_billion_laughs_rules_file_fails_at_once(tmp_path, capsys):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]")
    lines += ["rules:", "- id: laugh", "  reason: lol", "  terms: *i", "  supports: {SOC 2: 0.5}"]
    rules = tmp_path / "laughs.yaml"
    rules.write_text("\n".join(lines))
    started = time.perf_counter()
    status, _, err = run(capsys, "rules", "--rules", rules)
    assert time.perf_counter() - started < 10
    assert status == 2 and "SOCANALYSIS_MAX_RULE_TERMS" in one_error_line(err)


def test_a_rules_file_of_200_000_terms_is_refused_with_the_limit(tmp_path, capsys):
    terms = ", ".join(f"term{i}" for i in range(200_000))
    rules = tmp_path / "big.yaml"
    rules.write_text(f"rules:\n- id: huge\n  reason: many\n  terms: [{terms}]\n  supports: {{SOC 2: 0.5}}\n")
    status, _, err = run(capsys, "rules", "--rules", rules)
    assert status == 2 and "SOCANALYSIS_MAX_RULE_TERMS" in one_error_line(err)


@pytest.mark.parametrize(
    "argv", [["classify", "x.csv", "-o", "y.csv", "--jobs", "-5"], ["classify", "x", "-o", "y", "--jobs", "0"]]
)
def test_jobs_must_be_at_least_one(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and "at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("token", [" ", "", "two words"])
def test_a_blank_token_is_refused(token, capsys):
    status, _, err = run(capsys, "dashboard", "--ip", "0.0.0.0", "--token", token)
    assert status == 2 and "token cannot be blank" in one_error_line(err)


def test_the_limits_are_one_table_with_their_variables():
    from socanalysis.limits import LIMIT_VARIABLES, limits

    assert set(LIMIT_VARIABLES) == set(limits().__dataclass_fields__)
    assert all(variable.startswith("SOCANALYSIS_MAX_") for variable, _, _ in LIMIT_VARIABLES.values())


def test_a_limit_set_to_nonsense_is_refused(monkeypatch):
    from socanalysis.errors import SocAnalysisError
    from socanalysis.limits import limits

    monkeypatch.setenv("SOCANALYSIS_MAX_CELLS", "lots")
    with pytest.raises(SocAnalysisError, match="SOCANALYSIS_MAX_CELLS='lots'"):
        limits()


def test_an_upload_goes_through_the_same_limits(monkeypatch, tmp_path):
    data = io.BytesIO()
    workbook(tmp_path / "w.xlsx", {"C1": "a", "D1": "b"}, rows=2)
    data.write((tmp_path / "w.xlsx").read_bytes())
    monkeypatch.setenv("SOCANALYSIS_MAX_COLUMNS", "3")
    with pytest.raises(Exception, match="SOCANALYSIS_MAX_COLUMNS"):
        read_table(io.BytesIO(data.getvalue()), name="upload.xlsx")


def test_a_report_cannot_be_written_over_its_portfolio(tmp_path, capsys):
    source = write(tmp_path / "clients.csv", lead_rows(5))
    before = source.read_bytes()
    status, _, err = run(capsys, "report", source, "-o", source)
    assert status == 2 and "is the input file" in one_error_line(err)
    assert source.read_bytes() == before


@pytest.mark.parametrize(
    "text, stray",
    [
        (b'Acme,"Payroll, HR"\nNimbus,"Say ""hi"""\n', False),
        (b'B "x,"open\nC,d\n', True),
        (b'Acme,"open\n', True),
        (b"Acme,plain\n", False),
        (b'"Quoted",x\n"a\nb",y\n', False),
    ],
)
def test_the_compiled_and_the_numpy_search_for_a_stray_quote_agree(text, stray):
    import sys

    import numpy as np

    from socanalysis._kernels import stray_quote
    from socanalysis.leads import streaming

    assert bool(stray_quote(np.frombuffer(text, dtype=np.uint8), ord(","))) is stray
    kernels = sys.modules.pop("socanalysis._kernels.csvout")
    try:
        assert streaming._stray_quotes(text, ",") is stray
    finally:
        sys.modules["socanalysis._kernels.csvout"] = kernels
