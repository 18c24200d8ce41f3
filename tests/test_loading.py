"""The loader: every format, encoding and delimiter; header rows; the field mapping; duplicates;
and one test per error, against the files in tests/badfiles/."""

from __future__ import annotations

import csv
import importlib.util
import io
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis.errors import (
    ColumnError,
    DecodingError,
    EmptyFileError,
    PortfolioError,
    UnsupportedFormatError,
)
from socanalysis.load import (
    csv_options,
    field_mapping,
    find_duplicates,
    formats,
    load_portfolio,
    normalise_domain,
    normalise_name,
    read_table,
    require_name,
    require_signal,
    resolve,
    validate_columns,
)
from socanalysis.load.mapping import HEADER_EXAMPLES

HERE = Path(__file__).resolve().parent
GOOD = HERE / "goodfiles"
BAD = HERE / "badfiles"

_spec = importlib.util.spec_from_file_location("make_fixtures", GOOD / "make_fixtures.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

# every file holding the canonical portfolio (fixtures.HEADER / fixtures.ROWS)
CANONICAL = [
    "comma_utf8.csv",
    "comma_utf8_bom_crlf.csv",
    "semicolon_cp1252.csv",
    "tab_utf8.tsv",
    "tab_utf16_bom.txt",
    "pipe_utf8.txt",
    "title_rows.csv",
    "title_rows_semicolon_cp1252.csv",
    "plain.xlsx",
    "title_rows.xlsx",
    "strings.parquet",
    "records.json",
    "records.jsonl",
]
CSV_FILES = [n for n in CANONICAL if n.endswith((".csv", ".tsv", ".txt"))]


def expected_frame() -> pd.DataFrame:
    return pd.DataFrame(fixtures.ROWS, columns=fixtures.HEADER, dtype="str")


def frame_from(data: bytes, name: str = "upload.csv", **kw) -> pd.DataFrame:
    return load_portfolio(io.BytesIO(data), name=name, **kw)


# --------------------------------------------------------------------------------------------
# good files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CANONICAL)
def test_every_format_reads_the_same_values(name):
    df = load_portfolio(GOOD / name)
    pd.testing.assert_frame_equal(df.drop(columns="duplicate_of"), expected_frame())
    assert df["duplicate_of"].dtype == "Int64"
    assert df["duplicate_of"].tolist() == [pd.NA if v is None else v for v in fixtures.DUPLICATE_OF]
    assert df.attrs["socanalysis"]["source"] == name


@pytest.mark.parametrize("name", CANONICAL)
def test_columns_come_back_in_order_with_ours_last(name):
    df = load_portfolio(GOOD / name)
    assert list(df.columns) == [*fixtures.HEADER, "duplicate_of"]
    assert all(df[c].dtype == "str" for c in fixtures.HEADER)


@pytest.mark.parametrize(
    ("name", "fmt", "encoding", "delimiter", "header_row"),
    [
        ("comma_utf8.csv", "csv", "utf-8", ",", 1),
        ("comma_utf8_bom_crlf.csv", "csv", "utf-8-sig", ",", 1),
        ("semicolon_cp1252.csv", "csv", "cp1252", ";", 1),
        ("tab_utf8.tsv", "csv", "utf-8", "\t", 1),
        ("pipe_utf8.txt", "csv", "utf-8", "|", 1),
        ("title_rows.csv", "csv", "utf-8", ",", 3),
        ("title_rows_semicolon_cp1252.csv", "csv", "cp1252", ";", 3),
        ("title_rows.xlsx", "xlsx", None, None, 4),
        ("records.jsonl", "jsonl", None, None, None),
    ],
)
def test_how_the_file_was_read_is_recorded(name, fmt, encoding, delimiter, header_row):
    info = load_portfolio(GOOD / name).attrs["socanalysis"]
    assert (info["format"], info["encoding"], info["delimiter"], info["header_row"]) == (
        fmt,
        encoding,
        delimiter,
        header_row,
    )


@pytest.mark.parametrize("name", CSV_FILES)
def test_fast_and_general_csv_readers_agree(name, monkeypatch):
    fast = read_table(GOOD / name)
    monkeypatch.setattr(formats, "_read_csv_arrow", lambda src, layout: None)
    general = read_table(GOOD / name)
    pd.testing.assert_frame_equal(fast, general)


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_options_reproduce_read_table(name):
    opts = csv_options(GOOD / name)
    pd.testing.assert_frame_equal(pd.read_csv(GOOD / name, **opts), read_table(GOOD / name), check_dtype=False)


def test_text_fixtures_match_the_script():
    for name, content in fixtures.text_fixtures().items():
        assert (GOOD / name).read_bytes() == content, f"{name} is stale: run tests/goodfiles/make_fixtures.py"


def test_latin1_and_cp1252_text():
    df = load_portfolio(GOOD / "latin1_pipe.txt")
    assert df["Company"].tolist() == ["Société Générale", "Zürich AG"]
    assert df.attrs["socanalysis"]["delimiter"] == "|"


def test_latin1_fallback_when_cp1252_cannot_decode(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes("Company,Industry\nCaf\u00e9 \x8d Ltd,Banking\n".encode("latin-1"))
    df = load_portfolio(path)
    assert df.attrs["socanalysis"]["encoding"] == "latin-1"
    assert df["Company"].tolist() == ["Caf\u00e9 \x8d Ltd"]


def test_cp1252_punctuation_is_decoded(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("Company;Description\nAcme;\u201cPayroll\u201d \u2014 HR\n".encode("cp1252"))
    assert load_portfolio(path)["Description"].tolist() == ["\u201cPayroll\u201d \u2014 HR"]


def test_typed_excel_cells_come_back_as_written():
    df = load_portfolio(GOOD / "typed.xlsx")
    assert df.iloc[0].drop("duplicate_of").tolist() == [
        "Acme Payroll",
        "Payroll processing",
        "541214",
        "1999",
        "2025-06-30",
        "1234.5",
        "2",
        "TRUE",
        "00123",
        "2025-06-30 14:30:00",
    ]
    assert df.iloc[1].drop("duplicate_of").tolist() == [
        "Globex",
        "Widget manufacturing",
        np.nan,
        "2010",
        "2024-12-31",
        "0.1",
        np.nan,
        "FALSE",
        np.nan,
        np.nan,
    ]


def test_typed_parquet_columns_come_back_as_text():
    df = load_portfolio(GOOD / "typed.parquet")
    assert df.drop(columns="duplicate_of").to_dict("list") == {
        "Company": ["Acme Payroll", "Globex"],
        "Description": ["Payroll processing", "Widget manufacturing"],
        "NAICS": ["541214", np.nan],
        "Employees": ["120", "4000"],
        "Fee": ["1234.5", "2"],
        "Period End": ["2025-06-30", np.nan],
        "Stamp": ["2025-06-30 14:30:00", "2024-12-31"],
        "Active": ["true", "false"],
    }
    assert all(df[c].dtype == "str" for c in df.columns[:-1])


def test_missing_value_words_stay_text():
    data = b"Company,Description,Notes\nNA,None,N/A\nnull,nan,#N/A\nNULL,-,\n"
    df = frame_from(data)
    assert df["Company"].tolist() == ["NA", "null", "NULL"]
    assert df["Description"].tolist() == ["None", "nan", "-"]
    assert df["Notes"].tolist() == ["N/A", "#N/A", np.nan]


def test_codes_and_dates_are_not_inferred():
    df = frame_from(b"Company,NAICS,Period End,Revenue\nAcme,00123,30/06/2025,1e3\n")
    assert df.iloc[0, :4].tolist() == ["Acme", "00123", "30/06/2025", "1e3"]


def test_values_keep_their_spaces_and_quotes():
    df = frame_from(b'Company,Description\n"  Acme  ","He said ""payroll"""\n')
    assert df.iloc[0, :2].tolist() == ["  Acme  ", 'He said "payroll"']


def test_blank_rows_and_unnamed_empty_columns_are_left_out():
    df = frame_from(b"Company,Description,,\nAcme,Payroll,,\n,,,\n\nGlobex,Widgets,,\n")
    assert list(df.columns) == ["Company", "Description", "duplicate_of"]
    assert df["Company"].tolist() == ["Acme", "Globex"]


def test_an_unnamed_column_with_values_is_kept():
    df = frame_from(b"Company,,Description\nAcme,x,Payroll\n")
    assert list(df.columns[:3]) == ["Company", "Unnamed: 1", "Description"]
    assert df["Unnamed: 1"].tolist() == ["x"]


def test_quoted_newlines_and_delimiters(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text(
        'Company,Description\n"Acme, Inc.","Payroll\nand\r\nbenefits"\nGlobex,Widgets\n', encoding="utf-8", newline=""
    )
    df = load_portfolio(path)
    assert df["Company"].tolist() == ["Acme, Inc.", "Globex"]
    assert df["Description"].tolist() == ["Payroll\nand\r\nbenefits", "Widgets"]


def test_short_rows_are_padded_with_missing_values():
    df = frame_from(b"Company,Description,Industry\nAcme,Payroll\nGlobex,Widgets,Manufacturing\n")
    assert df["Industry"].isna().tolist() == [True, False]


def test_tsv_extension_prefers_tab_on_a_tie():
    df = frame_from(b"Company\tDescription,Notes\nAcme\tPayroll,HR\n", name="x.tsv")
    assert list(df.columns[:2]) == ["Company", "Description,Notes"]


# --------------------------------------------------------------------------------------------
# sources: paths, file objects, name hints, sniffing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plain.xlsx", "strings.parquet", "records.json", "comma_utf8.csv"])
def test_upload_without_a_name_is_sniffed(name):
    df = load_portfolio(io.BytesIO((GOOD / name).read_bytes()))
    pd.testing.assert_frame_equal(df.drop(columns="duplicate_of"), expected_frame())
    assert df.attrs["socanalysis"]["source"] is None


def test_upload_with_a_name_hint():
    buffer = io.BytesIO((GOOD / "title_rows.xlsx").read_bytes())
    df = load_portfolio(buffer, name="clients.xlsx", sheet="Clients")
    assert df.attrs["socanalysis"]["source"] == "clients.xlsx"
    assert len(df) == len(fixtures.ROWS)


def test_bytes_and_memoryview_sources():
    data = (GOOD / "comma_utf8.csv").read_bytes()
    for source in (data, memoryview(data), bytearray(data)):
        assert len(load_portfolio(source)) == len(fixtures.ROWS)


def test_text_mode_file_object(tmp_path):
    with open(GOOD / "comma_utf8.csv", encoding="utf-8", newline="") as f:
        df = load_portfolio(f)
    assert df.attrs["socanalysis"]["source"] == "comma_utf8.csv"
    pd.testing.assert_frame_equal(df.drop(columns="duplicate_of"), expected_frame())


def test_string_io_json():
    df = load_portfolio(io.StringIO('[{"Company": "Acme", "Industry": "Payroll", "Flag": true}]'))
    assert df.iloc[0, :3].tolist() == ["Acme", "Payroll", "true"]


def test_the_callers_bytes_are_not_changed():
    data = (GOOD / "title_rows.csv").read_bytes()
    buffer = io.BytesIO(data)
    load_portfolio(buffer)
    assert buffer.getvalue() == data


def test_unknown_extension_is_sniffed(tmp_path):
    path = tmp_path / "export.dat"
    path.write_bytes((GOOD / "plain.xlsx").read_bytes())
    assert load_portfolio(path).attrs["socanalysis"]["format"] == "xlsx"


def test_binary_file_object_for_excel(tmp_path):
    with open(GOOD / "plain.xlsx", "rb") as f:
        assert load_portfolio(f).attrs["socanalysis"]["source"] == "plain.xlsx"


def test_text_mode_excel_is_refused():
    with pytest.raises(PortfolioError, match=r"opened as text; open it in binary mode"):
        load_portfolio(io.StringIO("whatever"), name="book.xlsx")


def test_a_non_source_is_a_type_error():
    with pytest.raises(TypeError, match="file path or a file-like object"):
        load_portfolio(42)


# --------------------------------------------------------------------------------------------
# header rows and sheets
# --------------------------------------------------------------------------------------------


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_header_below_title_rows_in_excel(tmp_path):
    path = _xlsx(
        tmp_path / "book.xlsx",
        {
            "Portfolio": [
                ["Client portfolio FY2026"],
                ["Prepared 2026-01-15", None, "Confidential"],
                [],
                ["Client", "Industry", "Fiscal Year End"],
                ["Acme", "Payroll", "12-31"],
                ["Globex", "Retail", None],
            ]
        },
    )
    df = load_portfolio(path)
    assert list(df.columns) == ["Client", "Industry", "Fiscal Year End", "duplicate_of"]
    assert df["Client"].tolist() == ["Acme", "Globex"]
    assert df.attrs["socanalysis"]["header_row"] == 4


def test_header_below_title_rows_in_csv():
    data = b"Leads export\nGenerated by CRM, 2026-01-15\n\nAccount Name,Industry\nAcme,Payroll\n"
    df = frame_from(data)
    assert list(df.columns[:2]) == ["Account Name", "Industry"]
    assert df.attrs["socanalysis"]["header_row"] == 4


def test_header_found_by_override_columns():
    data = b"Export\n\nLegal Entity,What They Sell\nAcme,Payroll\n"
    df = frame_from(data, columns={"name": "Legal Entity", "description": "What They Sell"})
    assert df.attrs["socanalysis"]["fields"] == {"name": "Legal Entity", "description": "What They Sell"}
    assert df.attrs["socanalysis"]["header_row"] == 3


def test_without_a_recognisable_header_the_first_non_empty_row_is_the_header():
    df = read_table(io.BytesIO(b"\n\nAlpha,Beta\n1,2\n"))
    assert list(df.columns) == ["Alpha", "Beta"]
    assert df.attrs["socanalysis"]["header_row"] == 3


def test_header_is_searched_only_near_the_top():
    data = b"".join(b"note %d,x\n" % i for i in range(30)) + b"Company,Description\nAcme,Payroll\n"
    assert list(read_table(io.BytesIO(data)).columns) == ["note 0", "x"]


def test_bad_row_numbers_count_title_rows():
    data = b"Export\n\nCompany,Description\nAcme,Payroll\nGlobex,Widgets,extra\n"
    with pytest.raises(PortfolioError, match=r"row 5 has 3 values but the header \(row 3\) has 2 columns"):
        frame_from(data)


def test_extra_values_in_the_first_data_row():
    with pytest.raises(PortfolioError, match=r"first data row has more values than the header has columns"):
        frame_from(b"Company,Description\nAcme,Payroll,extra\n")


NOTES = "Prepared by the audit team"


@pytest.mark.parametrize(
    ("sheet", "first"), [("Notes", NOTES), (1, NOTES), ("clients", "Client Name"), (0, "Client Name"), (-1, NOTES)]
)
def test_sheet_by_name_or_position(sheet, first):
    df = read_table(GOOD / "title_rows.xlsx", sheet=sheet)
    assert df.columns[0] == first


def test_unknown_sheet_lists_the_sheets():
    with pytest.raises(PortfolioError, match=r"no sheet named 'Leads'; its sheets are: 'Clients', 'Notes'"):
        load_portfolio(GOOD / "title_rows.xlsx", sheet="Leads")


def test_sheet_number_out_of_range():
    with pytest.raises(PortfolioError, match=r"no sheet number 5 .* 2 sheet\(s\): 'Clients', 'Notes'"):
        load_portfolio(GOOD / "title_rows.xlsx", sheet=5)


def test_sheet_for_a_csv_file_is_an_error():
    with pytest.raises(PortfolioError, match=r"sheet='Clients' applies to .xlsx workbooks only"):
        load_portfolio(GOOD / "comma_utf8.csv", sheet="Clients")


# --------------------------------------------------------------------------------------------
# the field mapping
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Account Name,Business Description,NAICS Code,Notes",
            {"name": "Account Name", "description": "Business Description", "naics": "NAICS Code"},
        ),
        (
            "organisation,Vertical,SIC,Web Site",
            {"name": "organisation", "industry": "Vertical", "sic": "SIC", "website": "Web Site"},
        ),
        (
            "CLIENT NAME,about,GICS Sub-Industry,HQ Country,Current Reports,Period End,FYE",
            {
                "name": "CLIENT NAME",
                "description": "about",
                "industry": "GICS Sub-Industry",
                "country": "HQ Country",
                "reports": "Current Reports",
                "period_end": "Period End",
                "fiscal_year_end": "FYE",
            },
        ),
        (
            "Vendor,Processes Payroll,Stores Customer Data",
            {"name": "Vendor", "q_payroll": "Processes Payroll", "q_customer_data": "Stores Customer Data"},
        ),
    ],
)
def test_synonyms(header, expected):
    data = (header + "\n" + ",".join(["x"] * header.count(",")) + ",y\n").encode()
    assert frame_from(data).attrs["socanalysis"]["fields"] == expected


def test_override_wins_over_synonyms():
    df = frame_from(b"Client,Legal Entity,Industry\nAcme,Acme Holdings LLC,Payroll\n", columns={"name": "Legal Entity"})
    assert df.attrs["socanalysis"]["fields"]["name"] == "Legal Entity"


def test_override_can_unmap_a_field():
    df = frame_from(b"Company,Industry,Sector\nAcme,Payroll,Financials\n", columns={"sector": None})
    assert "sector" not in df.attrs["socanalysis"]["fields"]


def test_override_naming_a_missing_column():
    with pytest.raises(ColumnError, match=r"columns=\{'name': 'Legal Name'\}: there is no column 'Legal Name'"):
        load_portfolio(GOOD / "comma_utf8.csv", columns={"name": "Legal Name"})


def test_override_naming_an_unknown_field():
    with pytest.raises(ColumnError, match=r"'company' is not a field socanalysis knows"):
        load_portfolio(GOOD / "comma_utf8.csv", columns={"company": "Client Name"})


def test_field_mapping_table():
    table = field_mapping(load_portfolio(GOOD / "comma_utf8.csv"))
    assert list(table.columns) == ["field", "meaning", "column"]
    assert table.set_index("field")["column"].to_dict() == {
        "name": "Client Name",
        "description": "Services",
        "industry": "Industry",
        "naics": "NAICS",
        "website": "Website",
        "period_end": "Period End",
    }
    assert table.loc[table["field"] == "naics", "meaning"].item() == "NAICS code"


def test_field_mapping_survives_a_copy():
    df = load_portfolio(GOOD / "comma_utf8.csv", columns={"description": "Notes"})
    assert field_mapping(df.copy()).set_index("field").loc["description", "column"] == "Notes"


def test_header_examples_in_messages_resolve_to_their_field():
    for field, examples in HEADER_EXAMPLES.items():
        for header in examples:
            found = resolve([header])
            if field == "questions":
                assert next(iter(found)).startswith("q_"), header
            else:
                assert found == {field: header}, header


# --------------------------------------------------------------------------------------------
# duplicates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Acme Payroll, Inc.", "acme payroll"),
        ("ACME PAYROLL INC", "acme payroll"),
        ("The Acme Payroll Company", "acme payroll"),
        ("Acme-Payroll LLC", "acme payroll"),
        ("Acme Payroll Co., Ltd.", "acme payroll"),
        ("Smith & Co", "smith"),
        ("Johnson & Johnson", "johnson and johnson"),
        ("Société Générale S.A.", "societe generale"),
        ("Siemens AG", "siemens"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Unilever PLC", "unilever"),
        ("Company", "company"),
        ("The", "the"),
        ("Inc. Magazine Corp", "inc magazine"),
        ("Coca-Cola Company", "coca cola"),
        ("株式会社トヨタ", "株式会社トヨタ"),
    ],
)
def test_normalise_name(raw, key):
    assert normalise_name(pd.Series([raw])).tolist() == [key]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://www.acme.com/about", "acme.com"),
        ("HTTP://Acme.COM", "acme.com"),
        ("www2.acme.com", "acme.com"),
        ("acme.com.", "acme.com"),
        ("acme.com:443", "acme.com"),
        ("//acme.com/x?y#z", "acme.com"),
        ("sales@acme.com", "acme.com"),
        ("  acme.co.uk ; acme.com", "acme.co.uk"),
        ("app.acme.com", "app.acme.com"),
        ("n/a", None),
        ("-", None),
        ("none", None),
        ("Acme Payroll", None),
        ("", None),
    ],
)
def test_normalise_domain(raw, key):
    got = normalise_domain(pd.Series([raw])).tolist()
    assert got == [np.nan] if key is None else got == [key]


