"""Portfolio snapshots: saving, every kind of change between two, and the trend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socanalysis import review
from socanalysis.review import ReviewStoreError


@pytest.fixture
def store():
    with review.open_store(database="sqlite://") as opened:
        yield opened


def portfolio(rows: list[tuple]) -> pd.DataFrame:
    """(name, website, soc_report, coverage_status[, months]) rows, as coverage would return them."""
    frame = pd.DataFrame(
        [r if len(r) == 5 else (*r, np.nan) for r in rows],
        columns=["Client", "Website", "soc_report", "coverage_status", "months_since_period_end"],
    )
    frame["Reports"] = "SOC 2 Type II"
    frame.attrs["socanalysis"] = {"fields": {"name": "Client", "website": "Website", "reports": "Reports"}}
    return frame


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        ("Covered", "Gap: SOC 1", "new gap"),
        ("Not needed", "Gap: SOC 2", "new gap"),
        ("Review", "Gap: SOC 1 + SOC 2", "new gap"),
        ("Gap: SOC 1", "Gap: SOC 1 + SOC 2", "new gap"),
        ("Gap: SOC 1", "Gap: SOC 2", "new gap"),
        ("Gap: SOC 1", "Covered", "closed gap"),
        ("Gap: SOC 1 + SOC 2", "Gap: SOC 2", "closed gap"),
        ("Gap: SOC 2", "Not needed", "closed gap"),
        ("Gap: SOC 2", "Unverified", ""),
        ("Gap: SOC 2", "Review", ""),
        ("Stale", "Covered", "renewed"),
        ("Stale", "Renewal due", "renewed"),
        ("Renewal due", "Covered", "renewed"),
        ("Covered", "Stale", "lapsed"),
        ("Renewal due", "Stale", "lapsed"),
        ("Covered", "Renewal due", ""),
        ("Covered", "Covered", ""),
    ],
)
def test_each_change_between_two_statuses(store, old, new, change):
    review.save_snapshot(portfolio([("Acme", "acme.com", "SOC 2", old)]), as_of="2026-03-31", store=store)
    review.save_snapshot(
        portfolio([("ACME Inc", "https://www.acme.com", "SOC 2", new)]), as_of="2026-06-30", store=store
    )
    out = review.compare_snapshots(store=store, include_unchanged=True)
    assert out[["org_key", "change", "old_status", "new_status"]].values.tolist() == [["acme.com", change, old, new]]
    assert len(review.compare_snapshots(store=store)) == (1 if change else 0)


def test_new_and_departed_clients_and_the_columns(store):
    first = review.save_snapshot(
        portfolio([("Acme", None, "SOC 1", "Covered", 3.0), ("Globex", None, "SOC 2", "Gap: SOC 2")]),
        as_of="2026-03-31", label="Q1", store=store,
    )  # fmt: skip
    second = review.save_snapshot(
        portfolio([("Acme Ltd", None, "SOC 1", "Covered", 6.0), ("Initech", "initech.io", "Both", "Not needed")]),
        as_of="2026-06-30", label="Q2", store=store,
    )  # fmt: skip
    out = review.compare_snapshots(first, second, store=store)
    assert list(out.columns) == list(review.COMPARE_COLUMNS)
    assert out[["organisation", "change"]].values.tolist() == [["Initech", "new client"], ["Globex", "departed client"]]
    assert out.loc[0, "new_reports"] == "SOC 2 Type II" and pd.isna(out.loc[0, "old_status"])
    same = review.compare_snapshots(first, second, include_unchanged=True, store=store)
    acme = same[same["org_key"] == "acme"].iloc[0]
    assert (acme["change"], acme["old_months"], acme["new_months"]) == ("", 3.0, 6.0)


def test_a_later_report_period_counts_as_renewed(store):
    # three months later, the report is only one month old: a new period was reported
    review.save_snapshot(portfolio([("Acme", None, "SOC 2", "Covered", 8.0)]), as_of="2026-03-31", store=store)
    review.save_snapshot(portfolio([("Acme", None, "SOC 2", "Covered", 1.0)]), as_of="2026-06-30", store=store)
    assert review.compare_snapshots(store=store)["change"].tolist() == ["renewed"]
    # the same report three months older: no change
    review.save_snapshot(portfolio([("Acme", None, "SOC 2", "Covered", 4.0)]), as_of="2026-09-30", store=store)
    assert review.compare_snapshots(store=store).empty


def test_snapshots_trend_and_the_covered_share(store):
    review.save_snapshot(
        portfolio([("A", None, "SOC 1", "Covered"), ("B", None, "SOC 2", "Gap: SOC 2"), ("C", None, "Neither",
                   "Not needed"), ("D", None, "Both", "Review"), ("E", None, "SOC 2", "Unverified")]),
        as_of="2026-03-31", label="Q1", store=store,
    )  # fmt: skip
    review.save_snapshot(
        portfolio([("A", None, "SOC 1", "Renewal due"), ("B", None, "SOC 2", "Covered"), ("C", None, "Neither",
                   "Not needed")]),
        as_of="2026-06-30", store=store,
    )  # fmt: skip
    listed = review.snapshots(store=store)
    assert listed[["id", "label", "organisations"]].fillna("").values.tolist() == [[1, "Q1", 5], [2, "", 3]]
    assert str(listed.loc[0, "as_of"]) == "2026-03-31" and listed["saved_at"].dt.tz is not None
    trend = review.trend(store=store)
    assert list(trend.columns[4:13]) == list(review.STATUSES)
    assert trend["needs_report"].tolist() == [3, 2]  # Not needed and Review excluded
    assert trend["covered"].tolist() == [1, 2]
    assert trend["covered_share"].round(4).tolist() == [0.3333, 1.0]
    assert (trend[list(review.STATUSES)].sum(axis=1) == trend["organisations"]).all()


def test_rows_without_a_key_and_repeats_are_not_followed(store):
    review.save_snapshot(portfolio([(None, None, "SOC 2", "Covered"), ("Acme", None, "SOC 2", "Covered")]),
                         as_of="2026-03-31", store=store)  # fmt: skip
    review.save_snapshot(portfolio([("Acme", None, "SOC 2", "Stale"), ("Acme Inc", None, "SOC 2", "Covered")]),
                         as_of="2026-06-30", store=store)  # fmt: skip
    out = review.compare_snapshots(store=store, include_unchanged=True)
    assert out[["org_key", "change"]].values.tolist() == [["acme", "lapsed"]]


def test_invalid_snapshots_and_comparisons_are_refused(store):
    bad = portfolio([("A", None, "SOC 3", "Covered"), ("B", None, "SOC 2", "Fine")])
    with pytest.raises(ReviewStoreError, match="2 value\\(s\\) are not what coverage gives") as err:
        review.save_snapshot(bad, as_of="2026-03-31", store=store)
    assert set(zip(err.value.cases["row"], err.value.cases["column"], strict=True)) == {
        (1, "soc_report"),
        (2, "coverage_status"),
    }
    with pytest.raises(ReviewStoreError, match="no column 'coverage_status'"):
        review.save_snapshot(pd.DataFrame({"Client": ["A"], "soc_report": ["SOC 1"]}), as_of="2026-01-01", store=store)
    with pytest.raises(ReviewStoreError, match="as_of='soon' is not a date"):
        review.save_snapshot(portfolio([("A", None, "SOC 1", "Covered")]), as_of="soon", store=store)
    with pytest.raises(ReviewStoreError, match="needs two snapshots; the store has 0"):
        review.compare_snapshots(store=store)
    review.save_snapshot(portfolio([("A", None, "SOC 1", "Covered")]), as_of="2026-01-01", store=store)
    with pytest.raises(ReviewStoreError, match="old=7 is not a snapshot id; the store's snapshots are: 1"):
        review.compare_snapshots(7, 1, store=store)


def test_saving_never_changes_the_frame(store):
    frame = portfolio([("Acme", "acme.com", "SOC 2", "Covered", 2.5)])
    before = frame.copy(deep=True)
    review.save_snapshot(frame, as_of=pd.Timestamp("2026-03-31"), store=store)
    pd.testing.assert_frame_equal(frame, before)
