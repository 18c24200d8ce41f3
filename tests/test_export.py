"""Exports: formula-safe CSV/XLSX (read back to prove it), files written complete or not at all,
the meeting workbook, the HTML report, PNG/PDF through the headless browser, and the report() flow."""

from __future__ import annotations

import csv
import os
import re

import numpy as np
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pytest
from browser import require_chromium
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.offline import get_plotlyjs

from socanalysis.errors import ColumnError, ExportError, SocAnalysisError
from socanalysis.load.samples import sample_path
from socanalysis.pipeline import Assessment, report
from socanalysis.portfolio import coverage, summarize
from socanalysis.present import (
    EXCEL_MAX_ROWS,
    AtomicFile,
    LeadsXlsxWriter,
    export_excel,
    export_html_report,
    export_image,
    export_pdf,
    images,
    neutralise,
    neutralise_arrow,
    report_html,
    write_csv,
    write_leads_xlsx,
    xlsx,
)
from socanalysis.present.theme import REPORT_COLOURS, STATUS_COLOURS, Branding, tint

HOSTILE_NAME = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"
FORMULAS = [
    "=1+1",
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    "\rReturn",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
]


# --------------------------------------------------------------------------------------------
# neutralise
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_an_apostrophe(text):
    assert neutralise(pd.Series([text])).tolist() == ["'" + text]


@pytest.mark.parametrize("text", ["Acme", "a=b", " =1", "'=1", "", "Société Générale", "100", "1-800"])
def test_other_text_is_unchanged(text):
    assert neutralise(pd.Series([text])).tolist() == [text]


def test_numbers_dates_and_missing_values_are_untouched():
    frame = pd.DataFrame(
        {
            "int": [-1, 2],
            "float": [-1.5, np.nan],
            "bool": [True, False],
            "when": pd.to_datetime(["2025-01-01", None]),
            "text": ["-1", None],
            "mixed": pd.Series([-5, "-5"], dtype=object),
            "cat": pd.Categorical(["=x", "y"]),
        }
    )
    out = neutralise(frame)
    assert out["int"].tolist() == [-1, 2] and out["int"].dtype == frame["int"].dtype
    assert out["float"].iloc[0] == -1.5 and np.isnan(out["float"].iloc[1])
    assert out["bool"].tolist() == [True, False] and out["when"].equals(frame["when"])
    assert out["text"].iloc[0] == "'-1" and pd.isna(out["text"].iloc[1])
    assert out["text"].dtype == frame["text"].dtype
    assert out["mixed"].tolist() == [-5, "'-5"]
    assert out["cat"].tolist() == ["'=x", "y"]
    assert list(out.columns) == list(frame.columns) and out.index.equals(frame.index)


def test_neutralise_never_mutates_its_input():
    frame = pd.DataFrame({"a": ["=1", "b"]}, index=[10, 20])
    before = frame.copy()
    neutralise(frame)
    neutralise(frame["a"])
    pd.testing.assert_frame_equal(frame, before)
    with pytest.raises(SocAnalysisError, match="takes a pandas Series or DataFrame, not list"):
        neutralise(["=1"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=30))
def test_neutralise_matches_its_rule_and_is_idempotent(values):
    series = pd.Series(values, dtype="str")
    once = neutralise(series)
    for before, after in zip(series, once, strict=True):
        if pd.isna(before):
            assert pd.isna(after)
        elif before[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert after == "'" + before
        else:
            assert after == before
    pd.testing.assert_series_equal(neutralise(once), once)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), min_size=1, max_size=30))
def test_arrow_and_pandas_agree(values):
    table = pa.table({"s": pa.array(values, pa.string()), "n": pa.array(range(len(values)))})
    out = neutralise_arrow(table)
    expected = neutralise(pd.Series(values, dtype=object)).tolist()
    assert out.column("s").to_pylist() == [None if pd.isna(v) else v for v in expected]
    assert out.column("n").to_pylist() == list(range(len(values)))


