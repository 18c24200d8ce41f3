"""The pages the dashboard server shows around the dashboards: the home page and the "busy" page.

They are built once, when the server is launched (:func:`write_pages`), in the firm's branding and
in both themes, as self-contained HTML: the styles inline, the logo as a ``data:`` URI, every text
escaped, nothing fetched. The server (:mod:`socanalysis.dashboards.server`) only picks the file
for the page's theme and, on the busy page, writes in how many pages are open.

>>> page = home_html(load_branding({"firm_name": "Harbour & <Pine>"}), theme="dark")
>>> "Harbour &amp; &lt;Pine&gt;" in page and "<Pine>" not in page and 'href="voila/render/' in page
True
>>> "?theme=dark" in page and "soc-dark" in page
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..present import Branding, load_branding
from ._files import write_atomically
from .common import header_html, style_html
from .notebooks import DASHBOARDS

__all__ = ["BUSY_PLACEHOLDER", "DESCRIPTIONS", "busy_html", "home_html", "page_file", "write_pages"]

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "portfolio_dashboard": (
        "Portfolio coverage",
        "Which SOC report each client needs, what it already holds, the gaps and the renewals due, "
        "with the workbook, the report (HTML or PDF) and a slide deck to download.",
    ),
    "meeting_walkthrough": (
        "Client meeting: which SOC report do you need?",
        "Plain questions for the client; each answer updates the recommendation, beside the SOC 1, "
        "SOC 2 and SOC 3 comparison, with a one-page summary, a PDF and a slide deck to take away.",
    ),
    "lead_classifier": (
        "Lead-list classifier",
        "Upload a list of prospects, see which report each one needs and why, and download it for Excel.",
    ),
    "soc_explainer": (
        "SOC 1 vs SOC 2 explainer",
        "The reports side by side, one section at a time, large enough for a projector.",
    ),
}
"""Each dashboard notebook's title and one plain-language line, as the home page lists them."""

BUSY_PLACEHOLDER = "__SOCANALYSIS_PAGES_OPEN__"
"""Where the busy page says how many pages are open (the server writes e.g. ``3 pages are``)."""

GETTING_STARTED = "notebooks/getting_started.ipynb"

_HOME_CSS = """
body { margin: 0; background: var(--soc-background); }
.soc-home { padding-top: 16px; max-width: 960px; }
.soc-home-list { list-style: none; margin: 12px 0; padding: 0; display: grid; gap: 12px; }
.soc-home-item { background: var(--soc-panel); border-radius: 6px; padding: 14px 18px;
  border-left: 6px solid var(--soc-accent); }
.soc-home-link { font-size: 1.2em; font-weight: 600; color: var(--soc-heading); text-decoration: none; }
.soc-home-link:hover, .soc-home-link:focus { text-decoration: underline; }
.soc-home-line { display: block; margin-top: 4px; }
.soc-home code { font-size: 0.95em; }
.soc-home a { color: var(--soc-heading); }
.soc-busy-message { font-size: 1.2em; margin: 18px 0 8px 0; }
"""


def _page(branding: Branding, title: str, body: str) -> str:
    dark = " soc-dark" if branding.dark else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(f'{branding.firm_name}: {title}')}</title>\n"
        f"{style_html(branding)}\n<style>{_HOME_CSS}</style>\n</head>\n"
        f'<body>\n<main class="soc-app soc-home{dark}">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _themed(branding: Branding | None, theme: str) -> Branding:
    if theme not in ("light", "dark"):
        raise ValueError(f"theme={theme!r}: give 'light' or 'dark'")
    return replace(load_branding(branding), mode=theme)


def home_html(branding: Branding | None = None, *, theme: str = "light", notebooks: Iterable[str] | None = None) -> str:
    """The home page: each dashboard with its title, a link and one plain-language line.

    Parameters
    ----------
    branding : Branding, optional
        The firm's name, colours and logo.
    theme : {"light", "dark"}
        The page's theme; in the dark one the links keep ``?theme=dark``.
    notebooks : iterable of str, optional
        The dashboard notebooks served (all of :data:`DASHBOARDS` by default).
    """
    brand = _themed(branding, theme)
    query = "?theme=dark" if theme == "dark" else ""
    items = []
    for notebook in DASHBOARDS.values() if notebooks is None else notebooks:
        title, line = DESCRIPTIONS[notebook]
        href = f"voila/render/{notebook}.ipynb{query}"
        items.append(
            f'<li class="soc-home-item" data-dashboard="{html.escape(notebook, quote=True)}">'
            f'<a class="soc-home-link" href="{html.escape(href, quote=True)}">{html.escape(title)}</a>'
            f'<span class="soc-home-line">{html.escape(line)}</span></li>'
        )
    other = "light" if theme == "dark" else "dark"
    body = (
        header_html(brand, "SOC dashboards", "Which SOC report does each organisation need?")
        + f'<ul class="soc-home-list">{"".join(items)}</ul>'
        + '<p class="soc-note soc-home-lab">'
        + html.escape("Working in JupyterLab? The Getting Started notebook, ")
        + f"<code>{html.escape(GETTING_STARTED)}</code>"
        + html.escape(", walks through the Python API on the sample portfolio.")
        + "</p>"
        + f'<p class="soc-note"><a class="soc-home-theme" href="?theme={other}">'
        + html.escape(f"Show this page in the {other} theme")
        + "</a></p>"
    )
    return _page(brand, "SOC dashboards", body)


def busy_html(branding: Branding | None = None, *, theme: str = "light") -> str:
    """The page shown (with HTTP 503) when as many pages are open as the server allows.

    It holds :data:`BUSY_PLACEHOLDER` where the server writes how many pages are open.
    """
    brand = _themed(branding, theme)
    body = (
        header_html(brand, "SOC dashboards")
        + '<p class="soc-busy-message" role="alert">'
        + html.escape("The dashboards are busy: ")
        + BUSY_PLACEHOLDER
        + html.escape(" open; close one or try again in a minute.")
        + "</p>"
        + '<p class="soc-note"><a href="">'
        + html.escape("Try again")
        + "</a></p>"
    )
    return _page(brand, "busy", body)


def page_file(kind: str, theme: str) -> str:
    """The file name of a page written by :func:`write_pages`: ``home-light.html``, ``busy-dark.html`` ...

    >>> page_file("busy", "dark")
    'busy-dark.html'
    """
    return f"{kind}-{theme}.html"


def write_pages(
    folder: str | os.PathLike, branding: Branding | None = None, notebooks: Iterable[str] | None = None
) -> list[Path]:
    """Write the home and busy pages, light and dark, into ``folder``; returns the paths.

    Each file is complete or absent (:func:`~socanalysis.dashboards._files.write_atomically`).
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    notebooks = list(DASHBOARDS.values() if notebooks is None else notebooks)
    written = []
    for theme in ("light", "dark"):
        for kind, text in (
            ("home", home_html(branding, theme=theme, notebooks=notebooks)),
            ("busy", busy_html(branding, theme=theme)),
        ):
            written.append(write_atomically(target / page_file(kind, theme), text))
    return written
