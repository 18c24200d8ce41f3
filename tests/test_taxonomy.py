"""Industry labels and codes are looked up in reviewed tables, one entry per label or code."""

import csv
from pathlib import Path

import pandas as pd
import pytest

import socanalysis as sa
from socanalysis.classifier import taxonomy as T
from socanalysis.classifier.rules import load_rules

SHARED = Path(__file__).resolve().parents[2] / "shared" / "taxonomies"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="the reference lists of ../shared/taxonomies are absent")


def shared_rows(name):
    with open(SHARED / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@needs_shared
@pytest.mark.parametrize(
    ("source", "table", "key"),
    [
        ("linkedin_industries_v2.csv", "linkedin_v2", "label"),
        ("linkedin_industries_v1.csv", "linkedin_v1", "label"),
        ("naics_2022.csv", "naics", "code"),
    ],
)
def test_every_label_and_code_of_the_reference_lists_has_one_entry(source, table, key):
    expected = [r[key] for r in shared_rows(source)]
    keys = [e.key for e in T.entries()[table]]
    missing = sorted(set(expected) - set(keys))
    assert not missing, missing[:10]
    assert all(keys.count(k) == 1 for k in expected)


def test_tables_have_the_sizes_of_their_lists_and_no_repeated_key():
    sizes = {name: len(rows) for name, rows in T.entries().items()}
    assert sizes["linkedin_v2"] == 434 and sizes["linkedin_v1"] == 147
    assert sizes["naics"] >= 2125 and sizes["sic"] >= 1004 and sizes["gics"] >= 163
    for name, rows in T.entries().items():
        if name == "gics":  # a name may stand at several levels ("Energy"): then with one decision
            decisions = {}
            for e in rows:
                decisions.setdefault(e.key, set()).add((e.report, e.strength))
            assert all(len(d) == 1 for d in decisions.values())
        else:
            keys = [e.key for e in rows]
            assert len(keys) == len(set(keys)), name


def test_linkedin_v2_labels_agree_with_the_naics_codes_they_derive_from():
    naics = {e.key: e for e in T.entries()["naics"]}
    with open(T.table_files()[0], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    checked = 0
    for row in rows:
        if row["naics"]:
            code = naics[row["naics"]]
            assert code.report == row["report"], (row["label"], row["naics"])
            checked += 1
    assert checked > 400


def test_every_entry_has_a_reason_and_a_known_decision():
    for rows in T.entries().values():
        for e in rows:
            assert e.reason and e.report in T.REPORTS and e.strength in T.STRENGTHS
            assert not e.categories or e.report in ("SOC 2", "Both")


@pytest.mark.parametrize(
    ("cell", "label"),
    [
        ("Computer & Network Security", "Computer and Network Security"),
        ("computer and network security", "Computer and Network Security"),
        ("  FINANCIAL SERVICES ", "Financial Services"),
        ("Transaction & Payment Processing Services", "Transaction & Payment Processing Services"),
        ("Human Resources Services", "Human Resources Services"),
        # CRM exports write a label as an upper-case code, without "&" or "and"
        ("HOSPITAL_HEALTH_CARE", "Hospital & Health Care"),
        ("INFORMATION_TECHNOLOGY_AND_SERVICES", "Information Technology and Services"),
        ("COMPUTER_NETWORK_SECURITY", "Computer and Network Security"),
    ],
)
def test_spellings_of_a_label_find_its_canonical_label(cell, label):
    assert sa.industry_label(cell)[0] == label


def test_text_that_is_not_a_label_has_none():
    assert sa.industry_label("payroll software for dentists") is None
    assert sa.industry_label("") is None


# (label as a lead tool writes it, expected report) -- labels of the lists, decided by their entries
LABELS = [
    ("Waste Collection", "Neither"),
    ("Mobile Food Services", "Neither"),
    ("Claims Adjusting, Actuarial Services", "SOC 1"),
    ("Financial Services", "SOC 1"),
    ("Insurance", "SOC 1"),
    ("Software Development", "SOC 2"),
    ("IT Services and IT Consulting", "SOC 2"),
    ("Data Infrastructure and Analytics", "SOC 2"),
    ("Restaurants", "Neither"),
    ("Hospitals and Health Care", "Neither"),
    ("Security and Investigations", "Neither"),
    ("Venture Capital and Private Equity Principals", "Neither"),
    ("Collection Agencies", "SOC 1"),
    # users of service organisations, not service organisations: the plan, the agency, the lender
    ("Pension Funds", "Neither"),
    ("Insurance Agencies and Brokerages", "Neither"),
    ("Loan Brokers", "Neither"),
]


@pytest.mark.parametrize(("label", "report"), LABELS)
def test_a_known_label_is_decided_by_its_entry_not_by_its_words(label, report):
    out = sa.classify(pd.DataFrame({"Company": ["X"], "Industry": [label]}))
    assert out.loc[0, "soc_report"] == report
    assert f"'{label}' in Industry" in out.loc[0, "rationale"]


def test_an_ambiguous_label_gives_a_low_confidence_report_not_neither():
    out = sa.classify(pd.DataFrame({"Company": ["X", "Y"], "Industry": ["Financial Services", "Banking"]}))
    assert out["soc_report"].tolist() == ["SOC 1", "SOC 1"]
    assert out["confidence"].tolist() == ["low", "low"]


def test_codes_are_decided_by_the_longest_prefix_in_the_tables():
    out = sa.classify(pd.DataFrame({"NAICS": ["562111", "722330", "524291", "52", "524", "541214", "524126", "5241"]}))
    assert out["soc_report"].tolist() == ["Neither", "Neither", "SOC 1", "SOC 1", "SOC 1", "Both", "Neither", "Neither"]
    assert out.loc[3, "confidence"] == "low"  # finance and insurance as a whole: a report, but unsure
    # a property and casualty carrier is its claims administrators' customer; carriers as a whole
    # are mostly such users, but health carriers administer employers' plans: an unsure Neither
    assert out.loc[6, "confidence"] == "medium" and "user of service organisations" in out.loc[6, "rationale"]
    assert out.loc[7, "confidence"] == "low"


def test_staffing_firms_and_benefit_funds_are_users_of_service_organisations_and_peos_are_not():
    cells = ["Staffing and Recruiting", "Temporary Help Services", "Insurance and Employee Benefit Funds"]
    out = sa.classify(pd.DataFrame({"Industry": cells + [None, None], "NAICS": [None] * 3 + ["561320", "561330"]}))
    assert out["soc_report"].tolist() == ["Neither", "Neither", "Neither", "Neither", "Both"]
    assert out["confidence"].tolist()[:4] == ["medium"] * 4
    # "Workforce" in a staffing firm's name is no HR software
    peak = pd.DataFrame({"Company": ["Peak Workforce Solutions"], "Industry": ["Staffing and Recruiting"]})
    named = sa.classify(peak)
    assert named.loc[0, "soc_report"] == "Neither"


def test_the_industry_label_wins_over_the_sector_label():
    df = pd.DataFrame({"Industry": ["Human Resource & Employment Services"], "Sector": ["Industrials"]})
    assert sa.classify(df).loc[0, "soc_report"] == "Both"
    alone = pd.DataFrame({"Industry": [None], "Sector": ["Industrials"]})
    assert sa.classify(alone).loc[0, "soc_report"] == "Neither"


def test_a_word_of_the_name_does_not_outweigh_a_label_or_code_that_means_a_report():
    names = ["Apex Consulting", "Harbor Consulting Group", "Smith Consulting LLC", "Ridge Consulting"]
    df = pd.DataFrame(
        {
            "Company": names,
            "Industry": ["IT Services and IT Consulting", "Information Technology and Services", "Accounting", None],
            "NAICS": [None, None, None, "518210"],
        }
    )
    out = sa.classify(df)
    assert out["soc_report"].tolist() == ["SOC 2", "SOC 2", "SOC 1", "SOC 2"]
    outweighed = "Company: 'consulting' (outweighed by the industry)"
    assert out.loc[0, "evidence"] == f"Industry: 'IT Services and IT Consulting'; {outweighed}"
    assert "consulting" not in out.loc[0, "rationale"].lower().split("(")[0]
    # the name still counts where no label or code firmly or typically means a report: beside a
    # Neither label, or an ambiguous one
    others = sa.classify(
        pd.DataFrame({"Company": ["Apex Consulting", "Apex Bakery"], "Industry": ["Restaurants", "Financial Services"]})
    )
    assert others["soc_report"].tolist() == ["Neither", "Neither"]
    assert "outweighed" not in " ".join(others["evidence"])


def test_a_firm_overrides_a_table_entry_by_its_rule_id(tmp_path):
    firm = tmp_path / "firm.yaml"
    firm.write_text("rules:\n  - id: label-restaurants\n    supports: {SOC 2: 0.9}\n", encoding="utf-8")
    df = pd.DataFrame({"Industry": ["Restaurants"]})
    assert sa.classify(df).loc[0, "soc_report"] == "Neither"
    assert sa.classify(df, rules=firm).loc[0, "soc_report"] == "SOC 2"
    assert load_rules(firm).rule("naics-722511").reason


def test_a_code_in_an_industry_cell_is_looked_up_as_that_code():
    cells = ["541214", "NAICS 524291", "562111 - Solid Waste Collection", "SIC 7374", "518210.0", "Payroll Services"]
    out = sa.classify(pd.DataFrame({"Company": [f"X{i}" for i in range(len(cells))], "Industry": cells}))
    alone = sa.classify(pd.DataFrame({"NAICS": ["541214", "524291", "562111"], "SIC": [None, None, None]}))
    assert out["soc_report"].tolist()[:3] == alone["soc_report"].tolist() == ["Both", "SOC 1", "Neither"]
    assert out["soc_report"].tolist()[3:] == ["Both", "SOC 2", "Both"]
    assert out.loc[0, "evidence"] == "Industry (NAICS): '541214'"
    assert out.loc[3, "evidence"] == "Industry (SIC): '7374'"
    assert "'524291' in Industry (NAICS)" in out.loc[1, "rationale"]
    # a code-like start that is not a code is read as words, and a NAICS column keeps its own name
    words = sa.classify(pd.DataFrame({"Industry": ["24 hour restaurants", "3D printing"], "NAICS": ["541214", None]}))
    assert words.loc[0, "evidence"] == "Industry: 'restaurants'; NAICS: '541214'"
    assert "(NAICS)" not in words.loc[1, "evidence"]


def test_word_matching_still_applies_to_text_that_is_not_a_label():
    out = sa.classify(pd.DataFrame({"Industry": ["Payroll and HR software"]}))
    assert out.loc[0, "soc_report"] in ("SOC 1", "Both")


# --------------------------------------------------------------------------- every entry, alone in its column
CONFIDENCE = {"firm": "high", "typical": "medium", "ambiguous": "low"}


def _alone(column, keys):
    return sa.classify(pd.DataFrame({"Company": [f"X{i}" for i in range(len(keys))], column: keys}))


def test_every_label_alone_in_an_industry_cell_comes_out_as_its_entry_says():
    chosen = list(T._labels().values())  # a label in several lists: the entry of the first list
    out = _alone("Industry", [e.label for e in chosen])
    wrong = [(e.label, e.report, got) for e, got in zip(chosen, out["soc_report"], strict=True) if got != e.report]
    assert not wrong, wrong[:10]
    unsure = [
        (e.label, e.strength, got)
        for e, got in zip(chosen, out["confidence"], strict=True)
        if got != CONFIDENCE[e.strength]
    ]
    assert not unsure, unsure[:10]
    # the reason of the entry is what the rationale gives
    for e, rationale in list(zip(chosen, out["rationale"], strict=True))[::25]:
        assert e.reason[:40] in rationale, (e.label, rationale)


@pytest.mark.parametrize(("column", "system", "lengths"), [("NAICS", "naics", {2, 3, 4, 5, 6}), ("SIC", "sic", {2, 4})])
def test_every_code_alone_comes_out_as_its_entry_says(column, system, lengths):
    # three-digit SIC codes are read as four-digit codes that lost a leading zero ("481" is 0481)
    chosen = [e for e in T.entries()[system] if "-" not in e.key and len(e.key) in lengths]
    out = _alone(column, [e.key for e in chosen])
    wrong = [(e.key, e.report, got) for e, got in zip(chosen, out["soc_report"], strict=True) if got != e.report]
    assert not wrong, wrong[:10]
    unsure = [
        (e.key, e.strength, got)
        for e, got in zip(chosen, out["confidence"], strict=True)
        if got != CONFIDENCE[e.strength]
    ]
    assert not unsure, unsure[:10]


def test_a_label_that_only_perhaps_means_neither_gives_a_low_confidence_neither():
    out = _alone("Industry", ["Administrative and Support Services", "Legal Services", "Restaurants"])
    assert out["soc_report"].tolist() == ["Neither"] * 3
    assert out["confidence"].tolist() == ["low", "medium", "high"]
    # a firm Neither clue in the text is not lowered by the doubt of the label
    row = sa.classify(pd.DataFrame({"Industry": ["Legal Services"], "Description": ["Steel mill rolling coil."]}))
    assert row.loc[0, "soc_report"] == "Neither" and row.loc[0, "confidence"] == "high"


def test_the_broad_health_care_label_yields_to_a_description_of_health_care_software():
    # LinkedIn's "Hospitals and Health Care" is the label of hospitals and of the firms that sell them software
    alone = _alone("Industry", ["Hospitals and Health Care", "Hospital & Health Care"])
    assert alone["soc_report"].tolist() == ["Neither", "Neither"]
    vendor = sa.classify(
        pd.DataFrame(
            {
                "Industry": ["Hospitals and Health Care"],
                "Description": [
                    "Northwind Health delivers intuitive healthcare software, including its bedside platform, that "
                    "improves clinical decisions and patient flow for hospitals in Canada."
                ],
            }
        )
    )
    assert vendor.loc[0, "soc_report"] == "SOC 2", vendor.loc[0, "evidence"]
