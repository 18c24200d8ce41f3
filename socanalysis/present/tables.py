"""Tables for people: a frame styled for a notebook, the dashboards or the HTML report.

Values are escaped: a cell from a spreadsheet is shown as text, never as markup.

>>> import pandas as pd
>>> "&lt;b&gt;" in to_html(pd.DataFrame({"Name": ["<b>"]}))
True
"""

from __future__ import annotations

import html
import numbers

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from ..errors import SocAnalysisError

__all__ = ["style_table", "to_html"]


_TABLE_STYLES = [
    {
        "selector": "",
        "props": "border-collapse: collapse; font-family: system-ui, -apple-system, 'Segoe UI', "
        "Roboto, sans-serif; font-size: 0.9rem; color: #1f2933;",
    },
    {
        "selector": "caption",
        "props": "caption-side: top; text-align: left; font-weight: 600; font-size: 1rem; padding: 0 0 0.5rem 0;",
    },
    {
        "selector": "thead th",
        "props": "background: #1f3a5f; color: #ffffff; text-align: left; "
        "padding: 0.45rem 0.6rem; border-bottom: 2px solid #14263e;",
    },
    {
        "selector": "tbody th",
        "props": "background: #f1f4f8; text-align: left; font-weight: 600; "
        "padding: 0.4rem 0.6rem; vertical-align: top;",
    },
    {"selector": "td", "props": "padding: 0.4rem 0.6rem; vertical-align: top; border-bottom: 1px solid #d9e0e8;"},
    {"selector": "tbody tr:nth-child(even) td", "props": "background: #f8fafc;"},
]


def _display(value: object) -> str:
    """One cell as escaped HTML text."""
    if isinstance(value, (bool, np.bool_)):
        text = "Yes" if value else "No"
    elif value is None or value is pd.NaT or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        text = ""
    elif isinstance(value, pd.Timestamp):
        text = value.strftime("%Y-%m-%d")
    elif isinstance(value, numbers.Integral):
        text = f"{int(value):,}"
    elif isinstance(value, numbers.Real):
        text = (
            f"{float(value):,.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else f"{float(value):,.0f}"
        )
    else:
        text = str(value)
    return html.escape(text, quote=True).replace("\n", "<br>")


def style_table(df: pd.DataFrame, *, caption: str | None = None, hide_index: bool = False) -> Styler:
    """A clean styled table that renders in a notebook and as HTML.

    Every cell, index label, column label and the caption are escaped: a value such as
    ``<img src=x onerror=alert(1)>`` shows as text.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table (not modified).
    caption : str, optional
        A title shown above the table.
    hide_index : bool
        Leave the row labels out.

    Returns
    -------
    pandas.io.formats.style.Styler

    Examples
    --------
    >>> from socanalysis.portfolio import compare_reports
    >>> html_text = style_table(compare_reports(), caption="SOC 1, SOC 2 and SOC 3").to_html()
    >>> "SOC 1, SOC 2 and SOC 3" in html_text and "Restricted" in html_text
    True
    """
    frame = df.copy()
    if isinstance(frame.columns, pd.MultiIndex) or isinstance(frame.index, pd.MultiIndex):
        frame.columns = [" / ".join(map(str, c)) if isinstance(c, tuple) else c for c in frame.columns]
        frame.index = [" / ".join(map(str, i)) if isinstance(i, tuple) else i for i in frame.index]
    if frame.columns.duplicated().any():
        raise SocAnalysisError(
            "style_table() needs unique column names; duplicated: "
            + ", ".join(map(repr, frame.columns[frame.columns.duplicated()].unique()))
        )
    styler = frame.style.format(_display).format_index(_display, axis=0).format_index(_display, axis=1)
    styler = styler.set_table_styles(_TABLE_STYLES).set_table_attributes('class="socanalysis-table"')
    if caption:
        styler = styler.set_caption(html.escape(str(caption)))
    if frame.index.name is not None:
        styler = styler.format_index_names(_display, axis=0)
    if hide_index:
        styler = styler.hide(axis="index")
    return styler


def to_html(df: pd.DataFrame, *, caption: str | None = None, hide_index: bool = False) -> str:
    """The table of :func:`style_table` as an HTML fragment (a ``<style>`` block and a ``<table>``).

    Examples
    --------
    >>> page = to_html(pd.DataFrame({"Client": ["<img src=x onerror=alert(1)>"]}))
    >>> "<img" in page, "&lt;img src=x onerror=alert(1)&gt;" in page
    (False, True)
    """
    styler = style_table(df, caption=caption, hide_index=hide_index)
    cells = int(df.size) + len(df) + len(df.columns) + 1
    limit = max(int(pd.get_option("styler.render.max_elements")), cells)
    with pd.option_context("styler.render.max_elements", limit):
        return styler.to_html()
