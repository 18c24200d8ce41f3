"""Write the loader's fixture files: ``tests/goodfiles/`` and ``tests/badfiles/``.

Every file in goodfiles/ except the ``typed_*`` and ``latin1_*`` ones holds the same small portfolio
(:data:`HEADER`, :data:`ROWS`) in another format, encoding or delimiter; the loader must read each
back to the same values. badfiles/ holds one file per error the loader reports.

Run from the repository root after changing anything here, and commit the files it writes::

    python tests/goodfiles/make_fixtures.py
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import random
import re
import zipfile
from pathlib import Path

GOOD = Path(__file__).resolve().parent
BAD = GOOD.parent / "badfiles"

HEADER = ["Client Name", "Services", "Industry", "NAICS", "Website", "Period End", "Notes"]
# None is an empty cell. The values carry what real exports carry: the delimiters inside values,
# a newline inside a value, quotes, cp1252 punctuation, accents, codes with leading zeros, and
# company names that pandas would otherwise take for missing values ("NA", "None").
ROWS = [
    [
        "Acme Payroll, Inc.",
        "Payroll processing\nand HR for employers",
        "Software",
        "541214",
        "https://www.acmepayroll.com",
        "2025-06-30",
        "Café \u201cpremium\u201d client \u2014 EU",
    ],
    ["NA", "Cloud hosting; managed IT | 24/7", "Information Technology", "00123", "na-hosting.example", None, "None"],
    ["Zürich Data AG", "Data centre & colocation", None, "518210", None, "2024-12-31", 'said "hello"'],
    ["acme payroll inc", "Payroll", "Software", None, None, None, None],
    ["Globex Ltd", "Widget manufacturing", "Manufacturing", "332999", "acmepayroll.com/contact", None, "naïve"],
]
DUPLICATE_OF = [None, None, None, 1, 1]

TITLE = ["Client portfolio FY2026"]


def _delimited(rows: list[list[str | None]], delimiter: str, newline: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def _records() -> list[dict]:
    return [dict(zip(HEADER, row, strict=True)) for row in ROWS]


def text_fixtures() -> dict[str, bytes]:
    """The text fixtures, by file name (reproducible byte for byte)."""
    table = [HEADER, *ROWS]
    titled = [TITLE, [], HEADER, *ROWS]
    return {
        "comma_utf8.csv": _delimited(table, ",").encode("utf-8"),
        "comma_utf8_bom_crlf.csv": codecs.BOM_UTF8 + _delimited(table, ",", "\r\n").encode("utf-8"),
        "semicolon_cp1252.csv": _delimited(table, ";", "\r\n").encode("cp1252"),
        "tab_utf8.tsv": _delimited(table, "\t").encode("utf-8"),
        "tab_utf16_bom.txt": _delimited(table, "\t", "\r\n").encode("utf-16"),
        "pipe_utf8.txt": _delimited(table, "|").encode("utf-8"),
        "title_rows.csv": _delimited(titled, ",").encode("utf-8"),
        "title_rows_semicolon_cp1252.csv": _delimited(titled, ";", "\r\n").encode("cp1252"),
        "records.json": json.dumps(_records(), ensure_ascii=False, indent=1).encode("utf-8"),
        "records.jsonl": "".join(json.dumps(r) + "\n" for r in _records()).encode("utf-8"),
        "latin1_pipe.txt": "Company|Sector|Country\nSociété Générale|Banking|France\nZürich AG|Insurance|"
        "Schweiz\n".encode("latin-1"),
    }


def _write_xlsx(path: Path, rows: list[list], *, title: str = "Sheet1", extra_sheet: bool = False) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra_sheet:
        wb.create_sheet("Notes").append(["Prepared by the audit team"])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so that regenerating it gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", content)
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


def binary_fixtures() -> None:
    """The Excel and Parquet fixtures."""
    import pandas as pd

    _write_xlsx(GOOD / "plain.xlsx", [HEADER, *ROWS])
    _write_xlsx(GOOD / "title_rows.xlsx", [[], TITLE, [None], HEADER, *ROWS], title="Clients", extra_sheet=True)
    _write_xlsx(
        GOOD / "typed.xlsx",
        [
            ["Company", "Description", "NAICS", "Founded", "Period End", "Fee", "Rate", "Active", "Code", "Stamp"],
            [
                "Acme Payroll",
                "Payroll processing",
                541214,
                1999,
                dt.datetime(2025, 6, 30),
                1234.5,
                2.0,
                True,
                "00123",
                dt.datetime(2025, 6, 30, 14, 30),
            ],
            ["Globex", "Widget manufacturing", None, 2010.0, dt.date(2024, 12, 31), 0.1, None, False, None, None],
        ],
    )
    frame = pd.DataFrame([dict(zip(HEADER, row, strict=True)) for row in ROWS], dtype="str")
    frame.to_parquet(GOOD / "strings.parquet", index=False)
    pd.DataFrame(
        {
            "Company": ["Acme Payroll", "Globex"],
            "Description": ["Payroll processing", "Widget manufacturing"],
            "NAICS": pd.array([541214, None], dtype="Int64"),
            "Employees": [120, 4000],
            "Fee": [1234.5, 2.0],
            "Period End": [dt.date(2025, 6, 30), None],
            "Stamp": pd.to_datetime(["2025-06-30 14:30", "2024-12-31 00:00"]),
            "Active": [True, False],
        }
    ).to_parquet(GOOD / "typed.parquet", index=False)


def bad_fixtures() -> None:
    """One file per error."""
    import pandas as pd

    BAD.mkdir(exist_ok=True)
    files = {
        "empty.csv": b"",
        "blank_lines.csv": b"\n\n   \r\n\t\n",
        "header_only.csv": b"Company,Description,Industry\n",
        "header_only_title.csv": b"Client portfolio FY2026\n\nCompany,Description\n\n",
        "no_name_column.csv": b"Description,Industry,Revenue\nPayroll processing,Software,10M\n",
        "no_signal_column.csv": b"Company,Website,Country\nAcme,acme.com,US\n",
        "duplicate_headers.csv": b"Company,Description,Industry,Description\nAcme,Payroll,Software,HR\n",
        "ragged.csv": b"Company,Description\nAcme,Payroll\nGlobex,Widgets,Manufacturing,extra\n",
        "utf16_no_bom.csv": "Company,Description\nAcme,Payroll\n".encode("utf-16-le"),
        "binary_garbage.csv": random.Random(2026).randbytes(4096),
        "control_chars.csv": bytes(range(1, 9)) * 40 + b"\nCompany,Description\n",
        "report.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n",
        "legacy.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "not_records.json": b'{"clients": 2, "generated": "2026-01-01"}\n',
        "list_of_lists.json": b'[["Company", "Description"], ["Acme", "Payroll"]]\n',
        "broken.json": b'[{"Company": "Acme", "Description": }]\n',
        "duplicate_keys.json": b'[{"Company": "Acme", "Description": "Payroll", "Company": "Acme Inc"}]\n',
        "empty_list.json": b"[]\n",
    }
    for name, content in files.items():
        (BAD / name).write_bytes(content)

    # a zip archive that is not a workbook, under an .xlsx name; and a Word document
    for name, inner in (("corrupt.xlsx", "notes.txt"), ("letter.docx", "word/document.xml")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(zipfile.ZipInfo(inner, date_time=(2026, 1, 1, 0, 0, 0)), "<w:document/>")
        (BAD / name).write_bytes(buffer.getvalue())
    # a workbook cut in half (a broken download)
    _write_xlsx(BAD / "truncated.xlsx", [HEADER, *ROWS])
    whole = (BAD / "truncated.xlsx").read_bytes()
    (BAD / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    _write_xlsx(BAD / "header_only.xlsx", [["Client portfolio FY2026"], [], ["Company", "Description"]])
    _write_xlsx(BAD / "empty.xlsx", [])
    _write_xlsx(BAD / "duplicate_headers.xlsx", [["Company", "Services", "Company"], ["Acme", "Payroll", "x"]])
    empty = {"Company": pd.Series([], dtype="str"), "Description": pd.Series([], dtype="str")}
    pd.DataFrame(empty).to_parquet(BAD / "empty.parquet", index=False)
    (BAD / "not_parquet.parquet").write_bytes(b"PAR1 this is not really parquet PAR1")


def main() -> None:
    for name, content in text_fixtures().items():
        (GOOD / name).write_bytes(content)
    binary_fixtures()
    bad_fixtures()


if __name__ == "__main__":
    main()
