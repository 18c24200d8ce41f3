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
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SocAnalysisError
from .load import fields_of, resolve_as_of
from .present import SEGMENTS, Assessment
from .vocabulary import REVIEW_COLUMNS

__all__ = ["SEGMENTS", "Assessment", "assess", "classify", "report", "resolve_as_of"]


def assess(
    source: str | os.PathLike | pd.DataFrame,
    *,
    as_of: object = None,
    rules: Any = None,
    fees: Any = None,
    branding: Any = None,
    columns: Mapping[str, str | None] | None = None,
    sheet: str | int | None = None,
    review: bool = True,
    decisions: Any = None,
    save: bool = False,
    label: str | None = None,
    workspace: str | os.PathLike | None = None,
    database: str | None = None,
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
    review : bool
        Apply the reviewers' decisions (True, the default: see :func:`classify`); False shows the
        classifier alone. A frame that already holds the review columns keeps them.
    decisions : socanalysis.review.Decisions, optional
        The decisions to apply; by default those of the store ``workspace``/``database`` name.
    save : bool
        Keep a snapshot of the assessment in the store (:func:`socanalysis.review.save_snapshot`),
        dated ``as_of``; its id is the Assessment's ``snapshot``.
    label : str, optional
        A name for the snapshot ("Q2 review").
    workspace, database : optional
        Which decisions store (see :func:`socanalysis.review.open_store`); the default one otherwise.

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
    from .classifier import load_rules
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
    chosen = _decisions(review, decisions, workspace, database)
    ruleset = None
    if not classified:
        ruleset = load_rules(rules)
        frame = classify(frame, rules=ruleset, decisions=chosen)
    elif not set(REVIEW_COLUMNS) <= set(frame.columns):
        frame = _reviewed(frame, chosen)
    assessment = Assessment.from_covered(coverage(frame, day), as_of=day, fees=schedule, branding=brand, rules=ruleset)
    if save:
        from .review import save_snapshot

        kept = save_snapshot(assessment.frame, as_of=day, label=label, workspace=workspace, database=database)
        assessment = replace(assessment, snapshot=kept)
    return assessment


def classify(
    df: pd.DataFrame,
    *,
    rules: Any = None,
    review: bool = True,
    decisions: Any = None,
    workspace: str | os.PathLike | None = None,
    database: str | None = None,
) -> pd.DataFrame:
    """Classify every organisation in ``df``, and apply the reviewers' decisions.

    The classifier (:func:`socanalysis.classifier.classify`) decides from the evidence; then an
    organisation that a reviewer has decided (:func:`socanalysis.review.set`) takes the
    reviewer's ``soc_report``, ``tsc_categories`` and ``report_type``, matched by its website's
    registered domain first, then by its normalised name.

    Parameters
    ----------
    df : DataFrame
        A portfolio or lead list, as returned by :func:`socanalysis.load_portfolio` or any frame
        whose headers name at least one signal field (description, industry, sector, NAICS, SIC or
        a yes/no questionnaire column).
    rules : path, list of paths, dict or RuleSet, optional
        A firm's rules, merged over the defaults (see :mod:`socanalysis.classifier.rules`).
    review : bool
        Apply the stored decisions (the default); False shows the classifier alone.
    decisions : socanalysis.review.Decisions, optional
        The decisions to apply (:func:`socanalysis.review.load_decisions`); by default the
        current decisions of the store ``workspace``/``database`` name, or of the default store.
        A store that does not exist yet has none, and is not created.
    workspace, database : optional
        Which decisions store (see :func:`socanalysis.review.open_store`).

    Returns
    -------
    DataFrame
        A new frame: every input row once, in order, the input columns unchanged, plus the
        columns of :data:`socanalysis.vocabulary.OUTPUT_COLUMNS` and then of
        :data:`socanalysis.vocabulary.REVIEW_COLUMNS`: ``decided_by`` (``classifier``, or the
        reviewer's name), ``review_reason``, ``reviewed_at`` (ISO 8601, UTC) and
        ``classifier_report`` (the classifier's own answer). Such columns already in ``df`` (a
        file classified before) are replaced.

    Examples
    --------
    >>> from socanalysis import review
    >>> store = review.open_store(database="sqlite://")
    >>> _ = review.set("Granite Quarry", report="SOC 2", reason="Hosts its customers' orders", by="A. Lee",
    ...                store=store)
    >>> leads = pd.DataFrame({"Company": ["Acme Payroll", "Granite Quarry Inc."],
    ...                       "Description": ["Payroll processing for employers", "Crushed stone and gravel"]})
    >>> out = classify(leads, decisions=review.load_decisions(store))
    >>> out[["soc_report", "decided_by", "classifier_report"]]
      soc_report  decided_by classifier_report
    0       Both  classifier              Both
    1      SOC 2      A. Lee           Neither
    >>> classify(leads, review=False)["decided_by"].tolist()
    ['classifier', 'classifier']
    """
    from .classifier import classify as classify_frame

    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"classify() takes a DataFrame, not {type(df).__name__}")
    chosen = _decisions(review, decisions, workspace, database)
    ours = [c for c in REVIEW_COLUMNS if c in df.columns and c not in fields_of(df).values()]
    base = df.drop(columns=ours) if ours else df
    return _reviewed(classify_frame(base, rules=rules), chosen)


def _decisions(review: bool, decisions: Any, workspace, database):
    """The decisions to apply: none with ``review=False``, those given, or the store's."""
    from .review import Decisions, load_decisions

    if not isinstance(review, bool):
        raise SocAnalysisError(f"review={review!r}: give True (apply the stored decisions) or False")
    if not review:
        if decisions is not None:
            raise SocAnalysisError("review=False shows the classifier alone: leave decisions= out")
        return Decisions.empty()
    if decisions is not None:
        if not isinstance(decisions, Decisions):
            raise SocAnalysisError(
                f"decisions= takes what socanalysis.review.load_decisions() returns, not {type(decisions).__name__}"
            )
        if workspace is not None or database is not None:
            raise SocAnalysisError("give decisions= or workspace=/database=, not both")
        return decisions
    return load_decisions(workspace=workspace, database=database)


def _reviewed(frame: pd.DataFrame, decisions) -> pd.DataFrame:
    """The decisions applied to a classified frame; a frame with neither name nor website gets the
    review columns alone (nothing can be matched)."""
    from .review import Decisions, apply

    fields = fields_of(frame)
    if "name" not in fields and "website" not in fields:
        decisions = Decisions.empty()
    return apply(frame, decisions, mapping=fields if len(decisions) else None)


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
    review: bool = True,
    save: bool = False,
    label: str | None = None,
    workspace: str | os.PathLike | None = None,
    database: str | None = None,
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
    review, save, label, workspace, database
        The reviewers' decisions and the snapshot, as for :func:`assess`
        (``--no-review``, ``--save``, ``--label``, ``--workspace``, ``--database``).

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
        portfolio_path,
        as_of=as_of,
        rules=rules,
        fees=fees,
        branding=brand,
        columns=columns,
        sheet=sheet,
        review=review,
        save=save,
        label=label,
        workspace=workspace,
        database=database,
    )
    return write_report(assessment, output, title=title)