@pytest.mark.parametrize(
    "kind", [pa.string(), pa.large_string(), pa.string_view(), pa.dictionary(pa.int32(), pa.string())]
)
def test_arrow_string_kinds(kind):
    chunks = [pa.array(["=1", "ok"]).cast(kind), pa.array([None, "@x"]).cast(kind)]
    table = pa.table({"s": pa.chunked_array(chunks), "f": pa.chunked_array([[-1.0, 2.0], [3.0, -4.0]])})
    out = neutralise_arrow(table)
    assert out.column("s").to_pylist() == ["'=1", "ok", None, "'@x"]
    assert out.column("f").to_pylist() == [-1.0, 2.0, 3.0, -4.0]
    assert out.column_names == ["s", "f"]


def test_arrow_table_without_formulas_passes_through_untouched():
    table = pa.table({"s": ["Acme", "Cloud"], "n": [-1, 2]})
    assert neutralise_arrow(table) is table
    with pytest.raises(SocAnalysisError, match="takes a pyarrow.Table, not DataFrame"):
        neutralise_arrow(pd.DataFrame())


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


def test_csv_has_a_bom_keeps_accents_and_neutralises(tmp_path):
    frame = pd.DataFrame({"=Header": ["Société Générale", *FORMULAS[:4]], "Employees": [-5, 10, 20, 30, 40]})
    path = write_csv(frame, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["'=Header", "Employees"]
    assert rows[1] == ["Société Générale", "-5"]
    assert [r[0] for r in rows[2:]] == ["'" + f for f in FORMULAS[:4]]
    # no cell a spreadsheet would read as a formula
    assert not any(
        cell[:1] in "=+@\t\r" or (cell[:1] == "-" and not cell[1:].isdigit()) for row in rows for cell in row if cell
    )
    assert frame.columns[0] == "=Header"  # input untouched


def test_csv_write_error_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match="cannot write"):
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "missing" / "out.csv")


# --------------------------------------------------------------------------------------------
# lead workbooks
# --------------------------------------------------------------------------------------------


def _leads(n: int = 6) -> pd.DataFrame:
    needs = ["SOC 1", "SOC 2", "Both", "Neither", "Undetermined", "SOC 2"]
    return pd.DataFrame(
        {
            "Company Name": [FORMULAS[i % len(FORMULAS)] if i % 2 == 0 else f"Company {i}" for i in range(n)],
            "Employees": [i * 10 - 5 for i in range(n)],
            "Founded": pd.to_datetime(["2001-05-01"] * n),
            "soc_report": [needs[i % 6] for i in range(n)],
            "confidence": [["high", "medium", "low"][i % 3] for i in range(n)],
            "rationale": ["A long sentence explaining the decision. " * 4] * n,
        }
    )


def _cells(sheet):
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_leads_workbook_is_formatted_and_formula_safe(tmp_path):
    leads = _leads()
    path = write_leads_xlsx(
        leads,
        tmp_path / "leads.xlsx",
        summary={"Rows with problems": 2, "Source": "=x"},
        branding=Branding(primary="#123456"),
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Leads", "Summary", "Columns"]
    sheet = book["Leads"]
    header = [c.value for c in sheet[1]]
    assert header == ["Company Name", "Employees", "Founded", "Report needed", "Confidence", "Rationale"]
    legend = [[c.value for c in row] for row in book["Columns"].iter_rows()]
    assert legend[0] == ["Header", "Code name", "What it holds"]
    assert [row[:2] for row in legend[1:]] == [[h, c] for h, c in zip(header, leads.columns, strict=True)]
    assert all(c.font.b for c in sheet[1]) and sheet["A1"].fill.fgColor.rgb.endswith("123456")
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:F7"
    # text is text, neutralised; numbers and dates stay typed
    assert [sheet.cell(r, 1).value for r in range(2, 8)] == neutralise(leads["Company Name"]).tolist()
    assert all(c.data_type != "f" for c in _cells(sheet))
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].is_date
    # widths capped, rationale wide and wrapped
    assert sheet.column_dimensions["F"].width == pytest.approx(60, abs=1) and sheet["F2"].alignment.wrap_text
    assert all(d.width <= 51 for k, d in sheet.column_dimensions.items() if k != "F")
    # one fill per soc_report value, on that column
    rules = {str(r.sqref): r.rules for r in sheet.conditional_formatting}
    assert list(rules) == ["D2:D7"]
    fills = {rule.formula[0].strip('"'): rule.dxf.fill.bgColor.rgb[-6:] for rule in rules["D2:D7"]}
    assert fills == {k: tint(v, 0.55)[1:] for k, v in REPORT_COLOURS.items()}
    details = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert details["Rows with problems"] == 2 and details["Source"] == "'=x"


