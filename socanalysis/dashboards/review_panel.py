"""A reviewer's decision from the dashboards: the review form under the details panel, and the
meeting page's "save this answer for the client".

The form shows who decided the organisation's report (the classifier, or a reviewer, with the
classifier's own answer beside it), records a new decision or undoes the last one
(:func:`socanalysis.review.set`, :func:`socanalysis.review.undo`), and lists the organisation's
audit trail (:func:`socanalysis.review.history_html`, every value escaped). After a change the
page's ``on_saved`` callback assesses the portfolio again, so the decision shows everywhere.

Everything but the widgets is plain functions, tested without a browser.

>>> "&lt;b&gt;" in decided_html({"decided_by": "<b>Lee</b>", "classifier_report": "SOC 2", "soc_report": "SOC 1",
...                              "review_reason": "", "reviewed_at": ""})
True
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import review
from ..vocabulary import CATEGORIES, DECIDED_BY_CLASSIFIER, REPORT_TYPES
from .common import Banner, row

__all__ = [
    "ReviewForm",
    "SaveAnswer",
    "decided_html",
    "organisation_of",
    "organisation_row",
    "reassess",
    "save_decision",
]

_NO_TYPE = "(not stated)"


def organisation_of(covered: pd.DataFrame, fields: Mapping[str, str], position: int) -> tuple[str, str | None]:
    """The name (or website) and the website of the organisation at row ``position`` (0-based).

    Examples
    --------
    >>> df = pd.DataFrame({"Client": ["Acme", ""], "Website": ["acme.com", "globex.com"]})
    >>> organisation_of(df, {"name": "Client", "website": "Website"}, 0), organisation_of(df, {"website": "Website"}, 1)
    (('Acme', 'acme.com'), ('globex.com', None))
    """
    cells = covered.iloc[int(position)]

    def cell(field: str) -> str:
        column = fields.get(field)
        value = cells[column] if column is not None and column in cells.index else None
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()

    name, website = cell("name"), cell("website")
    if name:
        return name, website or None
    if website:
        return website, None
    raise review.ReviewStoreError(f"row {int(position) + 1} has neither a name nor a website to record a decision on")


def organisation_row(covered: pd.DataFrame, fields: Mapping[str, str], position: int) -> tuple[str, str | None, dict]:
    """The name, website and cells of the organisation at row ``position``: what the form shows."""
    name, website = organisation_of(covered, fields, position)
    return name, website, covered.iloc[int(position)].to_dict()


def reassess(app) -> None:
    """Assess a dashboard's portfolio again after a reviewer's change (``app.load`` of ``app.loaded``),
    and show the same organisation in its details panel."""
    position = app.details_panel.pick.value
    portfolio, label = app.loaded
    app.load(portfolio, label=label)
    if position is not None:
        app.details_panel.offer([int(position)])


def decided_html(cells: Mapping[str, Any]) -> str:
    """Who decided the report of one organisation (a row of a reviewed frame), as escaped HTML."""
    by = str(cells.get("decided_by", "") or DECIDED_BY_CLASSIFIER)
    if by == DECIDED_BY_CLASSIFIER:
        return '<div class="soc-decided soc-note">Decided by the classifier; no reviewer has changed it.</div>'
    esc = html.escape
    at = str(cells.get("reviewed_at", "") or "")[:16].replace("T", " ")
    reason = str(cells.get("review_reason", "") or "")
    return (
        f'<div class="soc-decided"><b>{esc(str(cells.get("soc_report", "")))}</b>, decided by {esc(by)}'
        f"{' on ' + esc(at) + ' UTC' if at else ''}{': ' + esc(reason) if reason else ''}. "
        f"The classifier said {esc(str(cells.get('classifier_report', '')))}.</div>"
    )


def save_decision(
    organisation: str,
    *,
    website: str | None,
    report: str,
    categories=(),
    report_type: str | None = None,
    reason: str,
    by: str,
    workspace=None,
    database=None,
) -> pd.Series:
    """Record a decision from the form's values (:func:`socanalysis.review.set`); the new event.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> event = save_decision("Acme", website="acme.com", report="SOC 2", categories=("Privacy",),
    ...                       report_type=_NO_TYPE, reason="Hosts HR data", by="A. Lee", workspace=folder)
    >>> event[["report", "categories", "report_type"]].tolist()
    ['SOC 2', 'Privacy', '']
    """
    kind = None if report_type in (None, "", _NO_TYPE) else report_type
    chosen = list(categories) if report in ("SOC 2", "Both") else None
    return review.set(
        organisation,
        website=website,
        report=report,
        categories=chosen,
        report_type=kind,
        reason=reason,
        by=by,
        workspace=workspace,
        database=database,
    )


class ReviewForm:
    """The review form under the details panel: who decided, a new decision, undo, the audit trail.

    Parameters
    ----------
    banner : Banner
        Where a failure is shown.
    on_saved : callable, optional
        Called with no argument after a decision or an undo is recorded (the page assesses again).
    workspace, database : optional
        Which decisions store (the default one otherwise).

    Attributes
    ----------
    report, categories, report_type, reason, by : ipywidgets
        The decision's values.
    save_button, undo_button : ipywidgets.Button
    decided, trail, message : ipywidgets.HTML
        Who decided, the organisation's history, and what the last action did.
    widget : ipywidgets.VBox
    """

    def __init__(self, banner: Banner, on_saved: Callable[[], None] | None = None, *, workspace=None, database=None):
        self.banner, self.on_saved = banner, on_saved
        self.where = {"workspace": workspace, "database": database}
        self.organisation: str | None = None
        self.website: str | None = None
        wide = widgets.Layout(width="auto", min_width="260px")
        self.report = widgets.Dropdown(options=list(review.REPORTS), description="Report", layout=wide)
        self.categories = widgets.SelectMultiple(
            options=list(CATEGORIES[1:]), description="Categories", rows=4, layout=wide
        )
        self.report_type = widgets.Dropdown(options=[_NO_TYPE, *REPORT_TYPES], description="Type", layout=wide)
        self.reason = widgets.Textarea(placeholder="Why: kept in the audit trail", description="Reason", layout=wide)
        self.by = widgets.Text(placeholder="Your name", description="By", layout=wide)
        self.save_button = widgets.Button(description="Save the decision", icon="check", button_style="primary")
        self.undo_button = widgets.Button(description="Undo the last change", icon="undo")
        self.save_button.on_click(lambda _: self.save())
        self.undo_button.on_click(lambda _: self.undo())
        self.decided, self.trail, self.message = widgets.HTML(), widgets.HTML(), widgets.HTML()
        for w, cls in ((self.decided, "soc-decided"), (self.trail, "soc-trail"), (self.message, "soc-review-note")):
            w.add_class(cls)
        for w, cls in (
            (self.report, "soc-review-report"),
            (self.report_type, "soc-review-type"),
            (self.categories, "soc-review-categories"),
            (self.reason, "soc-review-reason"),
            (self.by, "soc-review-by"),
            (self.save_button, "soc-review-save"),
            (self.undo_button, "soc-review-undo"),
        ):
            w.add_class(cls)
        self.widget = widgets.VBox(
            [
                widgets.HTML('<h4 class="soc-review-title">Review this answer</h4>'),
                self.decided,
                row([self.report, self.report_type]),
                row([self.categories, self.reason]),
                row([self.by, self.save_button, self.undo_button]),
                self.message,
                self.trail,
            ]
        )
        self.widget.add_class("soc-review")

    def show(self, organisation: str | None, website: str | None = None, cells: Mapping[str, Any] | None = None):
        """Show the form for one organisation (None: nothing picked), its current answer and its trail."""
        self.organisation, self.website = organisation, website
        self.message.value = ""
        if organisation is None:
            self.decided.value = self.trail.value = ""
            return
        cells = dict(cells or {})
        self.decided.value = decided_html(cells) if cells else ""
        report = cells.get("soc_report")
        if report in review.REPORTS:
            self.report.value = report
        self.trail.value = review.history_html(organisation, website=website, **self.where)

    def attach(self, details, lookup: Callable[[int], tuple[str, str | None, Mapping[str, Any]]]) -> None:
        """Follow a :class:`~socanalysis.dashboards.organisations.DetailsPanel`: the organisation it
        shows, through ``lookup(position) -> (organisation, website, cells)``."""

        def follow(change) -> None:
            with self.banner.guard("showing the organisation's decisions"):
                position = change["new"]
                self.show(*lookup(position)) if position is not None else self.show(None)

        details.pick.observe(follow, "value")

    def save(self) -> pd.Series | None:
        """Record the form's decision; None (and the banner says why) when it cannot be."""
        with self.banner.guard("saving the decision"):
            if self.organisation is None:
                raise review.ReviewStoreError("pick an organisation in the details panel first")
            event = save_decision(
                self.organisation,
                website=self.website,
                report=self.report.value,
                categories=self.categories.value,
                report_type=self.report_type.value,
                reason=self.reason.value,
                by=self.by.value,
                **self.where,
            )
            self._done(f"Saved: {event['report']}, decided by {event['decided_by']}.")
            return event
        return None

    def undo(self) -> pd.Series | None:
        """Undo the organisation's last change (a new record); None when there is nothing to undo."""
        with self.banner.guard("undoing the decision"):
            if self.organisation is None:
                raise review.ReviewStoreError("pick an organisation in the details panel first")
            event = review.undo(
                self.organisation, website=self.website, reason=self.reason.value, by=self.by.value, **self.where
            )
            now = event["report"] if isinstance(event["report"], str) else "the classifier's answer"
            self._done(f"Undone: the answer is {now} again.")
            return event
        return None

    def _done(self, text: str) -> None:
        self.reason.value = ""
        self.message.value = f'<span class="soc-note">{html.escape(text)}</span>'
        self.trail.value = review.history_html(self.organisation, website=self.website, **self.where)
        if self.on_saved is not None:
            self.on_saved()