@pytest.mark.parametrize("dtype", [object, "str", pd.StringDtype("python"), pd.StringDtype("pyarrow")])
def test_normalisers_give_the_same_keys_for_any_string_dtype(dtype):
    names = pd.Series(["The Acme Co., Ltd.", "Zürich AG", None, "A.B.C. L.L.C."], dtype=dtype)
    sites = pd.Series(["https://www.Acme.com/x", None, "n/a", "abc.io"], dtype=dtype)
    assert normalise_name(names).tolist() == ["acme", "zurich", np.nan, "abc"]
    assert normalise_domain(sites).tolist() == ["acme.com", np.nan, np.nan, "abc.io"]


def test_normalisers_keep_the_index_and_do_not_mutate():
    names = pd.Series(["Acme Inc", "Globex"], index=[10, 20])
    before = names.copy()
    assert list(normalise_name(names).index) == [10, 20]
    assert list(normalise_domain(names).index) == [10, 20]
    pd.testing.assert_series_equal(names, before)


def test_find_duplicates_points_at_the_first_row():
    names = pd.Series(["Acme Inc", "Globex", "ACME", "Initech", "Hooli", "Acme, LLC", None, None])
    sites = pd.Series(["acme.com", "globex.com", None, "www.globex.com", "hooli.xyz", None, "hooli.xyz/a", None])
    assert find_duplicates(names, sites).tolist() == [pd.NA, pd.NA, 1, 2, pd.NA, 1, 5, pd.NA]


