"""Lead hygiene: leads that are already clients, and duplicates across a streamed file."""

from __future__ import annotations

import pickle
import socket

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socanalysis._testing.synthetic import make_leads, make_portfolio, write_csv_bulk
from socanalysis.errors import ColumnError, SocAnalysisError
from socanalysis.leads import keys
from socanalysis.leads.batch import classify_file
from socanalysis.leads.hygiene import MATCH_COLUMNS, ClientIndex
from socanalysis.leads.keys import registered_domain
from socanalysis.load import load_portfolio, normalise_name

CLIENTS = pd.DataFrame(
    {
        "Client": ["Acme Payroll Inc.", "Globex Corporation", "Initech", "Umbrella Health LLC", "Acme Payroll"],
        "Services": ["Payroll", "Cloud hosting", "Software", "Claims", "Payroll again"],
        "Website": ["https://www.acme.com", None, "initech.co.uk", "umbrella.github.io", "acme-payroll.com"],
    }
)


@pytest.fixture(scope="module")
def index() -> ClientIndex:
    return ClientIndex.from_frame(CLIENTS)


def one(index: ClientIndex, name=None, website=None, **kw) -> dict:
    leads = pd.DataFrame({"Company": [name], "Website": [website]})
    return index.match(leads, **kw).iloc[0].to_dict()


# --------------------------------------------------------------------------- how a lead matches
@pytest.mark.parametrize(
    ("name", "website", "client", "score"),
    [
        # the same registered domain, however the website is written
        ("Someone Else", "acme.com", "Acme Payroll Inc.", 100.0),
        ("Someone Else", "HTTPS://WWW.ACME.COM/about?x=1", "Acme Payroll Inc.", 100.0),
        ("Someone Else", "billing.eu.acme.com", "Acme Payroll Inc.", 100.0),
        ("Someone Else", "info@acme.com", "Acme Payroll Inc.", 100.0),
        ("Someone Else", "shop.initech.co.uk", "Initech", 100.0),
        # the same normalised name
        ("GLOBEX CORP", None, "Globex Corporation", 100.0),
        ("The Globex Company", "globex.example", "Globex Corporation", 100.0),
        ("Initech, Ltd.", None, "Initech", 100.0),
    ],
)
def test_exact_matches_score_100(index, name, website, client, score):
    assert one(index, name, website) == {"existing_client": True, "matched_client": client, "match_score": score}


def test_a_fuzzy_name_scores_between_threshold_and_100(index):
    got = one(index, "Globexx Corp", None)
    assert got["existing_client"] and got["matched_client"] == "Globex Corporation"
    assert 90 <= got["match_score"] < 100


@pytest.mark.parametrize(
    ("name", "website"),
    [
        ("Umbrella Corp", None),  # a different organisation with a shared first word
        ("Someone Else", "initech.com"),  # same label, different registered domain
        ("Someone Else", "initech.co"),
        ("Someone Else", "other.github.io"),  # github.io is a public suffix (private section)
        ("Someone Else", "co.uk"),
        (None, None),
        ("", "n/a"),
    ],
)
def test_non_matches(index, name, website):
    assert one(index, name, website) == {"existing_client": False, "matched_client": "", "match_score": 0.0}


def test_a_subdomain_of_a_shared_platform_matches_only_itself(index):
    assert one(index, "x", "https://umbrella.github.io/docs")["matched_client"] == "Umbrella Health LLC"
    assert not one(index, "x", "github.io")["existing_client"]


def test_domain_comes_before_name(index):
    # the name is Globex's but the website is Initech's: the domain wins
    assert one(index, "Globex Corporation", "initech.co.uk")["matched_client"] == "Initech"


def test_the_first_client_in_portfolio_order_wins():
    clients = pd.DataFrame({"Client": ["Acme Inc", "ACME", "Acme Ltd"], "Website": [None, "acme.com", "acme.com"]})
    idx = ClientIndex.from_frame(clients)
    assert one(idx, "acme", None)["matched_client"] == "Acme Inc"
    assert one(idx, "zzz", "acme.com")["matched_client"] == "ACME"


