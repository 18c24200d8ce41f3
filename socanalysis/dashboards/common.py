"""Building blocks shared by the dashboards: styling, the message banner, downloads, charts.

Everything that reaches the page as HTML is built here or in the apps with :func:`html.escape`
(tables by :func:`socanalysis.dashboards.table.html_table`, which escapes every label and cell):
a value from a spreadsheet is always shown as text, never interpreted as markup.

>>> banner = Banner()
>>> with banner.guard("reading the file"):
...     raise SocAnalysisError("'clients.csv' has no data rows")
>>> banner.kind, banner.message
('error', "'clients.csv' has no data rows")
>>> "<img" in download_link(b"x", "<img src=x>.csv", "Download")
False
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import ipywidgets as widgets
import pandas as pd

from ..errors import ExportError, SocAnalysisError
from ..present import Branding, branding_css, load_branding

__all__ = [
    "ALL",
    "DEFAULT_UPLOAD_LIMIT_MB",
    "DOWNLOAD_LIMIT_MB",
    "ENV_BRANDING",
    "ENV_PORTFOLIO",
    "ENV_THEME",
    "ENV_UPLOAD_LIMIT",
    "UPLOAD_ACCEPT",
    "XLSX_MIME",
    "Banner",
    "ChartPane",
    "dashboard_branding",
    "download_link",
    "fmt_count",
    "fmt_money",
    "follow_page",
    "header_html",
    "kpis_html",
    "load_first_upload",
    "plain_column_hint",
    "read_upload",
    "row",
    "safe_filename",
    "section_title",
    "style_html",
    "temp_bytes",
    "upload_button",
    "upload_limit_mb",
]

log = logging.getLogger("socanalysis.dashboards")

ENV_BRANDING = "SOCANALYSIS_BRANDING"
"""Environment variable: a YAML file with the firm's branding (see :func:`socanalysis.present.theme.load_branding`)."""

ENV_THEME = "SOCANALYSIS_THEME"
"""Environment variable: ``light`` or ``dark``; overrides the branding's mode."""

ENV_PORTFOLIO = "SOCANALYSIS_PORTFOLIO"
"""Environment variable: a portfolio file the portfolio dashboard opens on instead of the sample."""

ENV_UPLOAD_LIMIT = "SOCANALYSIS_UPLOAD_LIMIT_MB"
"""Environment variable: the upload limit the server was started with, in MiB (shown on the pages)."""

DEFAULT_UPLOAD_LIMIT_MB = 200
"""The largest upload, in MiB: :func:`socanalysis.dashboards.serve` raises Voilà's websocket limit to it."""

DOWNLOAD_LIMIT_MB = 150
"""The largest file offered for download from a page, in MiB (it travels inside the page)."""

GENERIC_ERROR = (
    "Something went wrong while {action}. Nothing was changed; the details are in the log of "
    "the server that runs this page."
)


# --------------------------------------------------------------------------------------------
# settings from the environment
# --------------------------------------------------------------------------------------------


def dashboard_branding(branding: Branding | Mapping | str | os.PathLike | None = None) -> Branding:
    """The branding of a dashboard: ``branding``, else the YAML file named by ``SOCANALYSIS_BRANDING``.

    Without ``branding``, the mode (light or dark) follows, in order: the page's ``?theme=dark`` or
    ``?theme=light`` (Voilà hands the page's query string to the kernel as ``QUERY_STRING``; a kernel
    kept warm learns it when a page takes it, see :func:`follow_page`), then ``SOCANALYSIS_THEME``,
    then the branding file.

    Examples
    --------
    >>> dashboard_branding({"firm_name": "Harbour & Pine"}).firm_name
    'Harbour & Pine'
    """
    source = branding if branding is not None else (os.environ.get(ENV_BRANDING) or None)
    brand = load_branding(source)
    if branding is not None:
        return brand
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    for theme in (*query.get("theme", [])[:1], os.environ.get(ENV_THEME, "")):
        theme = theme.strip().lower()
        if theme in ("light", "dark"):
            return replace(brand, mode=theme)
    return brand