def test_find_duplicates_by_name_only_and_index_kept():
    out = find_duplicates(pd.Series(["Acme", "acme inc", "Globex"], index=["a", "b", "c"]))
    assert list(out.index) == ["a", "b", "c"]
    assert out.tolist() == [pd.NA, 1, pd.NA]
    assert out.dtype == "Int64"


def test_duplicates_are_flagged_not_dropped():
    df = frame_from(
        b"Company,Industry,Website\nAcme Inc,Payroll,acme.com\nAcme,Payroll,\nOther,Retail,https://acme.com\n"
    )
    assert len(df) == 3
    assert df["duplicate_of"].tolist() == [pd.NA, 1, 1]


def test_duplicate_row_numbers_follow_the_loaded_rows():
    df = frame_from(b"Company,Industry\nAcme,Payroll\n,\nGlobex,Retail\nACME Inc.,Payroll\n")
    assert df["duplicate_of"].tolist() == [pd.NA, pd.NA, 1]


def test_a_user_duplicate_of_column_is_left_alone():
    df = frame_from(b"Company,Industry,duplicate_of\nAcme,Payroll,see row 9\nAcme Inc,Payroll,\n")
    assert df["duplicate_of"].tolist() == ["see row 9", np.nan]
    assert df["socanalysis_duplicate_of"].tolist() == [pd.NA, 1]
    assert df.attrs["socanalysis"]["duplicate_column"] == "socanalysis_duplicate_of"


