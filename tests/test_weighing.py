"""Evidence weighed for and against, conflicts, confidence and rationales that quote what decided (invented)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from socanalysis import classify


def one(text: str | None = None, **columns) -> pd.Series:
    frame = {"Company": ["X"], "Description": [text], **{k: [v] for k, v in columns.items()}}
    return classify(pd.DataFrame(frame)).iloc[0]


# --------------------------------------------------------------------------- weighing
def test_one_neither_clue_lowers_but_cannot_erase_a_stated_service():
    stated = one("We run payroll processing for small employers.")
    mixed = one("Family bakery that also runs payroll processing for small employers.")
    assert mixed["soc_report"] in ("SOC 1", "Both")
    assert mixed["soc1_score"] < stated["soc1_score"]
    assert mixed["confidence"] == "low"
    assert "though 'bakery' in Description points the other way" in mixed["rationale"]


def test_paying_people_on_the_customers_behalf_is_a_stated_service():
    row = one("Buy now, pay later at checkout for furniture retailers: we pay the retailer upfront.")
    assert row["soc_report"] in ("SOC 1", "Both"), row["evidence"]
    assert "'pay ... retailer'" in row["evidence"]


def test_several_strong_neither_clues_can_erase_it():
    row = one("We run payroll processing in house.", Industry="Restaurants", NAICS="722511")
    assert row["soc_report"] == "Neither", row["rationale"]
    assert row["confidence"] == "low"
    assert "points the other way" in row["rationale"]


def test_a_product_noun_is_lowered_by_one_neither_clue_and_erased_by_more():
    # a bakery's own analytics platform is no service to other organisations
    alone = one("Our analytics platform tracks every campaign.")
    bakery = one("Neighbourhood bakery; our analytics platform tracks every loaf we bake.")
    assert bakery["soc2_score"] < alone["soc2_score"]
    labelled = one(
        "Neighbourhood bakery; our analytics platform tracks every loaf we bake.", Industry="Food Production"
    )
    assert labelled["soc_report"] == "Neither", labelled["rationale"]


@pytest.mark.parametrize(
    "text",
    [
        "Donation platform for charities: we process the gifts and remit the proceeds monthly.",
        "Claims portal for self-insured employers; we adjudicate and pay the claims.",
        "Online marketplace for machine parts that processes buyer payments and pays out sellers.",
    ],
)
def test_a_service_to_customers_money_run_on_a_platform_it_offers_needs_both_reports(text):
    row = one(text)
    assert row["soc_report"] == "Both", (row["evidence"], row["rationale"])
    assert row["soc2_score"] >= row["soc1_score"] - 1e-9


@pytest.mark.parametrize(
    "text",
    [
        "We keep the books for forty restaurants.",
        "We keep the books for florists; our own files sit on a platform from a vendor.",
    ],
)
def test_the_same_service_without_a_platform_of_its_own_stays_soc_1(text):
    assert one(text)["soc_report"] == "SOC 1"


def test_weighing_agrees_with_its_formula_on_random_evidence():
    from socanalysis.classifier.weighing import _AGAINST, _EXPLICIT_ROWS, _S, _SCORED, SHARE, weigh

    rng = np.random.default_rng(0)
    n = 500
    evidence = rng.uniform(-2, 4, (_EXPLICIT_ROWS[-1] + 1, n))
    evidence[_AGAINST] = rng.uniform(0, 3, n) * (rng.random(n) < 0.6)
    evidence[list(_EXPLICIT_ROWS)] = rng.uniform(0, 3, (2, n)) * (rng.random((2, n)) < 0.5)
    strongest = evidence[_AGAINST] * rng.uniform(0.3, 1, n)
    before = evidence.copy()
    weighed = weigh(evidence, strongest)
    for i, target in enumerate(("SOC 1", "SOC 2")):
        k = _S[target]
        units = np.maximum(before[k], (1 - SHARE) * before[_EXPLICIT_ROWS[i]] - (before[_AGAINST] - strongest))
        np.testing.assert_allclose(weighed.score[k], 1 - np.exp(-np.maximum(units, 0)))
        np.testing.assert_allclose(weighed.support[i], before[k] + before[_AGAINST])
    others = [_S[t] for t in _SCORED if t not in ("SOC 1", "SOC 2")]
    np.testing.assert_allclose(weighed.score[others], 1 - np.exp(-np.maximum(before[others], 0)))


# --------------------------------------------------------------------------- rationales quote what decided
QUOTE = re.compile(r"'([^']+)' in ([A-Za-z ]+?)(?:\)| points the other way)")


def _evidence_of(evidence: str, column: str) -> str:
    """The part of an evidence text that a column's hits fill."""
    for part in evidence.split("; "):
        name, _, terms = part.partition(": ")
        if name == column:
            return terms
    return ""


