"""Slides in the firm's branding, at 16:9, with python-pptx: the building blocks of the decks.

A :class:`Slides` holds one presentation and adds slides to it: a title slide, a slide of figure
cards, a chart as a picture, a table. Every slide has a real title (the title placeholder, so
PowerPoint's outline and screen readers find it) on a bar of the firm's primary colour. Text from
a spreadsheet goes in as text, never as markup; text that could overflow is cut to the room there
is, with an ellipsis, and tables are cut to the rows that fit. The file is written complete or not
at all (:class:`~socanalysis.present.files.AtomicFile`).

Sizes are in inches on a 13.33 × 7.5 in slide; fonts are Arial (Liberation Sans where Arial is
missing, with the same widths), at least 12 pt so a projector shows them.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import require_extra
from .files import AtomicFile, cannot_write
from .theme import Branding, tint

__all__ = ["Card", "Slides", "fit"]

WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.6
TITLE_BAR = 1.05
FONT = "Arial"
BODY_TOP = TITLE_BAR + 0.35
BODY_HEIGHT = HEIGHT - BODY_TOP - 0.55  # leaves room for the footer line

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fit(value: object, width: float, points: float, lines: int = 1) -> str:
    """``value`` as text cut to what ``lines`` lines of ``width`` inches hold at ``points``, with "…".

    The estimate takes an average Arial character as 0.47 em wide and keeps a character in
    hand, so a cut text does not wrap onto one more line than allowed. Control characters become
    spaces.

    >>> fit("Payroll Services International Holdings", 2, 14)
    'Payroll Services …'
    >>> fit(None, 2, 12), fit(float("nan"), 2, 12), fit("a\\x00b", 2, 12)
    ('', '', 'a b')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    room = max(4, (_per_line(width, points) - 1) * lines - 3 * (lines - 1))
    if len(text) <= room:
        return text
    cut = text[: room - 1].rsplit(" ", 1)[0] if " " in text[: room - 1] else text[: room - 1]
    return cut.rstrip(" ,;:") + " …"


def _per_line(width: float, points: float) -> int:
    """About how many characters of Arial at ``points`` one line of ``width`` inches holds."""
    return max(1, int(width * 72 / (points * 0.47)))


def _lines(text: str, width: float, points: float) -> int:
    """About how many lines ``text`` takes, wrapped at words, in ``width`` inches at ``points``."""
    per_line, lines, used = _per_line(width, points), 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            lines, used = lines + 1 + (len(word) - 1) // per_line, len(word) % per_line
        else:
            used += need
    return lines


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lum = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2]
    return "#FFFFFF" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#1F2933"


def _rows(frame: pd.DataFrame, columns, widths, points: float, lines: int, room: float):
    """The header and body cells cut to fit, and each row's height, for the rows that fit in ``room``."""
    line, pad = points * 1.18 / 72, 0.1
    header = [fit(c, w - pad, points, lines=2) for c, w in zip(columns, widths, strict=True)]
    heights = [max(_lines(t, w - pad, points) for t, w in zip(header, widths, strict=True)) * line + pad]
    body: list[list[str]] = []
    for values in frame.itertuples(index=False):
        cells = [fit(v, w - pad, points, lines=lines) for v, w in zip(values, widths, strict=True)]
        height = max(_lines(t, w - pad, points) for t, w in zip(cells, widths, strict=True)) * line + pad
        if sum(heights) + height > room:
            break
        body.append(cells)
        heights.append(height)
    return header, body, heights


@dataclass(frozen=True)
class Card:
    """One headline figure on a card: the value shown, what it counts, and its denominator in words."""

    value: str
    label: str
    note: str = ""