def test_leads_summary_counts_each_need_and_confidence(tmp_path):
    leads = _leads(12)
    book = openpyxl.load_workbook(write_leads_xlsx(leads, tmp_path / "l.xlsx", summary={"Source": "=x"}))
    summary = book["Summary"]
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    assert rows[2][:2] == ["Rows", 12]
    start = next(i for i, r in enumerate(rows) if r[0] == "Report needed")
    assert rows[start][:6] == [
        "Report needed",
        "Organisations",
        "Share",
        "high confidence",
        "medium confidence",
        "low confidence",
    ]
    table = {r[0]: r[1:6] for r in rows[start + 1 : start + 7]}
    counts = leads["soc_report"].value_counts()
    by_conf = pd.crosstab(leads["soc_report"], leads["confidence"])
    for need in ["SOC 1", "SOC 2", "Both", "Neither", "Undetermined"]:
        assert table[need][0] == counts[need]
        assert table[need][2:5] == [by_conf.loc[need].get(c, 0) for c in ("high", "medium", "low")]
    assert table["Total"][0] == 12
    details = {r[0]: r[1] for r in rows if r[0] in ("Rows with problems", "Source")}
    assert details == {"Source": "'=x"}
    assert all(c.data_type != "f" for c in _cells(summary))


def test_streaming_writer_appends_chunks_in_order(tmp_path):
    leads = _leads(30)
    path = tmp_path / "stream.xlsx"
    with LeadsXlsxWriter(path, ["soc_report", "Company Name"]) as writer:
        for start in range(0, 30, 7):
            writer.append(leads.iloc[start : start + 7])
        assert writer.rows == 30
    sheet = openpyxl.load_workbook(path)["Leads"]
    assert [c.value for c in sheet[1]] == ["Company Name", "Report needed"]  # the user's columns first
    assert [sheet.cell(r, 1).value for r in range(2, 32)] == neutralise(leads["Company Name"]).tolist()
    assert sheet.max_row == 31


def test_streaming_writer_errors(tmp_path, monkeypatch):
    writer = LeadsXlsxWriter(tmp_path / "w.xlsx", ["Company Name", "soc_report"])
    with pytest.raises(ColumnError, match="the chunk has no column 'soc_report'; every chunk needs"):
        writer.append(pd.DataFrame({"Company Name": ["A"]}))
    monkeypatch.setattr(xlsx, "EXCEL_MAX_ROWS", 10)
    writer.append(_leads(6))
    with pytest.raises(ExportError, match="has 12 rows; an Excel sheet holds at most 10 data rows"):
        writer.append(_leads(6))
    assert writer.rows == 6  # nothing of the refused chunk was written
    path = writer.close()
    with pytest.raises(ExportError, match="already closed"):
        writer.append(_leads(1))
    assert openpyxl.load_workbook(path)["Leads"].max_row == 7


def test_streaming_writer_removes_the_file_when_the_job_fails(tmp_path):
    path = tmp_path / "broken.xlsx"
    with pytest.raises(RuntimeError, match="boom"), LeadsXlsxWriter(path) as writer:
        writer.append(_leads(3))
        raise RuntimeError("boom")
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_too_many_rows_for_excel(tmp_path):
    frame = pd.DataFrame({"n": np.zeros(EXCEL_MAX_ROWS + 1, dtype=np.int8)})
    with pytest.raises(ExportError, match=r"1,048,576 rows; an Excel sheet holds at most 1,048,575 data rows"):
        write_leads_xlsx(frame, tmp_path / "big.xlsx")
    assert not (tmp_path / "big.xlsx").exists()


def test_control_characters_and_long_text_survive(tmp_path):
    frame = pd.DataFrame({"a": ["bell\x07inside", "x" * 40_000, "line\nbreak"]})
    sheet = openpyxl.load_workbook(write_leads_xlsx(frame, tmp_path / "c.xlsx"))["Leads"]
    assert sheet["A2"].value in ("bell\x07inside", "bell_x0007_inside")  # Excel decodes the _xHHHH_ form
    assert len(sheet["A3"].value) == 32_767  # Excel's cell limit
    assert sheet["A4"].value == "line\nbreak"