def test_find_duplicates_is_vectorised_on_a_large_column():
    n = 200_000
    names = pd.Series([f"Company {i % 150_000} Inc" for i in range(n)])
    start = time.perf_counter()
    out = find_duplicates(names)
    assert time.perf_counter() - start < 10
    assert out.notna().sum() == 50_000
    assert out.iloc[150_000] == 1


# --------------------------------------------------------------------------------------------
# column checks usable without a file
# --------------------------------------------------------------------------------------------


def test_require_name_and_signal_are_separable():
    require_signal({"description": "About"}, ["About"])
    with pytest.raises(ColumnError, match=r"no column usable as the organisation name; the columns found are: 'About'"):
        require_name({"description": "About"}, ["About"])
    require_name({"name": "Client"}, ["Client"])
    with pytest.raises(ColumnError, match=r"no column carrying a signal.*'Processes Payroll'"):
        require_signal({"name": "Client"}, ["Client"])


def test_validate_columns_on_a_frame():
    df = pd.DataFrame({"Client": ["Acme"], "Industry": ["Payroll"]})
    assert validate_columns(df) == {"name": "Client", "industry": "Industry"}
    assert validate_columns(df[["Industry"]], name=False) == {"industry": "Industry"}
    with pytest.raises(ColumnError, match=r"no column usable as the organisation name"):
        validate_columns(df[["Industry"]])
    with pytest.raises(ColumnError, match=r"names columns that are not in the table: 'name' -> 'Legal'"):
        validate_columns(df, {"name": "Legal", "industry": "Industry"})
    dupes = pd.DataFrame([["Acme", "x", "y"]], columns=["Client", "Industry", "Industry"])
    with pytest.raises(ColumnError, match=r"the header 'Industry' appears more than once, in columns 2 and 3"):
        validate_columns(dupes)


