"""The learned reading: what a description resembles, when the rules cannot tell.

The rules recognise a service by its words and by what it does to whose things; a description in
words that no rule knows ("we image laptops for corporate investigations and keep the evidence")
finds nothing and comes out Neither. The learned reading weighs every word of such a description
by how the reference descriptions use it: a logistic regression per report (SOC 1, SOC 2) over the
words' TF-IDF weights, trained on the labelled, invented descriptions of
``tests/data/typed_phrasings.csv`` (each labelled from the domain notes). Its weights are rule
data, shipped in ``rules/learned.json``; this module reads them with no library beyond NumPy.

It is asked only about rows whose answer rests on the description alone (no industry label, code
or answer decided it) and is not ``high`` (:func:`socanalysis.classifier.decide.classify_columns`).
Where the probability of a report reaches :data:`THRESHOLD`, the row gets a hit of the rule that
names the learned reading for that report (``learned: SOC 1`` or ``learned: SOC 2`` in the rules),
quoting the word that weighed most, and is weighed again with the rest of its evidence: a strong
Neither clue still counts against it, and a decision that rests on it is never ``high``.

Retrain after changing the reference descriptions (scikit-learn, a development dependency)::

    python -m socanalysis.classifier.learned tests/data/typed_phrasings.csv

>>> reading = Reading.load()
>>> p, top = reading.read(["we chase unpaid dues for HOAs and send the money on monthly"])
>>> bool(p[0, 0] >= THRESHOLD), top[0][0]
(True, 'dues')
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

TARGETS = ("SOC 1", "SOC 2")
THRESHOLD = 0.55
MEDIUM_FROM = 0.8  # a learned report at least this likely is `medium`, else `low`
STRENGTH = 10.0  # the regression's inverse regularisation (scikit-learn's C)
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern, on lower-cased text
LABELS = {"SOC 1": (1, 0), "SOC 2": (0, 1), "Both": (1, 1), "Neither": (0, 0)}


@dataclass(frozen=True)
class Reading:
    """The learned weights: vocabulary, inverse document frequencies, a coefficient per word and report."""

    words: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # words x reports
    intercept: np.ndarray  # reports
    quiet: np.ndarray  # per word: a stop word ("for", "the"), which counts but is never quoted

    @staticmethod
    @lru_cache(maxsize=1)
    def load() -> Reading:
        """The shipped weights (``rules/learned.json``)."""
        text = (resources.files("socanalysis.classifier.rules") / "learned.json").read_text(encoding="utf-8")
        return Reading.from_json(json.loads(text))

    @staticmethod
    def from_json(doc: dict) -> Reading:
        words = doc["words"]
        coef = np.array([doc["coef"][t] for t in TARGETS], dtype=float).T
        quiet = np.zeros(len(words), dtype=bool)
        quiet[doc["quiet"]] = True
        return Reading(
            {w: i for i, w in enumerate(words)}, np.array(doc["idf"]), coef, np.array(doc["intercept"]), quiet
        )

    def counting(self, target: str) -> list[str]:
        """The words that count for ``target`` (a positive coefficient): those a hit may quote."""
        column = self.coef[:, TARGETS.index(target)]
        return [w for w, i in self.words.items() if column[i] > 0]

    def read(self, texts: list[str]) -> tuple[np.ndarray, list[list[str]]]:
        """Per text, the probability of each report (texts x 2) and, per report, the word that weighed most for it."""
        probs = np.zeros((len(texts), len(TARGETS)))
        tops: list[list[str]] = [[""] * len(texts) for _ in TARGETS]
        for row, text in enumerate(texts):
            counts: dict[int, int] = {}
            for token in TOKEN.findall(text.lower()):
                i = self.words.get(token)
                if i is not None:
                    counts[i] = counts.get(i, 0) + 1
            if not counts:
                probs[row] = _sigmoid(self.intercept)
                continue
            index = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * self.idf[index]
            weight /= math.sqrt(float(weight @ weight))
            share = weight[:, None] * self.coef[index]  # words x reports
            probs[row] = _sigmoid(self.intercept + share.sum(axis=0))
            quotable = np.where(self.quiet[index][:, None], -np.inf, share)
            best = quotable.argmax(axis=0)
            for k in range(len(TARGETS)):
                if quotable[best[k], k] > 0:
                    tops[k][row] = _word_of(self, int(index[best[k]]))
        return probs, tops


def _word_of(reading: Reading, i: int) -> str:
    names = getattr(reading, "_names", None)
    if names is None:
        names = list(reading.words)
        object.__setattr__(reading, "_names", names)
    return names[i]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def train(paths) -> dict:
    """The weights learned from labelled descriptions (CSV files with ``Description`` and ``expect``;
    rows whose ``expect`` is not SOC 1, SOC 2, Both or Neither are left out), as ``learned.json`` holds them."""
    import pandas as pd
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from .matching import term_key

    stems = organisation_stems()
    ignored = {}
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    data = pd.concat(frames, ignore_index=True)
    data = data[data["expect"].isin(list(LABELS))]

    def words_of(text: str) -> list[str]:
        tokens = TOKEN.findall(text.lower())
        for t in tokens:
            if t not in ignored:
                key = term_key(t)
                ignored[t] = bool(key) and key[0] in stems
        return [t for t in tokens if not ignored[t]]

    vectorizer = TfidfVectorizer(analyzer=words_of, sublinear_tf=True)
    x = vectorizer.fit_transform(data["Description"].tolist())
    y = np.array([LABELS[e] for e in data["expect"]])
    words = vectorizer.get_feature_names_out().tolist()
    coef, intercept = {}, []
    for k, target in enumerate(TARGETS):
        model = LogisticRegression(C=STRENGTH, max_iter=5000).fit(x, y[:, k])
        coef[target] = [round(float(c), 6) for c in model.coef_[0]]
        intercept.append(round(float(model.intercept_[0]), 6))
    return {
        "about": "Learned weights of socanalysis.classifier.learned; regenerate with "
        "python -m socanalysis.classifier.learned tests/data/typed_phrasings.csv",
        "rows": len(data),
        "words": words,
        "quiet": [i for i, w in enumerate(words) if w in ENGLISH_STOP_WORDS],
        "idf": [round(float(v), 6) for v in vectorizer.idf_],
        "coef": coef,
        "intercept": intercept,
    }


def organisation_stems() -> frozenset[str]:
    """The stems of the rules' one-word kinds of organisation and industries ("hospital", "stadium",
    "bakery"): left out of the reading, whose words say what is done, never who it is done for (the
    customers are not the organisation, and who the organisation is, the rules weigh)."""
    from .matching import term_key
    from .pairs import CAPABLE
    from .rules import load_rules

    rs = load_rules()
    flags = rs.lexicon.roles.flags
    return frozenset(
        key[0] for t in rs.terms[: len(flags)] if flags[t.id] & CAPABLE and len(key := term_key(t.text)) == 1
    )


def _main(argv=None) -> int:
    import argparse
    import os
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Learn the weights of the learned reading from labelled descriptions.")
    parser.add_argument("paths", nargs="+", help="CSV files with Description and expect columns")
    out = Path(__file__).parent / "rules" / "learned.json"
    parser.add_argument("-o", "--output", default=str(out), help=f"where to write (default: {out})")
    args = parser.parse_args(argv)
    text = json.dumps(train(args.paths), separators=(",", ":")) + "\n"
    temporary = Path(f"{args.output}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
