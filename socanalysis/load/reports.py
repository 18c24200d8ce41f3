"""Report names: what an organisation already holds, read from the cells of an existing-reports column.

Spreadsheets spell the same report a dozen ways ("SOC 2 Type II", "SOC2 Type 2", "SOC II", "SSAE 18"
...). :func:`parse_reports` turns such a column into plain holdings columns. A fragment that cannot
be read is *reported*, never guessed. The words a cell may hold are in :mod:`.report_tokens`, how
they combine in :mod:`.report_parser`.

>>> held = parse_reports(pd.Series(["SOC 2 Type II (Security, Availability); SSAE 18"]))
>>> held.loc[0, ["soc1_type", "soc2_type", "soc2_categories", "reports_normalised"]].tolist()
['', 'Type 2', 'Security; Availability', 'SOC 2 Type 2 (Security, Availability); SOC 1']

Conventions (each is also stated where it is applied)
----------------------------------------------------
* A SOC 2 held without its categories listed is taken to cover **Security only** (the common
  criteria are part of every SOC 2; the other categories are in scope only when named).
  Security is always included in ``soc2_categories`` of a held SOC 2.
* SSAE 18, SSAE 16 (superseded in 2017) and SAS 70 (superseded in 2011) name a SOC 1. ISAE 3402
  and CSAE 3416 count as SOC 1, ISAE 3000 as SOC 2 (``holds_soc1`` / ``holds_soc2``); their
  own names are kept in ``reports_normalised``.
* A SOC 3 is not a SOC 2: ``holds_soc2`` stays False for a cell that lists only a SOC 3.
* "Type 2" after several reports joined by a bare number ("SOC 1 & 2 Type II") applies to all of
  them; after reports written out in full ("SOC 1 and SOC 2 Type II") only to the last one.
* A report qualified as in progress, planned or expired is not held; it is listed in
  ``reports_not_held``. "No SOC 1", "SOC 1: n/a" drop the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ValueParseError
from ..vocabulary import CATEGORIES
from .cells import plain_text
from .report_parser import SOC1_KINDS, SOC2_KINDS, SOC_SUITE, CellReader, Draft
from .report_tokens import EMPTY_CELLS

__all__ = ["REPORT_COLUMNS", "Report", "parse_report", "parse_reports"]

_TYPE_ORDER = {"": 0, "Type 1": 1, "Type 2": 2}


@dataclass(frozen=True)
class Report:
    """One report (or other certification) named in a cell.

    Parameters
    ----------
    kind : str
        "SOC 1", "SOC 2", "SOC 3", "ISAE 3402", "ISAE 3000", "CSAE 3416", "SOC for Cybersecurity",
        "SOC for Supply Chain", or a certification outside the SOC suite ("ISO 27001", "PCI DSS" ...).
    type : str
        "Type 1", "Type 2" or "" when the cell does not say.
    categories : tuple of str
        Trust Services Categories named with the report, canonical order; empty when none named.
    original : str
        The part of the cell this report was read from.
    standard : str
        The attestation standard when the cell named it instead of the report ("SSAE 18", "SSAE 16",
        "SAS 70"); "" otherwise.
    subject_matter : tuple of str
        The additional subject matter of a SOC 2+ ("HIPAA", "HITRUST" ...).
    plus : bool
        True for a SOC 2+ (a SOC 2 with additional subject matter).
    status : str
        "held", "in progress" or "expired".

    Examples
    --------
    >>> r = parse_report("SOC 2 Type II (Security, Availability)")[0]
    >>> r.kind, r.type, r.categories, r.counts_as
    ('SOC 2', 'Type 2', ('Security', 'Availability'), 'SOC 2')
    >>> r.name
    'SOC 2 Type 2 (Security, Availability)'
    """

    kind: str
    type: str = ""
    categories: tuple[str, ...] = ()
    original: str = ""
    standard: str = ""
    subject_matter: tuple[str, ...] = ()
    plus: bool = False
    status: str = "held"

    @property
    def counts_as(self) -> str:
        """ "SOC 1", "SOC 2" or "SOC 3" when the report gives that coverage, else ""."""
        if self.kind in SOC1_KINDS:
            return "SOC 1"
        if self.kind in SOC2_KINDS:
            return "SOC 2"
        return "SOC 3" if self.kind == "SOC 3" else ""

    @property
    def is_soc(self) -> bool:
        """True for reports of the SOC suite (and their ISAE/CSAE equivalents)."""
        return self.kind in SOC_SUITE

    @property
    def name(self) -> str:
        """A clean canonical spelling: "SOC 1 Type 2", "SOC 2+ HIPAA Type 2 (Security, Privacy)"."""
        base = self.kind
        if self.plus:
            base = " ".join(["SOC 2+", ", ".join(self.subject_matter)]).strip()
        if self.type:
            base += " " + self.type
        notes = list(self.categories)
        if self.standard in ("SSAE 16", "SAS 70"):
            notes.append(self.standard)
        return f"{base} ({', '.join(notes)})" if notes else base


# --------------------------------------------------------------------------------------------
# one cell
# --------------------------------------------------------------------------------------------


def _report(draft: Draft, text: str) -> Report:
    """The report a draft read from ``text`` names, with the part of the text it was read from."""
    cats = tuple(c for c in CATEGORIES if c in draft.categories)
    original = text[draft.start : draft.end].strip(" ;,/|&-:([")
    return Report(
        draft.kind, draft.type, cats, original, draft.standard, draft.subject_matter, draft.plus, draft.status
    )


def _read_cell(value: object) -> tuple[list[Report], list[str]]:
    """Read one cell: the reports it names and the problems met (one sentence each)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return [], []
    text = plain_text(value)
    if text.lower().strip(" .") in EMPTY_CELLS:
        return [], []
    drafts, problems = CellReader(text).read()
    return [_report(d, text) for d in drafts if d.status != "not held"], problems