_FOLLOWERS: list[tuple[Any, Callable[[], Any]]] = []
_LISTENING = False


def follow_page(app: Any, fresh: Callable[[], Any]) -> None:
    """In a kernel kept warm, give ``app`` the theme of the page that takes the kernel.

    ``socanalysis dashboard`` keeps kernels warm (Voilà's pool, ``VOILA_PREHEAT=True``): each runs
    its dashboard's notebook, in the server's theme, before any page asks for it, so that a page
    opens at once. The page's address may ask for the other theme (``?theme=dark``): when the page
    takes the kernel, the server sends its request on the ``/voila/query/<kernel id>`` websocket.
    Displaying an app in such a kernel starts listening there (in a thread); the page's request
    goes into ``os.environ`` (``QUERY_STRING`` ...), as for a kernel Voilà starts for a page, and
    when it asks for another theme, ``fresh()`` builds the app again in the kernel's own thread
    and the new widgets take the place of the old ones in the widget already on the page, before
    the page's scripts ask for it (they load for a second or two). The old app object then shares
    the new one's state, so the notebook's next cells (``app.start()``) act on the new one.

    Anywhere else (a kernel started for its page, JupyterLab, a script) it does nothing.
    """
    global _LISTENING
    if os.environ.get("VOILA_PREHEAT") != "True" or any(known is app for known, _ in _FOLLOWERS):
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not displayed from a kernel's cell
        return
    _FOLLOWERS.append((app, fresh))
    if not _LISTENING:
        _LISTENING = True
        threading.Thread(target=_await_page, args=(loop,), name="socanalysis-page", daemon=True).start()


def _await_page(loop: asyncio.AbstractEventLoop) -> None:
    info = _page_request()
    if info:
        os.environ.update(info)
        loop.call_soon_threadsafe(_follow_theme)


def _follow_theme() -> None:
    """Rebuild, for the page's theme, every app displayed that was built in another."""
    mode = dashboard_branding().mode
    for app, fresh in list(_FOLLOWERS):
        if app.branding.mode == mode:
            continue
        try:
            _replace(app, fresh)
        except Exception:  # the page keeps the server's theme, and works
            log.warning("could not give the page its theme", exc_info=True)


def _replace(app: Any, fresh: Callable[[], Any]) -> None:
    new = fresh()
    shown = app.widget  # the widget the page displays
    keep = {**_widgets_in(new.widget), shown.model_id: shown, shown.layout.model_id: shown.layout}
    old = [widget for model_id, widget in _widgets_in(shown).items() if model_id not in keep]
    shown.children = new.widget.children
    shown._dom_classes = new.widget._dom_classes
    spare, new.widget = new.widget, shown
    app.__dict__ = new.__dict__  # the notebook's name for the app now acts on the new one
    spare.layout.close()
    spare.close()
    for widget in old:
        widget.close()


def _widgets_in(root: widgets.Widget) -> dict[str, widgets.Widget]:
    """``root`` and every widget it holds, however deep, by model id."""
    found: dict[str, widgets.Widget] = {}
    pending = [root]
    while pending:
        widget = pending.pop()
        if widget.model_id is None or widget.model_id in found:
            continue
        found[widget.model_id] = widget
        for name in widget.keys:
            value = getattr(widget, name, None)
            items = value if isinstance(value, (list, tuple)) else [value]
            pending.extend(item for item in items if isinstance(item, widgets.Widget))
    return found