# --------------------------------------------------------------------------------------------
# the meeting workbook and the HTML report
# --------------------------------------------------------------------------------------------


def _covered() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "Client": [HOSTILE_NAME, "=Payroll Co", "Cloudy", "Bakery", "Old Co"],
            "Industry": [BREAKOUT, "Payroll", "SaaS", "Food", "SaaS"],
            "Partner": ["Ann", "Bo", "Ann", "Bo", "Ann"],
            "Reports": ["", "SOC 1 Type 2", "SOC 2 Type 2", "", "SOC 2 Type 2; gibberish report"],
            "Period End": ["", "2025-03-31", "2026-01-31", "", "2024-02-29"],
            "soc_report": ["SOC 2", "Both", "SOC 2", "Neither", "SOC 2"],
            "confidence": ["high", "high", "medium", "high", "low"],
            "tsc_categories": ["Security; Privacy", "Security", "Security; Availability", "", "Security"],
            "report_type": ["Type 1", "Type 2", "Type 2", "", "Type 2"],
            "rationale": [BREAKOUT, "Runs payroll.", "Hosts data.", "Bakes bread.", "Hosts data."],
        }
    )
    frame.attrs["socanalysis"] = {
        "fields": {
            "name": "Client",
            "industry": "Industry",
            "partner": "Partner",
            "reports": "Reports",
            "period_end": "Period End",
        }
    }
    return coverage(frame, as_of="2026-03-31")


@pytest.fixture
def covered() -> pd.DataFrame:
    return _covered()


@pytest.fixture
def assessment() -> Assessment:
    return Assessment.from_covered(_covered(), as_of="2026-03-31")


def test_meeting_workbook_sheets_and_contents(tmp_path, assessment):
    covered = assessment.frame
    path = export_excel(assessment, tmp_path / "meeting.xlsx", branding={"firm_name": "=Acme Audit"})
    book = openpyxl.load_workbook(path)
    names = ["Summary", "Organisations", "Gaps", "Renewals", "Comparison"]
    assert book.sheetnames[:5] == names
    for sheet in book.worksheets:
        assert all(c.data_type != "f" for c in _cells(sheet)), sheet.title
    assert book["Summary"]["A1"].value == "'=Acme Audit: SOC coverage of the portfolio"
    assert book["Summary"]["A2"].value == "As of 2026-03-31"
    orgs = book["Organisations"]
    header = [c.value for c in orgs[1]]
    assert header[:3] == ["Client", "Industry", "Partner"] and "Coverage status" in header
    assert orgs.max_row == len(covered) + 1
    assert [orgs.cell(r, 1).value for r in range(2, 7)] == [HOSTILE_NAME, "'=Payroll Co", "Cloudy", "Bakery", "Old Co"]
    status_col = header.index("Coverage status") + 1
    assert [orgs.cell(r, status_col).value for r in range(2, 7)] == covered["coverage_status"].tolist()
    fills = {str(cf.sqref) for cf in orgs.conditional_formatting}
    assert len(fills) == 2  # report needed and coverage status


def test_meeting_workbook_gaps_and_renewals(tmp_path, covered):
    book = openpyxl.load_workbook(export_excel(covered, tmp_path / "m.xlsx"))
    gaps = book["Gaps"]
    header = [c.value for c in gaps[1]]
    statuses = [gaps.cell(r, header.index("Coverage status") + 1).value for r in range(2, gaps.max_row + 1)]
    assert statuses and all(s.startswith("Gap") for s in statuses)
    assert len(statuses) == covered["coverage_status"].str.startswith("Gap").sum()
    money = [gaps.cell(r, header.index("Opportunity (USD)") + 1).value for r in range(2, gaps.max_row + 1)]
    assert money == sorted(money, reverse=True)
    renewals = book["Renewals"]
    header = [c.value for c in renewals[1]]
    until = [renewals.cell(r, header.index("Current until") + 1).value for r in range(2, renewals.max_row + 1)]
    assert len(until) == covered["renewal_date"].notna().sum() and until == sorted(until)
    comparison = [c.value for c in book["Comparison"][1] if c.value is not None]
    assert comparison == ["Aspect", "SOC 1", "SOC 2", "SOC 3"]
    assert "Problems" in book.sheetnames  # "gibberish report" could not be read


