"""Voilà dashboards: the widget apps behind the notebooks in ``notebooks/``, and the server that shows them.

Each app is a class holding its widgets and the state behind them, so everything it does is
testable without a browser; displaying an app in a notebook shows its page.

* :class:`PortfolioApp`: coverage of a client portfolio, filtered, charted, tabled, exported.
* :class:`MeetingApp`: "Which SOC report do you need?", a walk-through for client meetings.
* :class:`LeadsApp`: classify an uploaded lead list and download it.
* :class:`ExplainerApp`: SOC 1 vs SOC 2 vs SOC 3, for a projector.
* :func:`serve`: run Voilà on them (``socanalysis dashboard``).

>>> from socanalysis.dashboards import PortfolioApp
>>> PortfolioApp().headline["organisations"]
200
"""

from .common import Banner, dashboard_branding, download_link
from .explainer import ExplainerApp, soc_explainer
from .leads import LeadsApp, classify_in_chunks, lead_classifier
from .meeting import MeetingApp, meeting_walkthrough
from .notebooks import DASHBOARDS, build_notebook, write_notebooks
from .portfolio import PortfolioApp, portfolio_dashboard
from .serving import VoilaLaunch, serve, voila_command

__all__ = [
    "DASHBOARDS",
    "Banner",
    "ExplainerApp",
    "LeadsApp",
    "MeetingApp",
    "PortfolioApp",
    "VoilaLaunch",
    "build_notebook",
    "classify_in_chunks",
    "dashboard_branding",
    "download_link",
    "lead_classifier",
    "meeting_walkthrough",
    "portfolio_dashboard",
    "serve",
    "soc_explainer",
    "voila_command",
    "write_notebooks",
]