def _page_request() -> dict[str, str]:
    """The request of the page that takes this kernel, from the server's request-info websocket; {} without one."""
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
    if not re.fullmatch(r"[0-9a-f-]{36}", kernel_id):
        return {}
    ip = os.environ.get("VOILA_APP_IP") or "127.0.0.1"
    host = f"[{ip}]" if ":" in ip else ip
    port = os.environ.get("VOILA_APP_PORT") or "8866"
    base = os.environ.get("VOILA_SERVER_URL") or "/"
    url = f"ws://{host}:{port}{base}voila/query/{kernel_id}"
    try:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        with connect(url, open_timeout=10, close_timeout=1, max_size=1 << 20) as socket:
            message = socket.recv()
        info = json.loads(message)
    except (ImportError, OSError, ValueError, WebSocketException):
        log.warning("could not learn the page's request from %s: the page gets the server's theme", url, exc_info=True)
        return {}
    if not isinstance(info, dict):
        return {}
    return {str(key): str(value) for key, value in info.items()}


def upload_limit_mb() -> int:
    """The upload limit in MiB: ``SOCANALYSIS_UPLOAD_LIMIT_MB`` or :data:`DEFAULT_UPLOAD_LIMIT_MB`.

    >>> upload_limit_mb() > 0
    True
    """
    text = os.environ.get(ENV_UPLOAD_LIMIT, "").strip()
    try:
        value = int(text)
    except ValueError:
        return DEFAULT_UPLOAD_LIMIT_MB
    return value if value > 0 else DEFAULT_UPLOAD_LIMIT_MB


# --------------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------------


def fmt_count(value: float) -> str:
    """A whole number with thousands separators.

    >>> fmt_count(12345)
    '12,345'
    """
    return f"{int(value):,}"


def fmt_money(value: float) -> str:
    """US dollars, rounded: $1.2M, $45K, $900.

    >>> fmt_money(1_234_567), fmt_money(45_000), fmt_money(900)
    ('$1.2M', '$45K', '$900')
    """
    value = float(value)
    if abs(value) >= 1e6:
        return f"${value / 1e6:,.1f}M"
    if abs(value) >= 1e3:
        return f"${value / 1e3:,.0f}K"
    return f"${value:,.0f}"


def safe_filename(name: str | None, suffix: str, default: str = "socanalysis") -> str:
    """A download file name from a user's file name: letters, digits, ``._-`` only.

    >>> safe_filename("Clients <2025>.xlsx", "_classified.xlsx")
    'Clients_2025_classified.xlsx'
    >>> safe_filename(None, ".csv")
    'socanalysis.csv'
    """
    stem = Path(str(name or "")).stem if name else ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:80]
    return f"{stem or default}{suffix}"


# --------------------------------------------------------------------------------------------
# HTML pieces
# --------------------------------------------------------------------------------------------

_CSS_CACHE: str | None = None


def _theme_css() -> str:
    global _CSS_CACHE
    if _CSS_CACHE is None:
        _CSS_CACHE = (files("socanalysis.dashboards") / "theme.css").read_text(encoding="utf-8")
    return _CSS_CACHE


def style_html(branding: Branding) -> str:
    """A ``<style>`` block: the firm's colours as CSS variables, then the dashboards' stylesheet.

    Examples
    --------
    >>> css = style_html(load_branding({"primary": "#123456"}))
    >>> css.startswith("<style>") and "--soc-primary: #123456;" in css
    True
    """
    return f"<style>\n{branding_css(branding)}{_theme_css()}</style>"


def header_html(branding: Branding, title: str, subtitle: str = "") -> str:
    """The page header: logo, firm name, title and subtitle (all escaped).

    Examples
    --------
    >>> page = header_html(load_branding({"firm_name": "<b>Firm</b>"}), "Portfolio")
    >>> "&lt;b&gt;Firm&lt;/b&gt;" in page and "<b>Firm" not in page
    True
    """
    logo = branding.logo_data_uri()
    logo_html = (
        f'<img class="soc-logo" src="{html.escape(logo, quote=True)}" '
        f'alt="{html.escape(branding.firm_name, quote=True)} logo">'
        if logo
        else ""
    )
    sub = f'<div class="soc-subtitle">{html.escape(subtitle)}</div>' if subtitle else ""
    return (
        f'<div class="soc-header">{logo_html}<div><div class="soc-firm">{html.escape(branding.firm_name)}'
        f'</div><div class="soc-title">{html.escape(title)}</div>{sub}</div></div>'
    )


