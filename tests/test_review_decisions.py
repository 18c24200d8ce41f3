"""Decisions: validation, the append-only trail, undo, export and import, escaping."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest
from review_support import pg_url  # noqa: F401 - a fixture
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from socanalysis import review
from socanalysis.review import ReviewStoreError


@pytest.fixture
def store(tmp_path):
    with review.open_store(tmp_path / "ws") as opened:
        yield opened


def all_rows(store) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM decision_events ORDER BY id"))]


# --------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"report": "SOC 3"}, r"report='SOC 3'; accepted: SOC 1, SOC 2, Both, Neither"),
        ({"report": "SOC 2", "categories": "Integrity"}, r"'Integrity' is not a Trust Services Category; accepted"),
        ({"report": "SOC 1", "categories": "Privacy"}, "Trust Services Categories belong to a SOC 2"),
        ({"report": "SOC 2", "report_type": "Type 3"}, r"report_type='Type 3'; accepted: Type 1, Type 2"),
        ({"report": "Neither", "report_type": "Type 2"}, "a type belongs to a SOC 1 or SOC 2"),
        ({"report": "SOC 2", "reason": "  "}, "reason='  ': required"),
        ({"report": "SOC 2", "by": ""}, "by='': required"),
        ({"report": "SOC 2", "website": "not a site"}, "is not a web address; accepted"),
        ({"report": "SOC 2", "organisation": " - "}, "has no letters or digits"),
    ],
)
def test_invalid_decisions_are_refused_naming_what_is_accepted(store, kwargs, message):
    arguments = {"organisation": "Acme", "reason": "Why", "by": "A. Lee", **kwargs}
    with pytest.raises(ReviewStoreError, match=message):
        review.set(arguments.pop("organisation"), store=store, **arguments)
    assert all_rows(store) == []


def test_spellings_are_made_canonical_and_categories_ordered(store):
    event = review.set(
        "Acme", report="soc2", categories=["privacy", "Security", "availability"], report_type="Type II",
        reason="Hosts HR data", by="A. Lee", store=store,
    )  # fmt: skip
    assert (event["report"], event["categories"], event["report_type"]) == ("SOC 2", "Availability; Privacy", "Type 2")
    assert event["decided_at"].tzinfo is not None and event["decided_at"].utcoffset() == dt.timedelta(0)


def test_names_and_websites_key_organisations(store):
    review.set("The Acme Co., Ltd.", report="SOC 1", reason="Payroll", by="A. Lee", store=store)
    review.set("https://www.globex.co.uk/about", report="SOC 2", reason="SaaS", by="A. Lee", store=store)
    review.set("Initech", website="initech.io", report="Both", reason="Both", by="A. Lee", store=store)
    current = review.list(store=store)
    assert current[["key_kind", "org_key", "name_key"]].fillna("").values.tolist() == [
        ["name", "acme", "acme"],
        ["domain", "globex.co.uk", ""],
        ["domain", "initech.io", "initech"],
    ]
    # another spelling of the same organisation is the same organisation
    review.set("ACME LLC", report="Both", reason="And hosts data", by="B. Kim", store=store)
    review.set("shop.globex.co.uk", report="Neither", reason="Reseller only", by="B. Kim", store=store)
    # a name the store knows under one website stands for it
    review.set("Initech Inc.", report="SOC 2", reason="No payroll", by="B. Kim", store=store)
    assert review.list(store=store)["report"].tolist() == ["Both", "Neither", "SOC 2"]
    assert review.history("initech.io", store=store)["report"].tolist() == ["Both", "SOC 2"]


def test_a_name_under_several_websites_must_say_which(store):
    review.set("Acme", website="acme.com", report="SOC 1", reason="US arm", by="A. Lee", store=store)
    review.set("Acme", website="acme.de", report="SOC 2", reason="German arm", by="A. Lee", store=store)
    with pytest.raises(ReviewStoreError, match="several organisations .* acme.com, acme.de; say which with website="):
        review.set("Acme", report="Both", reason="?", by="A. Lee", store=store)


# --------------------------------------------------------------------------- the trail
def test_the_trail_only_grows_and_old_events_never_change(store):
    steps = [
        lambda: review.set("Acme", report="SOC 1", reason="Payroll", by="A. Lee", store=store),
        lambda: review.set("Acme", report="Both", categories="Privacy", reason="HR data too", by="B. Kim", store=store),
        lambda: review.undo("Acme", reason="Not confirmed", by="C. Diaz", store=store),
        lambda: review.clear("Acme", reason="Client left", by="C. Diaz", store=store),
        lambda: review.undo("Acme", reason="Client stayed", by="A. Lee", store=store),
        lambda: review.set("Globex", report="Neither", reason="Hardware", by="A. Lee", store=store),
    ]
    seen: list[tuple] = []
    for step in steps:
        step()
        rows = all_rows(store)
        assert len(rows) == len(seen) + 1
        assert rows[: len(seen)] == seen
        seen = rows
    trail = review.history("Acme", store=store)
    assert trail["action"].tolist() == ["set", "set", "undo", "clear", "undo"]
    assert trail["report"].fillna("-").tolist() == ["SOC 1", "Both", "SOC 1", "-", "SOC 1"]
    assert trail["previous_report"].fillna("-").tolist() == ["-", "SOC 1", "Both", "SOC 1", "-"]
    assert trail["decided_by"].tolist() == ["A. Lee", "B. Kim", "C. Diaz", "C. Diaz", "A. Lee"]
    assert trail["id"].is_monotonic_increasing


@pytest.mark.parametrize("statement", ["UPDATE decision_events SET report = 'Neither'", "DELETE FROM decision_events"])
def test_the_database_itself_refuses_to_rewrite_the_trail(store, statement):
    review.set("Acme", report="SOC 1", reason="Payroll", by="A. Lee", store=store)
    before = all_rows(store)
    with pytest.raises(DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(text(statement))
    assert all_rows(store) == before


def test_undo_restores_the_previous_value_as_a_new_event(store):
    review.set("Acme", report="SOC 2", categories="Availability", report_type="Type 1", reason="a", by="x", store=store)
    review.set("Acme", report="Both", reason="b", by="x", store=store)
    event = review.undo("Acme", reason="wrong client", by="y", store=store)
    assert (event["action"], event["report"], event["categories"], event["report_type"]) == (
        "undo",
        "SOC 2",
        "Availability",
        "Type 1",
    )
    assert (event["previous_report"], event["previous_categories"]) == ("Both", "")
    # undoing the undo restores what it undid
    assert review.undo("Acme", reason="it was right", by="y", store=store)["report"] == "Both"
    # undoing a first decision withdraws it
    review.set("Globex", report="SOC 1", reason="a", by="x", store=store)
    assert pd.isna(review.undo("Globex", reason="typo", by="x", store=store)["report"])
    assert review.list(store=store)["organisation"].tolist() == ["Acme"]
    assert review.list(withdrawn=True, store=store)["organisation"].tolist() == ["Acme", "Globex"]


def test_nothing_to_undo_or_clear_is_an_error(store):
    with pytest.raises(ReviewStoreError, match="'Acme' has no decisions to undo"):
        review.undo("Acme", reason="r", by="x", store=store)
    with pytest.raises(ReviewStoreError, match="no current decision to clear"):
        review.clear("Acme", reason="r", by="x", store=store)


def test_the_trail_is_append_only_on_postgresql_too(pg_url):  # noqa: F811
    with review.open_store(database=pg_url) as pg:
        review.set("Acme", report="SOC 1", reason="Payroll", by="A. Lee", store=pg)
        review.set("Acme", report="Both", reason="HR data", by="B. Kim", store=pg)
        assert review.undo("Acme", reason="No", by="C", store=pg)["report"] == "SOC 1"
        before = all_rows(pg)
        with pytest.raises(DBAPIError, match="append-only"), pg.engine.begin() as conn:
            conn.execute(text("UPDATE decision_events SET reason = 'rewritten'"))
        with pytest.raises(DBAPIError, match="append-only"), pg.engine.begin() as conn:
            conn.execute(text("DELETE FROM decision_events"))
        assert all_rows(pg) == before
        assert review.history("acme", store=pg)["decided_at"].dt.tz is not None


# --------------------------------------------------------------------------- export and import
TRICKY = ['=HYPERLINK("http://x")', "+1 for SOC 2", "-5 days late", "@risk", "'quoted", "plain, with comma\nand line"]


def fill(store):
    for i, reason in enumerate(TRICKY):
        review.set(f"Org {i}", report="SOC 2", categories="Privacy", reason=reason, by="A. Lee", store=store)
    review.set("Acme", website="acme.com", report="Both", report_type="Type 2", reason="r", by="=cmd", store=store)
    review.undo("Acme", reason="oops", by="B. Kim", store=store)
    review.set("Globex", report="Neither", reason="r", by="B. Kim", store=store)
    review.clear("Globex", reason="left", by="B. Kim", store=store)


COMPARED = ["key_kind", "org_key", "organisation", "website", "report", "categories", "report_type", "reason"]


def test_export_then_import_reproduces_the_decisions_and_is_idempotent(tmp_path, store):
    fill(store)
    path = review.export(tmp_path / "decisions.csv", store=store)
    with review.open_store(tmp_path / "other") as other:
        added = review.import_decisions(path, store=other)
        assert len(added) == len(all_rows(store)) and set(added["action"]) == {"import"}
        assert review.list(withdrawn=True, store=other)[COMPARED].equals(
            review.list(withdrawn=True, store=store)[COMPARED]
        )
        assert review.history("Acme", store=other)["origin_by"].tolist() == ["=cmd", "B. Kim"]
        # the same file again, or the other store's own export, adds nothing
        count = len(all_rows(other))
        assert len(review.import_(path, store=other)) == 0
        again = review.export(tmp_path / "again.csv", store=other)
        assert len(review.import_decisions(again, store=other)) == 0
        assert len(review.import_decisions(again, store=store)) == 0
        assert len(all_rows(other)) == count
    # and importing a store's export into itself adds nothing
    assert len(review.import_decisions(path, store=store)) == 0


def test_export_is_formula_safe(tmp_path, store):
    fill(store)
    path = review.export(tmp_path / "decisions.csv", store=store)
    with open(path, newline="", encoding="utf-8") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert all(not c or c[0] not in "=+-@\t\r" for c in cells)
    assert '\'=HYPERLINK("http://x")' in cells and "'-5 days late" in cells and "'@risk" in cells
    assert "''quoted" in cells and "'=cmd" in cells
    assert not list(tmp_path.glob("*.partial"))


def test_import_takes_by_as_the_importer(tmp_path, store):
    fill(store)
    path = review.export(tmp_path / "decisions.csv", store=store)
    with review.open_store(tmp_path / "other") as other:
        added = review.import_decisions(path, by="Importer", store=other)
        assert set(added["decided_by"]) == {"Importer"}
        assert "A. Lee" in set(added["origin_by"])


def test_a_hand_written_file_without_ids_imports_once(tmp_path, store):
    path = tmp_path / "mine.csv"
    path.write_text("organisation,website,report,categories,reason,decided_by\n"
                    "Acme,acme.com,Both,Privacy,From the partner,A. Lee\n"
                    "Globex,,SOC 1,,Billing,A. Lee\n")  # fmt: skip
    assert len(review.import_decisions(path, store=store)) == 2
    assert len(review.import_decisions(path, store=store)) == 0
    assert review.list(store=store)["report"].tolist() == ["Both", "SOC 1"]


def test_a_bad_file_names_every_bad_cell_and_imports_nothing(tmp_path, store):
    path = tmp_path / "bad.csv"
    path.write_text(
        "organisation,report,categories,report_type,reason,decided_by,decided_at\n"
        "Acme,SOC 3,,,ok,A. Lee,\n"
        "Globex,SOC 2,Integrity,,ok,A. Lee,\n"
        "Initech,SOC 1,,,,A. Lee,yesterday\n"
        ",Neither,,Type 1,ok,,\n"
        "Umbrella,SOC 2,,,fine,B. Kim,2026-01-05T10:00:00+00:00\n"
    )
    with pytest.raises(ReviewStoreError, match="4 row\\(s\\) are invalid; nothing was imported") as err:
        review.import_decisions(path, store=store)
    cases = err.value.cases
    found = set(zip(cases["row"], cases["column"], cases["value"], strict=True))
    assert {(2, "report", "SOC 3"), (3, "categories", "Integrity"), (4, "reason", ""), (4, "decided_at", "yesterday"),
            (5, "organisation", ""), (5, "report_type", "Type 1"), (5, "decided_by", "")} <= found  # fmt: skip
    assert cases.loc[cases["column"] == "report", "problem"].iloc[0] == "accepted: SOC 1, SOC 2, Both, Neither"
    assert "row 2, column 'report', value 'SOC 3'" in str(err.value)
    assert all_rows(store) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("organisation,reason\nAcme,x\n", r"missing column\(s\) 'report', 'decided_by'"),
        (b"\xff\xfe\x00garbage", "not a readable UTF-8 CSV"),
    ],
)
def test_unreadable_import_files_are_refused(tmp_path, store, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ReviewStoreError, match=message):
        review.import_decisions(path, store=store)
    with pytest.raises(ReviewStoreError, match="no such file"):
        review.import_decisions(tmp_path / "missing.csv", store=store)


# --------------------------------------------------------------------------- HTML
def test_history_html_escapes_every_value(store):
    attack = "<script>alert(1)</script>"
    review.set(attack, report="SOC 2", categories="Privacy", reason=f"note {attack}", by=attack, store=store)
    page = review.history_html(attack, store=store)
    assert "<script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # caption, reason, reviewer
    assert "<td>Security; Privacy</td>" in page and page.startswith('<table class="socanalysis-history">')
    assert "No decisions recorded." in review.history_html("Nobody", store=store)
