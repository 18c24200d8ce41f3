"""Charts and theme: the numbers behind each figure, colours per category, escaping, branding."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis.errors import ColumnError, SocAnalysisError, ValueParseError
from socanalysis.pipeline import Assessment, assess
from socanalysis.portfolio import coverage, summarize
from socanalysis.present import charts, theme
from socanalysis.present.theme import (
    REPORT_COLOURS,
    STATUS_COLOURS,
    Branding,
    BrandingError,
    load_branding,
)
from socanalysis.vocabulary import CATEGORIES, REPORT_VALUES, STATUSES

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------


def _covered() -> pd.DataFrame:
    """A small frame shaped like coverage()'s output (only the columns the charts read)."""
    frame = pd.DataFrame(
        {
            "Client": ["Acme Payroll", "Cloudy", "Bakery", HOSTILE, "Ledger", "Acme Payroll", "Hosting"],
            "Industry": ["Payroll", "SaaS", "Food", "SaaS", "Payroll", "Payroll", None],
            "Partner": ["Ann", "Bo", "Ann", "Bo", "Ann", "Cy", "Cy"],
            "soc_report": ["SOC 1", "SOC 2", "Neither", "SOC 2", "Both", "SOC 1", "SOC 2"],
            "confidence": ["high", "high", "medium", "low", "high", "medium", "high"],
            "coverage_status": [
                "Covered",
                "Gap: SOC 2",
                "Not needed",
                "Stale",
                "Gap: SOC 1 + SOC 2",
                "Renewal due",
                "Covered",
            ],
            "tsc_categories": [
                "",
                "Security; Availability; Privacy",
                "",
                "Security; Confidentiality",
                "Security; Processing Integrity",
                "",
                "Security; Availability",
            ],
            "tsc_gap": ["", "", "", "Confidentiality", "", "", "Availability"],
            "period_end_date": pd.to_datetime(
                ["2025-12-31", None, None, "2024-06-30", None, "2025-11-30", "2026-03-31"]
            ),
            "renewal_date": pd.to_datetime(["2026-12-31", None, None, "2025-06-30", None, "2026-11-30", "2027-03-31"]),
        }
    )
    frame.attrs["socanalysis"] = {
        "fields": {"name": "Client", "industry": "Industry", "partner": "Partner"},
        "coverage": {"as_of": "2026-09-30", "validity_months": 12},
    }
    return frame


@pytest.fixture
def covered() -> pd.DataFrame:
    return _covered()


@pytest.fixture(scope="module")
def sample_assessed() -> Assessment:
    from socanalysis.load.samples import load_sample_portfolio

    return assess(load_sample_portfolio(), as_of="2026-11-26")


@pytest.fixture(scope="module")
def sample_covered(sample_assessed) -> pd.DataFrame:
    return sample_assessed.frame


def _trace(fig: go.Figure, name: str):
    return next(t for t in fig.data if t.name == name)


# --------------------------------------------------------------------------------------------
# theme
# --------------------------------------------------------------------------------------------


def test_theme_colours_every_status_and_report_of_the_vocabulary():
    assert tuple(STATUS_COLOURS) == STATUSES
    assert tuple(REPORT_COLOURS) == REPORT_VALUES


@pytest.mark.parametrize("palette", [REPORT_COLOURS, STATUS_COLOURS], ids=["needs", "statuses"])
def test_colours_are_distinct_and_from_the_colour_blind_safe_set(palette):
    values = list(palette.values())
    assert len(set(values)) == len(values)
    assert set(values) <= {*theme.OKABE_ITO.values(), theme.NEUTRAL, theme.REVIEW_GREY}


def test_gap_colours_match_the_report_they_miss():
    assert STATUS_COLOURS["Gap: SOC 1"] == REPORT_COLOURS["SOC 1"]
    assert STATUS_COLOURS["Gap: SOC 2"] == REPORT_COLOURS["SOC 2"]
    assert STATUS_COLOURS["Gap: SOC 1 + SOC 2"] == REPORT_COLOURS["Both"]