def kpis_html(items: list[tuple[str, str, str]]) -> str:
    """Headline figure cards from ``(key, label, shown value)``; ``key`` becomes ``data-kpi``.

    Examples
    --------
    >>> kpis_html([("organisations", "Organisations", "1,200")])  # doctest: +ELLIPSIS
    '<div class="soc-kpis"><div class="soc-kpi" data-kpi="organisations">...1,200...'
    """
    cards = "".join(
        f'<div class="soc-kpi" data-kpi="{html.escape(key, quote=True)}"><div class="soc-kpi-value">'
        f'{html.escape(value)}</div><div class="soc-kpi-label">{html.escape(label)}</div></div>'
        for key, label, value in items
    )
    return f'<div class="soc-kpis">{cards}</div>'


def download_link(
    data: bytes, filename: str, label: str, mime: str = "application/octet-stream", *, limit_mb: int = DOWNLOAD_LIMIT_MB
) -> str:
    """An ``<a download>`` link carrying ``data`` in a ``data:`` URI (base64), every part escaped.

    ipywidgets has no download widget; a data URI needs no server route and no script. The
    file travels inside the page, so files over ``limit_mb`` MiB are refused
    (:class:`~socanalysis.errors.ExportError`): the command line writes them instead.

    Examples
    --------
    >>> link = download_link(b"a,b\\n", 'x".csv', "Download CSV", "text/csv")
    >>> link  # doctest: +ELLIPSIS
    '<a class="soc-download" download="x&quot;.csv" href="data:text/csv;base64,YSxiCg==" ...>Download CSV</a>'
    """
    size = len(data)
    if size > limit_mb * 1024 * 1024:
        raise ExportError(
            f"{filename!r} would be {size / 1024 / 1024:,.0f} MB, more than the {limit_mb:,} MB a page "
            "can hand over; narrow the filters, or write it with the command line "
            "(socanalysis classify / socanalysis report)"
        )
    uri = f"data:{mime};base64,{base64.b64encode(bytes(data)).decode('ascii')}"
    shown = f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"
    return (
        f'<a class="soc-download" download="{html.escape(filename, quote=True)}" '
        f'href="{html.escape(uri, quote=True)}" data-size="{size}" title="{html.escape(shown, quote=True)}">'
        f"{html.escape(label)}</a>"
    )


def temp_bytes(write: Callable[[Path], Any], suffix: str) -> bytes:
    """Run ``write(path)`` on a fresh temporary file and return the file's bytes (the file is removed)."""
    with tempfile.TemporaryDirectory(prefix="socanalysis-") as folder:
        path = Path(folder) / f"export{suffix}"
        write(path)
        return path.read_bytes()


ALL = "All"
"""The filter value that keeps every row."""

UPLOAD_ACCEPT = ".csv,.tsv,.txt,.xlsx,.parquet,.json,.jsonl"
"""The file types the upload buttons offer."""

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_button(label: str) -> widgets.FileUpload:
    """A file upload button that reads ``label``, without the file count ipywidgets appends to it.

    ipywidgets' FileUpload shows "description (count)", and the count reads "(0)" after every
    upload here (the bytes are let go once loaded). The label goes in the tooltip instead, and
    the stylesheet shows the tooltip as the button's text (``.soc-upload::after``).

    >>> button = upload_button("Upload a portfolio")
    >>> button.description, button.tooltip, "soc-upload" in button._dom_classes
    ('', 'Upload a portfolio', True)
    """
    button = widgets.FileUpload(
        accept=UPLOAD_ACCEPT, multiple=False, description="", tooltip=label, layout=widgets.Layout(width="auto")
    )
    button.add_class("soc-upload")
    return button


