"""Where a table's bytes come from and what they hold: the source (a path, bytes or an open file),
its format, its text encoding, and the layout of a delimited text file (delimiter, header row).

The standard library only, so that the command line can find a large CSV file's layout and start
reading it before pandas and the compiled classifier have loaded. :mod:`socanalysis.load.reading` reads
the table itself.

>>> data = b"Leads export\\n\\nCompany;Description\\nAcme;Payroll\\n"
>>> src, layout = _csv_layout(_open_source(data, "leads.csv"), None)
>>> layout.delimiter, layout.header_row, layout.header
(';', 3, ['Company', 'Description'])
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ..errors import ColumnError, DecodingError, EmptyFileError, PortfolioError, UnsupportedFormatError
from ..vocabulary import SIGNAL_FIELDS
from .fields import resolve

ACCEPTED_EXTENSIONS: tuple[str, ...] = (".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".json", ".jsonl")

HEADER_SEARCH_ROWS = 20  # the header row is looked for among the first 20 non-empty rows
SAMPLE_BYTES = 1 << 18  # bytes read to sniff the delimiter and find the header
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
_CHUNK = 1 << 23

_FORMAT_BY_EXT = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".json": "json",
    ".jsonl": "json",
}
_UNSUPPORTED_EXT = {
    ".xls": "an old binary Excel workbook (.xls); open it in Excel and save it as .xlsx or CSV",
    ".xlsb": "a binary Excel workbook (.xlsb); open it in Excel and save it as .xlsx or CSV",
    ".xlsm": "a macro-enabled Excel workbook (.xlsm); save it as .xlsx or CSV",
    ".ods": "an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV",
    ".numbers": "a Numbers spreadsheet; export it as .xlsx or CSV",
    ".pdf": "a PDF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".ppt": "a PowerPoint presentation",
    ".pptx": "a PowerPoint presentation",
    ".zip": "a zip archive; unpack it first",
    ".gz": "a compressed file; unpack it first",
    ".html": "a web page",
    ".htm": "a web page",
    ".xml": "an XML file",
    ".png": "an image",
    ".jpg": "an image",
    ".jpeg": "an image",
}
_ACCEPTED_TEXT = "accepted formats: " + " ".join(ACCEPTED_EXTENSIONS)

_EXPECTED_ROWS = "expected a header row and at least one data row"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# --------------------------------------------------------------------------------------------
# the source: a path, bytes, or a file object
# --------------------------------------------------------------------------------------------


@dataclass
class _Source:
    """Where the bytes come from, and how to name the file in messages."""

    name: str | None  # file name (no folders), None when unknown
    path: Path | None = None
    data: bytes | None = None  # in-memory content (uploads, binary file objects)
    text: str | None = None  # in-memory text (text-mode file objects)

    @property
    def label(self) -> str:
        return repr(self.name) if self.name else "the input"

    @property
    def ext(self) -> str:
        return Path(self.name).suffix.lower() if self.name else ""

    def size(self) -> int:
        if self.path is not None:
            return self.path.stat().st_size
        if self.data is not None:
            return len(self.data)
        return len(self.text or "")

    def head(self, n: int) -> bytes:
        if self.path is not None:
            with self.path.open("rb") as f:
                return f.read(n)
        if self.data is not None:
            return self.data[:n]
        return (self.text or "")[:n].encode("utf-8")

    def open(self) -> IO[bytes]:
        if self.path is not None:
            return self.path.open("rb")
        if self.data is not None:
            return io.BytesIO(self.data)
        return io.BytesIO((self.text or "").encode("utf-8"))

    def handle(self) -> Path | IO[bytes]:
        """A path or a binary stream for readers that accept either (Excel, Parquet)."""
        self.require_binary()
        return self.path if self.path is not None else io.BytesIO(self.data or b"")

    def require_binary(self) -> None:
        if self.text is not None:
            raise PortfolioError(
                f"{self.label} was opened as text; open it in binary mode (open(path, 'rb')) "
                "to read Excel or Parquet files"
            )


def _open_source(source: Any, name: str | None) -> _Source:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise PortfolioError(f"no such file: {os.fspath(source)}")
        if path.is_dir():
            raise PortfolioError(f"{os.fspath(source)} is a folder, not a file; {_ACCEPTED_TEXT}")
        return _Source(name=name or path.name, path=path)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _Source(name=name, data=bytes(source))
    if hasattr(source, "read"):
        if name is None:
            hint = getattr(source, "name", None)
            name = os.path.basename(hint) if isinstance(hint, str) and hint else None
        content = source.read()
        if isinstance(content, str):
            return _Source(name=name, text=content)
        if isinstance(content, (bytes, bytearray, memoryview)):
            return _Source(name=name, data=bytes(content))
        raise TypeError(f"source.read() returned {type(content).__name__}, expected bytes or str")
    raise TypeError(f"source must be a file path or a file-like object (e.g. io.BytesIO), got {type(source).__name__}")


def _magic_hint(head: bytes) -> str | None:
    if head.startswith(_ZIP_MAGIC):
        return "a zip archive (an .xlsx workbook or Word document?)"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    if head.startswith(_OLE_MAGIC):
        return "an old binary Office file (.xls or .doc)"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"GIF8"):
        return "an image"
    return None


def _zip_kind(src: _Source) -> str:
    """'xlsx', 'docx', 'pptx', 'zip' or 'broken' for a file starting with the zip magic."""
    try:
        with src.open() as f, zipfile.ZipFile(f) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return "broken"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def _unsupported(src: _Source, what: str) -> UnsupportedFormatError:
    what, _, advice = what.partition("; ")
    advice = f"{advice[:1].upper()}{advice[1:]}. " if advice else ""
    return UnsupportedFormatError(
        f"{src.label} is {what}, which socanalysis does not read. {advice}{_ACCEPTED_TEXT[0].upper()}"
        f"{_ACCEPTED_TEXT[1:]}"
    )


def _detect_format(src: _Source) -> str:
    """The format to read: 'csv', 'xlsx', 'parquet' or 'json' (extension first, then content)."""
    ext = src.ext
    if ext in _FORMAT_BY_EXT:
        return _FORMAT_BY_EXT[ext]
    if ext in _UNSUPPORTED_EXT:
        raise _unsupported(src, _UNSUPPORTED_EXT[ext])
    if src.text is not None:
        return "json" if src.text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{") else "csv"
    head = src.head(64)
    if head.startswith(_ZIP_MAGIC):
        kind = _zip_kind(src)
        if kind == "xlsx":
            return "xlsx"
        what = {"docx": "a Word document", "pptx": "a PowerPoint presentation"}.get(kind, "a zip archive")
        raise _unsupported(src, what)
    if head.startswith(b"PAR1"):
        return "parquet"
    hint = _magic_hint(head)
    if hint is not None:
        raise _unsupported(src, hint)
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if stripped[:1] in (b"[", b"{"):
        return "json"
    return "csv"


# --------------------------------------------------------------------------------------------
# text: encodings
# --------------------------------------------------------------------------------------------

# control characters that do not occur in text (tab, newlines, vertical tab and form feed do);
# decoded as latin-1, bytes 0x80-0x9f are controls too
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_CONTROLS_LATIN1 = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _first_invalid(src: _Source, encoding: str, skip: int) -> tuple[int, int] | None:
    """Byte position and value of the first byte that ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = skip
    with src.open() as f:
        f.seek(skip)
        while True:
            chunk = f.read(_CHUNK)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                bad = (pending + chunk)[e.start : e.start + 1]
                return offset - len(pending) + e.start, bad[0] if bad else 0
            if not chunk:
                return None
            offset += len(chunk)