def test_the_threshold_is_configurable():
    clients = pd.DataFrame({"Client": ["Northwind Traders"]})
    lead = "Northwnd Tradrs"  # a fuzzy score of 93.8
    score = one(ClientIndex.from_frame(clients), lead)["match_score"]
    assert 90 <= score < 95
    assert one(ClientIndex.from_frame(clients, threshold=95), lead)["existing_client"] is False
    assert one(ClientIndex.from_frame(clients, threshold=80), lead)["match_score"] == score


@pytest.mark.parametrize("threshold", [0, -5, 101, 250])
def test_a_bad_threshold_is_refused(threshold):
    with pytest.raises(SocAnalysisError, match=rf"threshold={threshold!r}: accepted: a score above 0"):
        ClientIndex(["Acme"], threshold=threshold)


def test_the_best_fuzzy_candidate_wins():
    idx = ClientIndex(["Northwind Traders", "Northwind Trader", "Northwind Tradesmen"])
    assert one(idx, "Northwind Tradr")["matched_client"] == "Northwind Trader"


# --------------------------------------------------------------------------- columns and frames
def test_result_is_aligned_with_the_leads_and_does_not_mutate_them(index):
    leads = pd.DataFrame(
        {"Company": ["Initech", "nobody", "Acme Payroll"], "Website": [None, None, None]}, index=[30, 10, 20]
    )
    before = leads.copy()
    out = index.match(leads)
    pd.testing.assert_frame_equal(leads, before)
    assert list(out.columns) == list(MATCH_COLUMNS)
    assert out.index.tolist() == [30, 10, 20]
    assert out["existing_client"].dtype == bool
    assert out["match_score"].dtype == np.float64
    assert out["matched_client"].tolist() == ["Initech", "", "Acme Payroll Inc."]


