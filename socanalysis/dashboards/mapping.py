"""Which column holds what, picked in drop-downs when an upload's headers are not recognised.

An upload whose name column, or every column the classifier reads (description, industry,
sector, NAICS, SIC), goes unrecognised does not end on an error: :class:`ColumnPicker` shows a
drop-down per field, each offering the file's columns, with what was recognised already chosen;
"Load with these columns" loads the file again with those choices (``load_portfolio(columns=...)``
behind the scenes). Its messages name the drop-downs, never Python.

>>> picker = ColumnPicker()
>>> picker.offer(b"Company,Website\\nAcme,acme.com\\n", "leads.csv")
True
>>> picker.message
"'leads.csv': which column says what each organisation does? Pick it in “Description”, “Industry”, \
“Sector”, “NAICS code” or “SIC code” below, then press “Load with these columns”."
>>> picker.dropdowns["name"].value, picker.dropdowns["description"].options[:2]
('Company', (('(none)', ''), ('Company', 'Company')))
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import pandas as pd

from ..errors import ColumnError, SocAnalysisError
from ..load import load_portfolio, read_table, resolve
from ..vocabulary import SIGNAL_FIELDS
from .common import row

__all__ = ["LEAD_FIELDS", "PORTFOLIO_FIELDS", "ColumnPicker"]

LEAD_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Organisation name"),
    ("description", "Description"),
    ("industry", "Industry"),
    ("sector", "Sector"),
    ("naics", "NAICS code"),
    ("sic", "SIC code"),
    ("website", "Website"),
    ("country", "Country"),
)
"""The fields a lead list's drop-downs offer: field and the drop-down's label."""

PORTFOLIO_FIELDS: tuple[tuple[str, str], ...] = (
    *LEAD_FIELDS[:6],
    ("reports", "SOC reports held"),
    ("period_end", "Report period end"),
    ("partner", "Engagement partner"),
    ("region", "Region"),
)
"""The fields a portfolio's drop-downs offer."""

NONE = ""
"""The drop-down value that leaves a field without a column."""

_BUTTON = "Load with these columns"
_SIGNALS = ("description", "industry", "sector", "naics", "sic")


def _quoted(labels: list[str], joiner: str = "or") -> str:
    shown = [f"“{label}”" for label in labels]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" {joiner} " + shown[-1]


