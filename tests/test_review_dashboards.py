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
