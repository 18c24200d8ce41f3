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
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NoReturn

import plotly.graph_objects as go
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from ..errors import SocAnalysisError
from ..vocabulary import REPORT_VALUES, STATUSES

__all__ = [
    "CONFIDENCE_PATTERNS",
    "DEFAULT_BRANDING",
    "NEUTRAL",
    "OKABE_ITO",
    "REVIEW_GREY",
    "REPORT_COLOURS",
    "STATUS_COLOURS",
    "Branding",
    "BrandingError",
    "BrandingSchema",
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

REVIEW_GREY = "#555555"
"""The dark grey for "Review" (needs no report as classified, yet holds one): of the family of "Not
needed", and far from every other colour here in lightness, also for the colour blind."""

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
        "Renewal due": OKABE_ITO["yellow"],
        "Unverified": OKABE_ITO["sky blue"],
        "Stale": OKABE_ITO["vermillion"],
        "Gap: SOC 1": REPORT_COLOURS["SOC 1"],
        "Gap: SOC 2": REPORT_COLOURS["SOC 2"],
        "Gap: SOC 1 + SOC 2": REPORT_COLOURS["Both"],
        "Review": REVIEW_GREY,
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


def _fail(message: str) -> NoReturn:
    raise BrandingError(f"branding: {message}")


def _hex(value: object, key: str) -> str:
    """A hex colour in capitals with six digits; ValueError naming ``key`` otherwise."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        raise ValueError(f"{key} must be a hex colour such as '#1F3A5F' or '#fff', got {value!r}")
    value = value.strip().upper()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def _check_logo(logo: object) -> str | None:
    """The logo as text (a path or a data URI) after checking it can be embedded offline."""
    if logo is None:
        return None
    if not isinstance(logo, (str, os.PathLike)):
        raise ValueError(f"logo must be a file path or a data:image URI, got {logo!r}")
    text = str(logo)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        raise ValueError(
            f"logo must be a local file or a data:image URI, not a web address ({text!r}): reports must open offline"
        )
    if text.startswith("data:"):
        if not _DATA_URI.match(text):
            raise ValueError(
                f"logo data URI must look like 'data:image/png;base64,...' "
                f"(png, jpeg, gif, webp or svg+xml), got {text[:60]!r}"
            )
        return text
    path = Path(text)
    if path.suffix.lower() not in _LOGO_TYPES:
        raise ValueError(f"logo {text!r} must be one of {', '.join(_LOGO_TYPES)}")
    if not path.is_file():
        raise ValueError(f"logo file {text!r} does not exist")
    return text


class BrandingSchema(BaseModel):
    """The declared schema of a branding file (or dict): each key, its type and what it accepts.

    Unknown keys are refused. Each key is checked by its validator, which says what is accepted
    and echoes the value; :func:`load_branding` and :class:`Branding` report every failing key at
    once as a :class:`BrandingError`.

    Examples
    --------
    >>> BrandingSchema.model_validate({"primary": "#123", "mode": "dark"}).primary
    '#112233'
    >>> list(BrandingSchema.model_fields)
    ['firm_name', 'primary', 'accent', 'logo', 'mode', 'colours', 'font_family']
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    firm_name: str = "socanalysis"
    primary: str = "#1F3A5F"
    accent: str = OKABE_ITO["blue"]
    logo: str | None = None
    mode: Literal["light", "dark"] = "light"
    colours: dict[str, str] = Field(default_factory=dict)
    font_family: str = _FONT

    @field_validator("firm_name", mode="before")
    @classmethod
    def _firm_name(cls, name: object) -> str:
        if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME:
            raise ValueError(f"firm_name must be a non-empty text of at most {_MAX_NAME} characters, got {name!r}")
        return name.strip()

    @field_validator("primary", "accent", mode="before")
    @classmethod
    def _colour(cls, value: object, info: ValidationInfo) -> str:
        return _hex(value, info.field_name)

    @field_validator("logo", mode="before")
    @classmethod
    def _logo(cls, logo: object) -> str | None:
        return _check_logo(logo)

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, mode: object) -> str:
        if mode not in _MODES:
            raise ValueError(f"mode must be one of {', '.join(map(repr, _MODES))}, got {mode!r}")
        return mode

    @field_validator("colours", mode="before")
    @classmethod
    def _colours(cls, colours: object) -> dict[str, str]:
        if not isinstance(colours, Mapping):
            raise ValueError(f"colours must map report or status names to hex colours, got {colours!r}")
        known = (*REPORT_VALUES, *STATUSES)
        checked = {}
        for key, value in colours.items():
            if key not in known:
                raise ValueError(f"colours has no {key!r}; accepted: {', '.join(map(repr, known))}")
            checked[key] = _hex(value, f"colours[{key!r}]")
        return checked

    @field_validator("font_family", mode="before")
    @classmethod
    def _font_family(cls, font: object) -> str:
        if not isinstance(font, str) or re.search(r"[;{}<>]|url\(", font):
            raise ValueError(f"font_family must be a CSS font list without ';', braces or url(), got {font!r}")
        return font


_KEYS = tuple(BrandingSchema.model_fields)


def _validated(values: Mapping) -> BrandingSchema:
    """``values`` checked against :class:`BrandingSchema`; every failing key named in one BrandingError."""
    try:
        return BrandingSchema.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = error["loc"][0] if error["loc"] else "?"
            if error["type"] in ("extra_forbidden", "invalid_key"):
                problems.append(f"no key {key!r}; accepted: {', '.join(map(repr, _KEYS))}")
            elif error["type"] == "value_error":
                problems.append(str(error["ctx"]["error"]))
            else:  # pragma: no cover - every key has a validator that runs first
                problems.append(f"{key}: {error['msg']}")
        _fail("; ".join(problems))


@dataclass(frozen=True)
class Branding:
    """The firm's name, colours and logo, applied to every chart and export.

    Checked against :class:`BrandingSchema` when made.

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
        checked = _validated({name: getattr(self, name) for name in _KEYS})
        for name in ("firm_name", "primary", "accent", "mode", "font_family"):
            object.__setattr__(self, name, getattr(checked, name))
        object.__setattr__(self, "colours", MappingProxyType(dict(checked.colours)))

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


DEFAULT_BRANDING = Branding()
"""socanalysis's own branding: used when none is given."""


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
        Checked against :class:`BrandingSchema`: every failing key is named, with the value and
        what is accepted.

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
    _validated(values)  # unknown keys and bad values, every one named
    return Branding(**values)


def tint(colour: str, amount: float = 0.75) -> str:
    """Mix a hex colour with white (``amount`` 0 = unchanged, 1 = white): a readable cell fill.

    >>> tint("#0072B2", 0.5)
    '#80B8D8'
    """
    try:
        colour = _hex(colour, "colour")
    except ValueError as exc:
        _fail(str(exc))
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
