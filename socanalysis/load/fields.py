"""The canonical fields of a portfolio or lead list and the headers people use for them.

A spreadsheet calls the organisation's name "Client", "Account Name" or "Legal Entity"; the
rest of socanalysis only speaks of the canonical field ``name``. :func:`resolve` maps the
user's headers to fields, ignoring case, spaces and punctuation.

>>> resolve(["Account Name", "Business Description", "NAICS Code", "Notes"])
{'name': 'Account Name', 'description': 'Business Description', 'naics': 'NAICS Code'}
>>> resolve(["Legal Entity", "Client"], overrides={"name": "Legal Entity"})["name"]
'Legal Entity'
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ColumnError
from ..vocabulary import ATTRS_KEY, QUESTION_FIELDS, SIGNAL_FIELDS


@dataclass(frozen=True)
class Field:
    """A canonical field: its name, what it holds, and header synonyms in order of preference."""

    name: str
    label: str
    synonyms: tuple[str, ...]
    signal: bool = False  # carries information the classifier can use (vocabulary.SIGNAL_FIELDS)
    question: bool = False  # a yes/no questionnaire column (vocabulary.QUESTION_FIELDS)


# Read at import, before the command line reads a file's first rows: so the file is found beside
# this module (importlib.resources would load tempfile and more first) and it is JSON, which the
# standard library parses in well under a millisecond, where importing PyYAML alone takes ~20 ms.
_DATA_FILE = Path(__file__).with_name("fields.json")
_KEYS = ("name", "label", "synonyms")


def _field_from(entry: object, position: int) -> Field:
    """One entry of the fields file as a :class:`Field`; the flags come from the shared words."""
    where = f"{_DATA_FILE.name}, field {position}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object with keys {', '.join(_KEYS)}, got {entry!r}")
    if "name" in entry:
        where += f" ({entry['name']!r})"
    missing = [key for key in _KEYS if key not in entry]
    unknown = [key for key in entry if key not in _KEYS]
    if missing or unknown:
        raise ValueError(
            f"{where}: missing {', '.join(missing) or 'nothing'}, unknown {', '.join(unknown) or 'nothing'}; "
            f"a field has exactly the keys {', '.join(_KEYS)}"
        )
    name, label, synonyms = (entry[key] for key in _KEYS)
    for key, value in (("name", name), ("label", label)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{where}: {key} must be a non-empty text, got {value!r}")
    if not isinstance(synonyms, list) or not synonyms or not all(isinstance(s, str) and s for s in synonyms):
        raise ValueError(f"{where}: synonyms must be a non-empty list of texts, got {synonyms!r}")
    return Field(name, label, tuple(synonyms), signal=name in SIGNAL_FIELDS, question=name in QUESTION_FIELDS)


def _parse_fields(text: str) -> tuple[Field, ...]:
    """The fields declared in the text of a fields file, checked against the shared words.

    Raises
    ------
    ValueError
        Naming the field and the key, when an entry is malformed, a name is repeated, or the
        signal or question fields of :mod:`socanalysis.vocabulary` are missing or out of order.

    Examples
    --------
    >>> _parse_fields('{"fields": [{"name": "name", "label": "organisation name", "synonyms": ["client"]}]}')
    Traceback (most recent call last):
    ...
    ValueError: fields.json: the signal fields must appear in the order of SIGNAL_FIELDS ...
    >>> _parse_fields('{"fields": [{"name": "name", "synonyms": ["client"]}]}')
    Traceback (most recent call last):
    ...
    ValueError: fields.json, field 1 ('name'): missing label, unknown nothing; a field has exactly ...
    """
    document = json.loads(text)
    if not isinstance(document, dict) or not isinstance(document.get("fields"), list):
        raise ValueError(f'{_DATA_FILE.name}: expected an object with a list "fields"')
    fields = tuple(_field_from(entry, position) for position, entry in enumerate(document["fields"], start=1))
    names = [f.name for f in fields]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{_DATA_FILE.name}: each field is declared once; repeated: {', '.join(repeated)}")
    for flag, words in (("signal", SIGNAL_FIELDS), ("question", QUESTION_FIELDS)):
        declared = tuple(f.name for f in fields if getattr(f, flag))
        if declared != words:
            raise ValueError(
                f"{_DATA_FILE.name}: the {flag} fields must appear in the order of {flag.upper()}_FIELDS in "
                f"socanalysis/vocabulary.py ({', '.join(words)}); found {', '.join(declared) or 'none'}"
            )
    return fields


FIELDS: tuple[Field, ...] = _parse_fields(_DATA_FILE.read_text(encoding="utf-8"))
"""Every canonical field, in the order of ``fields.json``."""
FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

_NORM = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """Lower-case a header and drop spaces and punctuation.

    >>> normalise_header("  Client-Name (Legal) ")
    'clientnamelegal'
    """
    return _NORM.sub("", str(header).lower())


def _synonym_index(fields: Iterable[Field]) -> dict[str, list[tuple[int, str]]]:
    """Normalised synonym -> [(rank among its field's synonyms, field name)]."""
    index: dict[str, list[tuple[int, str]]] = {}
    for field in fields:
        for rank, synonym in enumerate(field.synonyms):
            index.setdefault(normalise_header(synonym), []).append((rank, field.name))
    return index


_SYNONYMS = _synonym_index(FIELDS)


def resolve(columns: Iterable[object], overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map canonical field names to the user's column names.

    Exact matches (after normalising case, spaces and punctuation) win over partial ones; among
    several candidates the more usual synonym wins, then the leftmost column. Each column serves
    at most one field. ``overrides`` (``{"name": "Legal Entity"}``) are applied first.

    Raises
    ------
    ColumnError
        If an override names an unknown field or a column that is not in the table.
    """
    columns = [str(c) for c in columns]
    mapping: dict[str, str] = {}
    for field, column in (overrides or {}).items():
        if field not in FIELD_BY_NAME:
            known = f"{field!r} is not a field socanalysis knows; accepted fields: {', '.join(FIELD_BY_NAME)}"
            raise ColumnError(f"columns={{{field!r}: {column!r}}}: {known}", plain=f"{field}={column}: {known}")
        if column is None:
            mapping[field] = None  # explicitly unmapped
            continue
        if str(column) not in columns:
            absent = f"there is no column {column!r}; the columns are: {', '.join(map(repr, columns))}"
            raise ColumnError(f"columns={{{field!r}: {column!r}}}: {absent}", plain=f"{field}={column}: {absent}")
        mapping[field] = str(column)
    taken = {c for c in mapping.values() if c is not None}
    candidates = []
    for position, column in enumerate(columns):
        key = normalise_header(column)
        for rank, field in _SYNONYMS.get(key, []):
            candidates.append((0, rank, position, field, column))
        if key in _SYNONYMS or len(key) < 3:
            continue
        # partial: "Primary Industry (LinkedIn)" -> industry; only synonyms of 5+ characters
        for syn, hits in _SYNONYMS.items():
            if len(syn) >= 5 and syn in key:
                for rank, field in hits:
                    candidates.append((1, rank + len(key) - len(syn), position, field, column))
    for _exact, _rank, _position, field, column in sorted(candidates):
        if field in mapping or column in taken:
            continue
        mapping[field] = column
        taken.add(column)
    return {f.name: mapping[f.name] for f in FIELDS if mapping.get(f.name) is not None}


def fields_of(df, *, headers: bool = True) -> dict[str, str]:
    """The field -> column mapping of a frame: the one it carries (set by the loader or the
    classifier in ``df.attrs``), else (with ``headers``) the one its headers resolve to; only
    columns it has.

    >>> import pandas as pd
    >>> fields_of(pd.DataFrame(columns=["Vendor", "NAICS Code"]))
    {'name': 'Vendor', 'naics': 'NAICS Code'}
    """
    carried = df.attrs.get(ATTRS_KEY, {}).get("fields")
    if carried or (carried is not None and not headers):
        return {f: c for f, c in carried.items() if c is not None and c in df.columns}
    return resolve(df.columns) if headers else {}


def mapping_table(mapping: Mapping[str, str]) -> list[dict[str, str]]:
    """Rows of (field, meaning, column) for showing the user which column serves which field.

    >>> mapping_table({"name": "Client"})
    [{'field': 'name', 'meaning': 'organisation name', 'column': 'Client'}]
    """
    return [{"field": f.name, "meaning": f.label, "column": mapping[f.name]} for f in FIELDS if f.name in mapping]
