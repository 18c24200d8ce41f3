"""Comparison tables and their escaped HTML rendering."""

import re

import numpy as np
import pandas as pd
import pytest
from pandas.io.formats.style import Styler

from socanalysis.errors import SocAnalysisError
from socanalysis.portfolio.compare import (
    UnknownOrganisationError,
    compare_entities,
    compare_reports,
    control_overview,
)
from socanalysis.portfolio.coverage import coverage
from socanalysis.present.tables import style_table, to_html

XSS = "<img src=x onerror=alert(1)>"


def test_compare_reports_shape():
    table = compare_reports()
    assert table.columns.tolist() == ["SOC 1", "SOC 2", "SOC 3"]
    assert table.index.tolist() == [
        "Focus",
        "Standard",
        "Audience",
        "When to choose",
        "Main criteria",
        "Typical users",
        "Use",
        "Type 1",
        "Type 2",
    ]
    assert table.notna().all().all() and (table != "").all().all()


def test_compare_reports_agrees_with_the_domain_notes():
    table = compare_reports()
    assert table.loc["Use"].tolist() == ["Restricted", "Restricted", "General"]
    assert "ICFR" in table.loc["Focus", "SOC 1"]
    assert "SSAE 18" in table.loc["Standard", "SOC 1"] and "ISAE 3402" in table.loc["Standard", "SOC 1"]
    assert "CSAE 3416" in table.loc["Standard", "SOC 1"]
    assert "ISAE 3000" in table.loc["Standard", "SOC 2"] and "DC 200" in table.loc["Standard", "SOC 2"]
    for criterion in ("CC1–CC9", "A1", "PI1", "C1", "P1–P8"):
        assert criterion in table.loc["Main criteria", "SOC 2"]
        assert criterion in table.loc["Main criteria", "SOC 3"]
    assert "per engagement" in table.loc["Main criteria", "SOC 1"]
    assert "financial statements" in table.loc["When to choose", "SOC 1"]
    assert "Payroll" in table.loc["Typical users", "SOC 1"] and "SaaS" in table.loc["Typical users", "SOC 2"]
    assert "as of a date" in table.loc["Type 1", "SOC 2"]
    assert "operating effectiveness over a period" in table.loc["Type 2", "SOC 1"]
    assert "Anyone" in table.loc["Audience", "SOC 3"]


def test_compare_reports_returns_a_fresh_table():
    first = compare_reports()
    first.loc["Use", "SOC 1"] = "changed"
    assert compare_reports().loc["Use", "SOC 1"] == "Restricted"


def test_control_overview():
    table = control_overview()
    assert table.columns.tolist() == ["Report", "Area", "Criteria", "Covers", "Include when"]
    soc2 = table[table["Report"] == "SOC 2"].set_index("Area")
    assert soc2.index.tolist() == ["Security", "Availability", "Processing Integrity", "Confidentiality", "Privacy"]
    assert soc2["Criteria"].tolist() == ["CC1–CC9", "A1", "PI1", "C1", "P1–P8"]
    assert soc2.loc["Security", "Include when"] == "always in scope"
    assert table[table["Report"] == "SOC 1"]["Area"].tolist() == [
        "Transaction processing",
        "Access to financial records",
        "Data transmission",
        "Operational effectiveness",
    ]


def portfolio():
    df = pd.DataFrame(
        {
            "Client": ["Acme Payroll", "Cloudy Hosting", XSS, "Twin", "Twin"],
            "Reports": ["SOC 1 Type 2", "SOC 2 Type 1", None, "SOC 2", None],
            "Period End": ["2025-03-31", "2024-01-31", None, None, None],
            "soc_report": ["SOC 1", "SOC 2", "Neither", "SOC 2", "SOC 2"],
            "tsc_categories": ["", "Security; Availability", "", "Security", "Security"],
            "report_type": ["Type 2", "Type 2", "", "Type 2", "Type 2"],
            "rationale": ["Runs payroll.", "Hosts data.", "Makes bread.", "SaaS.", "SaaS."],
        }
    )
    df.attrs["socanalysis"] = {"fields": {"name": "Client", "reports": "Reports", "period_end": "Period End"}}
    return df


def test_compare_entities_side_by_side():
    covered = coverage(portfolio(), as_of="2025-06-30")
    before = covered.copy()
    table = compare_entities(covered, ["Cloudy Hosting", "Acme Payroll"])
    pd.testing.assert_frame_equal(covered, before)
    assert table.columns.tolist() == ["Cloudy Hosting", "Acme Payroll"]
    assert table.loc["Needs"].tolist() == ["SOC 2", "SOC 1"]
    assert table.loc["Holds"].tolist() == ["SOC 2 Type 1", "SOC 1 Type 2"]
    assert table.loc["Coverage status"].tolist() == ["Stale", "Covered"]
    assert table.loc["Trust Services Categories needed", "Cloudy Hosting"] == "Security; Availability"
    assert table.loc["Categories not covered", "Cloudy Hosting"] == "Availability"
    assert table.loc["Type 2 due after a Type 1"].tolist() == ["Yes", "No"]
    assert table.loc["Period end"].tolist() == ["2024-01-31", "2025-03-31"]
    assert table.loc["Rationale"].tolist() == ["Hosts data.", "Runs payroll."]
    assert table.loc["Report type", "Acme Payroll"] == "Type 2"