def section_title(text: str) -> widgets.HTML:
    """A section heading, escaped."""
    return widgets.HTML(f'<div class="soc-section-title">{html.escape(text)}</div>')


def read_upload(value: Any) -> tuple[bytes, str] | None:
    """The first file of a :class:`ipywidgets.FileUpload` value: ``(content, name)``; None when empty.

    Examples
    --------
    >>> read_upload(({"name": "a.csv", "size": 3, "content": memoryview(b"x,y")},))
    (b'x,y', 'a.csv')
    >>> read_upload(()) is None
    True
    """
    if not value:
        return None
    first = value[0] if isinstance(value, (tuple, list)) else next(iter(value.values()))
    return bytes(first["content"]), str(first.get("name") or "upload")


def load_first_upload(upload: widgets.FileUpload, load: Callable[[bytes, str], Any]) -> None:
    """Hand the first uploaded file to ``load(content, name)``, then forget the bytes (so the same
    file can be uploaded again)."""
    first = read_upload(upload.value)
    if first is not None:
        load(*first)
        upload.value = ()


# --------------------------------------------------------------------------------------------
# the message banner
# --------------------------------------------------------------------------------------------

_PYTHON_HINT = re.compile(r"[;,.]?\s*(?:or )?name (?:the column|them) with columns=\{[^}]*\}")


def plain_column_hint(message: str) -> str:
    """A column error's message without its Python advice (``columns={'name': ...}``), for a page.

    >>> plain_column_hint("no column usable as the organisation name; or name the column with "
    ...                   "columns={'name': 'Your Column'}")
    'no column usable as the organisation name; or pick the column in the drop-downs'
    """
    return _PYTHON_HINT.sub("; or pick the column in the drop-downs", message)


class Banner:
    """A message banner: errors and notices in plain words, never a traceback.

    ``guard(action)`` wraps work done for the user: a :class:`SocAnalysisError` shows its message
    (and its first failure cases); anything else shows a short generic message and is logged.

    Examples
    --------
    >>> b = Banner()
    >>> with b.guard("drawing the chart"):
    ...     raise KeyError("boom")
    >>> b.kind, b.message.startswith("Something went wrong while drawing the chart")
    ('error', True)
    >>> b.info("Loaded <clients>.csv"); "&lt;clients&gt;" in b.widget.value
    True
    """

    def __init__(self) -> None:
        self.widget = widgets.HTML(value="")
        self.widget.add_class("soc-banner-host")
        self.kind = ""
        self.message = ""
        self.details: list[str] = []

    def _show(self, kind: str, message: str, details: list[str] | None = None) -> None:
        self.kind, self.message, self.details = kind, message, list(details or [])
        items = "".join(f"<li>{html.escape(d)}</li>" for d in self.details)
        listing = f"<ul>{items}</ul>" if items else ""
        role = "alert" if kind == "error" else "status"
        self.widget.value = (
            f'<div class="soc-banner soc-banner-{kind}" role="{role}" data-kind="{kind}">'
            f"<strong>{html.escape(message)}</strong>{listing}</div>"
        )

    def error(self, message: str, details: list[str] | None = None) -> None:
        """Show an error."""
        self._show("error", message, details)

    def info(self, message: str) -> None:
        """Show a notice."""
        self._show("info", message)

    def clear(self) -> None:
        """Hide the banner."""
        self.kind, self.message, self.details = "", "", []
        self.widget.value = ""

    def show_exception(self, exc: BaseException, action: str) -> None:
        """Show ``exc`` as the user should see it (see the class docstring)."""
        if isinstance(exc, SocAnalysisError):
            lines = [plain_column_hint(line) for line in str(exc).splitlines()]
            message = plain_column_hint(exc.message.strip()) or lines[0]
            self.error(message, [line.strip() for line in lines[1:]][:11])
        else:
            log.error("dashboard error while %s", action, exc_info=exc)
            self.error(GENERIC_ERROR.format(action=action))

    @contextlib.contextmanager
    def guard(self, action: str) -> Iterator[None]:
        """Catch any error in the block and show it (see the class docstring)."""
        try:
            yield
        except Exception as exc:  # shown to the user, never re-raised into the page
            self.show_exception(exc, action)


