"""The learned reading (socanalysis.classifier.learned): asked only where the description alone
decides and the rules are unsure, quoted in the rationale, never ``high``, and reproducible from
the reference descriptions. The sentences here are invented."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from socanalysis import classify
from socanalysis.classifier import learn, learned
from socanalysis.classifier.learned import THRESHOLD, Reading
from socanalysis.classifier.rules import load_rules
from socanalysis.errors import RulesError

DATA = Path(__file__).parent / "data" / "typed_phrasings.csv"
SHIPPED = Path(learned.__file__).parent / "rules" / "learned.json"
OFF = {
    "rules": [
        {"id": "reads-like-financial-service", "enabled": False},
        {"id": "reads-like-data-service", "enabled": False},
    ]
}
# no rule term decides these; the learned reading finds a report in each
UNSURE = [
    "we work out the commissions of insurance agents and pay them out",
    "we chase unpaid dues for HOAs and send the money on monthly",
    "we host wiki and ticket tools for engineering teams",
]


def test_the_shipped_weights_are_those_the_reference_descriptions_give():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == learn.train([DATA])


def test_the_reading_gives_a_probability_per_report_and_the_word_that_weighed_most():
    probs, tops = Reading.load().read(["Payroll processing for employers", "A bakery with two shops", ""])
    assert probs.shape == (3, 2)
    assert probs[0, 0] >= THRESHOLD > probs[1, 0]
    assert tops[0][0] == "payroll"
    assert probs[1].max() < THRESHOLD  # a bakery reads like neither report
    assert tops[0][2] == tops[1][2] == ""  # nothing to quote in an empty text


def test_a_stop_word_is_never_quoted():
    reading = Reading.load()
    quiet = {w for w, i in reading.words.items() if reading.quiet[i]}
    assert {"for", "the", "and"} <= quiet and all(len(w) >= 3 for w in reading.words if w not in quiet)
    _, tops = reading.read(["payroll for the employers and for the schools"])
    assert tops[0][0] not in quiet and tops[0][0]


@pytest.fixture(scope="module")
def both_ways():
    frame = pd.DataFrame({"Company": [f"C{i}" for i in range(len(UNSURE))], "Description": UNSURE})
    return classify(frame), classify(frame, rules=OFF)


def test_an_unsure_description_gets_the_report_it_reads_like_quoted_and_not_high(both_ways):
    on, off = both_ways
    assert (off["soc_report"] == "Neither").all() and (off["confidence"] != "high").all()
    changed = on["soc_report"] != off["soc_report"]
    assert changed.all(), on[["soc_report", "rationale"]]
    for row in on[changed].itertuples():
        assert row.soc_report in ("SOC 1", "SOC 2", "Both")
        assert row.confidence in ("medium", "low")
        assert "Reads like the reference descriptions" in row.rationale
        quoted = row.evidence.split("(learned)")[0].rsplit("'", 2)[1]
        assert quoted in row.Description.lower()  # the word quoted is the row's own
        assert f"'{quoted}' in Description" in row.rationale


def test_the_reading_is_not_asked_where_a_sign_of_no_service_is_counted():
    frame = pd.DataFrame({"Description": [f"{text}; we also run a bakery" for text in UNSURE]})
    out = classify(frame)
    assert not out["evidence"].str.contains("(learned)", regex=False).any()
    assert (out["soc_report"] == "Neither").all()


def test_the_reading_is_not_asked_where_the_description_denies_what_it_names():
    out = classify(pd.DataFrame({"Description": ["We do not host websites or apps for anyone."]})).iloc[0]
    assert "not 'website'" in out["evidence"] and "(learned)" not in out["evidence"]
    assert out["soc_report"] == "Neither"


def test_the_reading_never_quotes_a_word_that_names_the_customers():
    text = "Usability interviews and research for app companies, delivered as a findings report."
    out = classify(pd.DataFrame({"Description": [text]})).iloc[0]
    assert "'app' (customers)" in out["evidence"] and "(learned)" not in out["evidence"]
    assert out["soc_report"] == "Neither"
    # a word of its own service is still quoted where the customers are other words
    chased = "We chase unpaid dues for dentists and send the money on."
    served = classify(pd.DataFrame({"Description": [chased]})).iloc[0]
    assert "'dentist' (customers)" in served["evidence"] and "(learned)" in served["evidence"]


def test_the_reading_is_not_asked_where_an_industry_label_or_code_has_a_say():
    for column, value in (("Industry", "Restaurants"), ("NAICS", "722511")):
        frame = pd.DataFrame({"Description": UNSURE, column: [value] * 3})
        out = classify(frame)
        assert not out["evidence"].str.contains("(learned)", regex=False).any()
        assert (out["soc_report"] == classify(frame, rules=OFF)["soc_report"]).all()


def test_high_answers_are_left_as_the_rules_give_them():
    labelled = pd.read_csv(DATA, dtype=str, keep_default_na=False)[["Company", "Description"]]
    on, off = classify(labelled), classify(labelled, rules=OFF)
    high = off["confidence"] == "high"
    assert high.sum() > 500
    pd.testing.assert_frame_equal(on[high], off[high])
    assert not on.loc[high, "evidence"].str.contains("(learned)", regex=False).any()
    assert (on.loc[~high, "confidence"] != "high").all()
    assert (on["soc_report"] != off["soc_report"]).any()  # the reading does something


def test_rows_read_again_come_back_in_place_whole_and_as_alone():
    labelled = pd.read_csv(DATA, dtype=str, keep_default_na=False).iloc[::7][["Company", "Description"]]
    frame = pd.concat([labelled, pd.DataFrame({"Company": ["X", "Y"], "Description": [None, UNSURE[0]]})])
    frame.index = range(100, 100 + len(frame))
    out = classify(frame)
    assert len(out) == len(frame) and (out.index == frame.index).all()
    pd.testing.assert_frame_equal(out[["Company", "Description"]], frame)
    one_by_one = pd.concat([classify(frame.iloc[[i]]) for i in range(len(frame))])
    pd.testing.assert_frame_equal(out, one_by_one)
    assert out["soc_report"].iloc[-2] == "Undetermined"


def test_a_firm_can_switch_the_reading_off_or_change_its_weight():
    frame = pd.DataFrame({"Description": UNSURE})
    assert not classify(frame, rules=OFF)["evidence"].str.contains("(learned)", regex=False).any()
    weaker = {"rules": [{"id": "reads-like-data-service", "supports": {"SOC 2": 0.2}}]}
    data_rows = classify(frame)["evidence"].str.contains("(learned)", regex=False)
    assert data_rows.any()
    out = classify(frame, rules=weaker)
    assert not out.loc[out["evidence"].str.contains("(learned)", regex=False), "soc_report"].eq("SOC 2").any()


def test_two_rules_cannot_quote_the_same_report():
    twice = {
        "rules": [{"id": "another-reading", "reason": "Reads like x", "learned": "SOC 1", "supports": {"SOC 1": 0.5}}]
    }
    with pytest.raises(RulesError, match="already quoted by rule 'reads-like-financial-service'"):
        load_rules(twice)


def test_the_words_a_rule_quotes_are_those_that_count_for_its_report():
    rs = load_rules()
    reading = Reading.load()
    for target, words in rs.learned.items():
        column = reading.coef[:, learned.TARGETS.index(target)]
        assert words and all(column[reading.words[w]] > 0 for w in words)
        assert all(rs.terms[t].shown == f"'{w}' (learned)" for w, t in words.items())
    assert np.isfinite(reading.coef).all()


def _plain_read(reading: Reading, text: str) -> tuple[np.ndarray, list[str]]:
    """The reading of one text, word by word in plain Python, as the module describes it."""
    counts: dict[int, int] = {}
    for token in learned.words(text):
        if token in reading.words:
            counts[reading.words[token]] = counts.get(reading.words[token], 0) + 1
    logit = reading.intercept.copy()
    if not counts:
        return 1 / (1 + np.exp(-logit)), ["", ""]
    weight = {i: (1 + np.log(c)) * reading.idf[i] for i, c in counts.items()}
    norm = np.sqrt(sum(w * w for w in weight.values()))
    names = list(reading.words)
    tops = []
    for k in range(2):
        share = {i: w / norm * reading.coef[i, k] for i, w in weight.items()}
        logit[k] += sum(share.values())
        quotable = [(-s, names[i]) for i, s in share.items() if not reading.quiet[i] and s > 0]
        tops.append(min(quotable)[1] if quotable else "")  # the heaviest; of equals, the first in the vocabulary
    return 1 / (1 + np.exp(-logit)), tops


def test_the_column_reading_agrees_with_a_plain_one_word_by_word():
    reading = Reading.load()
    texts = pd.read_csv(DATA, dtype=str, keep_default_na=False)["Description"].tolist()[::5]
    texts += ["", "   ", "Café payroll, café payroll: PAYROLL!", "naïve résumé hosting — 24/7", "a b c", "401(k) admin"]
    texts += ["ÉCOLE payroll", "tab\tseparated\nlines", "emoji 🙂 hosting", "x"]
    probs, tops = reading.read(texts)
    assert (reading.read(pa.array(texts))[0] == probs).all()  # an Arrow column reads the same
    for i, text in enumerate(texts):
        p, t = _plain_read(reading, text)
        assert np.allclose(probs[i], p), text
        assert [tops[0][i], tops[1][i]] == t, text
