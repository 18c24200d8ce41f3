"""One palette and one firm branding for every chart, workbook, report and dashboard.

Colours follow the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness. Each report need and each coverage status keeps the same colour everywhere: a gap
in a SOC 1 has the colour of SOC 1, a gap in both the colour of "Both".

>>> REPORT_COLOURS["SOC 1"], STATUS_COLOURS["Gap: SOC 1"]
('#0072B2', '#0072B2')
>>> brand = load_branding({"firm_name": "Harbour & Pine LLP", "primary": "#123456"})
>>> brand.firm_name, brand.primary, brand.mode
('Harbour & Pine LLP', '#123456', 'light')
>>> brand.colour("Covered")
'#009E73'
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType

import plotly.graph_objects as go
import yaml

from ..errors import SocAnalysisError
from ..vocabulary import REPORT_VALUES, STATUSES

__all__ = [
    "CONFIDENCE_PATTERNS",
    "DEFAULT_BRANDING",
    "NEUTRAL",
    "OKABE_ITO",
    "REPORT_COLOURS",
    "STATUS_COLOURS",
    "Branding",
    "BrandingError",
    "branding_css",
    "load_branding",
    "plotly_template",
    "tint",
]

OKABE_ITO: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)
"""The Okabe–Ito colours (Okabe & Ito, 2008)."""

NEUTRAL = "#CCCCCC"
"""The grey for "Neither" and "Not needed": light enough to stay apart from reddish purple for
deuteranopes (the mid grey #999999 is not)."""

CONFIDENCE_PATTERNS: Mapping[str, str] = MappingProxyType({"high": "", "medium": "/", "low": "."})
"""Bar fill patterns per confidence: a second cue besides colour."""

REPORT_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "SOC 1": OKABE_ITO["blue"],
        "SOC 2": OKABE_ITO["orange"],
        "Both": OKABE_ITO["reddish purple"],
        "Neither": NEUTRAL,
        "Undetermined": OKABE_ITO["yellow"],
    }
)
"""One colour per ``soc_report`` value."""

STATUS_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "Covered": OKABE_ITO["bluish green"],
        "Gap: SOC 1": REPORT_COLOURS["SOC 1"],
        "Gap: SOC 2": REPORT_COLOURS["SOC 2"],
        "Gap: SOC 1 + SOC 2": REPORT_COLOURS["Both"],
        "Stale": OKABE_ITO["vermillion"],
        "Renewal due": OKABE_ITO["yellow"],
        "Not needed": NEUTRAL,
    }
)
"""One colour per ``coverage_status`` value."""

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_DATA_URI = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$")
_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_MODES = ("light", "dark")
_MAX_NAME = 120


class BrandingError(SocAnalysisError, ValueError):
    """A branding setting is missing, malformed or names an unknown key."""


def _fail(message: str) -> None:
    raise BrandingError(f"branding: {message}")