def _decoding_error(src: _Source, detail: str, tried: list[str]) -> DecodingError:
    return DecodingError(
        f"{src.label} could not be decoded as text: {detail}. Tried {', '.join(tried)}. Accepted text "
        "encodings: UTF-8 (with or without a BOM), UTF-16 with a BOM, cp1252 and latin-1; save the "
        "file as 'CSV UTF-8' and try again"
    )


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its little-endian mark starts like UTF-16's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _wide_encoding(head: bytes) -> str | None:
    """'utf-32' or 'utf-16' for bytes that start with one of their byte-order marks, else None."""
    return next((enc for bom, enc in _WIDE_BOMS if head.startswith(bom)), None)


def _detect_encoding(src: _Source, *, full_scan: bool = True) -> tuple[_Source, str, int]:
    """Return (source, encoding, bom length); UTF-16/32 sources come back re-encoded as UTF-8.

    With ``full_scan=False`` only the first ``SAMPLE_BYTES`` decide: a large file is then read as
    UTF-8 when its start is UTF-8, and the rare undecodable bytes further on are replaced and
    reported row by row (the batch engine does this) instead of switching the whole file to cp1252.
    """
    if src.text is not None:
        return src, "utf-8", 0
    head = src.head(4)
    enc = _wide_encoding(head)
    if enc is not None:
        with src.open() as f:
            raw = f.read()
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as e:
            raise _decoding_error(
                src,
                f"it starts with a {enc.upper()} byte-order mark but byte {e.start} is not valid {enc}",
                [enc],
            ) from None
        return _Source(name=src.name, data=text.encode("utf-8")), "utf-8", 0
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    sample = src.head(SAMPLE_BYTES)
    nul = sample.find(b"\x00")
    # a few NUL bytes in text (a glitch of the export) are removed and their rows named, wherever
    # they are (remove_nul); many, or a file that starts as a binary format does, are not text
    if nul >= 0 and (sample.count(0) > max(STRAY_NULS, len(sample) // 1000) or _magic_hint(sample)):
        even = sample[0:200:2].count(0)
        odd = sample[1:200:2].count(0)
        if max(even, odd) > 0.3 * min(100, len(sample) // 2) and min(even, odd) == 0:
            looks = "it looks like UTF-16 text without a byte-order mark"
        else:
            hint = _magic_hint(sample)
            looks = f"it looks like {hint}" if hint else "it looks like a binary file, not text"
        raise _decoding_error(
            src,
            f"byte {nul} is a NUL (0x00), which never occurs in text files: {looks}",
            ["utf-8", "utf-8 with BOM", "cp1252", "latin-1"],
        )
    tried = []
    encoding = "latin-1"
    scanned = src if full_scan or src.size() <= SAMPLE_BYTES else _Source(name=src.name, data=_whole_chars(sample))
    for enc in ("utf-8", "cp1252"):
        bad = _first_invalid(scanned, enc, bom)
        if bad is None:
            encoding = enc
            break
        if enc == "utf-8" and _UTF8_SEQUENCE.search(sample):
            # UTF-8 text with some rows in another encoding (lists pasted together): read as UTF-8,
            # those rows repaired and named (repair_utf8), rather than the whole file as cp1252
            encoding = enc
            break
        tried.append(f"{enc} (byte {bad[0]} is 0x{bad[1]:02x})")
    text = _decode_sample(sample[bom:], encoding)
    controls = (_CONTROLS_LATIN1 if encoding == "latin-1" else _CONTROLS).findall(text)
    if len(controls) > max(2, len(text) // 200):
        first_char = (_CONTROLS_LATIN1 if encoding == "latin-1" else _CONTROLS).search(text).start()
        first = bom + len(text[:first_char].encode(encoding))
        tried.append(encoding)
        raise _decoding_error(
            src,
            f"it holds {len(controls)} control characters in its first {len(sample)} bytes (the first "
            f"at byte {first}): it looks like a binary file, not text",
            tried,
        )
    return src, encoding, bom


# a character of two to four bytes in UTF-8: text holding one is UTF-8, whatever else it holds
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
REPAIR_MARK = "\ufdd0"  # a noncharacter: put after text repaired by repair_utf8, to find its rows
_REPAIR_ERRORS = "socanalysis-cp1252"


def _as_cp1252(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 refused as cp1252 (latin-1 for the five it leaves undefined), marked."""
    raw = exc.object[exc.start : exc.end]
    text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)
    return text + REPAIR_MARK, exc.end


codecs.register_error(_REPAIR_ERRORS, _as_cp1252)


def repair_utf8(data: bytes) -> bytes:
    """UTF-8 bytes where the bytes that are not UTF-8 are read as cp1252 (the Windows encoding
    that such rows come from), each repair followed by :data:`REPAIR_MARK` so that the reader can
    name the rows repaired and then remove the mark.

    >>> repair_utf8("Café;".encode() + "Café".encode("cp1252")).decode() == "Café;Café" + REPAIR_MARK
    True
    """
    return data.decode("utf-8", errors=_REPAIR_ERRORS).encode("utf-8")


REPAIRED_NOTE = "bytes that are not UTF-8 text were read as cp1252 (Windows) characters"
STRAY_NULS = 8  # NUL bytes a text file's first part may hold and still be read as text
NUL_MARK = "\ufdd1"  # a noncharacter: put where remove_nul took a NUL byte out, to find its rows
NUL_NOTE = "a NUL byte (0x00), which text never holds, was removed"


def remove_nul(data: bytes) -> bytes:
    """``data`` (UTF-8) with each NUL byte replaced by :data:`NUL_MARK`, for the reader to name
    the rows that held one and then remove the mark.

    >>> remove_nul(b"Acme\\x00,payroll") == "Acme\\ufdd1,payroll".encode()
    True
    """
    return data.replace(b"\x00", NUL_MARK.encode("utf-8"))


def _whole_chars(sample: bytes) -> bytes:
    """A prefix of a file without a UTF-8 character cut at its end."""
    end = len(sample)
    for back in range(1, 4):
        if end - back >= 0 and sample[end - back] & 0xC0 == 0xC0:  # a lead byte: is its sequence complete?
            need = 2 if sample[end - back] < 0xE0 else 3 if sample[end - back] < 0xF0 else 4
            return sample[: end - back] if back < need else sample
        if end - back >= 0 and sample[end - back] < 0x80:
            return sample
    return sample


def _decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a prefix of a file, dropping a character cut at the end."""
    return codecs.getincrementaldecoder(encoding)("replace").decode(sample, final=False)


# --------------------------------------------------------------------------------------------
# header-row detection (CSV and Excel)
# --------------------------------------------------------------------------------------------


def _is_header(cells: list[str | None], overrides: Mapping[str, str | None] | None) -> bool:
    names = [c for c in cells if isinstance(c, str) and c.strip()]
    if not names:
        return False
    wanted = {str(v) for v in (overrides or {}).values() if v is not None}
    if wanted and wanted <= set(names):
        return True
    found = resolve(names)
    return "name" in found and any(f in found for f in SIGNAL_FIELDS)


def _find_header(rows: list[list[str | None]], overrides: Mapping[str, str | None] | None) -> int | None:
    """Index of the header row: the first of the first non-empty rows that looks like a header
    (a name column and a signal column, or every column named in ``overrides``), else the first
    non-empty row; None when every row is empty."""
    first = None
    seen = 0
    for i, cells in enumerate(rows):
        if not any(isinstance(c, str) and c.strip() for c in cells):
            continue
        if first is None:
            first = i
        if _is_header(cells, overrides):
            return i
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return first


def _column_names(cells: Iterable[object]) -> list[str]:
    """Header cells as column names; an empty cell becomes 'Unnamed: i' as pandas names it."""
    out = []
    for i, cell in enumerate(cells):
        text = "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell)
        out.append(text if text.strip() else f"Unnamed: {i}")
    return out


def _check_duplicate_headers(columns: list[str], label: str, *, letters: bool = False) -> None:
    positions: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        if not column.startswith("Unnamed: "):
            positions.setdefault(column, []).append(i + 1)
    dupes = {c: p for c, p in positions.items() if len(p) > 1}
    if not dupes:
        return
    header, where = next(iter(dupes.items()))
    shown = [f"{p} ({_excel_letter(p)})" if letters else str(p) for p in where]
    others = [h for h in dupes if h != header]
    also = f" (also duplicated: {', '.join(map(repr, others))})" if others else ""
    raise ColumnError(
        f"{label}: the header {header!r} appears more than once, in columns {' and '.join(shown)}"
        f"{also}; every column needs its own header, so rename one of them",
        cases=[
            {"row": "header", "column": header, "value": header, "problem": f"also in column {p}"} for p in where[1:]
        ],
    )


def _excel_letter(position: int) -> str:
    letters = ""
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvLayout:
    encoding: str  # codec of the bytes after the BOM
    bom: int  # length of a UTF-8 BOM, 0 or 3
    delimiter: str
    offset: int  # byte offset of the header row
    header_row: int  # 1-based row (record) number of the header in the file, blank rows counted
    header: list[str]


def _records(text: str, delimiter: str, limit: int) -> list[tuple[list[str], int]]:
    """The first ``limit`` CSV records of ``text`` with the character offset where each ends."""
    end = 0

    def lines():
        nonlocal end
        for line in io.StringIO(text, newline=""):
            end += len(line)
            yield line

    out = []
    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for record in islice(reader, limit):
            out.append((record, end))
    except csv.Error:
        pass
    return out


def _sniff_delimiter(text: str, prefer: str | None) -> str:
    """The delimiter that splits the most rows into the same number (> 1) of fields.

    Rows it does not split at all (title rows) count against every candidate alike.
    """
    best, best_score = ",", None
    for order, delim in enumerate(DELIMITERS):
        counts = [len(r) for r, _ in _records(text, delim, 200) if any(c.strip() for c in r)]
        if len(counts) > 1 and not text.endswith(("\n", "\r")):
            counts = counts[:-1]  # the last record of a sample may be cut short
        split = [c for c in counts if c > 1]
        if not split:
            continue
        mode, freq = Counter(split).most_common(1)[0]
        score = (round(freq / len(counts), 2), mode, delim == prefer, -order)
        if best_score is None or score > best_score:
            best, best_score = delim, score
    return best


def _csv_layout(
    src: _Source, overrides: Mapping[str, str | None] | None, *, full_scan: bool = True
) -> tuple[_Source, _CsvLayout]:
    """Sniff a delimited text file; the source comes back re-encoded as UTF-8 if it was UTF-16/32."""
    if src.size() == 0:
        raise EmptyFileError(f"{src.label} is empty (0 bytes); {_EXPECTED_ROWS}")
    src, encoding, bom = _detect_encoding(src, full_scan=full_scan)
    if src.text is not None:
        text = src.text[:SAMPLE_BYTES]
        if text.startswith("\ufeff"):
            text, bom = text[1:], len(codecs.BOM_UTF8)
    else:
        text = _decode_sample(src.head(SAMPLE_BYTES)[bom:], encoding)
    if not text.strip():
        raise EmptyFileError(f"{src.label} holds only blank lines; {_EXPECTED_ROWS}")
    delimiter = _sniff_delimiter(text, "\t" if src.ext == ".tsv" else None)
    records = _records(text, delimiter, 4 * HEADER_SEARCH_ROWS)
    rows: list[list[str | None]] = [list(r) for r, _ in records]
    index = _find_header(rows, overrides)
    if index is None:
        raise EmptyFileError(f"{src.label} holds only blank lines; {_EXPECTED_ROWS}")
    start = records[index - 1][1] if index else 0
    offset = bom + len(text[:start].encode(encoding))
    return src, _CsvLayout(encoding, bom, delimiter, offset, index + 1, _column_names(records[index][0]))


def csv_layout_of(path, columns=None) -> _CsvLayout:
    """The layout of a CSV file to stream: decided on its first ``SAMPLE_BYTES`` (see
    :func:`_detect_encoding`); its header must not repeat a name. A UTF-16 or
    UTF-32 file is decoded whole to find it, and its layout names that encoding: its bytes cannot
    be cut into ranges of rows (:mod:`socanalysis.leads.streaming` reads them whole)."""
    src = _open_source(Path(path), None)
    _, layout = _csv_layout(src, columns, full_scan=False)
    _check_duplicate_headers(layout.header, repr(str(path)))
    wide = _wide_encoding(src.head(4))
    return layout if wide is None else dataclasses.replace(layout, encoding=wide)