# --------------------------------------------------------------------------------------------
# bad files: every error, by message
# --------------------------------------------------------------------------------------------

BAD_CASES = [
    ("empty.csv", EmptyFileError, r"'empty.csv' is empty \(0 bytes\); expected a header row"),
    ("blank_lines.csv", EmptyFileError, r"'blank_lines.csv' holds only blank lines"),
    (
        "header_only.csv",
        EmptyFileError,
        r"'header_only.csv' has no data rows \(columns found: 'Company', 'Description', 'Industry'\)",
    ),
    ("header_only_title.csv", EmptyFileError, r"has no data rows \(columns found: 'Company', 'Description'\)"),
    ("header_only.xlsx", EmptyFileError, r"has no data rows \(columns found: 'Company', 'Description'\)"),
    ("empty.xlsx", EmptyFileError, r"'empty.xlsx' \(sheet 'Sheet1'\) is empty"),
    ("empty.parquet", EmptyFileError, r"'empty.parquet' has no data rows"),
    ("empty_list.json", EmptyFileError, r"'empty_list.json' holds an empty list: no rows"),
    (
        "no_name_column.csv",
        ColumnError,
        r"no column usable as the organisation name; the columns found are: 'Description', 'Industry', "
        r"'Revenue'\. Accepted name headers include 'Name', 'Company', 'Client'.*columns=\{'name'",
    ),
    (
        "no_signal_column.csv",
        ColumnError,
        r"no column carrying a signal the classifier can use; the columns found are: 'Company', 'Website', "
        r"'Country'\. Accepted: a description \('Description', 'Services'.*an industry.*a sector.*NAICS.*SIC"
        r".*yes/no questionnaire column \('Processes Payroll'",
    ),
    ("duplicate_headers.csv", ColumnError, r"the header 'Description' appears more than once, in columns 2 and 4"),
    (
        "duplicate_headers.xlsx",
        ColumnError,
        r"\(sheet 'Sheet1'\): the header 'Company' appears more than once, in columns 1 \(A\) and 3 \(C\)",
    ),
    ("duplicate_keys.json", ColumnError, r"the key 'Company' appears more than once in one JSON object"),
    (
        "utf16_no_bom.csv",
        DecodingError,
        r"could not be decoded as text: byte 1 is a NUL \(0x00\).*UTF-16 text without a byte-order mark\. "
        r"Tried utf-8, utf-8 with BOM, cp1252, latin-1",
    ),
    ("binary_garbage.csv", DecodingError, r"could not be decoded as text: byte \d+ is a NUL.*a binary file"),
    (
        "control_chars.csv",
        DecodingError,
        r"holds 320 control characters in its first \d+ bytes \(the first at byte 0\)",
    ),
    (
        "report.pdf",
        UnsupportedFormatError,
        r"'report.pdf' is a PDF document, which socanalysis does not read\. Accepted formats: \.csv \.tsv \.txt "
        r"\.xlsx \.parquet \.json \.jsonl",
    ),
    ("letter.docx", UnsupportedFormatError, r"'letter.docx' is a Word document.*Accepted formats: \.csv"),
    (
        "legacy.xls",
        UnsupportedFormatError,
        r"'legacy.xls' is an old binary Excel workbook \(\.xls\).*save it as \.xlsx or CSV.*Accepted formats",
    ),
    (
        "corrupt.xlsx",
        PortfolioError,
        r"'corrupt.xlsx' is not a readable \.xlsx workbook: it is a zip archive without a workbook in it",
    ),
    ("truncated.xlsx", PortfolioError, r"'truncated.xlsx' is not a readable \.xlsx workbook: it is a damaged"),
    ("not_parquet.parquet", PortfolioError, r"'not_parquet.parquet' is not a readable Parquet file"),
    (
        "not_records.json",
        PortfolioError,
        r"'not_records.json' is not a table of records: it holds an object with keys 'clients', 'generated'; "
        r"expected a list of objects",
    ),
    ("list_of_lists.json", PortfolioError, r"item 1 is a list \(\[\"Company\", \"Description\"\]\), not an object"),
    ("broken.json", PortfolioError, r"'broken.json' is not valid JSON: Expecting value at line 1, column 37"),
    ("ragged.csv", PortfolioError, r"'ragged.csv': row 3 has 4 values but the header \(row 1\) has 2 columns"),
]


