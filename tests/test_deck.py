"""Slide decks: the portfolio's (export_deck, `socanalysis report -o deck.pptx`) and one recommendation's.

Each deck is opened with python-pptx (titles, figures, branding), converted to PDF by LibreOffice
(headless soffice) and its pages rendered to PNG by pdftoppm; the PNGs are kept under
``test-artifacts/`` to be looked at.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from browser import on_ci, require_chromium

import socanalysis as sa
from socanalysis import cli
from socanalysis.errors import ExportError, MissingExtraError
from socanalysis.load.samples import sample_path
from socanalysis.portfolio import compare_reports, headline
from socanalysis.present.deck import COMPARISON_SLIDES, export_deck, export_recommendation_deck
from socanalysis.present.slides import fit
from socanalysis.present.views import gaps, organisations_table

pptx = pytest.importorskip("pptx")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HOSTILE = '<b>Evil & Co</b> =HYPERLINK("x") \x07'
BRAND = {"firm_name": "Smith & Partners <LLP>", "primary": "#7A1F3D", "accent": "#0072B2"}


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if found is None:
        message = f"{name} is needed to check the deck (apt-get install libreoffice-impress poppler-utils)"
        if on_ci():
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    return found


def render(deck: Path, name: str, tmp_path: Path) -> list[Path]:
    """The deck converted to PDF by LibreOffice and its pages as PNGs under test-artifacts/NAME/."""
    soffice, pdftoppm = _tool("soffice"), _tool("pdftoppm")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(deck)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / (deck.stem + ".pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    folder = ARTIFACTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(deck, folder / deck.name)
    shutil.copy(pdf, folder / pdf.name)
    subprocess.run([pdftoppm, "-png", "-r", "96", str(pdf), str(folder / "slide")], check=True, timeout=240)
    return sorted(folder.glob("slide-*.png"))


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def _texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def _fill(shape) -> str:
    return str(shape.fill.fore_color.rgb)


@pytest.fixture(scope="module")
def assessment() -> sa.Assessment:
    frame = pd.read_csv(sample_path("portfolio"), dtype=str, keep_default_na=False)
    first = sa.assess(frame, as_of="2026-11-26")
    largest_gap = gaps(organisations_table(first)).index[0]  # shown first on the gaps slide
    frame.loc[largest_gap, "Client"] = HOSTILE
    return sa.assess(frame, as_of="2026-11-26", branding=BRAND)


@pytest.fixture(scope="module")
def deck_path(assessment, tmp_path_factory) -> Path:
    require_chromium()
    return export_deck(assessment, tmp_path_factory.mktemp("deck") / "portfolio.pptx")


def test_the_slides_and_their_titles(deck_path, assessment):
    deck = pptx.Presentation(deck_path)
    assert (deck.slide_width, deck.slide_height) == (pptx.util.Inches(13.333), pptx.util.Inches(7.5))
    titles = [s.shapes.title.text if s.shapes.title is not None else None for s in deck.slides]
    charts = titles[2:-4]
    assert titles[:2] == [None, "The portfolio in figures"]  # the title slide has its own text boxes
    assert "Which report each client needs" in charts and "Renewals over the next 12 months" in charts
    assert len(charts) == 6
    assert titles[-4:] == [
        "Gaps: missing a report they need",
        "Stale reports and renewals due",
        *(title for title, _ in COMPARISON_SLIDES),
    ]
    for slide, title in zip(list(deck.slides)[2:-4], charts, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, title
        assert pictures[0].left >= 0 and pictures[0].left + pictures[0].width <= deck.slide_width


def test_the_figures_are_the_headline_ones_with_their_denominators(deck_path, assessment):
    slide = list(pptx.Presentation(deck_path).slides)[1]
    texts = "\n".join(_texts(slide))
    figures = headline(assessment)
    for key in ("organisations", "needs_report", "covered", "gaps", "renewal_due", "stale", "unverified", "review"):
        row = figures.loc[key]
        assert f"{int(row['value']):,}\n{row['label']}" in texts, key
        if pd.notna(row["denominator"]):
            assert row["text"] in texts, key  # "84 of 183 that need a report, 46%"
    assert f"${figures.loc['opportunity_usd', 'value']:,.0f}" in texts


def test_the_branding_colours_every_slide(deck_path):
    deck = pptx.Presentation(deck_path)
    for slide in deck.slides:
        bars = [s for s in slide.shapes if s.name == "Title bar"]
        assert bars and _fill(bars[0]) == "7A1F3D"
    footer = [s for s in list(deck.slides)[3].shapes if s.name == "Footer"][0]
    assert footer.text_frame.text.startswith("Smith & Partners <LLP> · SOC coverage as of 2026-11-26")
    title_slide = "\n".join(_texts(list(deck.slides)[0]))
    assert "Smith & Partners <LLP> · as of 2026-11-26 · 200 organisations" in title_slide
    gap_table = [s for s in list(deck.slides)[-4].shapes if s.has_table][0].table
    assert str(gap_table.cell(0, 0).fill.fore_color.rgb) == "7A1F3D"


def test_hostile_names_are_text_and_tables_say_what_is_left_out(deck_path, assessment):
    deck = pptx.Presentation(deck_path)
    gap_slide = list(deck.slides)[-4]
    cells = _texts(gap_slide)
    shown = [c for c in cells if "Evil" in c]
    assert shown and shown[0].startswith("<b>Evil & Co</b> =HYPERLINK")  # as typed, cut to the column
    assert "\x07" not in "".join(cells)
    note = next(c for c in cells if c.startswith("Largest opportunity first."))
    total = int((assessment.frame["coverage_status"].str.startswith("Gap")).sum())
    assert re.search(rf"The first \d+ of {total} organisations with a gap", note)


def test_the_comparison_is_whole(deck_path):
    deck = pptx.Presentation(deck_path)
    table = compare_reports()
    for slide, (_, aspects) in zip(list(deck.slides)[-2:], COMPARISON_SLIDES, strict=True):
        grid = [s for s in slide.shapes if s.has_table][0].table
        assert [grid.cell(i + 1, 0).text for i in range(len(aspects))] == list(aspects)
        for i, aspect in enumerate(aspects):
            assert grid.cell(i + 1, 2).text == table.loc[aspect, "SOC 2"]  # nothing cut


def test_the_deck_opens_in_libreoffice_at_16_9(deck_path, tmp_path):
    pages = render(deck_path, "deck-portfolio", tmp_path)
    assert len(pages) == len(pptx.Presentation(deck_path).slides)
    for page in pages:
        width, height = _png_size(page)
        assert abs(width / height - 16 / 9) < 0.01


def test_a_recommendation_deck(tmp_path):
    out = export_recommendation_deck(
        tmp_path / "advice.pptx",
        details=[
            ("Recommendation", "SOC 1 and SOC 2"),
            ("Report type", "Type 1 first, then Type 2"),
            ("Trust Services Categories", "Security; Availability; Processing Integrity; Privacy"),
            ("Also consider", ""),
            (
                "Why",
                "Runs payroll for employers: it can change the numbers in its customers' financial statements. " * 2,
            ),
        ],
        organisation=HOSTILE,
        description="We run payroll for small employers",
        answers=[("Do you process payroll or payments for customers?", "Yes")] * 6,
        branding=BRAND,
        day="2026-11-26",
    )
    deck = pptx.Presentation(out)
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert titles == ["Our recommendation", "What you told us", *(t for t, _ in COMPARISON_SLIDES)]
    first = "\n".join(_texts(list(deck.slides)[0]))
    assert "Which SOC report for <b>Evil & Co</b>" in first and "Smith & Partners <LLP> · 2026-11-26" in first
    advice = _texts(list(deck.slides)[1])
    assert "Also consider" not in advice and "SOC 1 and SOC 2" in advice
    pages = render(out, "deck-recommendation", tmp_path)
    assert len(pages) == len(deck.slides)


def test_report_writes_a_deck_from_the_command_line(tmp_path, capsys):
    require_chromium()
    source = tmp_path / "small.csv"
    pd.read_csv(sample_path("portfolio"), dtype=str).head(22).to_csv(source, index=False)
    out = tmp_path / "deck.pptx"
    assert cli.main(["report", str(source), "-o", str(out), "--as-of", "2026-11-26"]) == 0
    deck = pptx.Presentation(out)
    assert "22 organisations" in "\n".join(_texts(list(deck.slides)[0]))
    assert f"report written to {out}" in capsys.readouterr().out


def test_pdf_of_an_assessment_is_the_html_report_printed(tmp_path):
    require_chromium()
    frame = pd.read_csv(sample_path("portfolio"), dtype=str).head(10)
    data = sa.export_pdf(sa.assess(frame, as_of="2026-11-26"), tmp_path / "report.pdf").read_bytes()
    assert data[:5] == b"%PDF-"


def test_a_missing_extra_is_one_line_before_any_work(tmp_path, monkeypatch, capsys):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pptx" else real(name, *a))
    with pytest.raises(
        MissingExtraError, match=r"needs the 'images' extra.*\(pptx\): pip install 'socanalysis\[images\]'"
    ):
        sa.report(tmp_path / "not there.csv", tmp_path / "deck.pptx")
    assert cli.main(["report", str(tmp_path / "not there.csv"), "-o", str(tmp_path / "deck.pptx")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "socanalysis[images]" in err and "Traceback" not in err
    assert not (tmp_path / "deck.pptx").exists()


def test_a_deck_needs_a_pptx_name(tmp_path):
    with pytest.raises(ExportError, match=r"\.pdf, \.pptx, \.png"):
        sa.report(tmp_path / "x.csv", tmp_path / "deck.ppt")


@pytest.mark.parametrize("points", [12, 14, 20])
@pytest.mark.parametrize("lines", [1, 2, 4])
def test_fit_cuts_at_words_and_keeps_what_fits(points, lines):
    text = "Payroll and benefits administration for small and mid-sized employers across Europe " * 3
    cut = fit(text, 2.5, points, lines)
    room = (int(2.5 * 72 / (points * 0.47)) - 1) * lines
    assert len(cut) <= room and cut.endswith(" …")
    assert text.startswith(cut[:-2])
    assert fit("short", 2.5, points, lines) == "short"
