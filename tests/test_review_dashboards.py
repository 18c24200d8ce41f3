"""The dashboards' review form, History view and the meeting page's "save this answer", without a browser."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("ipywidgets")

from socanalysis import review  # noqa: E402
from socanalysis.dashboards import MeetingApp, PortfolioApp  # noqa: E402
from socanalysis.dashboards.history import changes_html  # noqa: E402
from socanalysis.dashboards.review_panel import decided_html  # noqa: E402

PORTFOLIO = pd.DataFrame(
    {
        "Client": ["Acme <Payroll>", "Granite Quarry", "Nimbus Hosting"],
        "Website": ["acme.com", None, "nimbus.io"],
        "Industry": ["Payroll services", "Mining", "Cloud hosting"],
        "Partner": ["J. Smith", "A. Lee", "J. Smith"],
        "Description": [
            "Payroll processing for employers",
            "Crushed stone and gravel",
            "Cloud hosting and managed servers",
        ],
        "SOC Reports": ["", "", "SOC 2 Type 2"],
    }
)


@pytest.fixture
def app() -> PortfolioApp:
    return PortfolioApp(PORTFOLIO, as_of="2026-03-31")


def test_review_form_follows_the_details_panel_and_saves_a_decision(app, _workspace):
    form = app.review_form
    app.details_panel.offer([1])
    assert form.organisation == "Granite Quarry" and "classifier" in form.decided.value
    assert not _workspace.exists()  # looking creates nothing
    form.report.value, form.categories.value = "SOC 2", ("Availability",)
    form.reason.value, form.by.value = "Hosts its customers' <orders>", "A. Lee"
    event = form.save()
    assert event is not None and event["report"] == "SOC 2" and app.banner.message == ""
    # the portfolio was assessed again: the decision shows in the frame, the table and the details
    assert app.covered["soc_report"].iloc[1] == "SOC 2" and app.covered["decided_by"].iloc[1] == "A. Lee"
    assert app.pick.value == 1 and "A. Lee" in form.decided.value
    assert "&lt;orders&gt;" in form.trail.value and "<orders>" not in form.trail.value
    assert "Hosts its customers" in form.decided.value and form.reason.value == ""
    # undo is a new record too
    form.reason.value, form.by.value = "Not confirmed", "B. Kim"
    assert form.undo() is not None
    assert app.covered["decided_by"].iloc[1] == "classifier"
    assert review.history("Granite Quarry")["action"].tolist() == ["set", "undo"]


def test_review_form_says_what_is_missing_in_the_banner(app):
    app.details_panel.offer([0])
    app.review_form.reason.value = ""
    app.review_form.by.value = "A. Lee"
    assert app.review_form.save() is None
    assert "reason" in app.banner.message
    assert review.list().empty


def test_decided_html_escapes_the_store():
    page = decided_html(
        {"soc_report": "SOC 1", "decided_by": "<img src=x>", "review_reason": "<b>why</b>", "reviewed_at": "2026"}
    )
    assert "<img" not in page and "&lt;img src=x&gt;" in page and "&lt;b&gt;why" in page


def test_history_view_saves_snapshots_compares_them_and_draws_the_trend(app):
    history = app.history
    assert "No snapshot" in history.changes.value
    history.label.value = "Q1 <review>"
    assert history.save() == 1
    assert "One snapshot" in history.changes.value
    review.set("Granite Quarry", report="SOC 1", reason="Bills its customers", by="A. Lee")
    later = PortfolioApp(PORTFOLIO, as_of="2026-06-30")
    assert later.history.save() == 2
    assert [v for _, v in later.history.new.options] == [2, 1]
    assert later.history.new.value == 2 and later.history.old.value == 1
    assert "1 new gap" in later.history.changes.value and "Granite Quarry" in later.history.changes.value
    assert "Q1 &lt;review&gt;" in later.history.old.options[1][0] or "Q1 <review>" in later.history.old.options[1][0]
    figure = later.history.chart.figure
    assert figure is not None and len(figure.data[0].y) == 2


def test_changes_html_lists_every_kind_of_change():
    changes = pd.DataFrame(
        {"organisation": ["A", "B"], "change": ["closed gap", "lapsed"], "old_status": ["Gap: SOC 1", "Covered"],
         "new_status": ["Covered", "Stale"]}
    )  # fmt: skip
    page = changes_html(changes)
    assert all(kind in page for kind in review.CHANGES)
    assert "1 closed gap" in page and "1 lapsed" in page and "0 new gap" in page


def test_meeting_saves_the_answer_for_the_client():
    meeting = MeetingApp()
    meeting.answer("q_financial_reporting", True)
    meeting.save_answer.by.value, meeting.save_answer.reason.value = "J. Smith", "Agreed in the meeting"
    assert meeting.save_answer.save() is None and "Organisation" in meeting.banner.message
    meeting.organisation.value = "Acme Payroll"
    event = meeting.save_answer.save()
    assert event is not None and event["report"] == meeting.recommendation["soc_report"]
    assert review.list()["organisation"].tolist() == ["Acme Payroll"]
    assert "Acme Payroll" in meeting.save_answer.message.value


def test_the_lead_dashboard_applies_the_decisions():
    from socanalysis.dashboards.leads import classify_in_chunks

    review.set("Granite Quarry", report="SOC 1", reason="Bills its customers", by="A. Lee")
    out = classify_in_chunks(PORTFOLIO.rename(columns={"Client": "Company"}), chunk_rows=2)
    assert out["decided_by"].tolist() == ["classifier", "A. Lee", "classifier"]
    assert out["soc_report"].iloc[1] == "SOC 1"


# --------------------------------------------------------------------------------------------
# the lead page's details panel and review form
# --------------------------------------------------------------------------------------------

LEADS = pd.DataFrame(
    {
        "Company": ["Nimbus Hosting", "<img src=x onerror=alert(1)>", "Granite Quarry", "Ledger Payroll",
                    "Nimbus Hosting Ltd", "Orbit Apps"],
        "Website": ["nimbus.io", None, None, "ledger.com", "https://www.nimbus.io/about", "orbit.app"],
        "Industry": ["Cloud hosting", "Software", "Mining", "Payroll services", "Cloud hosting", "Software"],
        "Description": [
            "Cloud hosting and managed servers",
            "Stores customers' <b>data</b>",
            "Crushed stone and gravel",
            "Payroll processing for employers",
            "Managed cloud servers",
            "A consumer game for phones",
        ],
    }
)  # fmt: skip


@pytest.fixture
def leads_app():
    from socanalysis.dashboards import LeadsApp

    app = LeadsApp(page_size=2)
    app.load(LEADS.copy(), label="leads.csv")
    return app


def _shown(app, position: int) -> pd.Series:
    return app._table.loc[position]


def test_lead_details_reach_every_lead_by_name_whatever_the_filters_and_page(leads_app):
    app, panel = leads_app, leads_app.details_panel
    assert [v for _, v in panel.pick.options] == [0, 1]  # nothing typed: the page shown
    app.set_filter("soc_report", "Neither")
    assert 3 not in app.table_frame.index  # Ledger Payroll is filtered out ...
    panel.find.value = "ledger"
    assert [v for _, v in panel.pick.options] == [3] and panel.pick.value == 3  # ... and still found
    assert "One name contains" in panel.found.value
    detail = panel.detail.value
    report = app.classified["soc_report"].iloc[3]
    for text in (f"{report} (", "confidence)", "Why", "Evidence", "Decided by", "the classifier", "Payroll services"):
        assert text in detail, text
    assert app.review_form.organisation == "Ledger Payroll" and app.review_form.website == "ledger.com"
    panel.find.value = "<img"
    assert panel.pick.value == 1
    assert "<img" not in panel.detail.value and "&lt;img src=x" in panel.detail.value
    assert "<b>" not in panel.detail.value
    panel.find.value = "zzz"
    assert panel.pick.options == () and "No organisation" in panel.found.value


def test_lead_search_lists_at_most_found_shown_and_counts_them_all():
    from socanalysis.dashboards import LeadsApp
    from socanalysis.dashboards.organisations import FOUND_SHOWN

    many = pd.DataFrame(
        {"Company": [f"Acme {i}" for i in range(FOUND_SHOWN * 3)], "Description": ["Cloud hosting"] * (FOUND_SHOWN * 3)}
    )
    app = LeadsApp()
    app.load(many)
    app.details_panel.find.value = "acme"
    assert len(app.details_panel.pick.options) == FOUND_SHOWN
    assert f"{FOUND_SHOWN * 3:,} names contain" in app.details_panel.found.value
    assert len(app.find_leads("ACME 1")) == 1 + 10 + 50  # "acme 1", "acme 10".."acme 19", "acme 100".."acme 149"


def test_a_lead_decision_shows_in_the_table_counts_chart_and_downloads(leads_app, _workspace):
    from socanalysis.dashboards import classify_in_chunks

    app, panel, form = leads_app, leads_app.details_panel, leads_app.review_form
    before = dict(app.headline)
    panel.find.value = "nimbus"
    assert [v for _, v in panel.pick.options] == [0, 4]
    classifier_said = app.classified["soc_report"].iloc[0]
    decided = "SOC 1" if classifier_said != "SOC 1" else "Neither"
    form.report.value, form.reason.value, form.by.value = decided, "Runs its customers' <billing>", "A. Lee"
    assert form.save() is not None and app.banner.kind != "error", app.banner.message
    # both rows of the organisation (same registered domain) take it; the others keep the classifier's
    assert app.classified["soc_report"].tolist()[0] == app.classified["soc_report"].tolist()[4] == decided
    assert app.classified["decided_by"].tolist() == ["A. Lee", "classifier", "classifier", "classifier", "A. Lee",
                                                     "classifier"]  # fmt: skip
    assert app.classified["classifier_report"].iloc[0] == classifier_said
    # exactly what classifying the whole list again gives
    again = classify_in_chunks(LEADS.copy(), chunk_rows=2)
    for column in ("soc_report", "tsc_categories", "report_type", "decided_by", "review_reason", "reviewed_at"):
        assert app.classified[column].tolist() == again[column].tolist(), column
    # the table, the counts, the downloads
    assert _shown(app, 0)["Report needed"] == decided and _shown(app, 0)["Decided by"] == "A. Lee"
    after = app.headline
    assert after[decided] == before[decided] + (2 if app.classified["classifier_report"].iloc[4] != decided else 1)
    assert sum(after[k] for k in after if k != "leads") == len(LEADS)
    exported = pd.read_csv(__import__("io").BytesIO(app.export_bytes("csv")), encoding="utf-8-sig", dtype=str)
    assert exported["decided_by"].tolist()[0] == "A. Lee" and exported["soc_report"].tolist()[0] == decided
    # the panel still shows the same lead, its new answer and its trail, every value escaped
    assert panel.pick.value == 0 and [v for _, v in panel.pick.options] == [0, 4]
    assert "A. Lee" in panel.detail.value and "&lt;billing&gt;" in panel.detail.value
    assert "<billing>" not in form.trail.value and "&lt;billing&gt;" in form.trail.value
    assert "Saved:" in form.message.value and "A. Lee" in form.decided.value
    # undo: the classifier's answer, categories and type come back
    form.reason.value, form.by.value = "Not confirmed", "B. Kim"
    assert form.undo() is not None
    fresh = classify_in_chunks(LEADS.copy())
    for column in ("soc_report", "tsc_categories", "report_type", "decided_by"):
        assert app.classified[column].tolist() == fresh[column].tolist(), column
    assert app.classified["soc_report"].iloc[0] == classifier_said


def test_lead_apply_review_changes_nothing_when_no_decision_changed(leads_app):
    assert leads_app.apply_review().tolist() == []
    review.set("Orbit Apps", website="orbit.app", report="Neither", reason="A consumer game", by="A. Lee")
    assert leads_app.apply_review().tolist() == [5]  # a decision taken elsewhere (the CLI) is brought in too
    assert leads_app.classified["decided_by"].iloc[5] == "A. Lee"


# --------------------------------------------------------------------------------------------
# History: a tab of the portfolio page
# --------------------------------------------------------------------------------------------


def test_history_is_a_tab_built_when_first_opened(_workspace):
    app = PortfolioApp(PORTFOLIO, as_of="2026-03-31")
    tabs = app.page_tabs
    assert [tabs.tabs.get_title(i) for i in range(2)] == ["Portfolio", "History"]
    assert tabs.tabs.selected_index == 0 and not tabs.built
    assert app.details_panel.widget in tabs.tabs.children[0].children  # the portfolio's sections
    assert not _workspace.exists()  # the page opened without touching the store
    tabs.tabs.selected_index = 1
    assert tabs.built and tabs.history_box.children == (app.history.widget,)
    view = app.history
    assert view.save_button.description == "Save this assessment"
    view.label.value = "Q1"
    view.save_button.click()
    assert "Snapshot #1 saved, as of 2026-03-31" in view.message.value
    # a second assessment, saved elsewhere (another page), shows when the tab is opened again
    review.set("Granite Quarry", report="SOC 1", reason="Bills its customers", by="A. Lee")
    later = PortfolioApp(PORTFOLIO, as_of="2026-06-30")
    later.history.save_button.click()
    tabs.tabs.selected_index = 0
    tabs.tabs.selected_index = 1
    assert [v for _, v in view.new.options] == [2, 1] and (view.old.value, view.new.value) == (1, 2)
    assert "1 new gap" in view.changes.value and "Granite Quarry" in view.changes.value
    assert list(view.chart.figure.data[0].y) == list(
        (review.trend()["covered_share"] * 100).round(1)
    )  # the trend of both snapshots