@pytest.mark.parametrize(("name", "error", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_file(name, error, message):
    with pytest.raises(error, match=message):
        load_portfolio(BAD / name)


def test_every_bad_file_has_a_case():
    assert {p.name for p in BAD.iterdir()} == {c[0] for c in BAD_CASES}


@pytest.mark.parametrize(
    ("name", "error", "message"), BAD_CASES[:8] + BAD_CASES[13:18], ids=[c[0] for c in BAD_CASES[:8] + BAD_CASES[13:18]]
)
def test_bad_upload_gives_the_same_error(name, error, message):
    with pytest.raises(error, match=message):
        load_portfolio(io.BytesIO((BAD / name).read_bytes()), name=name)


def test_missing_file(tmp_path):
    with pytest.raises(PortfolioError, match=r"^no such file: .*nowhere\.csv$"):
        load_portfolio(tmp_path / "nowhere.csv")


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(PortfolioError, match=r"is a folder, not a file"):
        load_portfolio(tmp_path)


@pytest.mark.parametrize(
    ("hint", "what"),
    [("scan.pdf", "a PDF document"), ("old.xls", "an old binary Excel"), ("deck.pptx", "a PowerPoint presentation")],
)
def test_unsupported_by_name_hint(hint, what):
    with pytest.raises(UnsupportedFormatError, match=rf"'{hint}' is {what}.*Accepted formats: \.csv"):
        load_portfolio(io.BytesIO(b"Company,Industry\nAcme,Payroll\n"), name=hint)


@pytest.mark.parametrize(
    ("name", "what"),
    [("report.pdf", "a PDF document"), ("letter.docx", "a Word document"), ("legacy.xls", "an old binary Office file")],
)
def test_unsupported_by_content(name, what):
    with pytest.raises(UnsupportedFormatError, match=rf"^the input is {what}"):
        load_portfolio(io.BytesIO((BAD / name).read_bytes()))


def test_a_csv_renamed_xlsx():
    with pytest.raises(PortfolioError, match=r"not a valid \.xlsx workbook.*rename it to \.csv"):
        load_portfolio(io.BytesIO(b"Company,Industry\nAcme,Payroll\n"), name="leads.xlsx")


def test_an_xls_renamed_xlsx():
    with pytest.raises(UnsupportedFormatError, match=r"old binary Excel workbook \(\.xls format, whatever its name"):
        load_portfolio(io.BytesIO((BAD / "legacy.xls").read_bytes()), name="leads.xlsx")


def test_a_single_object_is_one_record_only_in_json_lines():
    df = load_portfolio(io.BytesIO(b'{"Company": "Acme", "Industry": "Payroll"}\n'), name="one.jsonl")
    assert df["Company"].tolist() == ["Acme"]


def test_broken_json_lines_names_the_line():
    data = b'{"Company": "Acme", "Industry": "Payroll"}\n{"Company": "Globex", \n'
    with pytest.raises(PortfolioError, match=r"line 2 is not valid JSON"):
        load_portfolio(io.BytesIO(data), name="leads.jsonl")


def test_json_nested_values_become_json_text():
    data = b'[{"Company": "Acme", "Industry": "Payroll", "Tags": ["hr", "pay"], "Revenue": 12.0}]'
    df = load_portfolio(io.BytesIO(data), name="x.json")
    assert df.iloc[0, :4].tolist() == ["Acme", "Payroll", '["hr", "pay"]', "12"]


def test_json_records_with_different_keys_keep_first_seen_order():
    data = b'[{"Company": "Acme", "Industry": "Payroll"}, {"Website": "g.com", "Company": "Globex"}]'
    df = load_portfolio(io.BytesIO(data), name="x.json")
    assert list(df.columns) == ["Company", "Industry", "Website", "duplicate_of"]
    assert df["Website"].tolist() == [np.nan, "g.com"]


# --------------------------------------------------------------------------------------------
# properties and speed
# --------------------------------------------------------------------------------------------

_cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"), min_size=1, max_size=12),
    st.sampled_from(["NA", "None", "00123", "null", " x ", '"q"', "a,b;c|d", "2025-06-30"]),
)
_company = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(_company, _cell, _cell), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_table_of_strings_round_trips_through_csv(rows, delimiter, encoding):
    header = ["Company", "Description", "Extra"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([header, *[["" if v is None else v for v in row] for row in rows]])
    df = read_table(io.BytesIO(buffer.getvalue().encode(encoding)), name="t.csv")
    expected = pd.DataFrame([list(r) for r in rows], columns=header, dtype="str")
    pd.testing.assert_frame_equal(df, expected)
    assert df.attrs["socanalysis"]["delimiter"] == delimiter


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=30))
def test_duplicate_flags_point_backwards_at_an_unflagged_equal_row(names):
    series = pd.Series(names, dtype=object)
    out = find_duplicates(series)
    keys = normalise_name(series)
    assert len(out) == len(series)
    for i, first in enumerate(out):
        if pd.isna(first):
            assert pd.isna(keys[i]) or keys[i] not in set(keys[:i].dropna())
        else:
            assert first - 1 < i and keys[first - 1] == keys[i] and pd.isna(out[first - 1])


def test_large_csv_reads_at_read_csv_speed(tmp_path):
    n = 200_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "Company": [f"Company {i}" for i in range(n)],
            "Description": rng.choice(["Payroll processing, HR", "Cloud hosting\nand IT", "Widgets"], n),
            "NAICS": rng.integers(100000, 999999, n).astype(str),
        }
    )
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    start = time.perf_counter()
    pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    df = load_portfolio(path)
    ours = time.perf_counter() - start
    assert len(df) == n and df["Description"].iloc[1] == frame["Description"].iloc[1]
    assert ours < 3 * baseline + 1.5, (ours, baseline)