def parse_report(text: object, *, errors: str = "raise") -> list[Report]:
    """Read the reports named in one cell.

    Parameters
    ----------
    text : str
        A cell of the existing-reports column, e.g. ``"SOC 1 Type II, SOC 2 Type 2 (Security)"``.
        "none", "n/a", "-" and blanks hold nothing.
    errors : {"raise", "ignore"}
        What to do with a fragment that cannot be read: raise :class:`ValueParseError` naming it,
        or leave it out and return what could be read.

    Returns
    -------
    list of Report
        In the order the cell names them, including reports not held yet (``status`` "in progress"
        or "expired").

    Examples
    --------
    >>> [r.name for r in parse_report("SOC1 Type 2 / SOC 2+ HIPAA Type II")]
    ['SOC 1 Type 2', 'SOC 2+ HIPAA Type 2']
    >>> [r.name for r in parse_report("SOC 1 & 2 Type II")]
    ['SOC 1 Type 2', 'SOC 2 Type 2']
    >>> parse_report("n/a")
    []
    >>> parse_report("SOC 1, SOC 4")
    Traceback (most recent call last):
    ...
    socanalysis.errors.ValueParseError: cannot read 'SOC 1, SOC 4': 'SOC 4' is not a report ...
    >>> [r.name for r in parse_report("SOC 1, SOC 4", errors="ignore")]
    ['SOC 1']
    """
    if errors not in ("raise", "ignore"):
        raise ValueError(f"errors={errors!r}: accepted values are 'raise' and 'ignore'")
    reports, problems = _read_cell(text)
    if problems and errors == "raise":
        raise ValueParseError(f"cannot read {text!r}: " + "; ".join(problems))
    return reports


# --------------------------------------------------------------------------------------------
# whole columns
# --------------------------------------------------------------------------------------------

REPORT_COLUMNS: tuple[str, ...] = (
    "holds_soc1",
    "soc1_type",
    "holds_soc2",
    "soc2_type",
    "soc2_categories",
    "soc2_plus",
    "holds_soc3",
    "other_reports",
    "certifications",
    "reports_normalised",
    "reports_not_held",
    "reports_problem",
)
_BOOL_COLUMNS = ("holds_soc1", "holds_soc2", "holds_soc3")