def test_meeting_workbook_summary_uses_the_summaries(tmp_path, covered):
    summaries = summarize(covered)
    book = openpyxl.load_workbook(export_excel(covered, tmp_path / "m.xlsx", summaries=summaries))
    rows = {r[0]: r[1:4] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    values = {k: v[0] for k, v in rows.items()}
    assert values["Organisations"] == len(covered)
    status = covered["coverage_status"]
    current = int(status.isin(["Covered", "Renewal due"]).sum())
    need = int((~status.isin(["Not needed", "Review"])).sum())
    assert values["Covered and current"] == current
    # every share says its denominator: the same one as the headline everywhere
    assert rows["Covered and current"][1] == pytest.approx(current / need)
    assert rows["Covered and current"][2] == f"of {need} that need a report"
    assert values["Estimated opportunity"] == pytest.approx(summaries["All"]["opportunity_usd"].sum())
    assert "By industry" in values and "By partner" in values


def test_html_report_is_self_contained_and_escaped(tmp_path, assessment):
    path = tmp_path / "report.html"
    page = export_html_report(assessment, path, branding={"firm_name": "Harbour & <Pine>"}, title="Q1 <review>")
    assert path.read_text(encoding="utf-8") == page
    plotly_js = get_plotlyjs()
    assert page.count(plotly_js) == 1  # plotly.js inlined once
    ours = page.replace(plotly_js, "")
    charts = ours.count('class="plotly-graph-div"')
    assert charts == 6 and ours.count("Plotly.newPlot(") == charts
    # nothing external: no linked script, stylesheet, font or image, and a CSP that forbids requests
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|@import|url\(|(?:src|href)=[\"']?(?:https?:)?//", ours)
    assert "default-src 'none'" in ours and "connect-src 'none'" in ours
    # every value escaped; no value closes a script
    assert HOSTILE_NAME not in ours and "&lt;img src=x onerror=alert(1)&gt;" in ours
    assert BREAKOUT not in ours and "<script>alert(2)" not in ours
    assert ours.lower().count("</script>") == 1 + charts
    assert ours.count("<script") == 1 + charts
    assert "&lt;\\u002fscript&gt;&lt;script&gt;alert(2)" in ours  # escaped by the chart, then by plotly
    assert "<title>Harbour &amp; &lt;Pine&gt;: Q1 &lt;review&gt;</title>" in ours
    assert "as of 2026-03-31" in ours and "'=Payroll Co" not in ours  # HTML shows the value as typed


def test_plotly_json_cannot_close_its_script_even_unescaped():
    """Defence in depth: plotly's to_html escapes <, > and / inside the figure JSON."""
    html_text = report_html._figure_html(go.Figure(go.Bar(x=[BREAKOUT], y=[1])), "chart-x")
    assert BREAKOUT not in html_text and "</script>" not in html_text.replace("</script>", "", 1)
    assert "\\u003c\\u002fscript\\u003e\\u003cscript\\u003ealert(2)" in html_text


def test_html_report_tables_and_limits(covered):
    page = export_html_report(covered, as_of="2026-04-01", max_rows=1)
    assert "as of 2026-04-01" in page
    assert "Showing the first 1 of" in page
    for heading in (
        "Summary",
        "Charts",
        "By industry",
        "By partner",
        "Gaps",
        "Stale reports and renewals due",
        "SOC 1, SOC 2 and SOC 3",
        "Values that could not be read",
    ):
        assert f"<h2>{heading}</h2>" in page


def test_html_report_logo_is_embedded(tmp_path, covered):
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da636460f85f0f000285018060e9e8ed0000000049454e44ae426082"
    )
    (tmp_path / "logo.png").write_bytes(png)
    page = export_html_report(covered, branding={"logo": str(tmp_path / "logo.png")})
    assert '<img src="data:image/png;base64,iVBORw0KGgo' in page


def test_exports_need_the_output_of_coverage(tmp_path):
    frame = pd.DataFrame({"soc_report": ["SOC 1"]})
    with pytest.raises(ColumnError, match=r"needs the output of socanalysis.coverage\(\): column 'coverage_status'"):
        export_html_report(frame)
    with pytest.raises(ColumnError, match="column 'coverage_status'"):
        export_excel(frame, tmp_path / "x.xlsx")


def test_a_covered_frame_works_and_no_setting_is_read_from_its_attrs(tmp_path, covered):
    book = openpyxl.load_workbook(export_excel(covered, tmp_path / "m.xlsx", as_of="2026-03-31"))
    assert book["Summary"]["A2"].value == "As of 2026-03-31"
    covered.attrs["socanalysis"]["coverage"] = {"as_of": "1999-01-01", "validity_months": 99}
    today = pd.Timestamp.today().strftime("%Y-%m-%d")
    ours = export_html_report(covered).replace(get_plotlyjs(), "")
    assert f"as of {today}" in ours and "Today (1999-01-01)" not in ours and "as of 1999" not in ours
    assert "current for 12 months" in ours and "99-month mark" not in ours


def test_an_assessment_brings_its_own_fees_and_summaries(tmp_path, assessment):
    with pytest.raises(SocAnalysisError, match=r"export_excel\(\): fees= and summaries= come with the Assessment"):
        export_excel(assessment, tmp_path / "m.xlsx", fees={"reports": {"SOC 2 Type 2": 1}})
    with pytest.raises(SocAnalysisError, match="summaries= come with the Assessment"):
        export_html_report(assessment, summaries=summarize(assessment.frame))
    assert not (tmp_path / "m.xlsx").exists()
    # as_of and branding change only what is shown
    page = export_html_report(assessment, as_of="2026-04-30", branding={"firm_name": "Other LLP"})
    assert "as of 2026-04-30" in page and "Other LLP" in page


def test_every_writer_replaces_a_file_whole_with_the_usual_permissions(tmp_path, assessment):
    umask = os.umask(0)
    os.umask(umask)
    writers = {
        "c.csv": lambda path: write_csv(assessment.frame, path),
        "m.xlsx": lambda path: export_excel(assessment, path),
        "r.html": lambda path: export_html_report(assessment, path),
        "l.xlsx": lambda path: write_leads_xlsx(assessment.frame, path),
    }
    for name, write in writers.items():
        path = tmp_path / name
        path.write_bytes(b"old")
        path.chmod(0o600)
        write(path)
        assert path.read_bytes() != b"old" and path.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(writers)  # no temporary file left


def test_a_failed_export_keeps_the_earlier_file_and_leaves_nothing_else(tmp_path, assessment, monkeypatch):
    from socanalysis.present import workbook

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    path = tmp_path / "m.xlsx"
    path.write_bytes(b"old")
    monkeypatch.setattr(workbook, "_comparison_sheet", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        export_excel(assessment, path)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]
    with pytest.raises(ValueError, match="boom"), AtomicFile(tmp_path / "x.txt") as file:
        file.temp.write_text("half", encoding="utf-8")
        raise ValueError("boom")
    assert [p.name for p in tmp_path.iterdir()] == ["m.xlsx"]


def test_exports_never_mutate_the_frame(tmp_path, covered):
    before = covered.copy()
    export_excel(covered, tmp_path / "m.xlsx")
    export_html_report(covered)
    write_leads_xlsx(covered, tmp_path / "l.xlsx")
    write_csv(covered, tmp_path / "c.csv")
    pd.testing.assert_frame_equal(covered, before)


# --------------------------------------------------------------------------------------------
# images and PDF
# --------------------------------------------------------------------------------------------


def _figure() -> go.Figure:
    return go.Figure(
        go.Bar(x=["SOC 1", "SOC 2"], y=[3, 5], marker_color=[REPORT_COLOURS["SOC 1"], STATUS_COLOURS["Covered"]])
    )


def test_missing_browser_path_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    with pytest.raises(
        ExportError,
        match=r"BROWSER_PATH='.*no-chromium' is not an executable file.*"
        r"apt-get install chromium",
    ):
        export_image(_figure(), tmp_path / "chart.png")
    assert not (tmp_path / "chart.png").exists()


def test_no_browser_at_all_says_what_to_install(tmp_path, monkeypatch):
    from choreographer.browsers.chromium import Chromium

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kw: None))
    with pytest.raises(
        ExportError,
        match=r"need a Chrome or Chromium browser and none was found: install "
        r"Chrome or Chromium \(Debian/Ubuntu: apt-get install chromium",
    ):
        export_pdf(_figure(), tmp_path / "chart.pdf")
    # report() checks for the browser before doing any work (the portfolio need not even exist)
    with pytest.raises(ExportError, match="none was found"):
        report(tmp_path / "missing.csv", tmp_path / "report.pdf")