class Slides:
    """A 16:9 presentation in the firm's branding, built slide by slide.

    Parameters
    ----------
    branding : Branding
        The title bars take ``primary``; figures take ``accent``; the logo (PNG, JPEG or GIF) sits
        on the title slide.
    footer : str
        A line at the foot of every slide but the first (the firm and the date).

    Raises
    ------
    MissingExtraError
        Without python-pptx (the ``images`` extra).
    """

    def __init__(self, branding: Branding, footer: str = ""):
        require_extra("images", "pptx")
        from pptx import Presentation
        from pptx.util import Inches

        self.brand = branding
        self.footer = footer
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH), Inches(HEIGHT)
        self._title_only = self.prs.slide_layouts[5]

    # ----------------------------------------------------------------------------------------
    # shapes
    # ----------------------------------------------------------------------------------------

    def _box(self, slide, left, top, width, height, fill: str | None = None, name: str | None = None):
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top), Inches(width), Inches(height))
        shape.line.fill.background()
        shape.shadow.inherit = False
        if fill is None:
            shape.fill.background()
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = _rgb(fill)
        if name:
            shape.name = name
        return shape

    def text(self, slide, left, top, width, height, paragraphs, *, anchor: str = "top", name: str | None = None):
        """A text box; ``paragraphs`` is a list of (text, points, colour, bold)."""
        from pptx.enum.text import MSO_ANCHOR
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        if name:
            box.name = name
        frame = box.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[
            anchor
        ]
        for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(frame, margin, Inches(0.05))
        for i, (words, points, colour, bold) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = words
            run.font.size, run.font.bold, run.font.name = Pt(points), bold, FONT
            run.font.color.rgb = _rgb(colour)
        return box

    def _background(self, slide) -> None:
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(self.brand.background)

    @property
    def muted(self) -> str:
        return "#9CA3AF" if self.brand.dark else "#52606D"

    # ----------------------------------------------------------------------------------------
    # slides
    # ----------------------------------------------------------------------------------------

    def slide(self, title: str):
        """A slide with its title on a bar of the primary colour, and the footer line."""
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self._title_only)
        self._background(slide)
        self._box(slide, 0, 0, WIDTH, TITLE_BAR, self.brand.primary, name="Title bar")
        self._box(slide, 0, TITLE_BAR, WIDTH, 0.08, self.brand.accent, name="Accent line")
        heading = slide.shapes.title
        heading.left, heading.top = Inches(MARGIN), Inches(0.1)
        heading.width, heading.height = Inches(WIDTH - 2 * MARGIN), Inches(TITLE_BAR - 0.2)
        frame = heading.text_frame
        frame.word_wrap = True
        frame.text = fit(title, WIDTH - 2 * MARGIN, 30)
        for paragraph in frame.paragraphs:
            paragraph.alignment = 1  # left
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.name = Pt(30), True, FONT
                run.font.color.rgb = _rgb(_on(self.brand.primary))
        # the title placeholder is drawn after the bar: move the bar and the line to the back
        tree = slide.shapes._spTree
        for shape in list(slide.shapes)[:2]:
            tree.remove(shape._element)
            tree.insert(2, shape._element)
        if self.footer:
            self.text(
                slide,
                MARGIN,
                HEIGHT - 0.45,
                WIDTH - 2 * MARGIN,
                0.35,
                [(fit(self.footer, WIDTH - 2 * MARGIN, 12), 12, self.muted, False)],
                name="Footer",
            )
        return slide

    def title_slide(self, title: str, subtitle: str, note: str = "") -> None:
        """The opening slide: the firm's colour, the title, what and when, and the logo."""
        slide = self.prs.slides.add_slide(self._title_only)
        self._background(slide)
        self._box(slide, 0, 0, WIDTH, HEIGHT * 0.62, self.brand.primary, name="Title bar")
        self._box(slide, 0, HEIGHT * 0.62, WIDTH, 0.12, self.brand.accent, name="Accent line")
        on = _on(self.brand.primary)
        heading = slide.shapes.title
        heading.element.getparent().remove(heading.element)
        self.text(
            slide,
            MARGIN + 0.2,
            1.2,
            WIDTH - 2 * MARGIN - 0.4,
            2.6,
            [(fit(title, WIDTH - 2 * MARGIN - 0.4, 40, lines=2), 40, on, True)],
            anchor="bottom",
            name="Title",
        )
        self.text(
            slide,
            MARGIN + 0.2,
            3.85,
            WIDTH - 2 * MARGIN - 0.4,
            0.6,
            [(fit(subtitle, WIDTH - 2 * MARGIN - 0.4, 20), 20, on, False)],
            name="Subtitle",
        )
        if note:
            self.text(
                slide,
                MARGIN + 0.2,
                HEIGHT * 0.62 + 0.5,
                WIDTH - 2 * MARGIN - 3.4,
                1.6,
                [(fit(note, WIDTH - 2 * MARGIN - 3.4, 16, lines=3), 16, self.brand.text, False)],
                name="Note",
            )
        self._logo(slide)

    def _logo(self, slide) -> None:
        from pptx.util import Inches

        logo = self.brand.logo_bytes()
        if logo is None or logo[1] not in (".png", ".jpg", ".jpeg", ".gif"):
            return  # python-pptx places raster images only; an SVG or WebP logo stays in the HTML report
        picture = slide.shapes.add_picture(io.BytesIO(logo[0]), Inches(WIDTH - MARGIN - 2.6), Inches(5.2))
        scale = min(2.6 / (picture.width / 914400), 1.6 / (picture.height / 914400), 1.0)
        picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
        picture.left = Inches(WIDTH - MARGIN) - picture.width
        picture.name = "Logo"

    def cards(self, title: str, cards: Sequence[Card], *, columns: int = 4, note: str = "") -> None:
        """Figure cards in a grid: the value large in the accent colour, its label and its denominator."""
        slide = self.slide(title)
        rows = math.ceil(len(cards) / columns)
        gap = 0.2
        room = BODY_HEIGHT - (0.45 if note else 0)
        width = (WIDTH - 2 * MARGIN - gap * (columns - 1)) / columns
        height = min(1.75, (room - gap * (rows - 1)) / rows)
        panel = "#1F2937" if self.brand.dark else tint(self.brand.primary, 0.9)
        value_colour = self.brand.text if self.brand.dark else self.brand.primary
        for i, card in enumerate(cards):
            left = MARGIN + (i % columns) * (width + gap)
            top = BODY_TOP + (i // columns) * (height + gap)
            self._box(slide, left, top, width, height, panel, name=f"Card {i + 1}")
            self._box(slide, left, top, 0.09, height, self.brand.accent)
            self.text(
                slide,
                left + 0.2,
                top + 0.08,
                width - 0.3,
                height - 0.16,
                [
                    (fit(card.value, width - 0.3, 28), 28, value_colour, True),
                    (fit(card.label, width - 0.3, 14, lines=2), 14, self.brand.text, True),
                    (fit(card.note, width - 0.3, 12, lines=2), 12, self.muted, False),
                ],
                name=f"Figure {i + 1}",
            )
        if note:
            self.text(
                slide,
                MARGIN,
                BODY_TOP + room + 0.05,
                WIDTH - 2 * MARGIN,
                0.4,
                [(fit(note, WIDTH - 2 * MARGIN, 13), 13, self.muted, False)],
            )

    def picture(self, title: str, png: bytes, *, note: str = "") -> None:
        """A chart (PNG bytes) filling the body, centred, its proportions kept."""
        from pptx.util import Inches

        slide = self.slide(title)
        room = BODY_HEIGHT - (0.45 if note else 0)
        picture = slide.shapes.add_picture(io.BytesIO(png), Inches(MARGIN), Inches(BODY_TOP))
        scale = min(Inches(WIDTH - 2 * MARGIN) / picture.width, Inches(room) / picture.height)
        picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
        picture.left = int((Inches(WIDTH) - picture.width) / 2)
        picture.name = "Chart"
        if note:
            self.text(
                slide,
                MARGIN,
                BODY_TOP + room + 0.05,
                WIDTH - 2 * MARGIN,
                0.4,
                [(fit(note, WIDTH - 2 * MARGIN, 13), 13, self.muted, False)],
            )

    def table(
        self,
        title: str,
        frame: pd.DataFrame,
        *,
        widths: Sequence[float] | None = None,
        points: float | Sequence[float] = 14,
        lines: int = 2,
        note: str | Callable[[int], str] = "",
        header_column: bool = False,
    ) -> int:
        """A table: a header row in the primary colour, then as many rows of ``frame`` as fit.

        Each cell is cut to ``lines`` lines of its column; rows are added while their estimated
        height fits the slide. Given several font sizes (``points``, largest first), the first at
        which every row fits is used (else the last). ``note``, a text or a function of the number
        of rows shown, goes under the table. Returns the number of rows shown.
        """
        from pptx.util import Inches, Pt

        slide = self.slide(title)
        columns = [str(c) for c in frame.columns]
        total = WIDTH - 2 * MARGIN
        widths = list(widths) if widths is not None else [total / len(columns)] * len(columns)
        widths = [w * total / sum(widths) for w in widths]
        room = BODY_HEIGHT - (0.45 if note else 0)
        sizes = [points] if isinstance(points, (int, float)) else list(points)
        for points in sizes:  # noqa: B020 - the size chosen is the one the loop stops at
            header, body, heights = _rows(frame, columns, widths, points, lines, room)
            if len(body) == len(frame):
                break
        table_shape = slide.shapes.add_table(
            len(body) + 1, len(columns), Inches(MARGIN), Inches(BODY_TOP), Inches(total), Inches(sum(heights))
        )
        table_shape.name = "Table"
        table = table_shape.table
        table.first_row = True
        table.horz_banding = False
        for j, width in enumerate(widths):
            table.columns[j].width = Inches(width)
        for i, height in enumerate(heights):
            table.rows[i].height = Inches(height)
        head_fill, head_text = self.brand.primary, _on(self.brand.primary)
        band = "#1F2937" if self.brand.dark else tint(self.brand.primary, 0.92)
        plain = self.brand.background
        for i, cells in enumerate([header, *body]):
            for j, words in enumerate(cells):
                cell = table.cell(i, j)
                cell.margin_left = cell.margin_right = Inches(0.06)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                cell.fill.solid()
                first = header_column and j == 0
                cell.fill.fore_color.rgb = _rgb(head_fill if i == 0 else band if (i % 2 == 0 or first) else plain)
                frame_ = cell.text_frame
                frame_.word_wrap = True
                frame_.text = words
                for paragraph in frame_.paragraphs:
                    for run in paragraph.runs:
                        run.font.size, run.font.name = Pt(points), FONT
                        run.font.bold = i == 0 or first
                        run.font.color.rgb = _rgb(head_text if i == 0 else self.brand.text)
        note = note(len(body)) if callable(note) else note
        if note:
            self.text(
                slide,
                MARGIN,
                min(BODY_TOP + sum(heights) + 0.1, BODY_TOP + room + 0.05),
                WIDTH - 2 * MARGIN,
                0.4,
                [(fit(note, WIDTH - 2 * MARGIN, 13), 13, self.muted, False)],
                name="Note",
            )
        return len(body)

    # ----------------------------------------------------------------------------------------
    # the file
    # ----------------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> Path:
        """Write the deck, complete or not at all."""
        with AtomicFile(path) as file:
            try:
                self.prs.save(str(file.temp))
            except OSError as exc:
                raise cannot_write(path, exc) from exc
        return file.path

    def to_bytes(self) -> bytes:
        """The deck as the bytes of a .pptx file."""
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()