class ColumnPicker:
    """Drop-downs to say which column of an upload holds the name, the description, the industry ...

    Parameters
    ----------
    fields : sequence of (field, label)
        The fields offered (:data:`LEAD_FIELDS` or :data:`PORTFOLIO_FIELDS`).

    Attributes
    ----------
    dropdowns : dict of str to ipywidgets.Dropdown
        One per field; the value is a column of the file, or "" for none.
    load_button : ipywidgets.Button
        "Load with these columns": calls each of :attr:`on_load`, which loads :meth:`picked`.
    message : str
        What the page says is missing, naming the drop-downs ("" while hidden).
    widget : ipywidgets.VBox
        Hidden until :meth:`offer` shows it.
    """

    def __init__(self, fields: tuple[tuple[str, str], ...] = LEAD_FIELDS) -> None:
        self.fields = tuple(fields)
        self.labels = dict(self.fields)
        self.message = ""
        self._content: bytes | None = None
        self._name = ""
        self.intro = widgets.HTML()
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        for field, label in self.fields:
            dropdown = widgets.Dropdown(
                options=[("(none)", NONE)],
                value=NONE,
                description=label,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", min_width="240px"),
            )
            dropdown.add_class(f"soc-map-{field.replace('_', '-')}")
            self.dropdowns[field] = dropdown
        self.load_button = widgets.Button(description=_BUTTON, icon="check", layout=widgets.Layout(width="auto"))
        self.load_button.add_class("soc-map-load")
        self.load_button.on_click(lambda _: [callback() for callback in self.on_load])
        self.on_load: list[Callable[[], object]] = []
        self.widget = widgets.VBox(
            [self.intro, row(list(self.dropdowns.values()), cls="soc-map-fields"), row([self.load_button])],
            layout=widgets.Layout(display="none"),
        )
        self.widget.add_class("soc-mapping")

    @property
    def pending(self) -> str:
        """The name of the upload waiting for its columns ("" when none)."""
        return self._name if self._content is not None else ""

    def offer(self, content: bytes | memoryview, name: str) -> bool:
        """Show the drop-downs for an upload whose name or signal columns were not recognised.

        Returns False (and shows nothing) when the file cannot be read as a table, or when what is
        wrong is not a missing column (the caller then shows its own error).
        """
        try:
            table = read_table(bytes(content), name=name)
        except SocAnalysisError:
            return False
        columns = [str(c) for c in table.columns]
        if not columns or len(table) == 0:
            return False
        recognised = resolve(columns)
        missing = self.missing(recognised)
        if not missing:
            return False
        self._content, self._name = bytes(content), name
        for field, dropdown in self.dropdowns.items():
            dropdown.options = [("(none)", NONE), *((column, column) for column in columns)]
            dropdown.value = recognised.get(field) or NONE
        self._say(missing, columns)
        self.widget.layout.display = ""
        return True

    def load(self, content: bytes | memoryview, name: str, columns, banner) -> pd.DataFrame | None:
        """:func:`socanalysis.load_portfolio` of an upload, with the ``columns`` picked (None: as recognised).

        Returns None, with the drop-downs shown and ``banner`` saying what to pick, when the name or
        signal columns were not recognised and none were picked; any other error is raised.
        """
        try:
            frame = load_portfolio(bytes(content), name=name, columns=columns)
        except ColumnError:
            if columns is None and self.offer(content, name):
                banner.error(self.message)
                return None
            raise
        self.hide()
        return frame

    def missing(self, mapping: Mapping[str, str | None]) -> list[str]:
        """What ``mapping`` lacks for a load: ``"name"`` and/or ``"signal"``.

        Questionnaire columns (yes/no answers) count as a signal when the file's headers name them.

        >>> ColumnPicker().missing({"name": "Client", "naics": "NAICS"})
        []
        """
        out = [] if mapping.get("name") else ["name"]
        if not any(mapping.get(field) for field in SIGNAL_FIELDS):
            out.append("signal")
        return out

    def _say(self, missing: list[str], columns: list[str]) -> None:
        asks = []
        if "name" in missing:
            asks.append(f"which column holds the organisation's name? Pick it in “{self.labels['name']}”")
        if "signal" in missing:
            signals = [self.labels[f] for f in _SIGNALS if f in self.labels]
            asks.append(f"which column says what each organisation does? Pick it in {_quoted(signals)}")
        self.message = f"{self._name!r}: " + "; and ".join(asks) + f" below, then press “{_BUTTON}”."
        listed = ", ".join(map(repr, columns[:30])) + (
            f" ... and {len(columns) - 30} more" if len(columns) > 30 else ""
        )
        self.intro.value = (
            '<div class="soc-section-title">Which column holds what?</div>'
            f'<span class="soc-note">The columns of {html.escape(self._name)}: {html.escape(listed)}.</span>'
        )

    @property
    def choices(self) -> dict[str, str | None]:
        """Each field offered and the column picked for it (None: no column)."""
        return {field: (dropdown.value or None) for field, dropdown in self.dropdowns.items()}

    def check(self) -> None:
        """Raise :class:`SocAnalysisError`, naming the drop-downs, when the choices cannot load."""
        missing = self.missing(self.choices)
        if missing:
            self._say(missing, [value for _, value in self.dropdowns["name"].options if value])
            raise SocAnalysisError(self.message)
        picked = pd.Series([c for c in self.choices.values() if c])
        twice = picked[picked.duplicated()].unique().tolist()
        if twice:
            used = [self.labels[f] for f, c in self.choices.items() if c in twice]
            raise SocAnalysisError(
                f"{twice[0]!r} is picked in {_quoted(used, 'and')}: a column can serve one field; change one of them."
            )

    def picked(self) -> tuple[bytes, str, dict[str, str | None]]:
        """The upload waiting and the columns picked: ``(content, name, columns)`` for ``load_portfolio``.

        Raises :class:`SocAnalysisError` (naming the drop-downs) when the choices cannot load.
        """
        if self._content is None:
            raise SocAnalysisError("No upload is waiting for its columns: upload the file again.")
        self.check()
        return self._content, self._name, self.choices

    def hide(self) -> None:
        """Hide the drop-downs and forget the upload."""
        self._content, self._name, self.message = None, "", ""
        self.widget.layout.display = "none"