def _best_type(reports: list[Report]) -> str:
    return max((r.type for r in reports), key=_TYPE_ORDER.__getitem__, default="")


def _summarise_cell(value: object) -> tuple:
    reports, problems = _read_cell(value)
    held = [r for r in reports if r.status == "held"]
    soc1 = [r for r in held if r.counts_as == "SOC 1"]
    soc2 = [r for r in held if r.counts_as == "SOC 2"]
    cats = {"Security"} if soc2 else set()  # a SOC 2 without categories listed covers Security only
    for r in soc2:
        cats.update(r.categories)
    plus = dict.fromkeys(s for r in soc2 for s in r.subject_matter)
    other = dict.fromkeys(r.kind for r in held if r.is_soc and not r.counts_as)
    certs = dict.fromkeys(r.kind for r in held if not r.is_soc)
    return (
        bool(soc1),
        _best_type(soc1),
        bool(soc2),
        _best_type(soc2),
        "; ".join(c for c in CATEGORIES if c in cats),
        "; ".join(plus),
        any(r.kind == "SOC 3" for r in held),
        "; ".join(other),
        "; ".join(certs),
        "; ".join(dict.fromkeys(r.name for r in held)),
        "; ".join(dict.fromkeys(f"{r.name} ({r.status})" for r in reports if r.status != "held")),
        "; ".join(problems),
    )


def parse_reports(series: pd.Series) -> pd.DataFrame:
    """Read a whole existing-reports column into holdings columns.

    Each distinct cell is read once and the result mapped back, so a column of a million rows
    with a few hundred spellings is fast.

    Parameters
    ----------
    series : pandas.Series
        The existing-reports column, one cell per organisation. Several reports per cell may be
        separated by ``;`` ``,`` ``/`` ``|``, a new line, "and", "&" or "+".

    Returns
    -------
    pandas.DataFrame
        Same index as ``series``, with columns

        ``holds_soc1``, ``holds_soc2``, ``holds_soc3`` (bool)
            SOC 1 includes SSAE 18/16, SAS 70, ISAE 3402 and CSAE 3416; SOC 2 includes SOC 2+ and
            ISAE 3000.
        ``soc1_type``, ``soc2_type``
            The best type held ("Type 2" over "Type 1"), "" when the cell does not say.
        ``soc2_categories``
            The Trust Services Categories covered ("; "-joined, canonical order). Security is always
            there for a held SOC 2; a SOC 2 listed without categories covers Security only.
        ``soc2_plus``
            Additional subject matter of a SOC 2+ ("HIPAA").
        ``other_reports``
            Other reports of the SOC suite: SOC for Cybersecurity, SOC for Supply Chain.
        ``certifications``
            Frameworks outside the SOC suite named in the cell (ISO 27001, PCI DSS, HITRUST ...).
        ``reports_normalised``
            Everything held, spelled canonically, "; "-joined.
        ``reports_not_held``
            Reports named as in progress, planned or expired, e.g. "SOC 2 Type 2 (in progress)".
        ``reports_problem``
            What could not be read, e.g. "'SOC 4' is not a report socanalysis knows"; "" when all
            was read.

    Examples
    --------
    >>> out = parse_reports(pd.Series(["SOC2 Type 2", "ISAE 3402 Type II", "none", "SOC 2 (in progress)"]))
    >>> out[["holds_soc1", "holds_soc2", "reports_normalised"]].values.tolist()
    [[False, True, 'SOC 2 Type 2'], [True, False, 'ISAE 3402 Type 2'], [False, False, ''], [False, False, '']]
    >>> out.loc[3, "reports_not_held"]
    'SOC 2 (in progress)'
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    rows = [_summarise_cell(v) for v in uniques]
    rows.append(_summarise_cell(None))  # code -1: missing
    table = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    for col in REPORT_COLUMNS:
        table[col] = table[col].astype(bool) if col in _BOOL_COLUMNS else table[col].astype("str")
    out = table.take(np.where(codes < 0, len(rows) - 1, codes)).reset_index(drop=True)
    out.index = series.index
    return out
