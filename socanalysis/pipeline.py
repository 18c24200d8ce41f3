"""One path from a portfolio to what the charts and exports show: load → classify → coverage → summaries.

:func:`assess` runs it once and returns an :class:`Assessment`: the covered frame and its field
mapping, the date it was judged at, the rules, fee schedule and branding used, the summaries by
segment and the opportunities. The charts and exports in :mod:`socanalysis.present` take an
Assessment, so every setting is resolved once, here, and travels as a field, never hidden in
``df.attrs`` (which carries only the field mapping of a user's frame).

>>> import socanalysis as sa
>>> assessment = sa.assess(sa.load_sample_portfolio(), as_of="2026-11-26")
>>> assessment
Assessment(200 organisations as of 2026-11-26; summaries by industry, partner, region)
>>> int(assessment.summaries["All"]["organisations"].iloc[0]), assessment.fields["name"]
(200, 'Client')
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import ColumnError, SocAnalysisError
from .load import fields_of
from .vocabulary import REVIEW_COLUMNS

if TYPE_CHECKING:
    from .classifier import RuleSet
    from .portfolio import FeeSchedule
    from .present import Branding

__all__ = ["SEGMENTS", "Assessment", "assess", "classify", "resolve_as_of"]

SEGMENTS: tuple[str, ...] = ("industry", "partner", "region")
"""The fields the summaries are counted by (those the frame has a column for)."""


def resolve_as_of(as_of: object = None) -> pd.Timestamp:
    """The date a portfolio is judged at, as a timezone-free midnight ``Timestamp``; None means today.

    Raises
    ------
    SocAnalysisError
        When ``as_of`` is not a date, echoing it.

    Examples
    --------
    >>> resolve_as_of("2025-06-30 15:45")
    Timestamp('2025-06-30 00:00:00')
    >>> resolve_as_of("soon")
    Traceback (most recent call last):
    ...
    socanalysis.errors.SocAnalysisError: as_of='soon' is not a date; give e.g. '2025-06-30' or a datetime.date
    """
    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise SocAnalysisError(f"as_of={as_of!r} is not a date; give e.g. '2025-06-30' or a datetime.date")
    return stamp.tz_localize(None).normalize() if stamp.tz is not None else stamp.normalize()


def _months(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise SocAnalysisError(f"{name}={value!r}: give a whole number of months from {low} to {high}")
    return int(value)


@dataclass(frozen=True, eq=False, kw_only=True)
class Assessment:
    """A portfolio judged at one date: what the charts, the workbook and the report are drawn from.

    Made by :func:`assess` (from a file or a frame) or :meth:`from_covered` (from the output of
    :func:`socanalysis.coverage`). Every field is resolved: nothing is read again from the frame's
    ``attrs``.

    Attributes
    ----------
    frame : pandas.DataFrame
        The covered portfolio: the user's columns, then those of ``classify`` and ``coverage``.
    fields : Mapping[str, str]
        Field -> column (``name``, ``industry``, ``partner`` ...): the mapping the frame carries from
        :func:`socanalysis.load_portfolio` and :func:`socanalysis.classify`, for the columns it has.
    as_of : pandas.Timestamp
        The date coverage was judged at (midnight, no timezone).
    rules : RuleSet or None
        The rules the portfolio was classified with; None when it came classified.
    fees : FeeSchedule
        The fee schedule the opportunities are priced with.
    branding : Branding
        The firm's name, colours and logo for every chart and export.
    summaries : Mapping[str, pandas.DataFrame]
        :func:`socanalysis.summarize`: ``"All"`` and one table per segment of :data:`SEGMENTS` found.
    opportunities : pandas.DataFrame
        :func:`socanalysis.opportunities`: what could be sold to each organisation, and its fee.
    validity_months, renewal_window_months, bridge_months : int
        The coverage settings (how long a report stays current, when a renewal is due, how far a
        bridge letter reaches), shown by the renewal timeline and the report.
    """

    frame: pd.DataFrame
    fields: Mapping[str, str]
    as_of: pd.Timestamp
    rules: RuleSet | None
    fees: FeeSchedule
    branding: Branding
    summaries: Mapping[str, pd.DataFrame]
    opportunities: pd.DataFrame
    validity_months: int = 12
    renewal_window_months: int = 3
    bridge_months: int = 3
    snapshot: int | None = None

    def __repr__(self) -> str:
        segments = ", ".join(k for k in self.summaries if k != "All") or "none"
        return f"Assessment({len(self.frame):,} organisations as of {self.as_of:%Y-%m-%d}; summaries by {segments})"

    @classmethod
    def from_covered(
        cls,
        covered: pd.DataFrame,
        *,
        as_of: object = None,
        fees: Any = None,
        branding: Any = None,
        rules: RuleSet | None = None,
        summaries: Mapping[str, pd.DataFrame] | None = None,
        opportunities: pd.DataFrame | None = None,
        validity_months: int = 12,
        renewal_window_months: int = 3,
        bridge_months: int = 3,
    ) -> Assessment:
        """The Assessment of a frame that :func:`socanalysis.coverage` already judged.

        The exports use it when given a covered frame instead of an Assessment. Nothing is read
        from the frame's ``attrs`` but its field mapping: give the date and the settings coverage
        was judged with, or the defaults apply.

        Parameters
        ----------
        covered : pandas.DataFrame
            The output of :func:`socanalysis.coverage`.
        as_of : date-like, optional
            The date coverage was judged at; today by default.
        fees : path, dict, FeeSchedule or None
            The fee schedule (:func:`socanalysis.load_fees`); the packaged one by default.
        branding : Branding, dict, path or None
            See :func:`socanalysis.load_branding`.
        rules : RuleSet, optional
            The rules ``covered`` was classified with, when known.
        summaries, opportunities : optional
            :func:`socanalysis.summarize` and :func:`socanalysis.opportunities` of ``covered`` with
            these fees, when already computed; computed here otherwise.
        validity_months, renewal_window_months, bridge_months : int
            The settings ``covered`` was judged with (the defaults of :func:`socanalysis.coverage`).

        Returns
        -------
        Assessment

        Examples
        --------
        >>> import socanalysis as sa
        >>> frame = pd.DataFrame({"Client": ["Payroll Co"], "soc_report": ["SOC 1"]})
        >>> frame.attrs["socanalysis"] = {"fields": {"name": "Client"}}
        >>> covered = sa.coverage(frame, as_of="2025-06-30")
        >>> Assessment.from_covered(covered, as_of="2025-06-30").opportunities["opportunity"].tolist()
        ['SOC 1 Type 1']
        """
        from .portfolio import load_fees, summarize
        from .portfolio import opportunities as _opportunities
        from .present import load_branding

        if not isinstance(covered, pd.DataFrame):
            raise SocAnalysisError(
                f"Assessment.from_covered() takes the DataFrame returned by coverage(), not {type(covered).__name__}"
            )
        for column in ("soc_report", "coverage_status"):
            if column not in covered.columns:
                raise ColumnError(
                    f"Assessment.from_covered() needs the output of socanalysis.coverage(): column {column!r} "
                    "is missing; run coverage(classify(df)) first"
                )
        validity = _months(validity_months, "validity_months", 1, 60)
        schedule = load_fees(fees)
        return cls(
            frame=covered,
            fields=MappingProxyType(fields_of(covered, headers=False)),
            as_of=resolve_as_of(as_of),
            rules=rules,
            fees=schedule,
            branding=load_branding(branding),
            summaries=MappingProxyType(
                dict(summarize(covered, by=SEGMENTS, fees=schedule) if summaries is None else summaries)
            ),
            opportunities=_opportunities(covered, schedule) if opportunities is None else opportunities,
            validity_months=validity,
            renewal_window_months=_months(renewal_window_months, "renewal_window_months", 0, validity),
            bridge_months=_months(bridge_months, "bridge_months", 0, 12),
        )

    def subset(self, rows: Sequence[bool] | np.ndarray | pd.Series) -> Assessment:
        """The Assessment of some of the organisations: the same date, settings and fees.

        Parameters
        ----------
        rows : boolean array-like
            One value per row of :attr:`frame`: True keeps it.

        Returns
        -------
        Assessment
            The rows kept, their opportunities, and summaries counted again over them.

        Examples
        --------
        >>> import socanalysis as sa
        >>> whole = sa.assess(sa.load_sample_portfolio(), as_of="2026-11-26")
        >>> part = whole.subset(whole.frame["soc_report"] == "SOC 1")
        >>> len(part.frame) == int(part.summaries["All"]["organisations"].iloc[0]) < len(whole.frame)
        True
        """
        from .portfolio import summarize

        mask = np.asarray(rows, dtype=bool)
        if mask.shape != (len(self.frame),):
            raise SocAnalysisError(
                f"subset() takes one True/False per organisation ({len(self.frame):,}), got {mask.size:,} values"
            )
        frame = self.frame[mask]
        return replace(
            self,
            frame=frame,
            summaries=MappingProxyType(summarize(frame, by=SEGMENTS, fees=self.fees)),
            opportunities=self.opportunities[mask],
        )


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