def test_compare_entities_on_classify_output_shows_only_what_is_there():
    table = compare_entities(portfolio(), "acme payroll ")
    assert table.columns.tolist() == ["Acme Payroll"]
    assert table.index.tolist() == ["Needs", "Report type", "Trust Services Categories needed", "Rationale"]


def test_compare_entities_repeated_names_get_one_column_per_row():
    table = compare_entities(portfolio(), ["Twin"])
    assert table.columns.tolist() == ["Twin (row 4)", "Twin (row 5)"]


def test_unknown_names_list_close_matches():
    with pytest.raises(
        UnknownOrganisationError,
        match=r"'Acme Payrol' is not in column 'Client'; "
        r"did you mean 'Acme Payroll'",
    ) as info:
        compare_entities(portfolio(), ["Acme Payrol", "Cloudy Hosting"])
    assert isinstance(info.value, SocAnalysisError)
    with pytest.raises(UnknownOrganisationError, match="'Zzqx' is not in column 'Client'; no similar name"):
        compare_entities(portfolio(), ["Zzqx"])
    with pytest.raises(UnknownOrganisationError, match=r"(?s)'Acme Payrol'.*\n'Clowdy Hosting'"):
        compare_entities(portfolio(), ["Acme Payrol", "Clowdy Hosting"])


def test_compare_entities_errors():
    with pytest.raises(SocAnalysisError, match="at least one organisation name"):
        compare_entities(portfolio(), [])
    df = portfolio().rename(columns={"Client": "Who"})
    df.attrs = {}
    with pytest.raises(SocAnalysisError, match="map the field 'name'"):
        compare_entities(df, ["Acme Payroll"])


def test_compare_entities_falls_back_to_a_name_column():
    df = portfolio().rename(columns={"Client": "name"})
    df.attrs = {}
    assert compare_entities(df, "Acme Payroll").loc["Needs"].tolist() == ["SOC 1"]


# ----------------------------------------------------------------------------------------------
# rendering
# ----------------------------------------------------------------------------------------------


def test_an_organisation_named_like_html_appears_as_text():
    covered = coverage(portfolio(), as_of="2025-06-30")
    page = to_html(compare_entities(covered, [XSS, "Acme Payroll"]), caption=XSS)
    assert "<img" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") == 2  # column header and caption


@pytest.mark.parametrize("where", ["cell", "column", "index", "index name"])
def test_every_part_of_the_table_is_escaped(where):
    df = pd.DataFrame({"a": ["ok"]}, index=pd.Index(["r"], name="idx"))
    if where == "cell":
        df.iloc[0, 0] = XSS
    elif where == "column":
        df.columns = [XSS]
    elif where == "index":
        df.index = pd.Index([XSS], name="idx")
    else:
        df.index.name = XSS
    page = to_html(df)
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_quotes_and_ampersands_are_escaped():
    page = to_html(pd.DataFrame({"a": ['"quoted" & <b>bold</b>']}))
    assert "&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_style_table_formats_values_and_keeps_the_frame():
    df = pd.DataFrame(
        {
            "flag": [True, False],
            "usd": [1234567.0, np.nan],
            "n": [3, 4],
            "when": pd.to_datetime(["2025-06-30", None]),
            "text": ["a\nb", None],
        }
    )
    before = df.copy()
    styler = style_table(df, caption="Portfolio", hide_index=True)
    assert isinstance(styler, Styler)
    page = styler.to_html()
    pd.testing.assert_frame_equal(df, before)
    cells = re.findall(r'<td id="[^"]+" class="data row\d col\d" >(.*?)</td>', page)
    assert cells == ["Yes", "1,234,567", "3", "2025-06-30", "a<br>b", "No", "", "4", "", ""]
    assert "<caption>Portfolio</caption>" in page
    assert "row_heading" not in page


def test_to_html_renders_tables_beyond_the_styler_limit():
    df = pd.DataFrame(np.arange(60).reshape(-1, 3))
    with pd.option_context("styler.render.max_elements", 10):
        assert df.style.to_html().count("<tr>") < 21  # a plain Styler silently drops rows
        assert to_html(df).count("<tr>") == 21


def test_style_table_rejects_duplicate_columns():
    with pytest.raises(SocAnalysisError, match="unique column names; duplicated: 'a'"):
        style_table(pd.DataFrame([[1, 2]], columns=["a", "a"]))


def test_compare_tables_render():
    assert "Restricted" in to_html(compare_reports())
    assert "P1–P8" in to_html(control_overview(), hide_index=True)
