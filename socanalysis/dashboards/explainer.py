"""The SOC 1 vs SOC 2 explainer: the comparison tables and the control overview, for a projector.

One section at a time, in large type (the "Large text" switch turns it off for a laptop screen).
The tables are :func:`socanalysis.compare_reports` and :func:`socanalysis.control_overview`,
rendered as escaped HTML tables that follow the light or dark theme.

>>> app = ExplainerApp()
>>> [title for _, title in SECTIONS][:2]
['SOC 1, SOC 2, SOC 3', 'What each report covers']
>>> app.show("types"); "Type 2" in app.body.value
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping

import ipywidgets as widgets
import pandas as pd

from ..errors import SocAnalysisError
from ..portfolio import compare_reports, control_overview
from ..present import Branding
from .common import dashboard_branding, follow_page, header_html, row, style_html
from .table import html_table

__all__ = ["SECTIONS", "ExplainerApp", "section_html", "soc_explainer"]

SECTIONS: tuple[tuple[str, str], ...] = (
    ("compare", "SOC 1, SOC 2, SOC 3"),
    ("controls", "What each report covers"),
    ("categories", "Trust Services Categories"),
    ("types", "Type 1 or Type 2"),
    ("choose", "Which one do I need?"),
)
"""The sections, in order: key and title."""

_CHOOSE = (
    (
        "Could your service change the numbers in your customers' financial statements? (payroll, payments, "
        "claims, loan servicing, fund administration, outsourced accounting or billing)",
        "SOC 1",
    ),
    (
        "Do you store, process or transmit your customers' sensitive data, or run systems they rely on? "
        "(SaaS, cloud, hosting, data centres, managed IT, data processing)",
        "SOC 2",
    ),
    ("Both of the above (payroll SaaS, payment platforms, fintech, benefits platforms)", "SOC 1 and SOC 2"),
    ("You hold a SOC 2 and want something to publish on your website", "SOC 3"),
    (
        "Neither: no service to other organisations' financial reporting or data (a manufacturer, a retailer)",
        "No SOC report; perhaps SOC for Cybersecurity or SOC for Supply Chain",
    ),
    ("Outside the United States", "ISAE 3402 (≈ SOC 1) or ISAE 3000 (≈ SOC 2); CSAE 3416 in Canada"),
)


def _table(frame: pd.DataFrame, *, hide_index: bool = False) -> str:
    return f'<div class="soc-table"><div class="soc-table-wrap">{html_table(frame, index=not hide_index)}</div></div>'


def section_html(key: str) -> str:
    """The HTML of one section (see :data:`SECTIONS`), every value escaped.

    Examples
    --------
    >>> "ISAE 3402" in section_html("choose")
    True
    """
    if key == "compare":
        table = compare_reports().loc[
            ["Focus", "Standard", "Audience", "When to choose", "Main criteria", "Typical users", "Use"]
        ]
        return _table(table)
    if key == "controls":
        overview = control_overview()
        return (
            '<p class="soc-note">SOC 1 has no fixed criteria: its control objectives are agreed per engagement. '
            "SOC 2 is judged against the Trust Services Criteria, named here by their IDs.</p>"
            + _table(overview, hide_index=True)
        )
    if key == "categories":
        overview = control_overview()
        soc2 = overview[overview["Report"] == "SOC 2"].drop(columns="Report")
        return (
            '<p class="soc-note">Security (the common criteria) is always in scope; the other four categories '
            "are added when the service calls for them.</p>" + _table(soc2, hide_index=True)
        )
    if key == "types":
        table = compare_reports().loc[["Type 1", "Type 2"]]
        return (
            _table(table)
            + '<ul class="soc-points"><li>A first report is often a Type 1, or a Type 2 over a short period '
            "(3 months).</li><li>An organisation that already holds a report moves to a Type 2 over 6 to 12 "
            "months.</li><li>Reports do not expire, but the market treats one as current for about 12 months "
            "after its period ends; a bridge letter covers up to about 3 months to a customer's year end."
            "</li></ul>"
        )
    if key == "choose":
        rows = "".join(
            f"<tr><td>{html.escape(q)}</td><td><strong>{html.escape(a)}</strong></td></tr>" for q, a in _CHOOSE
        )
        return (
            f'<div class="soc-table"><div class="soc-table-wrap"><table class="soc-grid"><thead><tr>'
            f"<th>If …</th><th>then</th></tr></thead><tbody>{rows}</tbody></table></div></div>"
        )
    raise SocAnalysisError(f"no section {key!r}; accepted: {', '.join(k for k, _ in SECTIONS)}")


class ExplainerApp:
    """The explainer as an object: a section picker, a large-text switch and the section shown.

    Parameters
    ----------
    branding : Branding, dict, path or None
    projector : bool
        Start in large type.
    """

    def __init__(
        self, *, branding: Branding | Mapping | str | os.PathLike | None = None, projector: bool = True
    ) -> None:
        self.branding = dashboard_branding(branding)
        self._themed_by_page = branding is None
        brand = self.branding
        self.style = widgets.HTML(style_html(brand))
        self.header = widgets.HTML(header_html(brand, "SOC 1 or SOC 2?", "The reports side by side"))
        self.sections = widgets.ToggleButtons(
            options=[(title, key) for key, title in SECTIONS], value="compare", style={"button_width": "auto"}
        )
        self.sections.add_class("soc-sections")
        self.sections.observe(lambda change: self.show(change["new"]), "value")
        self.large = widgets.Checkbox(value=projector, description="Large text (projector)", indent=False)
        self.large.add_class("soc-large-text")
        self.large.observe(lambda change: self._projector(change["new"]), "value")
        self.previous = widgets.Button(description="Previous", icon="chevron-left", layout=widgets.Layout(width="auto"))
        self.next = widgets.Button(description="Next", icon="chevron-right", layout=widgets.Layout(width="auto"))
        self.previous.on_click(lambda _: self.step(-1))
        self.next.on_click(lambda _: self.step(1))
        self.title = widgets.HTML()
        self.body = widgets.HTML()
        self.body.add_class("soc-section-body")
        self.widget = widgets.VBox(
            [
                self.style,
                self.header,
                row([self.sections, self.large]),
                self.title,
                self.body,
                row([self.previous, self.next]),
            ]
        )
        self.widget.add_class("soc-app")
        if brand.dark:
            self.widget.add_class("soc-dark")
        self._projector(projector)
        self.show("compare")

    def _repr_mimebundle_(self, **kwargs):
        if self._themed_by_page:
            follow_page(self, lambda: ExplainerApp(projector=self.large.value))
        return self.widget._repr_mimebundle_(**kwargs)

    def _projector(self, on: bool) -> None:
        if on:
            self.widget.add_class("soc-projector")
        else:
            self.widget.remove_class("soc-projector")

    @property
    def section(self) -> str:
        """The key of the section shown."""
        return self.sections.value

    def show(self, key: str) -> None:
        """Show section ``key`` (see :data:`SECTIONS`)."""
        if key not in dict(SECTIONS):
            section_html(key)  # says which sections there are
        if self.sections.value != key:
            self.sections.value = key  # calls show() again through the observer
            return
        title = dict(SECTIONS)[key]
        self.title.value = f'<div class="soc-section-title">{html.escape(title)}</div>'
        self.body.value = section_html(key)
        keys = [k for k, _ in SECTIONS]
        self.previous.disabled = keys.index(key) == 0
        self.next.disabled = keys.index(key) == len(keys) - 1

    def step(self, by: int) -> None:
        """Move ``by`` sections forward (negative: back)."""
        keys = [k for k, _ in SECTIONS]
        position = min(max(keys.index(self.section) + by, 0), len(keys) - 1)
        self.show(keys[position])


def soc_explainer(**kwargs) -> ExplainerApp:
    """The SOC 1 vs SOC 2 explainer (see :class:`ExplainerApp`); display the returned app in a notebook."""
    return ExplainerApp(**kwargs)