# Machado, Oliveira & Fernandes (2009), full severity, in linear RGB.
_CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _lab(colour: str, matrix) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(np.asarray(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(_CVD))
@pytest.mark.parametrize("palette", [REPORT_COLOURS, STATUS_COLOURS], ids=["needs", "statuses"])
def test_colours_stay_apart_under_simulated_colour_blindness(palette, vision):
    distances = {
        (a, b): float(np.linalg.norm(_lab(palette[a], _CVD[vision]) - _lab(palette[b], _CVD[vision])))
        for a, b in itertools.combinations(palette, 2)
    }
    closest = min(distances, key=distances.get)
    assert distances[closest] > 15, f"{closest} are hard to tell apart with {vision}"


def test_branding_from_a_dict_keeps_defaults_for_missing_keys():
    brand = load_branding({"firm_name": " Harbour & Pine ", "accent": "#d55e00", "mode": "dark"})
    assert (brand.firm_name, brand.accent, brand.primary, brand.dark) == (
        "Harbour & Pine",
        "#D55E00",
        theme.DEFAULT_BRANDING.primary,
        True,
    )
    assert load_branding(None) is theme.DEFAULT_BRANDING
    assert load_branding(brand) is brand


def test_branding_from_yaml_reads_a_logo_next_to_the_file(tmp_path):
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da636460f85f0f000285018060e9e8ed0000000049454e44ae426082"
    )
    (tmp_path / "logo.png").write_bytes(png)
    (tmp_path / "brand.yaml").write_text(
        "firm_name: Acme Audit\nprimary: '#123'\nlogo: logo.png\ncolours:\n  Stale: '#882255'\n", encoding="utf-8"
    )
    brand = load_branding(tmp_path / "brand.yaml")
    assert brand.primary == "#112233"
    assert brand.colour("Stale") == "#882255" and brand.colour("Covered") == STATUS_COLOURS["Covered"]
    assert brand.logo_data_uri().startswith("data:image/png;base64,iVBORw0KGgo")
    assert brand.logo_bytes() == (png, ".png")


@pytest.mark.parametrize(
    ("settings_", "message"),
    [
        ({"primary": "navy"}, r"primary must be a hex colour such as '#1F3A5F' or '#fff', got 'navy'"),
        ({"accent": 12}, r"accent must be a hex colour .* got 12"),
        ({"mode": "dim"}, r"mode must be one of 'light', 'dark', got 'dim'"),
        ({"firm": "Acme"}, r"no key 'firm'; accepted: 'firm_name', 'primary'"),
        ({"firm_name": ""}, r"firm_name must be a non-empty text"),
        ({"logo": "https://example.com/logo.png"}, r"not a web address .* reports must open offline"),
        ({"logo": "missing.png"}, r"logo file 'missing.png' does not exist"),
        ({"logo": "logo.bmp"}, r"logo 'logo.bmp' must be one of .png"),
        ({"logo": "data:text/html;base64,PHNjcmlwdD4="}, r"logo data URI must look like"),
        ({"colours": {"Green": "#00FF00"}}, r"colours has no 'Green'; accepted: 'SOC 1'"),
        ({"colours": {"Covered": "green"}}, r"colours\['Covered'\] must be a hex colour"),
        ({"font_family": "x; background: url(http://evil)"}, r"font_family must be a CSS font list"),
    ],
)
def test_bad_branding_says_what_is_accepted(settings_, message):
    with pytest.raises(BrandingError, match=message):
        load_branding(settings_)


def test_bad_branding_names_every_bad_key_at_once():
    with pytest.raises(BrandingError, match=r"primary must be a hex .*; mode must be one of .*; no key 'firm'") as info:
        load_branding({"primary": "navy", "mode": "dim", "firm": "Acme", "firm_name": "Acme"})
    assert str(info.value).startswith("branding: ")
    assert theme.BrandingSchema.model_validate({"accent": "#abc"}).accent == "#AABBCC"
    assert list(theme.BrandingSchema.model_fields) == [f.name for f in dataclasses.fields(Branding)]