def test_kaleido_is_started_without_mathjax(monkeypatch):
    """MathJax's default is a CDN: the browser must be opened with mathjax=False."""
    import kaleido

    opened = {}

    class FakeKaleido:
        def __init__(self, **kwargs):
            opened.update(kwargs)

        async def open(self):
            pass

        async def calc_fig(self, figure, opts):
            return b"\x89PNG" + opts["format"].encode()

    monkeypatch.setattr(kaleido, "Kaleido", FakeKaleido)
    chrome = images._Chrome("/fake/chromium")
    try:
        assert chrome.figure(_figure(), {"format": "png"}) == b"\x89PNGpng"
    finally:
        chrome._kaleido = None
        chrome.close()
    assert opened["mathjax"] is False and opened["path"] == "/fake/chromium"


@pytest.mark.parametrize(
    ("name", "format", "message"),
    [
        ("chart.gif", None, r"cannot tell the image format of '.*chart.gif'"),
        ("chart.png", "bmp", r"format='bmp': accepted formats are png, jpg"),
    ],
)
def test_unknown_image_formats(tmp_path, name, format, message):
    with pytest.raises(ExportError, match=message):
        export_image(_figure(), tmp_path / name, format=format)


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


def test_png_svg_and_pdf_of_a_chart(chromium, tmp_path):
    png = export_image(_figure(), tmp_path / "chart.png", width=400, height=300, scale=2)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (800, 600)
    svg = export_image(_figure(), tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "SOC 2" in svg
    assert export_pdf(_figure(), tmp_path / "chart.pdf").read_bytes()[:5] == b"%PDF-"


def test_report_to_pdf_prints_the_whole_page(chromium, tmp_path):
    out = report(sample_path("portfolio"), tmp_path / "report.pdf", as_of="2026-11-26")
    data = out.read_bytes()
    assert data[:5] == b"%PDF-"
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 2  # several A4 pages


# --------------------------------------------------------------------------------------------
# report()
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".html", ".xlsx", ".csv"])
def test_report_from_the_sample_portfolio(tmp_path, suffix):
    out = report(
        sample_path("portfolio"), tmp_path / f"report{suffix}", as_of="2026-11-26", branding={"firm_name": "Acme Audit"}
    )
    assert out == tmp_path / f"report{suffix}" and out.stat().st_size > 0
    if suffix == ".html":
        page = out.read_text(encoding="utf-8")
        assert "Acme Audit" in page and page.count('class="plotly-graph-div"') == 6
    elif suffix == ".xlsx":
        book = openpyxl.load_workbook(out)
        assert book["Organisations"].max_row == 201
    else:
        frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert len(frame) == 200 and "Coverage status" in frame.columns


