"""NAICS and SIC codes: reading them as spreadsheets hold them, and matching rule prefixes.

A cell may hold ``541214``, ``541214.0`` (Excel), ``5412`` (a shorter prefix), ``541214 - Payroll
Services`` or several codes (``541214; 518210``). The longest rule prefix of each code wins, so a
specific code overrides its sector.

>>> [parse_cell("naics", v) for v in ["541214 - Payroll Services", "5182.0", "541214; 518210", "n/a"]]
[(('541214',), ''), (('5182',), ''), (('541214', '518210'), ''), ((), '')]
>>> parse_cell("naics", "abc")[1]
"NAICS 'abc' is not a NAICS code (2 to 6 digits, e.g. 541214)"

Lead tools put a code in the industry column too; such a cell is read as the code it names:

>>> [code_system(v) for v in ["541214", "NAICS 5182", "7374 - Computer Services", "SIC: 6022", "Banking", "2 Sisters"]]
['naics', 'naics', 'sic', 'sic', None, None]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .matching import Hits, _expand, distinct_cells

_SPEC = {
    "naics": {"label": "NAICS", "digits": (2, 6), "example": "541214"},
    "sic": {"label": "SIC", "digits": (2, 4), "example": "7374"},
}
NAICS_SECTORS = frozenset("11 21 22 23 31 32 33 42 44 45 48 49 51 52 53 54 55 56 61 62 71 72 81 92".split())
_EMPTY = frozenset(["", "-", "--", "n/a", "na", "none", "null", "unknown", "nan", "0", "tbd", "?"])
CACHE_LIMIT = 100_000  # entries a cache kept with the rules holds at most (distinct cells, sentences)
_NUMBER = re.compile(r"\d+(?:\.0+)?(?![0-9A-Za-z])")
# an industry cell that is a code: "541214", "541214.0", "NAICS 541214", "SIC code: 7374",
# "541214 - Payroll Services", "541214 Payroll Services"
_CODE_CELL = re.compile(
    r"\s*(?:(naics|sic)(?:[ -]?(?:19|20)\d\d)?(?:\s*code)?\s*[:#]?\s*)?"  # "NAICS 2022 code:"
    r"(\d{2,6})(?:\.0+)?(?:\s*$|\s*[-\u2013\u2014:|]|\s+[a-z])",  # the code, then nothing or its title
    re.IGNORECASE,
)
_MAYBE_CODE = r"^\s*(?i:naics|sic)?[^0-9a-z]*[0-9]{2}"  # cells worth reading with _CODE_CELL (Arrow's RE2)


def parse_cell(system: str, text: str) -> tuple[tuple[str, ...], str]:
    """Codes found in one cell and a problem description ('' when fine)."""
    spec = _SPEC[system]
    raw = text.strip()
    if raw.lower() in _EMPTY:
        return (), ""
    low, high = spec["digits"]
    codes = []
    # codes lead the cell or are separated by ; , / | or whitespace; text after a code is its title
    for part in re.split(r"[;,/|]|\s{2,}|\s+and\s+", raw):
        part = part.strip()
        if not part:
            continue
        m = _NUMBER.match(part)
        if not m:
            continue
        digits = m.group(0).split(".")[0]
        if system == "sic" and len(digits) == 3 and len(part) == 3:
            digits = "0" + digits  # Excel drops the leading zero of 0100-0971
        if low <= len(digits) <= high and (system != "naics" or digits[:2] in NAICS_SECTORS):
            codes.append(digits)
    if codes:
        return tuple(dict.fromkeys(codes)), ""
    return (), (
        f"{spec['label']} {raw!r} is not a {spec['label']} code ({low} to {high} digits, e.g. {spec['example']})"
    )


def code_system(text: str) -> str | None:
    """``"naics"`` or ``"sic"`` when an industry cell is a code (the system it names, else NAICS
    when its first two digits are a NAICS sector, else SIC for four digits), or None."""
    found = _code_in(text)
    return None if found is None else found[0]


def _code_in(text: str) -> tuple[str, str] | None:
    """The system and the digits of an industry cell that is a code (:func:`code_system`), or None."""
    m = _CODE_CELL.match(text)
    if m is None:
        return None
    named, digits = (m.group(1) or "").lower(), m.group(2)
    if named:
        return named, digits
    if digits[:2] in NAICS_SECTORS:
        return "naics", digits
    return ("sic", digits) if len(digits) == 4 else None


def code_cells(values: pa.Array | pa.ChunkedArray) -> dict[str, tuple[np.ndarray, pa.Array]]:
    """Per code system, the rows of an industry column whose cell is a code (:func:`code_system`)
    and, per row, the code as :func:`match_code_cells` reads it (null elsewhere). Read once per
    distinct cell that starts like a code.

    >>> found = code_cells(pa.array(["NAICS 541214", "Banking", "7374 - Computer Services"]))
    >>> {k: (rows.tolist(), codes.to_pylist()) for k, (rows, codes) in found.items()}
    {'naics': ([True, False, False], ['541214', None, None]), 'sic': ([False, False, True], [None, None, '7374'])}
    """
    cells, codes = distinct_cells(values)
    maybe = pc.fill_null(pc.match_substring_regex(cells, _MAYBE_CODE), False).to_numpy(zero_copy_only=False)
    out: dict[str, tuple[np.ndarray, pa.Array]] = {}
    if not maybe.any():
        return out
    found: dict[str, list] = {}  # per system, the code of each distinct cell (None: not one)
    for i in np.flatnonzero(maybe).tolist():
        code = _code_in(cells[i].as_py())
        if code is not None:
            found.setdefault(code[0], [None] * (len(cells) + 1))[i] = code[1]
    for system, code_of in found.items():
        per_cell = pa.array(code_of, pa.large_string())  # a missing cell last
        per_row = per_cell.take(pa.array(codes))
        out[system] = (np.asarray(per_row.is_valid()), per_row)
    return out


@dataclass(frozen=True)
class CodeMatches:
    """The codes of a column, read once per distinct cell.

    ``hits``: the terms per row. ``cells``: the distinct cells; ``codes``: per row, the index of
    its cell, ``len(cells)`` for a missing one. ``problems``: per distinct cell, its problem ('' when
    fine).
    """

    hits: Hits
    cells: pa.Array
    codes: np.ndarray
    problems: list[str]


def match_code_cells(
    system: str, values: pd.Series | pa.Array, prefixes: dict[str, int], cache: dict | None = None
) -> CodeMatches:
    """Hits for the longest rule prefix of every code in a column, and the problem of every cell.

    ``prefixes`` maps a code prefix to the id of the term that stands for it; ``cache`` (kept by
    the caller with the prefixes) remembers the terms of each distinct cell from call to call.
    Cells are parsed once per distinct value: a column holds a few thousand codes at most.
    """
    cells, codes = distinct_cells(values)
    cache = {} if cache is None else cache
    value_of, term_of, problem_of = [], [], []  # the hits of the distinct cells; their problems
    for i, value in enumerate(cells.to_pylist()):
        known = cache.get((system, value))
        if known is None:
            found_codes, problem = parse_cell(system, value)
            found = []
            for code in found_codes:
                for k in range(len(code), 1, -1):
                    term = prefixes.get(code[:k])
                    if term is not None:
                        found.append(term)
                        break
            if len(cache) >= CACHE_LIMIT:  # a column of free text: keep memory bounded
                cache.clear()
            known = cache[(system, value)] = (list(dict.fromkeys(found)), problem)
        value_of += [i] * len(known[0])
        term_of += known[0]
        problem_of.append(known[1])
    per_cell = Hits(np.array(value_of, np.int64), np.array(term_of, np.int32), np.zeros(len(value_of), bool))
    # each row takes the hits of its cell, in row order (a missing cell has none)
    return CodeMatches(_expand(per_cell, codes, len(cells) + 1), cells, codes, problem_of)
