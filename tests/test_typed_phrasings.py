"""Descriptions typed the way a partner types them in a meeting, one sentence each.

``tests/data/typed_phrasings.csv`` holds invented sentences (no company of any list), one per
row, labelled by the SOC facts of the rules: ``expect`` is ``SOC 1`` (the answer must include
SOC 1), ``SOC 2`` (must include SOC 2), ``Both``, ``Any`` (any report) or ``Neither``;
``failure_class`` names the trap the sentence sets (a Neither word beside a stated service,
customers named, an investor, a word in one of its senses, an activity done to customers'
things, a service in marketing words, or a plain Neither).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from socanalysis import classify

DATA = Path(__file__).parent / "data" / "typed_phrasings.csv"
REPORTS = {"SOC 1": {1}, "SOC 2": {2}, "Both": {1, 2}, "Neither": set()}
CLASSES = {
    "neither-clue",
    "customers",
    "investors",
    "sense-mobile",
    "sense-collection",
    "sense-security",
    "sense-electronic",
    "sense-records",
    "sense-capital",
    "sense-clinic",
    "activity",
    "marketing",
    "neither",
}


def right(expect: str, report: str) -> bool:
    got = REPORTS.get(report)
    if got is None:
        return False
    return {
        "SOC 1": 1 in got,
        "SOC 2": 2 in got,
        "Both": got == {1, 2},
        "Any": bool(got),
        "Neither": not got,
    }[expect]


def balanced(expect: pd.Series, report: pd.Series) -> tuple[float, float, float]:
    """SOC 1 recall, SOC 2 recall and Neither kept, each over the rows that say something about it."""
    got = [REPORTS.get(r) for r in report]

    def recall(expects, want):
        picked = [g for e, g in zip(expect, got, strict=True) if e in expects]
        return sum(g is not None and want(g) for g in picked) / len(picked)

    return (
        recall({"SOC 1", "Both"}, lambda g: 1 in g),
        recall({"SOC 2", "Both"}, lambda g: 2 in g),
        recall({"Neither"}, lambda g: g == set()),
    )


@pytest.fixture(scope="module")
def judged() -> pd.DataFrame:
    labelled = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    out = classify(labelled[["Company", "Description"]])
    return labelled.assign(
        soc_report=out["soc_report"].to_numpy(),
        confidence=out["confidence"].to_numpy(),
        rationale=out["rationale"].to_numpy(),
    )


def test_the_file_covers_every_failure_class_with_sixty_sentences_or_more():
    labelled = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    assert len(labelled) >= 60
    assert set(labelled["failure_class"]) == CLASSES
    assert labelled["failure_class"].value_counts().min() >= 5
    assert set(labelled["expect"]) <= {"SOC 1", "SOC 2", "Both", "Any", "Neither"}
    assert labelled["Description"].is_unique and labelled["Company"].is_unique


def test_typed_descriptions_are_decided_with_a_balanced_accuracy_of_at_least_95_percent(judged):
    soc1, soc2, neither = balanced(judged["expect"], judged["soc_report"])
    misses = judged[[not right(e, r) for e, r in zip(judged["expect"], judged["soc_report"], strict=True)]]
    shown = "\n".join(f"{m.expect} -> {m.soc_report}: {m.Description}" for m in misses.itertuples())
    assert (soc1 + soc2 + neither) / 3 >= 0.95, shown
    assert min(soc1, soc2, neither) >= 0.92, shown


def test_soc1_is_rarely_added_where_only_a_soc2_is_needed(judged):
    soc2_only = judged[judged["expect"] == "SOC 2"]
    over = soc2_only["soc_report"].isin(["SOC 1", "Both"]).mean()
    assert over <= 0.08, soc2_only[soc2_only["soc_report"].isin(["SOC 1", "Both"])]["Description"].tolist()


def test_the_scoring_here_can_fail():
    expect = pd.Series(["SOC 1", "SOC 2", "Neither", "Both"])
    assert balanced(expect, pd.Series(["SOC 1", "SOC 2", "Neither", "Both"])) == (1.0, 1.0, 1.0)
    assert balanced(expect, pd.Series(["Neither", "Neither", "SOC 2", "Undetermined"])) == (0.0, 0.0, 0.0)