def test_report_refuses_an_unknown_extension_before_any_work(tmp_path):
    with pytest.raises(
        ExportError,
        match=r"cannot write a report as 'report.docx': give a file ending in "
        r"\.html, \.htm, \.xlsx, \.pdf, \.pptx, \.png, \.csv",
    ):
        report(tmp_path / "missing.csv", tmp_path / "report.docx")


def test_report_png_is_a_picture_of_the_page(chromium, tmp_path):
    source = tmp_path / "small.csv"
    pd.read_csv(sample_path("portfolio"), dtype=str).head(12).to_csv(source, index=False)
    data = report(source, tmp_path / "report.png", as_of="2026-11-26").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 1200 and height > 2000  # the whole page, not one screen


def test_page_sources_for_export_pdf(tmp_path):
    with pytest.raises(SocAnalysisError, match="takes a plotly Figure, the HTML text of a report, or the path"):
        export_pdf("not a page", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("chunk_rows", [0, 1, 2, 2.5, 100])
def test_leads_xlsx_keeps_every_row_whatever_the_chunk_size(tmp_path, chunk_rows):
    frame = pd.DataFrame({"Company Name": [f"Co {i}" for i in range(5)], "soc_report": ["SOC 1"] * 5})
    sheet = openpyxl.load_workbook(write_leads_xlsx(frame, tmp_path / "l.xlsx", chunk_rows=chunk_rows))["Leads"]
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == frame["Company Name"].tolist()
