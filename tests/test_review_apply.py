"""Decisions applied to classified frames: which rows match, what they take, what is left alone."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from socanalysis import review
from socanalysis.errors import ColumnError
from socanalysis.leads import registered_domain
from socanalysis.load import normalise_name
from socanalysis.review import Decisions, ReviewStoreError


@pytest.fixture
def store():
    with review.open_store(database="sqlite://") as opened:
        yield opened


def classified(names, websites, reports=None) -> pd.DataFrame:
    n = len(names)
    reports = reports or ["SOC 2"] * n
    return pd.DataFrame(
        {
            "Company": pd.array(names, dtype="str"),
            "Website": pd.array(websites, dtype="str"),
            "soc_report": pd.array(reports, dtype="str"),
            "tsc_categories": pd.array(["Security" if r in ("SOC 2", "Both") else "" for r in reports], dtype="str"),
            "report_type": pd.array(["Type 1" if r != "Neither" else "" for r in reports], dtype="str"),
            "confidence": pd.array(["high"] * n, dtype="str"),
            "rationale": pd.array(["Because."] * n, dtype="str"),
        }
    )


def test_a_domain_match_wins_over_a_name_match(store):
    review.set("Alpha Corp", report="SOC 1", reason="A", by="A. Lee", store=store)
    review.set("Beta Ltd", website="beta.com", report="Neither", reason="B", by="B. Kim", store=store)
    frame = classified(["Alpha Corp", "Alpha Corporation", "Beta", "Gamma"], ["www.beta.com", None, None, "alpha.com"])
    out = review.apply(frame, store=store)
    assert out["soc_report"].tolist() == ["Neither", "SOC 1", "Neither", "SOC 2"]
    assert out["decided_by"].tolist() == ["B. Kim", "A. Lee", "B. Kim", "classifier"]
    assert out["review_reason"].tolist() == ["B", "A", "B", ""]
    assert out["classifier_report"].tolist() == ["SOC 2"] * 4


def test_reviewed_rows_take_report_categories_and_type_with_security_first(store):
    review.set("Acme", report="Both", categories="Privacy; Availability", report_type="Type 2", reason="r", by="x",
               store=store)  # fmt: skip
    review.set("Globex", report="SOC 1", reason="r", by="x", store=store)
    review.set("Initech", report="SOC 2", reason="r", by="x", store=store)
    out = review.apply(
        classified(["Acme", "Globex", "Initech"], [None] * 3, ["Neither", "SOC 2", "SOC 1"]), store=store
    )
    assert out["soc_report"].tolist() == ["Both", "SOC 1", "SOC 2"]
    assert out["tsc_categories"].tolist() == ["Security; Availability; Privacy", "", "Security"]
    assert out["report_type"].tolist() == ["Type 2", "", ""]
    stamp = pd.Timestamp(out["reviewed_at"].iloc[0])
    assert stamp.tzinfo is not None and stamp.utcoffset() == pd.Timedelta(0)


def test_apply_never_changes_its_argument_and_keeps_every_row_in_order(store):
    review.set("Acme", report="Neither", reason="r", by="x", store=store)
    frame = classified(["Zeta", "Acme Inc", "Acme", None, "Omega"], [None, None, "acme.com", None, "omega.io"])
    frame.index = pd.Index(["e", "d", "c", "b", "a"])
    frame.attrs["socanalysis"] = {"fields": {"name": "Company", "website": "Website"}}
    before, attrs = frame.copy(deep=True), dict(frame.attrs)
    out = review.apply(frame, store=store)
    pd.testing.assert_frame_equal(frame, before)
    assert frame.attrs == attrs and out is not frame
    assert out.index.equals(frame.index)
    assert list(out.columns) == [*frame.columns, *review.REVIEW_COLUMNS]
    assert out["soc_report"].tolist() == [
        "SOC 2",
        "Neither",
        "Neither",
        "SOC 2",
        "SOC 2",
    ]  # no decision on acme.com: by name
    assert out[["confidence", "rationale", "Company"]].equals(frame[["confidence", "rationale", "Company"]])


def test_subdomains_and_spellings_of_a_website_match_its_registered_domain(store):
    review.set("Acme", website="acme.co.uk", report="SOC 1", reason="r", by="x", store=store)
    websites = [
        "https://shop.acme.co.uk/x.html", "WWW.ACME.CO.UK", "http://www.a.b.acme.co.uk", "info@acme.co.uk",
        "acme.co.uk.evil.com", "notacme.co.uk", "co.uk", "acme.com",
    ]  # fmt: skip
    out = review.apply(classified([f"Other {i}" for i in range(len(websites))], websites), store=store)
    assert out["decided_by"].eq("x").tolist() == [True, True, True, True, False, False, False, False]


def test_withdrawn_decisions_and_ambiguous_names_are_not_applied(store):
    review.set("Globex", report="SOC 1", reason="r", by="x", store=store)
    review.clear("Globex", reason="left", by="x", store=store)
    review.set("Acme", website="acme.com", report="SOC 1", reason="r", by="x", store=store)
    review.set("Acme", website="acme.de", report="Neither", reason="r", by="x", store=store)
    review.set("Initech", website="initech.io", report="Both", reason="r", by="x", store=store)
    out = review.apply(
        classified(["Globex", "Acme", "Initech Inc", "Acme"], [None, None, None, "acme.de"]), store=store
    )
    assert out["soc_report"].tolist() == ["SOC 2", "SOC 2", "Both", "Neither"]


def test_frames_it_cannot_use_are_refused(store):
    review.set("Acme", report="SOC 1", reason="r", by="x", store=store)
    with pytest.raises(ColumnError, match="no column 'soc_report'"):
        review.apply(pd.DataFrame({"Company": ["Acme"]}), store=store)
    with pytest.raises(ReviewStoreError, match="neither a name nor a website column"):
        review.apply(pd.DataFrame({"Notes": ["x"], "soc_report": ["SOC 2"]}), store=store)
    once = review.apply(classified(["Acme"], [None]), store=store)
    with pytest.raises(ReviewStoreError, match="applied to it already"):
        review.apply(once, store=store)
    with pytest.raises(ReviewStoreError, match="the columns are"):
        review.apply(classified(["Acme"], [None]), store=store, mapping={"name": "Client"})


def test_an_empty_store_or_frame_gives_the_classifier_columns(store):
    out = review.apply(classified(["Acme"], [None]), store=store)
    assert out["decided_by"].tolist() == ["classifier"] and out["reviewed_at"].tolist() == [""]
    review.set("Acme", report="SOC 1", reason="r", by="x", store=store)
    empty = review.apply(classified([], []), store=store)
    assert len(empty) == 0 and list(empty.columns)[-4:] == list(review.REVIEW_COLUMNS)


def test_a_mapping_names_the_columns(store):
    review.set("Acme", report="Neither", reason="r", by="x", store=store)
    frame = classified(["x"], [None]).assign(Legal=["Acme Ltd"])
    assert review.apply(frame, store=store, mapping={"name": "Legal"})["soc_report"].tolist() == ["Neither"]


# --------------------------------------------------------------------------- at scale
def reference(frame: pd.DataFrame, decisions: pd.DataFrame) -> np.ndarray:
    """The match by the plain definition: every row normalised, domain first, then name."""
    current = decisions.reset_index(drop=True)
    by_domain = {k: i for i, k in enumerate(current["org_key"]) if current["key_kind"][i] == "domain"}
    by_name = {k: i for i, k in enumerate(current["org_key"]) if current["key_kind"][i] == "name"}
    given = current[(current["key_kind"] == "domain") & current["name_key"].notna()]
    counts = given["name_key"].value_counts()
    for i, name in given["name_key"].items():
        if counts[name] == 1 and name not in by_name:
            by_name[name] = i
    domains = registered_domain(frame["Website"]).tolist()
    names = normalise_name(frame["Company"]).tolist()
    out = []
    for d, n in zip(domains, names, strict=True):
        out.append(by_domain.get(d, by_name.get(n, -1)) if isinstance(d, str) else by_name.get(n, -1))
    return np.array(out)


def test_vectorised_matching_agrees_with_the_definition_on_100k_rows(store, tmp_path):
    from socanalysis._testing.synthetic import make_leads

    leads = make_leads(100_000, seed=3).rename(columns={"Company Name": "Company"})
    rng = np.random.default_rng(0)
    picks = rng.choice(len(leads), 1200, replace=False)
    rows = []
    for j, i in enumerate(picks):
        name, site = leads["Company"].iat[i], leads["Website"].iat[i]
        if j % 3 == 0 and isinstance(site, str):  # by website, spelled differently, sometimes a subdomain
            host = site.split("://")[-1].split("/")[0].removeprefix("www.").removeprefix("WWW.")
            shown = ("https://careers." if j % 2 else "") + host.upper()
            rows.append((name if isinstance(name, str) else "x", shown, "SOC 1"))
        elif isinstance(name, str):
            rows.append((f"{name} LLC", "", "Neither"))
    path = tmp_path / "d.csv"
    pd.DataFrame(rows, columns=["organisation", "website", "report"]).assign(reason="r", decided_by="x").to_csv(
        path, index=False
    )
    review.import_decisions(path, store=store)
    # subdomains of real rows' domains, and deep hosts, in the frame too
    frame = leads.copy()
    frame.loc[::97, "Website"] = "https://shop." + frame.loc[::97, "Website"].fillna("x.com").str.split("://").str[-1]
    frame = frame.assign(soc_report="SOC 2", tsc_categories="Security", report_type="Type 1")
    frame.attrs = {}
    decisions = review.load_decisions(store)
    current = review.list(store=store)
    got = decisions.match(frame)
    want = reference(frame, current)
    # positions index the same current decisions (list order)
    assert (got >= 0).sum() > 1000
    np.testing.assert_array_equal(got, want)

    out = review.apply(frame, decisions)
    hit = got >= 0
    assert (
        out["soc_report"].to_numpy(dtype=object)[hit].tolist()
        == current["report"].to_numpy(dtype=object)[got[hit]].tolist()
    )
    assert (out["decided_by"].to_numpy(dtype=object)[~hit] == "classifier").all()
    # the decisions pickle, for workers, and match the same after
    again = pickle.loads(pickle.dumps(decisions))
    np.testing.assert_array_equal(again.match(frame.head(5000)), got[:5000])


def test_keys_computed_by_the_caller_give_the_same_matches(store):
    from socanalysis.leads import host_hashes as domain_keys
    from socanalysis.leads import name_hashes as name_keys

    review.set("Acme", website="acme.com", report="SOC 1", reason="r", by="x", store=store)
    review.set("Globex", report="Neither", reason="r", by="x", store=store)
    frame = classified(["Acme", "Globex Inc", "Other", "x"], ["shop.acme.com", None, "acme.com", "y.io"])
    decisions = review.load_decisions(store)
    import pyarrow as pa

    hashes = {
        "name_hashes": name_keys(pa.array(frame["Company"].array)),
        "website_hashes": domain_keys(pa.array(frame["Website"].array)),
    }
    assert decisions.match(frame, **hashes).tolist() == decisions.match(frame).tolist() == [0, 1, 0, -1]
    with pytest.raises(ReviewStoreError, match="uint64 array of one per row"):
        decisions.match(frame, name_hashes=np.zeros(2, dtype=np.uint64))
    assert isinstance(decisions, Decisions) and "2 decisions" in repr(decisions)


def test_keys_that_share_a_hash_are_told_apart_on_the_text(store):
    review.set("Acme", website="acme.com", report="SOC 1", reason="r", by="x", store=store)
    review.set("Globex", report="Neither", reason="r", by="x", store=store)
    frame = classified(["Acme", "Globex Inc", "Other", "x"], ["shop.acme.com", None, "acme.com", "y.io"])
    decisions = review.load_decisions(store)
    for which in ("domains", "names"):
        decisions._hashes(which).exact = False  # as if two keys had one hash
    assert decisions.match(frame).tolist() == [0, 1, 0, -1]
