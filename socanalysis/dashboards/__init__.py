"""Voilà dashboards: the widget apps behind the notebooks in ``notebooks/``, and the server that shows them.

Each app is a class holding its widgets and the state behind them, so everything it does is
testable without a browser; displaying an app in a notebook shows its page.

* :class:`PortfolioApp`: coverage of a client portfolio, filtered, charted, tabled, exported.
* :class:`MeetingApp`: "Which SOC report do you need?", a walk-through for client meetings.
* :class:`LeadsApp`: classify an uploaded lead list and download it.
* :class:`ExplainerApp`: SOC 1 vs SOC 2 vs SOC 3, for a projector.
* :func:`serve`: run Voilà on them (``socanalysis dashboard``).

Every name is imported on first use: a page's kernel loads only its own app, and the server
process (:mod:`socanalysis.dashboards.server`) none of them.

>>> from socanalysis.dashboards import PortfolioApp
>>> PortfolioApp().headline["organisations"]
200
"""

import lazy_loader as _lazy

from ..errors import require_extra

require_extra("dashboards", "ipywidgets", "ipykernel", "anywidget")  # before the widgets load: one clear line if absent

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "common": ["Banner", "dashboard_branding", "download_link"],
        "explainer": ["ExplainerApp", "soc_explainer"],
        "leads": ["LeadsApp", "classify_in_chunks", "lead_classifier"],
        "meeting": ["MeetingApp", "meeting_walkthrough"],
        "notebooks": ["DASHBOARDS", "build_notebook", "write_notebooks"],
        "portfolio": ["PortfolioApp", "portfolio_dashboard"],
        "serving": ["VoilaLaunch", "serve", "voila_command"],
    },
)