def meeting_answer(app) -> dict[str, Any]:
    """The answer a meeting page shows, as the decision to record: the client's name (its
    Organisation field), the report, its categories and its type.

    Examples
    --------
    >>> class Page:  # what the meeting page holds
    ...     class organisation: value = " Acme Payroll "
    ...     recommendation = {"soc_report": "Both", "tsc_categories": "Security; Privacy", "report_type": "Type 2"}
    >>> meeting_answer(Page())
    {'organisation': 'Acme Payroll', 'report': 'Both', 'categories': 'Security; Privacy', 'report_type': 'Type 2'}
    """
    name = str(app.organisation.value or "").strip()
    if not name:
        raise review.ReviewStoreError("type the client's name (or website) in Organisation to save its answer")
    answer = app.recommendation
    report = str(answer.get("soc_report", ""))
    if report not in review.REPORTS:
        raise review.ReviewStoreError(
            f"the answer is {report or 'not given'}: answer the questions until it is SOC 1, SOC 2, Both or Neither"
        )
    return {
        "organisation": name,
        "report": report,
        "categories": str(answer.get("tsc_categories", "") or "") if report in ("SOC 2", "Both") else None,
        "report_type": str(answer.get("report_type", "") or "") or None,
    }


class SaveAnswer:
    """The meeting page's "save this answer for the client": the answer the meeting settled on,
    recorded as the client's decision with the partner's name and a reason.

    ``current()`` returns the decision to record (see :func:`meeting_answer`).
    """

    def __init__(self, banner: Banner, current: Callable[[], dict[str, Any]], *, workspace=None, database=None):
        self.banner, self.current = banner, current
        self.where = {"workspace": workspace, "database": database}
        self.by = widgets.Text(placeholder="Partner's name", description="By")
        self.reason = widgets.Text(placeholder="Agreed in the meeting because…", description="Reason")
        self.button = widgets.Button(description="Save this answer for the client", icon="save")
        self.button.on_click(lambda _: self.save())
        self.message = widgets.HTML()
        self.widget = widgets.VBox([row([self.by, self.reason, self.button]), self.message])
        self.widget.add_class("soc-save-answer")

    def save(self) -> pd.Series | None:
        """Record the answer; the new event, or None (the banner says why)."""
        with self.banner.guard("saving the answer"):
            event = review.set(**self.current(), reason=self.reason.value, by=self.by.value, **self.where)
            self.message.value = (
                f'<span class="soc-note">Saved: {html.escape(str(event["organisation"]))} needs '
                f"{html.escape(str(event['report']))}, decided by {html.escape(str(event['decided_by']))}. "
                "Every classification of this client now takes it.</span>"
            )
            return event
        return None