def test_branding_file_errors(tmp_path):
    with pytest.raises(BrandingError, match="does not exist"):
        load_branding(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("firm_name: [unclosed\n", encoding="utf-8")
    with pytest.raises(BrandingError, match="is not valid YAML"):
        load_branding(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(BrandingError, match="give a mapping of firm_name"):
        load_branding(listed)


def test_branding_is_frozen():
    with pytest.raises(AttributeError):
        theme.DEFAULT_BRANDING.firm_name = "x"


def test_template_follows_mode_and_brand():
    light = theme.plotly_template(Branding(accent="#D55E00"))
    dark = theme.plotly_template({"mode": "dark"})
    assert light.layout.colorway[0] == "#D55E00"
    assert light.layout.paper_bgcolor == "#FFFFFF" and dark.layout.paper_bgcolor == "#111827"
    assert "--soc-colour-gap-soc-1-soc-2: #CC79A7;" in theme.branding_css()


# --------------------------------------------------------------------------------------------
# coverage_by_industry
# --------------------------------------------------------------------------------------------


def test_coverage_by_industry_counts_equal_the_frame(covered):
    fig = charts.coverage_by_industry(covered)
    assert [t.name for t in fig.data] == list(STATUSES)
    assert list(fig.data[0].y) == ["Payroll", "SaaS", "Food", "(not given)"]
    expected = pd.crosstab(covered["Industry"].fillna("(not given)"), covered["coverage_status"])
    for trace in fig.data:
        assert trace.orientation == "h"
        assert trace.marker.color == STATUS_COLOURS[trace.name]
        got = dict(zip(trace.y, trace.x.tolist(), strict=True))
        want = expected[trace.name].to_dict() if trace.name in expected else {}
        assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}
    assert sum(t.x.sum() for t in fig.data) == len(covered)
    assert fig.layout.barmode == "stack"


def test_coverage_by_industry_shares_add_to_one(covered):
    fig = charts.coverage_by_industry(covered, by="partner", share=True)
    totals = np.sum([t.x for t in fig.data], axis=0)
    assert np.allclose(totals, 1.0)
    assert list(fig.data[0].y) == ["Ann", "Bo", "Cy"]
    assert fig.layout.xaxis.tickformat == ".0%"


def test_coverage_by_industry_folds_small_segments_into_other_last(covered):
    fig = charts.coverage_by_industry(covered, top=1)
    assert list(fig.data[0].y) == ["Payroll", "Other (3 segments)"]
    assert sum(t.x.sum() for t in fig.data) == len(covered)


def test_coverage_by_industry_escapes_segment_names(covered):
    covered.loc[0, "Industry"] = HOSTILE
    fig = charts.coverage_by_industry(covered)
    assert ESCAPED in fig.data[0].y and HOSTILE not in fig.data[0].y


def test_chart_errors_name_the_column_and_what_is_accepted(covered):
    with pytest.raises(ColumnError, match=r"needs column 'coverage_status', which socanalysis.coverage\(\)"):
        charts.coverage_by_industry(covered.drop(columns="coverage_status"))
    with pytest.raises(ColumnError, match=r"coverage_by_industry\(by='region'\): no column for it"):
        charts.coverage_by_industry(covered, by="region")
    covered.loc[2, "coverage_status"] = "Fine"
    with pytest.raises(ValueParseError, match="'coverage_status' holds 1 value") as info:
        charts.coverage_by_industry(covered)
    assert info.value.cases.loc[0, ["row", "value"]].tolist() == [3, "Fine"]
    with pytest.raises(SocAnalysisError, match="top=0: give a whole number"):
        charts.tsc_heatmap(covered, top=0)
    with pytest.raises(SocAnalysisError, match="takes a DataFrame, not list"):
        charts.lead_distribution([1, 2])


# --------------------------------------------------------------------------------------------
# portfolio_sunburst
# --------------------------------------------------------------------------------------------


def test_sunburst_values_add_up_from_leaves_to_roots(covered):
    trace = charts.portfolio_sunburst(covered).data[0]
    assert trace.branchvalues == "total"
    values = dict(zip(trace.ids, trace.values, strict=True))
    parents = dict(zip(trace.ids, trace.parents, strict=True))
    assert len(values) == len(trace.ids)  # ids are unique
    roots = [i for i, p in parents.items() if p == ""]
    assert roots == [n for n in REPORT_VALUES if n in set(covered["soc_report"])]
    assert sum(values[r] for r in roots) == len(covered)
    for node in values:
        children = [c for c, p in parents.items() if p == node]
        if children:
            assert values[node] == sum(values[c] for c in children)
    assert values["SOC 2"] == 3 and values["SOC 2 / Covered"] == 1 and values["SOC 2 / Stale / SaaS"] == 1


def test_sunburst_colours_follow_need_then_status(covered):
    trace = charts.portfolio_sunburst(covered).data[0]
    colours = dict(zip(trace.ids, trace.marker.colors, strict=True))
    assert colours["Both"] == REPORT_COLOURS["Both"]
    assert colours["SOC 1 / Renewal due"] == STATUS_COLOURS["Renewal due"]
    assert colours["SOC 1 / Covered / Payroll"] == theme.tint(STATUS_COLOURS["Covered"], 0.45)


def test_sunburst_escapes_leaf_labels(covered):
    covered["Industry"] = HOSTILE
    trace = charts.portfolio_sunburst(covered).data[0]
    assert ESCAPED in trace.labels and HOSTILE not in trace.labels


# --------------------------------------------------------------------------------------------
# tsc_heatmap
# --------------------------------------------------------------------------------------------


def test_tsc_heatmap_counts_each_category_per_segment(covered):
    trace = charts.tsc_heatmap(covered).data[0]
    assert list(trace.y) == list(CATEGORIES)
    assert list(trace.x) == ["SaaS", "Payroll", "(not given)", "Food"]
    z = pd.DataFrame(trace.z, index=trace.y, columns=trace.x)
    assert z.loc["Security"].tolist() == [2, 1, 1, 0]
    assert z.loc["Availability", "SaaS"] == 1 and z.loc["Privacy", "SaaS"] == 1
    assert z.loc["Processing Integrity", "Payroll"] == 1
    assert trace.customdata[0].tolist() == [2, 3, 1, 1]  # organisations per segment


def test_tsc_heatmap_of_gaps_and_of_a_classified_frame(covered):
    gaps = charts.tsc_heatmap(covered, column="tsc_gap").data[0]
    assert int(np.asarray(gaps.z).sum()) == 2
    classified = covered[["Industry", "soc_report", "tsc_categories"]].copy()
    classified.attrs = {"socanalysis": {"fields": {"industry": "Industry"}}}
    assert int(np.asarray(charts.tsc_heatmap(classified).data[0].z).sum()) == 9


# --------------------------------------------------------------------------------------------
# renewal_timeline
# --------------------------------------------------------------------------------------------


def test_renewal_timeline_draws_each_dated_report(covered):
    fig = charts.renewal_timeline(covered, "2026-09-30")
    bars = [t for t in fig.data if t.type == "bar"]
    assert sum(len(t.y) for t in bars) == covered["period_end_date"].notna().sum()
    assert {t.name for t in bars} == {"Covered", "Stale", "Renewal due"}
    stale = _trace(fig, "Stale")
    assert list(stale.y) == [ESCAPED] and list(stale.base) == ["2024-06-30"]
    assert stale.x[0] == pd.Timedelta(days=365).total_seconds() * 1000
    assert stale.marker.color == STATUS_COLOURS["Stale"]
    mark = _trace(fig, "12-month mark")
    assert list(mark.x) == ["2025-06-30", "2026-11-30", "2026-12-31", "2027-03-31"]
    # repeated names are told apart by row
    assert list(mark.y) == [ESCAPED, "Acme Payroll (row 6)", "Acme Payroll (row 1)", "Hosting"]
    assert list(fig.layout.yaxis.categoryarray) == list(mark.y)
    assert fig.layout.shapes[0].x0 == "2026-09-30"
    assert fig.layout.annotations[0].text == "Today (2026-09-30)"


def test_renewal_timeline_takes_its_date_and_window_from_the_assessment_never_from_attrs(covered, sample_assessed):
    # the as_of line defaults to the date the Assessment was judged at, the mark to its window
    fig = charts.renewal_timeline(sample_assessed)
    assert fig.layout.shapes[0].x0 == "2026-11-26"
    assert fig.layout.annotations[0].text == "Today (2026-11-26)"
    longer = charts.renewal_timeline(dataclasses.replace(sample_assessed, validity_months=18))
    assert "18-month mark" in [t.name for t in longer.data]
    # a frame's attrs are not read: its line is today's and its window the one given (12 by default)
    today = pd.Timestamp.today().strftime("%Y-%m-%d")
    covered.attrs["socanalysis"]["coverage"] = {"as_of": "1999-01-01", "validity_months": 99}
    assert charts.renewal_timeline(covered).layout.shapes[0].x0 == today
    assert _trace(charts.renewal_timeline(covered, validity_months=24), "24-month mark") is not None
    assert "12-month mark" in [t.name for t in charts.renewal_timeline(covered).data]


def test_renewal_timeline_filters_and_limits(covered):
    fig = charts.renewal_timeline(covered, "2026-12-01", statuses=["Covered", "Renewal due"], limit=2)
    assert list(_trace(fig, "12-month mark").y) == ["Acme Payroll (row 6)", "Acme Payroll (row 1)"]
    assert fig.layout.shapes[0].x0 == "2026-12-01"
    with pytest.raises(SocAnalysisError, match="'Old' is not a status"):
        charts.renewal_timeline(covered, statuses=["Old"])
    with pytest.raises(SocAnalysisError, match="as_of='soon' is not a date"):
        charts.renewal_timeline(covered, "soon")


# --------------------------------------------------------------------------------------------
# opportunity_by_segment and lead_distribution
# --------------------------------------------------------------------------------------------


def test_opportunity_by_segment_plots_the_summary_column():
    table = pd.DataFrame(
        {"organisations": [3, 2, 4], "opportunity_usd": [10000.0, 45000.0, 0.0]},
        index=pd.Index(["Payroll", HOSTILE, "Food"], name="Industry"),
    )
    fig = charts.opportunity_by_segment({"All": table.head(1), "industry": table}, top=2)
    trace = fig.data[0]
    assert list(trace.y) == [ESCAPED, "Payroll"]
    assert trace.x.tolist() == [45000.0, 10000.0]
    assert trace.customdata[:, 0].tolist() == [2, 3]  # organisations per bar; Food (no opportunity) left out
    assert fig.layout.title.text == "Opportunity by Industry"
    with pytest.raises(SocAnalysisError, match=r"segment='region'\): the summary has no such table"):
        charts.opportunity_by_segment({"All": table}, segment="region")


def test_opportunity_by_segment_from_summarize():
    frame = pd.DataFrame({"Industry": ["Payroll", "Payroll", "SaaS"], "soc_report": ["SOC 1", "SOC 1", "SOC 2"]})
    frame.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
    tables = summarize(coverage(frame, as_of="2025-06-30"))
    trace = charts.opportunity_by_segment(tables["industry"]).data[0]
    expected = tables["industry"]["opportunity_usd"].sort_values(ascending=False)
    assert trace.x.tolist() == expected.tolist() and list(trace.y) == expected.index.tolist()


def _many_industries(per_sector: int = 8) -> pd.DataFrame:
    """A covered portfolio: one SOC 2 gap per industry label, ``per_sector`` labels from each of three sectors."""
    from socanalysis.classifier.taxonomy import entries

    chosen: dict[str, list[str]] = {}
    for entry in entries()["linkedin_v2"]:
        if entry.sector in ("Financial Services", "Manufacturing", "Professional Services") and entry.label != (
            entry.sector
        ):
            chosen.setdefault(entry.sector, [])
            if len(chosen[entry.sector]) < per_sector:
                chosen[entry.sector].append(entry.label)
    labels = [label for sector in chosen.values() for label in sector]
    assert len(labels) == 3 * per_sector
    frame = pd.DataFrame({"Client": [f"Org {i}" for i in range(len(labels))], "Industry": labels})
    frame["soc_report"] = "SOC 2"
    frame.attrs["socanalysis"] = {"fields": {"name": "Client", "industry": "Industry"}}
    return coverage(frame, as_of="2026-11-26")


def test_opportunity_by_segment_switches_to_sectors_when_the_industries_are_too_many():
    tables = summarize(_many_industries())
    table = tables["industry"]
    assert len(table) == 24 and table["opportunity_usd"].gt(0).all()
    fig = charts.opportunity_by_segment(tables)
    trace = fig.data[0]
    assert list(trace.y) == ["Financial Services", "Manufacturing", "Professional Services"]  # no "Other" at all
    assert fig.layout.title.text == "Opportunity by Sector" and fig.layout.yaxis.title.text == "Sector"
    assert trace.x.sum() == pytest.approx(table["opportunity_usd"].sum())
    assert trace.customdata[:, 0].tolist() == [8, 8, 8]
    hover = trace.customdata[0, 1]  # what the bar holds: eight industries and their amounts
    assert hover.count("<br>") == 1 + 8 and "$" in hover
    label = charts.opportunity_by_segment(tables, title="Estimated opportunity by industry")
    assert label.layout.title.text == "Estimated opportunity by sector"
    by_label = charts.opportunity_by_segment(table)  # a table alone is taken as by industry
    assert by_label.to_json() == fig.to_json()
    as_is = charts.opportunity_by_segment(table, segment="partner")  # never by sector
    assert len(as_is.data[0].y) == 13 and as_is.data[0].y[-1] == "Other (12 segments)"
    assert as_is.data[0].x.sum() == pytest.approx(table["opportunity_usd"].sum())
    assert as_is.layout.title.text == "Opportunity by Industry"


def test_opportunity_by_segment_keeps_a_few_industries_and_sums_the_rest_into_other():
    tables = summarize(_many_industries(per_sector=2))
    fig = charts.opportunity_by_segment(tables)
    assert len(fig.data[0].y) == 6 and "Other" not in " ".join(fig.data[0].y)
    assert fig.layout.title.text == "Opportunity by Industry"
    assert set(fig.data[0].customdata[:, 1]) == {""}  # a bar of one industry lists nothing more
    fewer = charts.opportunity_by_segment(tables, top=4)  # two industries left over outweigh any one: sectors
    assert list(fewer.data[0].y) == ["Financial Services", "Manufacturing", "Professional Services"]
    assert fewer.data[0].x.sum() == pytest.approx(fig.data[0].x.sum())
    table = pd.DataFrame(
        {"organisations": [5, 1, 1, 1], "opportunity_usd": [90000.0, 10000.0, 10000.0, 10000.0]},
        index=pd.Index(["Banking", "Payroll", HOSTILE, "Food"], name="Industry"),
    )
    small = charts.opportunity_by_segment(table, top=2)  # the rest (20,000) does not outweigh Banking
    trace = small.data[0]
    assert trace.y[0] == "Banking" and trace.y[-1] == "Other (2 segments)" and len(trace.y) == 3
    assert trace.x.tolist() == [90000.0, 10000.0, 20000.0]
    assert "Holds:" in trace.customdata[2, 1] and HOSTILE not in small.to_json()


def test_opportunity_by_segment_says_so_when_there_is_none():
    table = pd.DataFrame(
        {"organisations": [2, 1], "opportunity_usd": [0.0, 0.0]}, index=pd.Index(["Payroll", "SaaS"], name="Industry")
    )
    fig = charts.opportunity_by_segment(table)
    assert fig.layout.xaxis.showticklabels is False and list(fig.layout.xaxis.range) == [0, 1]
    assert fig.layout.annotations[0].text == "No estimated opportunity for these organisations"
    table.loc["SaaS", "opportunity_usd"] = 500.0
    assert not charts.opportunity_by_segment(table).layout.annotations


def test_the_sample_opportunity_is_shown_by_sector_and_adds_up(sample_assessed):
    table = sample_assessed.summaries["industry"]
    fig = charts.opportunity_by_segment(sample_assessed)
    trace = fig.data[0]
    assert fig.layout.yaxis.title.text == "Sector" and len(trace.y) <= 13
    assert trace.x.sum() == pytest.approx(table["opportunity_usd"].sum())
    named = [x for y, x in zip(trace.y, trace.x, strict=True) if not y.startswith("Other (")]
    assert trace.x[-1] <= max(named)  # no "Other" bar dominates
    assert fig.layout.xaxis.tickprefix == "$" and fig.layout.xaxis.tickformat == "~s"  # $1.6M: no slanted ticks
    keys = dict(charts.report_charts(sample_assessed))  # the HTML report and the deck draw these
    assert keys["opportunity"].layout.title.text == "Opportunity by sector"
    assert keys["opportunity"].data[0].x.sum() == pytest.approx(table["opportunity_usd"].sum())


def test_lead_distribution_counts_and_colours(covered):
    fig = charts.lead_distribution(covered)
    assert [t.name for t in fig.data] == ["high confidence", "medium confidence", "low confidence"]
    for trace in fig.data:
        assert list(trace.x) == list(REPORT_VALUES)
        assert list(trace.marker.color) == [REPORT_COLOURS[n] for n in REPORT_VALUES]
    assert len({t.marker.pattern.shape for t in fig.data}) == 3  # not told apart by colour alone
    totals = np.sum([t.y for t in fig.data], axis=0)
    assert totals.tolist() == covered["soc_report"].value_counts().reindex(REPORT_VALUES, fill_value=0).tolist()
    high = _trace(fig, "high confidence")
    assert high.y.tolist() == [1, 2, 1, 0, 0]


def test_lead_distribution_without_confidence(covered):
    fig = charts.lead_distribution(covered.drop(columns="confidence"))
    assert len(fig.data) == 1 and fig.data[0].y.tolist() == [2, 3, 1, 1, 0]
    assert charts.lead_distribution(covered, by_confidence=False).data[0].y.tolist() == [2, 3, 1, 1, 0]


# --------------------------------------------------------------------------------------------
# every chart
# --------------------------------------------------------------------------------------------


def _every_chart(frame: pd.DataFrame, **kw) -> list[go.Figure]:
    table = pd.DataFrame({"organisations": [1], "opportunity_usd": [5.0]}, index=pd.Index(["A"], name="X"))
    return [
        charts.coverage_by_industry(frame, **kw),
        charts.portfolio_sunburst(frame, **kw),
        charts.tsc_heatmap(frame, **kw),
        charts.renewal_timeline(frame, **kw),
        charts.opportunity_by_segment(table, **kw),
        charts.lead_distribution(frame, **kw),
    ]


def test_every_chart_uses_the_brand_and_escapes_its_title(covered):
    brand = Branding(firm_name="Acme", accent="#D55E00", mode="dark")
    for fig in _every_chart(covered, branding=brand, title="<b>Q3</b> & more"):
        assert fig.layout.template.layout.paper_bgcolor == "#111827"
        assert fig.layout.template.layout.colorway[0] == "#D55E00"
        assert fig.layout.title.text == "&lt;b&gt;Q3&lt;/b&gt; &amp; more"


def test_no_chart_mutates_its_input(covered):
    before = covered.copy()
    attrs = {k: dict(v) for k, v in covered.attrs["socanalysis"].items()}
    _every_chart(covered)
    pd.testing.assert_frame_equal(covered, before)
    assert covered.attrs["socanalysis"] == attrs


def test_charts_of_the_sample_portfolio_match_its_counts(sample_covered):
    n = len(sample_covered)
    bars = charts.coverage_by_industry(sample_covered, top=None)
    assert sum(t.x.sum() for t in bars.data) == n
    counts = sample_covered["coverage_status"].value_counts()
    for trace in bars.data:
        assert trace.x.sum() == counts.get(trace.name, 0)
    sun = charts.portfolio_sunburst(sample_covered).data[0]
    assert sum(v for v, p in zip(sun.values, sun.parents, strict=True) if p == "") == n
    needs = charts.lead_distribution(sample_covered)
    assert np.sum([t.y for t in needs.data]) == n
    dated = sample_covered["period_end_date"].notna().sum()
    timeline = charts.renewal_timeline(sample_covered)
    assert len(_trace(timeline, "12-month mark").y) == dated


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(STATUSES), st.sampled_from(["A", "B", "<C>", "", None])), min_size=1, max_size=40
    ),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_bar_counts_always_add_up_to_the_rows(rows, top):
    frame = pd.DataFrame(rows, columns=["coverage_status", "Segment"])
    fig = charts.coverage_by_industry(frame, by="Segment", top=top)
    assert sum(t.x.sum() for t in fig.data) == len(frame)
    for trace in fig.data:
        assert trace.x.sum() == (frame["coverage_status"] == trace.name).sum()


