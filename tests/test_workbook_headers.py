"""Workbooks for people: readable headers, one order from the command line and the dashboards, a legend
sheet with the code names; CSV and Parquet keep the code names."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

import socanalysis as sa
from socanalysis.cli import main
from socanalysis.dashboards import LeadsApp
from socanalysis.load.samples import sample_path
from socanalysis.present.headers import HEADERS, RESULT_ORDER, people_order, readable
from socanalysis.vocabulary import OUTPUT_COLUMNS


@pytest.fixture(scope="module")
def leads_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("leads") / "leads.csv"
    pd.read_csv(sample_path("leads"), dtype=str).head(25).to_csv(path, index=False)
    return path


def _header(book, sheet):
    return [c.value for c in book[sheet][1]]


def test_the_command_line_and_the_dashboard_write_the_same_columns(leads_csv, tmp_path):
    out = tmp_path / "cli.xlsx"
    assert main(["classify", str(leads_csv), "-o", str(out), "--jobs", "1", "--quiet"]) == 0
    cli_book = openpyxl.load_workbook(out)
    app = LeadsApp()
    assert app.load_upload(leads_csv.read_bytes(), "leads.csv")
    dash_book = openpyxl.load_workbook(io.BytesIO(app.export_bytes("xlsx")))
    header = _header(cli_book, "Leads")
    assert header == _header(dash_book, "Leads")
    user = pd.read_csv(leads_csv, dtype=str, nrows=0).columns.tolist()
    assert header[: len(user)] == user
    assert header[len(user) : len(user) + len(OUTPUT_COLUMNS)] == [HEADERS[c][0] for c in OUTPUT_COLUMNS]
    assert "soc_report" not in header and "Report needed" in header and "SOC 1 score" in header
    legend = [[c.value for c in row] for row in cli_book["Columns"].iter_rows(min_row=2)]
    assert [row[0] for row in legend] == header
    codes = {row[0]: row[1] for row in legend}
    assert codes["Report needed"] == "soc_report" and codes["SOC 2 score"] == "soc2_score"


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_csv_and_parquet_keep_the_code_names(leads_csv, tmp_path, ext):
    out = tmp_path / f"out{ext}"
    assert main(["classify", str(leads_csv), "-o", str(out), "--jobs", "1", "--quiet"]) == 0
    frame = pd.read_parquet(out) if ext == ".parquet" else pd.read_csv(out, dtype=str, nrows=1)
    assert [c for c in OUTPUT_COLUMNS if c in frame.columns] == list(OUTPUT_COLUMNS)
    assert not {"Report needed", "SOC 1 score"} & set(frame.columns)


def test_the_meeting_workbook_has_the_legend(tmp_path):
    assessment = sa.assess(pd.read_csv(sample_path("portfolio"), dtype=str).head(20), as_of="2026-11-26")
    book = openpyxl.load_workbook(sa.export_excel(assessment, tmp_path / "m.xlsx"))
    assert book.sheetnames[-1] == "Columns"
    header = _header(book, "Organisations")
    legend = [[c.value for c in row] for row in book["Columns"].iter_rows(min_row=2)]
    assert [row[0] for row in legend] == header
    codes = {row[0]: row[1] for row in legend}
    assert codes["Coverage status"] == "coverage_status" and codes["Opportunity (USD)"] == "opportunity_usd"
    assert codes["Client"] == "Client"


def test_every_result_column_has_a_header_and_a_place():
    assert set(RESULT_ORDER) == set(HEADERS)
    headers = [h for h, _ in HEADERS.values()]
    assert len(set(headers)) == len(headers)
    assert people_order(["soc_report", "Name", "duplicate_of", "soc1_score"]) == [
        "Name",
        "soc_report",
        "soc1_score",
        "duplicate_of",
    ]
    assert readable(["Report needed", "soc_report"]) == ["Report needed", "soc_report"]


def test_no_header_reads_as_a_prefix_of_another():
    """Two headers where one starts the other ("Opportunity", "Opportunity (USD)") leave a reader guessing."""
    shown = [header for header, _ in HEADERS.values()]
    assert len(set(shown)) == len(shown)
    for a in shown:
        for b in shown:
            assert a == b or not b.startswith(a + " "), (a, b)
    assert HEADERS["opportunity"][0] == "What to offer"
