"""The classifier as a specification: fictional organisations, one or more per outcome."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames

from socanalysis import ColumnError, classify
from socanalysis.vocabulary import (
    CATEGORIES,
    CONFIDENCE_VALUES,
    OBJECTIVES,
    OUTPUT_COLUMNS,
    REPORT_VALUES,
    REVIEW_COLUMNS,
)

# (name, description, industry, naics, expected soc_report) -- all invented
CASES = [
    # SOC 1: services that feed customers' financial statements
    (
        "Harbor Fund Services",
        "Fund administration and transfer agency for hedge funds: NAV calculation, investor records and capital calls.",
        "Capital Markets",
        "",
        "SOC 1",
    ),
    (
        "Larkspur Claims",
        "Third-party administrator processing medical claims for self-insured employers.",
        "",
        "524292",
        "SOC 1",
    ),
    (
        "Quillby Recovery",
        "A collection agency recovering past-due receivables for hospitals and utilities.",
        "",
        "",
        "SOC 1",
    ),
    (
        "Tallow Loan Servicing",
        "Mortgage servicing and escrow administration for credit unions.",
        "Banking",
        "",
        "SOC 1",
    ),
    ("Brightledger", "Outsourced bookkeeping and month-end close for small businesses.", "Accounting", "", "SOC 1"),
    ("Maple & Birch", "", "Insurance Brokers", "", "SOC 1"),
    # SOC 2: services holding customers' data or running their systems
    (
        "Nimbus Grid",
        "Cloud infrastructure provider offering virtual machines, object storage and a CDN.",
        "Internet",
        "",
        "SOC 2",
    ),
    (
        "Ferrow Health",
        "Telehealth platform and electronic health records for clinics.",
        "Health Care Technology",
        "",
        "SOC 2",
    ),
    ("Pellucid Logs", "Observability SaaS: logs, metrics and traces for engineering teams.", "Software", "", "SOC 2"),
    (
        "Corvane IT",
        "Managed service provider running help desk and network management for law firms.",
        "",
        "541513",
        "SOC 2",
    ),
    ("Stackyard", "", "Application Software", "", "SOC 2"),
    # Both: affects ICFR and holds sensitive data
    (
        "Paywell",
        "Cloud-based payroll and benefits software that pays employees and files payroll taxes.",
        "Human Resources",
        "",
        "Both",
    ),
    (
        "Tessera Pay",
        "Payment processing platform and API that lets merchants accept cards online.",
        "Fintech",
        "",
        "Both",
    ),
    ("Oakhurst PEO", "", "", "561330", "Both"),
    # Neither: no service to other organisations' reporting or data
    (
        "Granite Quarry Co",
        "Quarry producing crushed stone and gravel for road builders.",
        "Construction Materials",
        "",
        "Neither",
    ),
    ("Rosemary & Thyme", "Neighbourhood restaurant serving brunch and dinner.", "Restaurants", "", "Neither"),
    ("Voltspring Batteries", "We manufacture lithium batteries for electric bikes.", "", "335910", "Neither"),
    ("Marrow Farms", "", "", "111110", "Neither"),
    # Undetermined: nothing to go on
    ("Blank Holdings", "", "", "", "Undetermined"),
]

TRAPS = [
    # negation: "not a bank", "do not process payments"
    (
        "Plainview Books",
        "We are not a bank and we do not process payments; we sell printed diaries in our shops.",
        "Retail",
        "",
        "Neither",
    ),
    # "data" in data-driven marketing
    (
        "Bright Banner",
        "A data-driven marketing agency: brand strategy, media buying and creative.",
        "Marketing and Advertising",
        "",
        "Neither",
    ),
    # "payments" in a retailer's checkout
    (
        "Cobble Shoes",
        "Family shoe retailer with three stores; we accept payments at checkout by card or phone.",
        "Apparel Retail",
        "",
        "Neither",
    ),
    # "platform" alone decides nothing
    ("Oat Barn", "Our bakery platform: fresh bread every morning from our ovens.", "Food & Beverages", "", "Neither"),
    # kinds of organisation named as customers are not the organisation itself
    (
        "Sentinel Shield",
        "Managed security services for banks and credit unions: threat monitoring and penetration testing.",
        "Computer & Network Security",
        "",
        "SOC 2",
    ),
    ("Tablewise", "Reservation and table management software for restaurants and hotels.", "Software", "", "SOC 2"),
]


def frame(cases) -> pd.DataFrame:
    return pd.DataFrame(
        [c[:4] for c in cases], columns=["Company", "Description", "Industry", "NAICS"], dtype="str"
    ).replace("", np.nan)


@pytest.mark.parametrize("case", CASES + TRAPS, ids=[c[0] for c in CASES + TRAPS])
def test_each_outcome(case):
    out = classify(frame([case]))
    assert out.loc[0, "soc_report"] == case[4], out.loc[0, "rationale"]


def test_every_outcome_is_covered_by_the_cases():
    assert {c[4] for c in CASES} == set(REPORT_VALUES)


@pytest.fixture(scope="module")
def classified():
    df = frame(CASES + TRAPS)
    return df, classify(df)


def test_columns_and_values(classified):
    df, out = classified
    assert list(out.columns) == list(df.columns) + list(OUTPUT_COLUMNS) + list(REVIEW_COLUMNS)
    assert set(out["soc_report"]) <= set(REPORT_VALUES)
    assert set(out["confidence"]) <= set(CONFIDENCE_VALUES)
    assert out["soc1_score"].between(0, 1).all() and out["soc2_score"].between(0, 1).all()
    assert set(out["report_type"]) <= {"Type 1", "Type 2", ""}


def test_input_is_not_mutated_and_comes_back_unchanged(classified):
    df, out = classified
    before = df.copy()
    again = classify(df)
    pd.testing.assert_frame_equal(df, before)
    pd.testing.assert_frame_equal(out[df.columns], df)
    pd.testing.assert_frame_equal(again, out)


def test_index_and_order_are_kept():
    df = frame(CASES[:5]).set_axis([50, 10, 40, 20, 30])
    out = classify(df)
    assert list(out.index) == [50, 10, 40, 20, 30]
    assert out["Company"].tolist() == df["Company"].tolist()


def test_categories(classified):
    _, out = classified
    soc2 = out["soc_report"].isin(["SOC 2", "Both"])
    assert out.loc[soc2, "tsc_categories"].str.startswith("Security").all()
    assert (out.loc[~soc2, "tsc_categories"] == "").all()
    for cats in out.loc[soc2, "tsc_categories"]:
        names = cats.split("; ")
        assert names == sorted(names, key=CATEGORIES.index)
    paywell = out.set_index("Company").loc["Paywell"]
    assert "Privacy" in paywell["tsc_categories"] and "Processing Integrity" in paywell["tsc_categories"]
    nimbus = out.set_index("Company").loc["Nimbus Grid"]
    assert "Availability" in nimbus["tsc_categories"]


def test_soc1_objectives(classified):
    _, out = classified
    soc1 = out["soc_report"].isin(["SOC 1", "Both"])
    assert (out.loc[~soc1, "soc1_objectives"] == "").all()
    for objectives in out.loc[soc1, "soc1_objectives"]:
        assert "access to financial records" in objectives
        assert set(objectives.split("; ")) <= set(OBJECTIVES)


def test_rationale_names_the_evidence_and_its_column(classified):
    _, out = classified
    row = out.set_index("Company").loc["Paywell"]
    assert "'payroll" in row["rationale"] and "in Description" in row["rationale"]
    assert "SOC 1" in row["rationale"] and "SOC 2" in row["rationale"]
    assert "Description: " in row["evidence"]
    naics_row = out.set_index("Company").loc["Larkspur Claims"]
    assert "NAICS: '524292'" in naics_row["evidence"]
    blank = out.set_index("Company").loc["Blank Holdings"]
    assert "No description" in blank["rationale"] and blank["confidence"] == "low"


def test_negated_and_customer_terms_are_shown_but_not_counted(classified):
    _, out = classified
    plain = out.set_index("Company").loc["Plainview Books", "evidence"]
    assert "not 'bank" in plain or "not 'banks'" in plain or "not 'bank'" in plain
    shield = out.set_index("Company").loc["Sentinel Shield"]
    assert "(customers)" in shield["evidence"]
    assert shield["soc1_score"] < 0.5


@pytest.mark.parametrize(
    ("reports", "expected"),
    [("", "Type 1"), ("SOC 2 Type I", "Type 2"), ("SOC 1 Type II", "Type 1"), ("SOC2 Type 2; SSAE 18", "Type 2")],
)
def test_report_type_follows_what_is_held(reports, expected):
    df = pd.DataFrame({"Company": ["Nimbus"], "Description": ["SaaS data platform"], "Current Reports": [reports]})
    assert classify(df).loc[0, "report_type"] == expected


@pytest.mark.parametrize(
    ("description", "country", "extra", "present"),
    [
        ("Mobile app used by millions of consumers to store their photos in the cloud", "", "SOC 3", True),
        ("Electronic health records platform for clinics", "", "SOC 2+ HIPAA", True),
        ("We manufacture steel fasteners for builders", "", "SOC for Supply Chain", True),
        ("Payroll processing software for employers", "Germany", "ISAE 3402", True),
        ("Cloud hosting provider for agencies", "UK", "ISAE 3000", True),
        ("Payroll processing software for employers", "Canada", "CSAE 3416", True),
        ("Payroll processing software for employers", "United States", "ISAE 3402", False),
        ("SaaS data platform for analysts", "", "SOC 2+ HIPAA", False),
    ],
)
def test_also_consider(description, country, extra, present):
    df = pd.DataFrame({"Company": ["X"], "Description": [description], "Country": [country]})
    got = classify(df).loc[0, "also_consider"].split("; ")
    assert (extra in got) is present


def test_questionnaire_answers_decide_and_bad_answers_are_reported():
    df = pd.DataFrame(
        {
            "Company": ["A", "B", "C", "D"],
            "Processes payroll": ["yes", "no", "no", "maybe"],
            "Stores customer data": ["yes", "Yes", "no", ""],
        }
    )
    out = classify(df)
    assert out["soc_report"].tolist() == ["Both", "SOC 2", "Neither", "Undetermined"]
    assert "'maybe' is not yes or no" in out.loc[3, "problem"]


def test_unreadable_codes_are_reported_not_guessed():
    df = pd.DataFrame({"Company": ["A", "B"], "NAICS": ["54X214", "541214"]})
    out = classify(df)
    assert out.loc[0, "soc_report"] == "Undetermined"
    assert "NAICS '54X214' is not a NAICS code" in out.loc[0, "problem"]
    assert out.loc[1, "soc_report"] == "Both" and out.loc[1, "problem"] == ""


def test_the_longest_code_prefix_wins():
    df = pd.DataFrame({"Company": ["A", "B"], "NAICS": ["541214", "541110"]})
    out = classify(df)
    assert out["soc_report"].tolist() == ["Both", "Neither"]
    assert "payroll" in out.loc[0, "rationale"]


def test_a_frame_without_any_signal_column_is_refused():
    with pytest.raises(ColumnError, match="no column carries anything to classify on.*'Company', 'Notes'"):
        classify(pd.DataFrame({"Company": ["A"], "Notes": ["x"]}))


def test_field_mapping_from_the_loader_is_used():
    df = pd.DataFrame({"Who": ["A"], "Blurb": ["Payroll processing for employers"]})
    df.attrs["socanalysis"] = {"fields": {"name": "Who", "description": "Blurb"}}
    out = classify(df)
    assert out.loc[0, "soc_report"] == "Both"
    assert out.attrs["socanalysis"]["fields"] == {"name": "Who", "description": "Blurb"}


def test_reclassifying_an_output_replaces_the_old_results():
    first = classify(frame(CASES[:3]))
    again = classify(first)
    assert list(again.columns) == list(first.columns)
    pd.testing.assert_frame_equal(again, first)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data_frames(
        [
            column("Company", dtype=object, elements=st.text(max_size=20) | st.none()),
            column("Description", dtype=object, elements=st.text(max_size=80) | st.none()),
            column(
                "Industry", dtype=object, elements=st.sampled_from(["Software", "Banking", "", "Retail"]) | st.none()
            ),
            column("NAICS", dtype=object, elements=st.text("0123456789x. ;", max_size=8) | st.none()),
        ]
    )
)
def test_any_frame_of_strings_comes_back_whole(df):
    out = classify(df)
    assert len(out) == len(df)
    assert list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(out[df.columns], df)
    assert set(out["soc_report"]) <= set(REPORT_VALUES)
    assert set(out["confidence"]) <= set(CONFIDENCE_VALUES)
    assert out["soc1_score"].between(0, 1).all()
    for col in OUTPUT_COLUMNS:
        assert not out[col].isna().any(), col


def test_a_possessive_word_in_a_text_with_no_rule_word_is_read():
    # a possessive token ("1'", "Bob's") in a block where no term is found
    out = classify(pd.DataFrame({"Description": ["1'", "Bob's"], "Industry": ["Software", None]}))
    assert out["soc_report"].tolist() == ["SOC 2", "Neither"]
    assert out["confidence"].tolist()[1] == "low"


def test_results_do_not_depend_on_what_the_rule_caches_remember(monkeypatch):
    from socanalysis.classifier import codes
    from socanalysis.classifier.rules import _merge, compile_rules, default_rules_path

    frame = pd.DataFrame(
        {
            "Company": [f"Co {i}" for i in range(40)],
            "Description": ["Payroll for employers", "Cloud hosting", "A bakery", None] * 10,
            "NAICS": [str(c) for c in [541214, 518210, 311811, "n/a", "54121 4", 52, 5182, "x"] * 5],
        }
    )
    fresh = compile_rules(*_merge([default_rules_path()]))
    expected = classify(frame, rules=fresh)
    monkeypatch.setattr(codes, "CACHE_LIMIT", 2)
    small = compile_rules(*_merge([default_rules_path()]))
    first, again = classify(frame, rules=small), classify(frame, rules=small)
    for got in (first, again):
        pd.testing.assert_frame_equal(got, expected)
    assert len(small.cache["codes"]) <= 2


def _random_weights(rng, n_rules):
    """Rule weights as rule files give them: mostly zero, some weak, some against a target."""
    from socanalysis.classifier.rules import TARGETS

    choices = np.array([0.0, 0.0, 0.0, 0.0, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95, -0.4, -0.8])
    weights = rng.choice(choices, size=(n_rules, len(TARGETS)))
    weights[0] = 0.0  # a rule that weighs on nothing
    return weights, rng.random((n_rules, len(OBJECTIVES))) < 0.3


@pytest.mark.parametrize("seed", range(3))
def test_the_vote_table_lists_what_every_rule_adds(seed):
    from socanalysis.classifier.rules import TARGETS
    from socanalysis.classifier.weighing import _SCORED, WEAK, _units, vote_table

    rng = np.random.default_rng(seed)
    weights, objectives = _random_weights(rng, 30)
    table = vote_table(weights, objectives)
    units = _units(weights)
    soc1, soc2, neither = (TARGETS.index(t) for t in ("SOC 1", "SOC 2", "Neither"))
    assert table.units.shape[1] % 8 == 0
    assert table.weak_slot.tolist()[2:] == [-1] * (len(_SCORED) - 2)
    for rule, row in enumerate(weights):
        expected = np.zeros(table.units.shape[1])
        for k, target in enumerate(_SCORED):
            t = TARGETS.index(target)
            weak = t in (soc1, soc2) and 0 < row[t] < WEAK
            expected[table.weak_slot[k] if weak else k] = units[rule, t]
        expected[table.against] = units[rule, neither]
        np.testing.assert_array_equal(table.units[rule], expected)
        bits = sum(1 << k for k, has in enumerate(objectives[rule]) if has and row[soc1] > 0)
        assert table.rule_bits[rule] == bits
        assert table.tops[rule].tolist() == [row[soc1], row[soc2], row[neither], max(row[soc1], row[soc2])]


def _reference_tally(n, rows, terms, dropped, term_rule, weights, objectives, shown):
    """Votes added up row by row in plain Python, over every target of every rule."""
    from socanalysis.classifier.rules import TARGETS
    from socanalysis.classifier.weighing import WEAK, _units

    units = _units(weights)
    cap = _units(np.array([WEAK]))[0]
    capped = [TARGETS.index("SOC 1"), TARGETS.index("SOC 2")]
    neither = TARGETS.index("Neither")
    soc1, soc2 = weights[:, capped[0]], weights[:, capped[1]]
    tops = np.stack([soc1, soc2, weights[:, neither], np.maximum(soc1, soc2)], axis=1)
    evidence = np.zeros((len(shown), n))
    bits = np.zeros(n, dtype=np.int64)
    voted = np.zeros(n, dtype=bool)
    top = np.full((4, n), -1, dtype=np.int64)
    for r in range(n):
        strong, weak = [0.0] * len(TARGETS), [0.0] * len(TARGETS)
        best, seen = [0.0] * 4, set()
        for h in range(len(rows)):
            rule = term_rule[terms[h]]
            if rows[h] != r or dropped[h] or rule in seen:
                continue
            seen.add(rule)
            voted[r] = True
            for t in range(len(TARGETS)):
                if t in capped and 0 < weights[rule, t] < WEAK:
                    weak[t] += units[rule, t]
                else:
                    strong[t] += units[rule, t]
            for k in range(objectives.shape[1]):
                if objectives[rule, k] and weights[rule, capped[0]] > 0:
                    bits[r] |= 1 << k
            for j in range(4):
                if tops[rule, j] > best[j]:
                    best[j], top[j, r] = tops[rule, j], terms[h]
        against = strong[neither] + weak[neither]
        for k, t in enumerate(shown):
            capped_units = strong[t] + min(weak[t], cap) - against
            evidence[k, r] = capped_units if t in capped else strong[t] + weak[t]
    return evidence, bits, voted, top


@pytest.mark.parametrize("seed", range(3))
def test_tallied_votes_agree_with_a_row_by_row_reference(seed):
    from socanalysis._kernels.scanning import tally_votes
    from socanalysis.classifier.rules import TARGETS
    from socanalysis.classifier.weighing import _SCORED, WEAK, _units, vote_table

    rng = np.random.default_rng(seed)
    weights, objectives = _random_weights(rng, 12)
    n, n_terms, n_hits = 40, 25, 300
    term_rule = rng.integers(0, len(weights), n_terms).astype(np.int32)
    rows = rng.integers(0, n - 3, n_hits)  # the last rows have no hits
    terms = rng.integers(0, n_terms, n_hits).astype(np.int32)
    dropped = rng.random(n_hits) < 0.2
    shown = [TARGETS.index(t) for t in _SCORED]
    table = vote_table(weights, objectives)
    cap = _units(np.array([WEAK]))[0]
    args = (table.units, table.weak_slot, table.against, cap, table.rule_bits, table.tops)
    got = tally_votes(n, rows, terms, dropped, term_rule, *args)
    expected = _reference_tally(n, rows, terms, dropped, term_rule, weights, objectives, shown)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)


def test_code_cells_are_matched_as_each_row_on_its_own():
    from socanalysis.classifier.codes import match_code_cells, parse_cell

    prefixes = {"5412": 0, "541214": 1, "5182": 2, "52": 3}
    values = ["541214", "5412 - Accounting", None, "518210; 541214", "54X214", "", "n/a", "52.0", "abc", "541214"]
    rng = np.random.default_rng(5)
    cells = pd.Series([values[i] for i in rng.integers(0, len(values), 300)], dtype=object)
    got = match_code_cells("naics", cells, prefixes)
    expected_hits, expected_problems = [], []
    for row, cell in enumerate(cells):
        codes, problem = parse_cell("naics", cell) if cell is not None else ((), "")
        terms = [next((prefixes[c[:k]] for k in range(len(c), 1, -1) if c[:k] in prefixes), None) for c in codes]
        expected_hits += [(row, t) for t in dict.fromkeys(t for t in terms if t is not None)]
        expected_problems.append(problem)
    assert list(zip(got.hits.rows.tolist(), got.hits.terms.tolist(), strict=True)) == expected_hits
    assert [[*got.problems, ""][c] for c in got.codes] == expected_problems
    assert got.cells.to_pylist()[got.codes[0]] == cells[0]


def test_problems_are_joined_per_row_in_the_order_of_the_columns():
    from socanalysis.classifier.decide import _problems, _Signals

    sig = _Signals(5)
    sig.add_problem(["", "a bad"], np.array([0, 1, 0, 1, 0]))
    sig.add_problem(["", "", ""], np.array([1, 1, 2, 0, 0]))  # no problem: not kept
    sig.add_problem(["c bad", "", "d bad"], np.array([1, 0, 2, 2, 1]))
    assert len(sig.problems) == 2
    assert _problems(sig, 5).cast(pa.large_string()).to_pylist() == ["", "a bad; c bad", "d bad", "a bad; d bad", ""]
    assert _problems(_Signals(3), 3).cast(pa.large_string()).to_pylist() == ["", "", ""]


def test_arrow_fields_classify_as_their_dataframe_does():
    from socanalysis.classifier.decide import classify_columns, output_frame

    df = frame(CASES + TRAPS)
    df["Country"] = ["Canada", "United States", None, "Germany"] * (len(df) // 4) + [None] * (len(df) % 4)
    df["Existing reports"] = ["SOC 2 Type 2", None, "SOC 1 Type 1", "none"] * (len(df) // 4) + [None] * (len(df) % 4)
    df["Handles payroll?"] = ["yes", "no", "maybe", None] * (len(df) // 4) + [None] * (len(df) % 4)
    df["soc_report"] = "left from an earlier run"
    df = df.astype("str")
    out = classify(df)
    mapping = out.attrs["socanalysis"]["fields"]
    table = pa.Table.from_pandas(df, preserve_index=False)
    columns = classify_columns({f: table.column(c) for f, c in mapping.items()}, table.num_rows, headers=mapping)
    assert list(columns) == list(OUTPUT_COLUMNS)
    got = output_frame(columns)
    assert list(out.columns) == [*(c for c in df.columns if c != "soc_report"), *OUTPUT_COLUMNS, *REVIEW_COLUMNS]
    for name in OUTPUT_COLUMNS:
        assert got[name].tolist() == out[name].tolist(), name
        assert got[name].dtype == out[name].dtype, name
    assert set(got["report_type"]) >= {"Type 1", "Type 2"}  # the holdings were read
    assert got["problem"].str.contains("maybe").any()  # and the answers
