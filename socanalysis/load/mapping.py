"""The field mapping of a table, and the checks that it has what the classifier needs: a column for
the organisation's name and at least one column carrying a signal. Their errors list the columns
found and the headers accepted.

>>> validate_columns(pd.DataFrame(columns=["Client", "Industry", "Notes"]))
{'name': 'Client', 'industry': 'Industry'}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..errors import ColumnError
from ..vocabulary import ATTRS_KEY, SIGNAL_FIELDS
from .fields import mapping_table, resolve
from .sources import _check_duplicate_headers

__all__ = ["HEADER_EXAMPLES", "field_mapping", "require_name", "require_signal", "validate_columns"]


def field_mapping(df: pd.DataFrame) -> pd.DataFrame:
    """Which column serves which field: a table of ``field``, ``meaning`` and ``column``.

    Uses the mapping stored by :func:`load_portfolio` in ``df.attrs``; for any other frame, the
    mapping its headers resolve to.

    Examples
    --------
    >>> field_mapping(pd.DataFrame(columns=["Vendor", "NAICS Code"]))
       field            meaning      column
    0   name  organisation name      Vendor
    1  naics         NAICS code  NAICS Code
    """
    mapping = df.attrs.get(ATTRS_KEY, {}).get("fields")
    if mapping is None:
        mapping = resolve(df.columns)
    return pd.DataFrame(mapping_table(mapping), columns=["field", "meaning", "column"], dtype="str")


def _listed(columns: Iterable[object], limit: int = 20) -> str:
    columns = [str(c) for c in columns]
    shown = ", ".join(map(repr, columns[:limit])) or "none"
    return shown + (f" ... and {len(columns) - limit} more" if len(columns) > limit else "")


# headers shown in error messages; a test checks that each resolves to its field
HEADER_EXAMPLES: dict[str, tuple[str, ...]] = {
    "name": (
        "Name",
        "Company",
        "Client",
        "Client Name",
        "Account Name",
        "Legal Entity",
        "Organisation",
        "Organization",
        "Business Name",
        "Vendor",
    ),
    "description": ("Description", "Services", "Business Description", "About", "Summary", "Products"),
    "industry": ("Industry", "Sub-Industry", "Vertical", "Category", "Segment", "GICS Sub-Industry"),
    "sector": ("Sector", "GICS Sector"),
    "naics": ("NAICS", "NAICS Code"),
    "sic": ("SIC", "SIC Code"),
    "questions": ("Processes Payroll", "Processes Payments", "Stores Customer Data", "Personal Data", "HIPAA"),
}


def _examples(field: str) -> str:
    return ", ".join(map(repr, HEADER_EXAMPLES[field]))


def require_name(mapping: Mapping[str, str], columns: Iterable[object], *, label: str | None = None) -> None:
    """Raise :class:`ColumnError` unless ``mapping`` has a column for the organisation name.

    Examples
    --------
    >>> require_name({"description": "About"}, ["About", "Revenue"])
    Traceback (most recent call last):
    ...
    socanalysis.errors.ColumnError: no column usable as the organisation name; the columns found are: ...
    """
    if mapping.get("name"):
        return
    where = f"{label}: " if label else ""
    plain = (
        f"{where}no column usable as the organisation name; the columns found are: {_listed(columns)}. "
        f"Accepted name headers include {_examples('name')} ... (case, spaces and punctuation are ignored)"
    )
    raise ColumnError(plain + "; or name the column with columns={'name': 'Your Column'}", plain=plain, fields=["name"])


def require_signal(mapping: Mapping[str, str], columns: Iterable[object], *, label: str | None = None) -> None:
    """Raise :class:`ColumnError` unless ``mapping`` has at least one column the classifier can use.

    Signal fields are the description, industry, sector, NAICS and SIC codes, and yes/no
    questionnaire columns.

    Examples
    --------
    >>> require_signal({"name": "Client", "sic": "SIC"}, ["Client", "SIC"])
    >>> require_signal({"name": "Client"}, ["Client", "Website"])
    Traceback (most recent call last):
    ...
    socanalysis.errors.ColumnError: no column carrying a signal the classifier can use; ...
    """
    if any(mapping.get(f) for f in SIGNAL_FIELDS):
        return
    where = f"{label}: " if label else ""
    plain = (
        f"{where}no column carrying a signal the classifier can use; the columns found are: "
        f"{_listed(columns)}. Accepted: a description ({_examples('description')} ...), an industry "
        f"({_examples('industry')} ...), a sector ({_examples('sector')}), a NAICS code "
        f"({_examples('naics')}), a SIC code ({_examples('sic')}), or a yes/no questionnaire column "
        f"({_examples('questions')} ...)"
    )
    raise ColumnError(
        plain + "; or name the column with columns={'description': 'Your Column'}",
        plain=plain,
        fields=["description", "industry"],
    )


def validate_columns(
    df: pd.DataFrame, mapping: Mapping[str, str] | None = None, *, name: bool = True
) -> dict[str, str]:
    """Check a frame's columns as :func:`load_portfolio` does and return its field mapping.

    Parameters
    ----------
    df : pandas.DataFrame
    mapping : dict, optional
        The field mapping; by default the one in ``df.attrs``, else the one its headers resolve to.
    name : bool
        Require a name column (the classifier itself needs only a signal column).

    Raises
    ------
    ColumnError
        Duplicated headers, no name column (when ``name``), no signal column.

    Examples
    --------
    >>> validate_columns(pd.DataFrame(columns=["Description"]), name=False)
    {'description': 'Description'}
    """
    columns = [str(c) for c in df.columns]
    _check_duplicate_headers(columns, "the table")
    if mapping is None:
        mapping = df.attrs.get(ATTRS_KEY, {}).get("fields") or resolve(columns)
    missing = [
        f"{field!r} -> {column!r}" for field, column in mapping.items() if column is not None and column not in columns
    ]
    if missing:
        raise ColumnError(
            f"the field mapping names columns that are not in the table: {', '.join(missing)}; "
            f"the columns are: {_listed(columns)}"
        )
    if name:
        require_name(mapping, columns)
    require_signal(mapping, columns)
    return dict(mapping)
