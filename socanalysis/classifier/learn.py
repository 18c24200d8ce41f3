"""Train the learned reading (:mod:`socanalysis.classifier.learned`) from labelled descriptions.

    python -m socanalysis.classifier.learn tests/data/typed_phrasings.csv

writes ``socanalysis/classifier/rules/learned.json``: per report, a logistic regression
(scikit-learn, a development dependency) over the TF-IDF weights of the descriptions' words, cut
as :func:`~socanalysis.classifier.learned.words` cuts them. The rules' one-word kinds of
organisation ("hospitals", "bakery") are left out: the words say what is done, never who it is
done for. Stop words ("for", "the") and words of one or two characters count but are marked never
to be quoted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .learned import TARGETS, words
from .matching import term_key
from .pairs import CAPABLE
from .rules import load_rules

STRENGTH = 10.0  # the regression's inverse regularisation (scikit-learn's C)
LABELS = {"SOC 1": (1, 0), "SOC 2": (0, 1), "Both": (1, 1), "Neither": (0, 0)}
OUTPUT = Path(__file__).parent / "rules" / "learned.json"


def _lettered(word: str) -> bool:
    """Whether a word has a letter or digit: a dash or a quotation mark alone is never quoted."""
    return any(c.isalnum() for c in word)


def organisation_stems() -> frozenset[str]:
    """The stems of the rules' one-word kinds of organisation and industries ("hospital", "bakery")."""
    rs = load_rules()
    flags = rs.lexicon.roles.flags
    return frozenset(
        key[0] for t in rs.terms[: len(flags)] if flags[t.id] & CAPABLE and len(key := term_key(t.text)) == 1
    )


def train(paths) -> dict:
    """The weights learned from labelled descriptions (CSV files with ``Description`` and ``expect``;
    rows whose ``expect`` is not SOC 1, SOC 2, Both or Neither are left out), as ``learned.json`` holds them."""
    import pandas as pd
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    stems = organisation_stems()
    ignored: dict[str, bool] = {}

    def read(text: str) -> list[str]:
        found = words(text)
        for w in found:
            if w not in ignored:
                key = term_key(w)
                ignored[w] = bool(key) and key[0] in stems
        return [w for w in found if not ignored[w]]

    data = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths], ignore_index=True)
    data = data[data["expect"].isin(list(LABELS))]
    vectorizer = TfidfVectorizer(analyzer=read, sublinear_tf=True)
    x = vectorizer.fit_transform(data["Description"].tolist())
    y = np.array([LABELS[e] for e in data["expect"]])
    names = vectorizer.get_feature_names_out().tolist()
    coef, intercept = {}, []
    for k, target in enumerate(TARGETS):
        model = LogisticRegression(C=STRENGTH, max_iter=5000).fit(x, y[:, k])
        coef[target] = [round(float(c), 6) for c in model.coef_[0]]
        intercept.append(round(float(model.intercept_[0]), 6))
    return {
        "about": "Learned weights of socanalysis.classifier.learned; regenerate with "
        "python -m socanalysis.classifier.learn tests/data/typed_phrasings.csv",
        "rows": len(data),
        "words": names,
        "quiet": [i for i, w in enumerate(names) if w in ENGLISH_STOP_WORDS or len(w) < 3 or not _lettered(w)],
        "idf": [round(float(v), 6) for v in vectorizer.idf_],
        "coef": coef,
        "intercept": intercept,
    }


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Learn the weights of the learned reading from labelled descriptions.")
    parser.add_argument("paths", nargs="+", help="CSV files with Description and expect columns")
    parser.add_argument("-o", "--output", default=str(OUTPUT), help=f"where to write (default: {OUTPUT})")
    args = parser.parse_args(argv)
    text = json.dumps(train(args.paths), separators=(",", ":")) + "\n"
    temporary = Path(f"{args.output}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, args.output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