# --------------------------------------------------------------------------------------------
# charts and tables
# --------------------------------------------------------------------------------------------


class ChartPane:
    """A chart in a :class:`ipywidgets.Output`, cleared and redrawn on every change.

    The figure is shown as plotly's own ``application/vnd.plotly.v1+json`` output, exactly what
    ``fig.show(renderer="plotly_mimetype")`` displays (drawn in the page by the plotly.js that the
    plotly package ships, no CDN). It is built here rather than through ``fig.show()`` because the
    first ``fig.show()`` in a kernel imports plotly's renderer registry, which imports nbformat and
    jsonschema's format checkers: about 2.5 s before the first chart of every page.

    ``figure`` is the last figure drawn (tests read its data).
    """

    CONFIG = {"displaylogo": False, "responsive": True}

    def __init__(self) -> None:
        self.output = widgets.Output()
        self.output.add_class("soc-chart")
        self.figure = None
        self.note = ""

    @classmethod
    def bundle(cls, fig) -> dict:
        """The mime bundle of ``fig``: ``{"application/vnd.plotly.v1+json": {data, layout, config}}``.

        Examples
        --------
        >>> import plotly.graph_objects as go
        >>> bundle = ChartPane.bundle(go.Figure(go.Bar(x=["a"], y=[1])))
        >>> sorted(bundle["application/vnd.plotly.v1+json"])
        ['config', 'data', 'layout']
        """
        import plotly.io as pio

        fig_dict = fig.to_dict()
        fig_dict["config"] = dict(cls.CONFIG)
        return {"application/vnd.plotly.v1+json": json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))}

    def draw(self, fig, bundle: dict | None = None) -> dict:
        """Replace the chart with ``fig`` (a plotly Figure); returns the bundle shown.

        ``bundle`` is ``ChartPane.bundle(fig)`` when the caller has it already (a cached chart).
        """
        self.figure, self.note = fig, ""
        bundle = self.bundle(fig) if bundle is None else bundle
        self._show(bundle)
        return bundle

    def message(self, text: str) -> None:
        """Replace the chart with a short note (e.g. no rows to draw)."""
        self.figure, self.note = None, text
        self._show({"text/html": f'<div class="soc-empty">{html.escape(text)}</div>', "text/plain": text})

    def _show(self, bundle: dict) -> None:
        # The output is set on the widget's state (one update, no flicker, and drawn as soon as the
        # page creates the widget) rather than captured with ``with output:``, which relies on the
        # page having the widget before the kernel's messages arrive.
        self.output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


def row(children: list, *, cls: str | None = None, top: bool = False) -> widgets.HBox:
    """An :class:`ipywidgets.HBox` that wraps, with gaps between its children (``.soc-row`` in theme.css).

    ``top`` aligns the children to the top instead of the centre.
    """
    box = widgets.HBox(children)
    box.add_class("soc-row-top" if top else "soc-row")
    if cls:
        box.add_class(cls)
    return box


def text_values(series: pd.Series, blank: str = "(not given)") -> pd.Series:
    """A column as stripped text with blanks named ``blank`` (for filters and labels).

    >>> text_values(pd.Series(["a ", None, ""])).tolist()
    ['a', '(not given)', '(not given)']
    """
    values = series.astype(object)
    labels = values.where(values.notna(), "").astype(str).str.strip()
    return labels.where(labels != "", blank)


def date_text(value: Any) -> str:
    """A date as ``YYYY-MM-DD``; "" for a missing one.

    >>> date_text(pd.Timestamp("2025-06-30")), date_text(pd.NaT)
    ('2025-06-30', '')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp,)) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)
