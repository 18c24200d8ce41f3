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

from ..errors import require_extra

require_extra("dashboards", "ipywidgets", "ipykernel", "anywidget")  # before the widgets load: one clear line if absent

from .common import Banner, dashboard_branding, download_link  # noqa: E402
from .explainer import ExplainerApp, soc_explainer  # noqa: E402
from .leads import LeadsApp, classify_in_chunks, lead_classifier  # noqa: E402
from .meeting import MeetingApp, meeting_walkthrough  # noqa: E402
from .notebooks import DASHBOARDS, build_notebook, write_notebooks  # noqa: E402
from .portfolio import PortfolioApp, portfolio_dashboard  # noqa: E402
from .serving import VoilaLaunch, serve, voila_command  # noqa: E402

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