def test_every_chart_takes_an_assessment_and_draws_what_its_frame_draws(sample_assessed):
    frame, brand = sample_assessed.frame, sample_assessed.branding
    for draw in (charts.coverage_by_industry, charts.portfolio_sunburst, charts.tsc_heatmap, charts.lead_distribution):
        assert draw(sample_assessed).to_json() == draw(frame, branding=brand).to_json()
    as_of = sample_assessed.as_of
    assert charts.renewal_timeline(sample_assessed).to_json() == charts.renewal_timeline(frame, as_of).to_json()
    from_summaries = charts.opportunity_by_segment(sample_assessed.summaries)
    assert charts.opportunity_by_segment(sample_assessed).to_json() == from_summaries.to_json()
    dark = dataclasses.replace(sample_assessed, branding=Branding(mode="dark"))
    assert charts.coverage_by_industry(dark).layout.template.layout.paper_bgcolor == "#111827"
    light = charts.coverage_by_industry(dark, branding={"mode": "light"})  # an explicit branding wins
    assert light.layout.template.layout.paper_bgcolor == "#FFFFFF"


# --------------------------------------------------------------------------------------------
# segments as people read them, renewals by month, needs and holdings
# --------------------------------------------------------------------------------------------


def test_charts_count_industries_under_their_canonical_labels():
    frame = pd.DataFrame(
        {
            "Industry": ["Computer & Network Security", "computer and network security", " SaaS ", "SaaS"],
            "coverage_status": ["Covered", "Stale", "Covered", "Gap: SOC 2"],
        }
    )
    frame.attrs["socanalysis"] = {"fields": {"industry": "Industry"}}
    fig = charts.coverage_by_industry(frame)
    assert list(fig.data[0].y) == ["Computer and Network Security", "SaaS"]
    assert fig.layout.title.text == "Coverage by industry"


