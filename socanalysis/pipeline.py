"""One path from a portfolio to what the charts and exports show: load → classify → coverage → summaries.

:func:`assess` runs it once and returns an :class:`~socanalysis.present.Assessment`: the covered
frame and its field mapping, the date it was judged at, the rules, fee schedule and branding used,
the summaries by segment and the opportunities. The charts and exports in :mod:`socanalysis.present`
take an Assessment, so every setting is resolved once, here, and travels as a field, never hidden
in ``df.attrs`` (which carries only the field mapping of a user's frame). :func:`report` is the
same path ending in a file (``socanalysis report``). This module sits above every room: it wires
them, the rooms do the work.

>>> import socanalysis as sa
>>> assessment = sa.assess(sa.load_sample_portfolio(), as_of="2026-11-26")
>>> assessment
Assessment(200 organisations as of 2026-11-26; summaries by industry, partner, region)
>>> int(assessment.summaries["All"]["organisations"].iloc[0]), assessment.fields["name"]
(200, 'Client')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SocAnalysisError
from .portfolio import resolve_as_of
from .present import SEGMENTS, Assessment

__all__ = ["SEGMENTS", "Assessment", "assess", "report", "resolve_as_of"]


def assess(
    source: str | os.PathLike | pd.DataFrame,
    *,
    as_of: object = None,
    rules: Any = None,
    fees: Any = None,
    branding: Any = None,
    columns: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
) -> Assessment:
    """Load a portfolio, classify it, judge its coverage and count it up: the one path to an Assessment.

    Parameters
    ----------
    source : str, os.PathLike or pandas.DataFrame
        A file :func:`socanalysis.load_portfolio` reads, or a frame it returned. A frame that
        already holds ``soc_report`` (the output of ``classify``) is taken as classified, unless
        ``rules`` is given; a file is always classified.
    as_of : date-like, optional
        The date coverage is judged at; today by default. Resolved once, here.
    rules : path, list of paths, dict or RuleSet, optional
        A firm's rules, merged over the defaults (see :func:`socanalysis.classify`).
    fees : path, dict, FeeSchedule or None
        The fee schedule for the opportunities (:func:`socanalysis.load_fees`).
    branding : Branding, dict, path or None
        The firm's name, colours and logo (:func:`socanalysis.load_branding`).
    columns : dict, optional
        With a file: overrides of the field mapping, e.g. ``{"name": "Legal Entity"}``.
    sheet : str or int, optional
        With an Excel file: the sheet to read.

    Returns
    -------
    Assessment

    Raises
    ------
    SocAnalysisError
        Any error of loading, the rules, the fee schedule or the branding, saying what is accepted;
        the fees, branding and ``as_of`` are checked before the file is read.

    Examples
    --------
    >>> from socanalysis.load.samples import sample_path
    >>> assessment = assess(sample_path("portfolio"), as_of="2026-11-26", branding={"firm_name": "Acme Audit"})
    >>> assessment.branding.firm_name, assessment.as_of.date().isoformat(), len(assessment.frame)
    ('Acme Audit', '2026-11-26', 200)
    >>> assessment.frame["coverage_status"].value_counts().sum()
    np.int64(200)
    """
    from .classifier import classify, load_rules
    from .load import load_portfolio
    from .portfolio import coverage, load_fees
    from .present import load_branding

    day = resolve_as_of(as_of)
    schedule = load_fees(fees)
    brand = load_branding(branding)
    if isinstance(source, pd.DataFrame):
        if columns is not None or sheet is not None:
            raise SocAnalysisError(
                "assess(): columns= and sheet= apply when reading a file; for a DataFrame, map its "
                "columns with load_portfolio(..., columns=...) first"
            )
        frame = source
        classified = "soc_report" in frame.columns and rules is None
    elif isinstance(source, (str, os.PathLike)):
        frame = load_portfolio(source, columns=columns, sheet=sheet)
        classified = False
    else:
        raise SocAnalysisError(f"assess() takes a file path or a DataFrame, not {type(source).__name__}")
    ruleset = None
    if not classified:
        ruleset = load_rules(rules)
        frame = classify(frame, rules=ruleset)
    return Assessment.from_covered(coverage(frame, day), as_of=day, fees=schedule, branding=brand, rules=ruleset)


def report(
    portfolio_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    as_of: Any = None,
    fees: Any = None,
    branding: Any = None,
    rules: Any = None,
    title: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
) -> Path:
    """Load a portfolio, classify it, judge its coverage and write the meeting report.

    :func:`socanalysis.assess` (load → classify → coverage → summaries), then :func:`write_report`
    by the output's extension.

    Parameters
    ----------
    portfolio_path : str or os.PathLike
        Any file :func:`socanalysis.load.reading.load_portfolio` reads.
    output_path : str or os.PathLike
    as_of : date-like, optional
        The date coverage is judged at; today by default.
    fees : path, dict, FeeSchedule or None
        The fee schedule (:func:`socanalysis.load_fees`).
    branding : Branding, dict, path or None
    rules : path, list of paths, dict or RuleSet, optional
        Firm rules merged over the defaults (see ``socanalysis.classify``).
    title : str, optional
    columns : dict, optional
        Which column holds a field, e.g. ``{"name": "Legal Entity"}`` (``--column``).
    sheet : str or int, optional
        With an Excel file: the sheet to read (``--sheet``).

    Returns
    -------
    pathlib.Path
        ``output_path``.

    Raises
    ------
    ExportError
        For an extension not in :data:`REPORT_FORMATS` (checked before any work), or when a PDF/PNG
        needs a browser that is missing (also checked before any work).

    Examples
    --------
    >>> import tempfile
    >>> from socanalysis.load.samples import sample_path
    >>> from pathlib import Path
    >>> out = report(sample_path("portfolio"), Path(tempfile.mkdtemp()) / "report.html", as_of="2026-11-26")
    >>> out.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    6
    """
    from .present import check_report_output, load_branding, refuse_input, write_report

    output = check_report_output(output_path)  # fail before the work on a bad name or no browser
    refuse_input(output, [portfolio_path, fees, branding, rules])  # never written over what it reads
    brand = load_branding(branding)
    assessment = assess(
        portfolio_path, as_of=as_of, rules=rules, fees=fees, branding=brand, columns=columns, sheet=sheet
    )
    return write_report(assessment, output, title=title)