def test_the_mapping_comes_from_attrs_or_the_argument(index, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("Legal Entity,Home Page,About\nZed,acme.com,payroll\n")
    leads = load_portfolio(path, columns={"name": "Legal Entity"})
    assert index.match(leads)["matched_client"].tolist() == ["Acme Payroll Inc."]
    plain = pd.DataFrame({"A": ["Initech"], "B": [None]})
    assert index.match(plain, {"name": "A", "website": "B"})["matched_client"].tolist() == ["Initech"]


def test_leads_with_neither_name_nor_website_are_refused(index):
    with pytest.raises(ColumnError, match=r"neither a name nor a website column; the columns are: 'About'"):
        index.match(pd.DataFrame({"About": ["payroll"]}))


def test_a_mapping_naming_a_missing_column_is_refused(index):
    with pytest.raises(ColumnError, match=r"not in the table: \{'name': 'Nope'\}"):
        index.match(pd.DataFrame({"Company": ["x"]}), {"name": "Nope"})


def test_a_portfolio_without_a_name_column_is_refused():
    with pytest.raises(ColumnError, match=r"the client portfolio: no column usable as the organisation name"):
        ClientIndex.from_frame(pd.DataFrame({"Website": ["acme.com"]}))


def test_from_file_uses_the_portfolio_field_mapping(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(
        "Portfolio FY2026\n\nAccount Name;Web Site;Business Description\nAcme Payroll Inc;acme.com;Payroll\n"
    )
    idx = ClientIndex.from_file(path)
    assert idx.names.tolist() == ["Acme Payroll Inc"]
    assert one(idx, "x", "www.acme.com")["matched_client"] == "Acme Payroll Inc"


def test_an_empty_portfolio_or_lead_list_matches_nothing(index):
    empty = ClientIndex([], [])
    assert len(empty) == 0
    assert one(empty, "Acme", "acme.com")["existing_client"] is False
    out = index.match(pd.DataFrame({"Company": pd.Series([], dtype=str)}))
    assert out.shape == (0, 3)


def test_an_index_survives_pickling(index):
    leads = pd.DataFrame({"Company": ["Globexx Corp", "Initech"], "Website": ["acme.com", None]})
    again = pickle.loads(pickle.dumps(index))
    pd.testing.assert_frame_equal(again.match(leads), index.match(leads))


def test_no_network_is_used(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    keys._suffix_rules.cache_clear()  # the suffix list is read again, under the patch
    try:
        idx = ClientIndex.from_frame(CLIENTS)
        assert one(idx, "x", "a.b.initech.co.uk")["matched_client"] == "Initech"
    finally:
        keys._suffix_rules.cache_clear()


# --------------------------------------------------------------------------- registered domains
@pytest.fixture(scope="module")
def extract():
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True)


@pytest.mark.parametrize(
    "host",
    [
        "acme.com",
        "www.acme.com",
        "shop.acme.co.uk",
        "a.b.c.example.org",
        "acme.github.io",
        "x.s3.amazonaws.com",
        "foo.bar.ck",
        "a.city.kobe.jp",
        "b.c.kobe.jp",
        "x.pvt.k12.ma.us",
        "a.b.pg",
        "test.xn--fiqs8s",
        "shop.myshopify.com",
        "news.bbc.co.uk",
        "a.b.c.d.e.f.g.h.example.com",
    ],
)
def test_registered_domain_agrees_with_tldextract(extract, host):
    assert registered_domain(pd.Series([host])).iloc[0] == extract(host).top_domain_under_public_suffix


def test_columns_held_in_several_arrow_chunks(index):
    # a column read in blocks (or concatenated) is backed by several Arrow chunks
    web = pd.concat([pd.Series(["a.b.acme.com", None]), pd.Series(["x.y.initech.co.uk"])], ignore_index=True)
    name = pd.concat([pd.Series(["nobody", "Globex Corp"]), pd.Series(["zzz"])], ignore_index=True)
    out = index.match(pd.DataFrame({"Company": name, "Website": web}))
    assert out["matched_client"].tolist() == ["Acme Payroll Inc.", "Globex Corporation", "Initech"]
    assert registered_domain(web).tolist()[::2] == ["acme.com", "initech.co.uk"]


def test_registered_domain_keeps_index_and_missing_values():
    s = pd.Series(["https://a.acme.com", None, "not a site", "acme.com"], index=[5, 6, 7, 8], name="Web")
    out = registered_domain(s)
    assert out.index.tolist() == [5, 6, 7, 8] and out.name == "Web"
    assert out.isna().tolist() == [False, True, True, False]


# --------------------------------------------------------------------------- properties
names = st.text(alphabet=st.sampled_from("abcdefgh .,&-"), min_size=0, max_size=14)


@settings(max_examples=60, deadline=None)
@given(clients=st.lists(names, min_size=1, max_size=8), leads=st.lists(names, min_size=0, max_size=12))
def test_match_properties(clients, leads):
    idx = ClientIndex(clients)
    frame = pd.DataFrame({"Company": leads}, dtype=object)
    out = idx.match(frame)
    assert len(out) == len(leads)
    assert (out["existing_client"] == (out["matched_client"] != "")).all()
    assert (out["existing_client"] == (out["match_score"] >= 90)).all()
    assert out["match_score"].between(0, 100).all()
    norm_c = set(normalise_name(pd.Series(clients, dtype=object)).dropna())
    norm_l = normalise_name(pd.Series(leads, dtype=object))
    exact = norm_l.isin(norm_c).to_numpy()
    assert (out["match_score"].to_numpy()[exact] == 100).all()
    assert set(out["matched_client"]) - {""} <= set(clients)


# --------------------------------------------------------------------------- at scale, and in the batch engine
def test_clients_copied_into_a_lead_list_are_all_found():
    clients = make_portfolio(400, seed=11)
    idx = ClientIndex.from_frame(clients)
    # 150 clients reappear as leads, some with only a website, some with only their name
    rows = clients.sample(150, random_state=1).reset_index(drop=True)
    named = rows["Client"].notna()
    leads = pd.DataFrame(
        {
            "Company Name": rows["Client"].where(np.arange(150) % 3 != 0),
            "Website": rows["Website"].where(np.arange(150) % 3 != 1),
            "Description": "x",
        }
    )
    findable = leads["Website"].notna() | leads["Company Name"].notna()
    out = idx.match(leads)
    assert out["existing_client"][findable].all()
    # a copied name always finds a client of that normalised name (maybe an earlier one)
    norm = normalise_name(leads["Company Name"])
    got = normalise_name(out["matched_client"].where(out["matched_client"] != ""))
    by_name = named & leads["Website"].isna() & leads["Company Name"].notna()
    assert (norm[by_name] == got[by_name]).all()


@pytest.mark.parametrize(("jobs", "output"), [(1, "out.parquet"), (2, "out.csv")])
def test_the_batch_engine_adds_the_match_columns(tmp_path, jobs, output):
    leads = make_leads(1000, seed=7)
    clients = make_portfolio(300, seed=7)
    # make some leads clients: same domain, same name, a near name
    leads.loc[3, "Website"] = clients.loc[0, "Website"]
    leads.loc[900, "Company Name"] = clients.loc[1, "Client"]
    leads.loc[990, "Company Name"] = str(clients.loc[2, "Client"]) + "x"
    write_csv_bulk(leads, tmp_path / "leads.csv")
    write_csv_bulk(clients, tmp_path / "clients.csv")
    classify_file(
        tmp_path / "leads.csv", tmp_path / output, jobs=jobs, chunk_bytes=32768, clients=tmp_path / "clients.csv"
    )
    reader = (
        pd.read_parquet if output.endswith(".parquet") else lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)
    )
    out = reader(tmp_path / output)
    expected = ClientIndex.from_file(tmp_path / "clients.csv").match(load_portfolio(tmp_path / "leads.csv"))
    assert len(out) == len(leads)
    assert (
        out["existing_client"].astype(str).str.lower().tolist()
        == expected["existing_client"].astype(str).str.lower().tolist()
    )
    assert out["matched_client"].fillna("").tolist() == expected["matched_client"].tolist()
    assert np.allclose(out["match_score"].astype(float), expected["match_score"])
    assert bool(expected["existing_client"].iloc[[3, 900, 990]].all())
    cols = list(out.columns)
    assert cols.index("problem") < cols.index("existing_client") < cols.index("duplicate_of")


def test_the_batch_engine_refuses_a_lead_list_it_cannot_match(tmp_path):
    (tmp_path / "leads.csv").write_text("Description\npayroll\n")
    (tmp_path / "clients.csv").write_text("Client,Services\nAcme,payroll\n")
    with pytest.raises(ColumnError, match="neither a name nor a website column"):
        classify_file(tmp_path / "leads.csv", tmp_path / "out.csv", jobs=1, clients=tmp_path / "clients.csv")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_batch_duplicates_across_chunks_match_load_portfolio(tmp_path, jobs):
    leads = make_leads(3000, seed=5, truth=True)
    write_csv_bulk(leads.drop(columns=["_archetype", "_expected", "_duplicate_of"]), tmp_path / "leads.csv")
    # about 60 rows a chunk
    summary = classify_file(tmp_path / "leads.csv", tmp_path / "out.parquet", jobs=jobs, chunk_bytes=16384)
    out = pd.read_parquet(tmp_path / "out.parquet")
    ref = load_portfolio(tmp_path / "leads.csv")
    assert summary.duplicates == int(ref["duplicate_of"].notna().sum()) > 20
    assert out["duplicate_of"].astype("Int64").tolist() == ref["duplicate_of"].tolist()
    # duplicates do cross chunk boundaries: the first occurrence is often many chunks back
    gap = (pd.Series(np.arange(1, len(ref) + 1)) - ref["duplicate_of"]).dropna()
    assert (gap > 1000).sum() > 5
    # the generator's deliberate repeats are all among the flagged rows
    planted = leads["_duplicate_of"].notna().to_numpy()
    assert out["duplicate_of"].notna().to_numpy()[planted].all()