def test_the_sample_by_industry_switches_to_sectors_and_no_other_bar_dominates(sample_assessed):
    from socanalysis.portfolio import segment_labels, segments

    labels = segment_labels(sample_assessed, "industry")
    raw = sample_assessed.frame["Industry"].fillna("").str.strip().nunique()
    assert labels.nunique() < raw  # spellings of one label make one segment
    shown = segments(sample_assessed, "industry")
    assert shown.level == "sector" and len(shown.order) <= 13
    sizes = shown.labels.value_counts()
    assert sizes[shown.other] <= sizes.drop(shown.other).max()
    fig = charts.coverage_by_industry(sample_assessed)
    assert fig.layout.title.text == "Coverage by sector" and fig.layout.yaxis.title.text == "Sector"
    assert list(fig.data[0].y) == shown.order
    assert sum(t.x.sum() for t in fig.data) == len(sample_assessed.frame)
    assert fig.layout.height <= 720 - 100  # fits a 1280x720 screen with room for the page around it


def test_whole_number_ticks_on_small_counts(covered):
    fig = charts.coverage_by_industry(covered)
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == ",d"


def test_needs_and_holdings_counts_every_organisation_once(sample_assessed):
    frame = sample_assessed.frame
    fig = charts.needs_and_holdings(sample_assessed)
    assert [t.name for t in fig.data] == [s for s in STATUSES if s in set(frame["coverage_status"])]
    assert sum(int(t.x.sum()) for t in fig.data) == len(frame)
    for trace in fig.data:
        expected = frame[frame["coverage_status"] == trace.name]["soc_report"].value_counts()
        assert dict(zip(trace.y, trace.x.tolist(), strict=True)) == {
            need: int(expected.get(need, 0)) for need in trace.y
        }