def _hex(value: object, key: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        _fail(f"{key} must be a hex colour such as '#1F3A5F' or '#fff', got {value!r}")
    value = value.strip().upper()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


@dataclass(frozen=True)
class Branding:
    """The firm's name, colours and logo, applied to every chart and export.

    Parameters
    ----------
    firm_name : str
        Shown in report and workbook titles (escaped wherever it appears in HTML).
    primary : str
        Hex colour for titles, table headers and the heatmap scale.
    accent : str
        Hex colour for single-series charts (opportunity) and highlights.
    logo : str or os.PathLike, optional
        A PNG, JPEG, GIF, WebP or SVG file, or a ``data:image/...;base64,`` URI. Never a web
        address: reports must open offline.
    mode : {"light", "dark"}
        Light or dark background.
    colours : mapping, optional
        Overrides of :data:`REPORT_COLOURS` / :data:`STATUS_COLOURS`, by value
        (e.g. ``{"Covered": "#228833"}``).
    font_family : str
        CSS font stack; system fonts only, so nothing is fetched.

    Examples
    --------
    >>> Branding(firm_name="Acme Audit", accent="#d55e00").accent
    '#D55E00'
    >>> Branding(mode="dim")
    Traceback (most recent call last):
    ...
    socanalysis.present.theme.BrandingError: branding: mode must be one of 'light', 'dark', got 'dim'
    """

    firm_name: str = "socanalysis"
    primary: str = "#1F3A5F"
    accent: str = OKABE_ITO["blue"]
    logo: str | os.PathLike | None = None
    mode: str = "light"
    colours: Mapping[str, str] = field(default_factory=dict)
    font_family: str = _FONT

    def __post_init__(self) -> None:
        name = self.firm_name
        if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME:
            _fail(f"firm_name must be a non-empty text of at most {_MAX_NAME} characters, got {name!r}")
        object.__setattr__(self, "firm_name", name.strip())
        object.__setattr__(self, "primary", _hex(self.primary, "primary"))
        object.__setattr__(self, "accent", _hex(self.accent, "accent"))
        if self.mode not in _MODES:
            _fail(f"mode must be one of {', '.join(map(repr, _MODES))}, got {self.mode!r}")
        if not isinstance(self.colours, Mapping):
            _fail(f"colours must map report or status names to hex colours, got {self.colours!r}")
        known = (*REPORT_VALUES, *STATUSES)
        checked = {}
        for key, value in self.colours.items():
            if key not in known:
                _fail(f"colours has no {key!r}; accepted: {', '.join(map(repr, known))}")
            checked[key] = _hex(value, f"colours[{key!r}]")
        object.__setattr__(self, "colours", MappingProxyType(checked))
        if not isinstance(self.font_family, str) or re.search(r"[;{}<>]|url\(", self.font_family):
            _fail(f"font_family must be a CSS font list without ';', braces or url(), got {self.font_family!r}")
        if self.logo is not None:
            _check_logo(self.logo)

    @property
    def dark(self) -> bool:
        """True in dark mode."""
        return self.mode == "dark"

    def colour(self, value: str) -> str:
        """The colour of a ``soc_report`` or ``coverage_status`` value (grey when unknown).

        >>> Branding(colours={"Stale": "#882255"}).colour("Stale")
        '#882255'
        """
        if value in self.colours:
            return self.colours[value]
        return REPORT_COLOURS.get(value) or STATUS_COLOURS.get(value) or NEUTRAL

    def logo_data_uri(self) -> str | None:
        """The logo as a ``data:`` URI, to embed in a self-contained page; None without a logo.

        >>> Branding(logo="data:image/png;base64,iVBORw0KGgo=").logo_data_uri()
        'data:image/png;base64,iVBORw0KGgo='
        """
        if self.logo is None:
            return None
        logo = str(self.logo)
        if logo.startswith("data:"):
            return logo
        path = Path(logo)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"data:{_LOGO_TYPES[path.suffix.lower()]};base64,{data}"

    def logo_bytes(self) -> tuple[bytes, str] | None:
        """The logo's bytes and file suffix (for a workbook); None without a logo."""
        uri = self.logo_data_uri()
        if uri is None:
            return None
        mime, _, data = uri[len("data:") :].partition(";base64,")
        suffix = next(s for s, m in _LOGO_TYPES.items() if m == mime)
        return base64.b64decode(data), suffix

    @property
    def background(self) -> str:
        """Page background colour."""
        return "#111827" if self.dark else "#FFFFFF"

    @property
    def text(self) -> str:
        """Body text colour."""
        return "#E5E7EB" if self.dark else "#1F2933"


def _check_logo(logo: object) -> None:
    if not isinstance(logo, (str, os.PathLike)):
        _fail(f"logo must be a file path or a data:image URI, got {logo!r}")
    text = str(logo)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        _fail(f"logo must be a local file or a data:image URI, not a web address ({text!r}): reports must open offline")
    if text.startswith("data:"):
        if not _DATA_URI.match(text):
            _fail(
                f"logo data URI must look like 'data:image/png;base64,...' "
                f"(png, jpeg, gif, webp or svg+xml), got {text[:60]!r}"
            )
        return
    path = Path(text)
    if path.suffix.lower() not in _LOGO_TYPES:
        _fail(f"logo {text!r} must be one of {', '.join(_LOGO_TYPES)}")
    if not path.is_file():
        _fail(f"logo file {text!r} does not exist")


DEFAULT_BRANDING = Branding()
"""socanalysis's own branding: used when none is given."""

_KEYS = tuple(f.name for f in fields(Branding))


def load_branding(source: Branding | Mapping | str | os.PathLike | None = None) -> Branding:
    """Read and validate a firm's branding.

    Parameters
    ----------
    source : Branding, dict, path to a YAML file, or None
        None gives :data:`DEFAULT_BRANDING`. A dict or YAML mapping may hold the keys of
        :class:`Branding` (``firm_name``, ``primary``, ``accent``, ``logo``, ``mode``, ``colours``,
        ``font_family``); missing keys keep their defaults. A relative ``logo`` path in a YAML file
        is read relative to that file.

    Returns
    -------
    Branding

    Raises
    ------
    BrandingError
        Naming the key, the value and what is accepted.

    Examples
    --------
    >>> load_branding().firm_name
    'socanalysis'
    >>> load_branding({"firm": "Acme"})
    Traceback (most recent call last):
    ...
    socanalysis.present.theme.BrandingError: branding: no key 'firm'; accepted: 'firm_name', 'primary', ...
    """
    if source is None:
        return DEFAULT_BRANDING
    if isinstance(source, Branding):
        return source
    base = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            _fail(f"file {str(path)!r} does not exist; give a YAML file or a dict")
        try:
            source = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            _fail(f"{str(path)!r} is not valid YAML: {exc}")
        if source is None:
            source = {}
        base = path.parent
    if not isinstance(source, Mapping):
        _fail(f"give a mapping of {', '.join(_KEYS)}, got {type(source).__name__}")
    unknown = [k for k in source if k not in _KEYS]
    if unknown:
        _fail(f"no key {unknown[0]!r}; accepted: {', '.join(map(repr, _KEYS))}")
    values = dict(source)
    logo = values.get("logo")
    if (
        base is not None
        and isinstance(logo, str)
        and logo
        and not logo.startswith("data:")
        and "://" not in logo
        and not Path(logo).is_absolute()
    ):
        values["logo"] = str(base / logo)
    if values.get("colours") is None:
        values.pop("colours", None)
    return replace(DEFAULT_BRANDING, **values)


def tint(colour: str, amount: float = 0.75) -> str:
    """Mix a hex colour with white (``amount`` 0 = unchanged, 1 = white): a readable cell fill.

    >>> tint("#0072B2", 0.5)
    '#80B8D8'
    """
    colour = _hex(colour, "colour")
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def plotly_template(branding: Branding | None = None) -> go.layout.Template:
    """The plotly template every socanalysis chart uses.

    Built on ``plotly_white`` (or ``plotly_dark``) with the Okabe–Ito colourway, the firm's font
    and primary colour for titles.

    Examples
    --------
    >>> plotly_template().layout.colorway[0]
    '#0072B2'
    """
    branding = load_branding(branding)
    import plotly.io as pio

    base = pio.templates["plotly_dark" if branding.dark else "plotly_white"]
    template = go.layout.Template(base)
    colourway = [branding.accent] + [c for c in OKABE_ITO.values() if c not in (branding.accent, "#000000")]
    template.layout.colorway = colourway
    template.layout.font = {"family": branding.font_family, "color": branding.text, "size": 13}
    title_colour = branding.text if branding.dark else branding.primary
    template.layout.title = {"font": {"color": title_colour, "size": 17}, "x": 0.0, "xanchor": "left"}
    template.layout.paper_bgcolor = branding.background
    template.layout.plot_bgcolor = branding.background
    template.layout.hoverlabel = {"font": {"family": branding.font_family}}
    template.layout.legend = {"title": {"font": {"size": 12}}}
    template.layout.margin = {"l": 20, "r": 20, "t": 60, "b": 40}
    return template


def branding_css(branding: Branding | None = None) -> str:
    """CSS custom properties for a page in the firm's colours (``--soc-primary`` ...).

    Examples
    --------
    >>> "--soc-primary: #1F3A5F;" in branding_css()
    True
    """
    branding = load_branding(branding)
    lines = [
        f"--soc-primary: {branding.primary};",
        f"--soc-heading: {tint(branding.primary, 0.6) if branding.dark else branding.primary};",
        f"--soc-accent: {branding.accent};",
        f"--soc-background: {branding.background};",
        f"--soc-text: {branding.text};",
        f"--soc-muted: {'#9CA3AF' if branding.dark else '#52606D'};",
        f"--soc-panel: {'#1F2937' if branding.dark else '#F5F7FA'};",
        f"--soc-font: {branding.font_family};",
    ]
    for value in (*REPORT_VALUES, *STATUSES):
        slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        lines.append(f"--soc-colour-{slug}: {branding.colour(value)};")
    return ":root {\n  " + "\n  ".join(lines) + "\n}\n"