OUTCOMES = [
    # (outcome, description, other columns, expected report, quoted at least, conflict)
    ("SOC 1", "Outsourced bookkeeping and month-end close for dentists.", {}, "SOC 1", 1, False),
    ("SOC 2", "Managed firewall and endpoint monitoring for architects.", {}, "SOC 2", 1, False),
    ("Both", "Payroll and HR software that stores employee records for employers.", {}, "Both", 1, False),
    ("Neither with evidence", "Granite quarry producing gravel for road builders.", {}, "Neither", 1, False),
    ("Neither without evidence", "Founded in 1990 and based in Leeds.", {}, "Neither", 0, False),
    ("Neither over weak signs", "Friendly team, founded in 1990, based in Leeds.", {}, "Neither", 1, False),
    ("Undetermined", None, {}, "Undetermined", 0, False),
    ("a conflict", "Family bakery that also runs payroll processing for small employers.", {}, "Both", 2, True),
    ("an ambiguous label", None, {"Industry": "Professional Services"}, "SOC 2", 1, False),
    ("a pair", "We administer pension plans for trade unions.", {}, "SOC 1", 1, False),
    ("customers named", "Reservation software that hotels and resorts use.", {}, "SOC 2", 1, False),
]


@pytest.mark.parametrize(
    ("outcome", "text", "columns", "report", "quotes", "conflict"), OUTCOMES, ids=[o[0] for o in OUTCOMES]
)
def test_each_rationale_quotes_evidence_of_its_own_row_in_the_column_named(
    outcome, text, columns, report, quotes, conflict
):
    row = one(text, **columns)
    assert row["soc_report"] == report, row["rationale"]
    quoted = QUOTE.findall(row["rationale"])
    assert len(quoted) >= quotes, row["rationale"]
    for term, column in quoted:
        shown = _evidence_of(row["evidence"], column)
        assert f"'{term}'" in shown, (term, column, row["evidence"])
        assert f"not '{term}'" not in shown  # a negated term never decides
    assert ("points the other way" in row["rationale"]) is conflict
    if conflict:
        assert row["confidence"] == "low"
    if outcome in ("an ambiguous label", "Neither over weak signs"):
        assert row["confidence"] == "low"
    if outcome in ("Undetermined", "Neither without evidence"):
        assert row["confidence"] == "low" and not quoted


def test_a_report_over_a_sign_of_no_service_in_the_text_is_not_high():
    # the service words may be what the organisation uses for itself, in words no cue knows
    for text in ("Yoga studio with a members app and card payments.", "Florist, card payments taken online."):
        row = one(text)
        assert row["soc_report"] != "Neither" and row["confidence"] != "high", (text, row["evidence"])
    assert one("We run payroll processing for small employers.")["confidence"] == "high"


def test_the_rationale_of_a_pair_quotes_both_words():
    row = one("We administer pension plans for trade unions.")
    assert "('administer ... pension plans' in Description)" in row["rationale"]


def test_a_customer_named_is_quoted_as_customers_not_as_the_industry():
    row = one("Reservation software that hotels and resorts use.")
    assert "Runs hotels" not in row["rationale"]
    assert "(customers)" in row["evidence"]


# --------------------------------------------------------------------------- confidence
def test_confidence_is_high_for_a_plainly_stated_service_and_low_where_signs_are_weak_or_mixed():
    out = classify(
        pd.DataFrame(
            {
                "Description": [
                    "Payroll processing and benefits administration for employers.",  # stated
                    "Our platform helps teams.",  # weak signs only
                    "Family bakery that also runs payroll processing for small employers.",  # mixed
                    "Cloud hosting and colocation in three data centres.",  # stated
                ]
            }
        )
    )
    # weak signs alone: low, or medium where the learned reading finds the report likely (never high)
    assert out["confidence"][[0, 2, 3]].tolist() == ["high", "low", "high"]
    assert out["confidence"][1] in ("low", "medium")


def test_a_label_that_says_neither_over_signs_of_a_service_in_the_text_is_low():
    row = one("A communication app and platform for companies and their teams.", Industry="Education")
    assert row["soc_report"] == "Neither"
    assert row["confidence"] == "low"


def test_one_neither_clue_over_a_sign_of_a_service_is_not_high():
    out = classify(
        pd.DataFrame(
            {
                "Description": [
                    "Snowflake consultancy, they also manage pipelines for clients.",  # one clue, a weak sign
                    "Strategy consultancy.",  # one clue, nothing else
                    "Family bakery and coffee shop.",  # two clues
                ]
            }
        )
    )
    assert out["soc_report"].tolist() == ["Neither", "Neither", "Neither"]
    assert out["confidence"].tolist() == ["medium", "high", "high"]


def test_one_neither_clue_over_several_signs_of_a_service_is_low():
    row = one("Bakery chain with an app and an online platform for its customers.")
    assert row["soc_report"] == "Neither" and row["confidence"] == "low", row["evidence"]


@pytest.mark.parametrize(
    "text",
    [
        "A specialist insurer writing marine and aviation cover, listed on the London Stock Exchange.",
        "A regional bank with 80 branches: current accounts, mortgages and business banking.",
    ],
)
def test_a_description_of_an_insurer_or_a_bank_of_its_own_outweighs_a_broad_label(text):
    row = one(text, Industry="Insurance" if "insurer" in text else "Banking")
    assert row["soc_report"] == "Neither", (row["evidence"], row["rationale"])


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("We run IT for about twenty veterinary practices.", "'run it for'"),
        ("They look after IT for architects' offices.", "'look after it for'"),
    ],
)
def test_it_run_for_organisations_is_the_managed_service_quoted(text, quoted):
    row = one(text)
    assert row["soc_report"] == "SOC 2" and quoted in row["evidence"], row["evidence"]
    assert "(customers)" not in row["evidence"].split(quoted)[1][:3]