def test_renewals_by_month_puts_the_overdue_apart_and_lists_names_on_hover(covered):
    covered = covered.copy()
    covered["coverage_status"] = covered["coverage_status"].replace({"Gap: SOC 2": "Unverified"})
    fig = charts.renewals_by_month(covered, "2026-09-30")
    x = list(fig.data[0].x)
    assert x[:4] == ["Overdue", "Sep 2026", "Oct 2026", "Nov 2026"] and len(x) == 13
    bars = {t.name: dict(zip(t.x, t.y.tolist(), strict=True)) for t in fig.data}
    assert bars["Stale"]["Overdue"] == 1  # 2025-06-30, long past
    assert bars["Renewal due"]["Nov 2026"] == 1 and bars["Covered"]["Dec 2026"] == 1
    assert bars["Covered"]["Mar 2027"] == 1
    assert sum(sum(b.values()) for b in bars.values()) == covered["renewal_date"].notna().sum()
    stale = _trace(fig, "Stale")
    assert ESCAPED in stale.customdata[0] and HOSTILE not in fig.to_json()
    assert fig.layout.meta["undated"] == 1 and fig.layout.meta["later"] == 0
    assert fig.layout.shapes[0].x0 == 0.5  # the line between the overdue bar and the months


def test_renewals_by_month_lists_a_few_names_then_counts_the_rest():
    n = 20
    covered = pd.DataFrame(
        {
            "Client": [f"Org {i:02d}" for i in range(n)],
            "coverage_status": ["Covered"] * n,
            "renewal_date": pd.to_datetime(["2027-02-15"] * n),
        }
    )
    covered.attrs["socanalysis"] = {"fields": {"name": "Client"}}
    fig = charts.renewals_by_month(covered, "2026-11-26", names_shown=5, months=6)
    hover = dict(zip(fig.data[0].x, fig.data[0].customdata, strict=True))["Feb 2027"]
    assert hover.split("<br>") == ["Org 00", "Org 01", "Org 02", "Org 03", "Org 04", "and 15 more"]
    assert len(fig.data[0].x) == 7 and fig.layout.height == 480


def test_renewals_by_month_takes_its_date_from_the_assessment(sample_assessed):
    fig = charts.renewals_by_month(sample_assessed)
    assert fig.data[0].x[1] == "Nov 2026"
    assert fig.to_json() == charts.renewals_by_month(sample_assessed.frame, "2026-11-26").to_json()
    assert fig.layout.meta["undated"] == int((sample_assessed.frame["coverage_status"] == "Unverified").sum())


def test_the_sunburst_hides_labels_too_small_to_read(sample_assessed):
    fig = charts.portfolio_sunburst(sample_assessed)
    assert fig.layout.uniformtext.minsize >= 12 and fig.layout.uniformtext.mode == "hide"
