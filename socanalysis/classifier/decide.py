"""Decide which SOC report each organisation needs, and say why.

:func:`classify_columns` does the work, on whole columns of text (Arrow arrays, one per field);
:func:`classify` is its face for a DataFrame. The flow, with no Python loop over rows:

1. every text field is matched against the rule terms (:mod:`socanalysis.classifier.matching`), codes
   against the rule prefixes (:mod:`socanalysis.classifier.codes`), yes/no answers against the rules that
   name them: each match is a *hit* (row, term);
2. hits add up per row into a score per target: a weight w is worth ``-ln(1 - w)`` units of
   evidence (so weights combine like independent chances, a "noisy OR"); evidence against a
   target, and ``Neither`` evidence against both reports, takes units away; the score is
   ``1 - exp(-units)``. Weak signs (weights below 0.45: "platform", "customers") together count
   at most as much as one weak sign, so that they can support a report but never decide it;
3. a report is recommended when its score reaches 0.5; Trust Services Categories and the other
   reports worth offering follow the same rule;
4. the rationale quotes the strongest hit behind each recommendation, with the column it came
   from. Only the distinct (decision, evidence) combinations are formatted in Python.

>>> import pandas as pd, textwrap
>>> out = classify(pd.DataFrame({
...     "Company": ["Acme Payroll", "Nimbus Cloud", "Granite Quarry Co", "Blank Ltd"],
...     "Description": ["Runs payroll and benefits for small employers", "SaaS data platform for analysts",
...                     "Quarry producing crushed stone and gravel", None]}))
>>> out["soc_report"].tolist()
['Both', 'SOC 2', 'Neither', 'Undetermined']
>>> print(textwrap.fill(out.loc[0, "rationale"], 100))
Runs payroll for employers ('run payroll' in Description): it can change the numbers in its
customers' financial statements, so SOC 1; it also holds their data, so SOC 2 with Processing
Integrity and Privacy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._kernels import tally_votes, visible_ascii
from ..errors import ColumnError
from ..load import ARROW_TEXT, FIELD_BY_NAME, fields_of
from ..vocabulary import (
    ATTRS_KEY,
    CATEGORIES,
    CODE_FIELDS,
    CONFIDENCE_VALUES,
    OBJECTIVES,
    OUTPUT_COLUMNS,
    QUESTION_FIELDS,
    REPORT_VALUES,
    SIGNAL_FIELDS,
)
from .codes import code_cells, match_code_cells
from .columns import coded, splice
from .learned import MEDIUM_FROM as LEARNED_MEDIUM_FROM
from .learned import TARGETS as LEARNED_TARGETS
from .learned import THRESHOLD as LEARNED_THRESHOLD
from .learned import Reading
from .matching import Hits, _as_large_string, distinct_cells, large_string_chunks, match_labels, stem, term_key
from .rationale import evidence_column, rationale
from .rules import TARGETS, RuleSet, load_rules
from .taxonomy import REPORT_WEIGHT
from .weighing import _S, WEAK, _units, run_on_a_system, weigh, weighing_table

THRESHOLD = 0.5
READ_FIELDS = ("description", "industry", "sector", *CODE_FIELDS, *QUESTION_FIELDS, "name", "reports", "country")
"""The fields the classifier reads: those that carry signals, the name, the reports held and the country."""
_T = {name: i for i, name in enumerate(TARGETS)}
_US = frozenset(["us", "usa", "u s", "u s a", "united states", "united states of america", "america", "unitedstates"])
_CANADA = frozenset(["ca", "can", "canada"])
_YES = frozenset(["yes", "y", "true", "t", "1", "x", "✓", "✔", "checked"])
_NO = frozenset(["no", "n", "false", "f", "0", "none"])
_YES_ARROW = pa.array(sorted(_YES), pa.large_string())
_NO_ARROW = pa.array(sorted(_NO), pa.large_string())


def classify(df: pd.DataFrame, *, rules=None) -> pd.DataFrame:
    """Classify every organisation in ``df``.

    Parameters
    ----------
    df : DataFrame
        A portfolio or lead list, as returned by :func:`socanalysis.load_portfolio` or any frame
        whose headers name at least one signal field (description, industry, sector, NAICS, SIC or
        a yes/no questionnaire column).
    rules : path, list of paths, dict or RuleSet, optional
        A firm's rules, merged over the defaults (see :mod:`socanalysis.classifier.rules`).

    Returns
    -------
    DataFrame
        A new frame: every input row once, in order, the input columns unchanged, plus the
        columns in ``OUTPUT_COLUMNS``. Output columns already present in ``df`` (a file that was
        classified before) are replaced.
    """
    mapping = fields_of(df)
    if not any(f in mapping for f in SIGNAL_FIELDS):
        accepted = ", ".join(f'"{FIELD_BY_NAME[f].synonyms[0]}"' for f in SIGNAL_FIELDS[:5])
        raise ColumnError(
            f"no column carries anything to classify on; the columns are: "
            f"{', '.join(map(repr, map(str, df.columns)))}. Accepted: a description, industry, sector, "
            f"NAICS, SIC or yes/no questionnaire column, headed e.g. {accepted}"
        )
    base = df.drop(columns=[c for c in OUTPUT_COLUMNS if c in df.columns and c not in mapping.values()])
    # the columns read go to the classifier as Arrow text, once
    fields = {
        f: pa.chunked_array(large_string_chunks(base[c]), pa.large_string())
        for f, c in mapping.items()
        if f in READ_FIELDS
    }
    columns = classify_columns(fields, len(base), headers=mapping, rules=rules)
    out = pd.concat([base.reset_index(drop=True), output_frame(columns)], axis=1)
    out.index = base.index
    notes = df.attrs.get(ATTRS_KEY, {}).get("notes")
    if notes:
        out["problem"] = _with_reading_notes(out["problem"], notes)
    out.attrs = {**df.attrs, ATTRS_KEY: {**df.attrs.get(ATTRS_KEY, {}), "fields": mapping}}
    assert len(out) == len(df)
    return out


def _with_reading_notes(problem: pd.Series, notes: Mapping[int, str]) -> pd.Series:
    """What reading repaired in a row (the loader's notes, by the row's label in the frame it read:
    a filtered or sorted frame keeps them), before the row's own problems.

    >>> _with_reading_notes(pd.Series(["", "x"], index=[3, 7]), {7: "a NUL byte removed", 9: "other"}).tolist()
    ['', 'a NUL byte removed; x']
    """
    if not pd.api.types.is_integer_dtype(problem.index):
        return problem
    shown = [(label, notes[label]) for label in problem.index if label in notes]
    if not shown:
        return problem
    out = problem.astype(object).copy()
    for label, note in shown:
        own = out.loc[label]
        out.loc[label] = f"{note}; {own}" if own else note
    return out.astype(problem.dtype)


def classify_columns(
    fields: Mapping[str, pa.Array | pa.ChunkedArray],
    rows: int,
    *,
    headers: Mapping[str, str] | None = None,
    rules=None,
) -> dict[str, pa.Array]:
    """The output columns of ``rows`` organisations, from the text of their fields.

    Parameters
    ----------
    fields : mapping of field name to Arrow text array
        The columns read, by field (``description``, ``naics``, ``q_payroll`` ...; see
        :data:`READ_FIELDS`; others are ignored), each of ``rows`` values, nulls for missing ones.
    rows : int
        How many organisations.
    headers : mapping of field name to str, optional
        The column header of each field, as the rationale, evidence and problems name it (by
        default the field's own name).
    rules : path, list of paths, dict or RuleSet, optional
        As for :func:`classify`.

    Returns
    -------
    dict of str to pyarrow.Array
        ``OUTPUT_COLUMNS`` in order: the scores as ``double`` arrays, the evidence as a
        ``large_string`` array, every other column as a dictionary array (a few distinct texts,
        a code per row), so that a writer can copy the texts without a string per row ever being
        built. :func:`output_frame` makes them a DataFrame.

    Examples
    --------
    >>> columns = classify_columns({"description": pa.array(["Payroll processing", None])}, 2)
    >>> columns["soc_report"].to_pylist(), columns["evidence"].to_pylist()
    (['Both', 'Undetermined'], ["description: 'payroll processing'", ''])
    """
    ruleset = load_rules(rules)
    fields = {f: values for f, values in fields.items() if f in READ_FIELDS}
    headers = {f: (headers or {}).get(f, f) for f in fields}
    sig = _collect(fields, rows, headers, ruleset)
    return _read_unsure(_decide(sig, fields, headers, ruleset), sig, fields, headers, ruleset)


def output_frame(columns: Mapping[str, pa.Array]) -> pd.DataFrame:
    """The columns of :func:`classify_columns` as the DataFrame :func:`classify` appends: text as
    :data:`socanalysis.load.TEXT_DTYPE`, scores as ``float64``.

    >>> output_frame({"soc_report": pa.array(["SOC 2"]).dictionary_encode(), "soc1_score": pa.array([0.25])})
      soc_report  soc1_score
    0      SOC 2        0.25
    """
    return pd.DataFrame({name: _series(column) for name, column in columns.items()})


def _series(column: pa.Array) -> pd.Series:
    if pa.types.is_floating(column.type):  # scores: a NumPy array of their own
        return pd.Series(column.to_numpy(zero_copy_only=False, writable=True))
    if pa.types.is_dictionary(column.type):
        column = column.dictionary.take(column.indices)
    return column.to_pandas(types_mapper=ARROW_TEXT.get)


# --------------------------------------------------------------------------- collecting hits
class _Signals:
    """Everything read from the rows: hits, the order of hits per field, info flags, problems.

    Problems are kept per column as a table of texts ("" first) and a code per row, so that a
    row's text is only written when some column complains about it.
    """

    def __init__(self, n: int):
        self.n = n
        self.parts: list[Hits] = []
        self.has_info = np.zeros(n, dtype=bool)
        self.by_table = np.zeros(n, dtype=bool)  # an industry label, sector, code or answer had a say
        self.table_report = np.zeros(n, dtype=bool)  # a label or code entry that firmly or typically means a report
        self.name_part = -1  # the index in parts of the hits of the organisation's name (-1: none)
        self.against: np.ndarray | None = None  # set by _decide: a sign of no service was counted
        self.problems: list[tuple[list[str], np.ndarray]] = []

    def add_problem(self, problem_of: list[str], codes: np.ndarray) -> None:
        """Record the problems of a column: ``problem_of[codes[row]]`` per row ('' when fine)."""
        texts = sorted(set(problem_of) - {""})
        if texts:  # every distinct value is in some row: a text is some row's problem
            index = {text: i for i, text in enumerate(["", *texts])}
            code_of = np.array([index[p] for p in problem_of], dtype=np.int32)
            self.problems.append((["", *texts], code_of[codes]))


def _nonblank(values) -> np.ndarray:
    """True where a cell of a text column holds more than whitespace.

    Nearly every such cell holds a visible ASCII character, found in one compiled pass; the few
    others (blank, missing, or only accents, symbols and odd spaces) are read by ``str.strip``.
    """
    arr = _as_large_string(values)
    out = visible_ascii(arr)
    unsure = np.flatnonzero(~out & np.asarray(arr.is_valid()) if arr.null_count else ~out)
    if len(unsure):
        out[unsure] = [bool(v.strip()) for v in arr.take(pa.array(unsure)).to_pylist()]
    return out


def _collect(fields: Mapping[str, pa.Array | pa.ChunkedArray], n: int, headers: dict, rs: RuleSet) -> _Signals:
    """The hits, information and problems of every field, in order of trust: description and
    industry first, the name last."""
    sig = _Signals(n)
    labelled = None  # rows whose industry cell is a known label
    for field in ("description", "industry", "sector"):
        if field not in fields:
            continue
        # read into Arrow once for both passes, chunk by chunk: joining the chunks copies the text
        chunks = large_string_chunks(fields[field])
        sig.has_info |= np.concatenate([_nonblank(chunk) for chunk in chunks])
        column = pa.chunked_array(chunks, pa.large_string())
        if rs.labels.get(field):  # a cell that is a known industry label is looked up, not word-matched
            hits, known = match_labels(column, *rs.label_table(field))
            if field == "industry":
                labelled = known
            elif labelled is not None:  # a sector label counts only where the industry is not a label
                hits = hits.take(~labelled[hits.rows])
            sig.parts.append(hits)
            sig.by_table[hits.rows] = True
            _mark_table_report(sig, hits, rs)
            if known.any():
                column = pc.if_else(pa.array(known), "", column)
        if field != "description":  # a code in an industry cell is looked up as the code
            for system, (rows, codes) in code_cells(column).items():
                headers.setdefault(system, f"{headers[field]} ({system.upper()})")  # its evidence names the column
                _collect_codes(sig, system, codes, rs)
                column = pc.if_else(pa.array(rows), "", column)
        sig.parts.append(rs.lexicon.match(field, column))
        if field != "description":
            sig.by_table[sig.parts[-1].rows] = True
    for system in CODE_FIELDS:
        if system in fields:
            _collect_codes(sig, system, fields[system], rs)
    for q in QUESTION_FIELDS:
        if q in fields:
            _collect_answers(sig, q, fields[q], headers[q], rs)
    if "name" in fields:
        sig.name_part = len(sig.parts)
        sig.parts.append(rs.lexicon.match("name", fields["name"]))
    return sig


def _mark_table_report(sig: _Signals, hits: Hits, rs: RuleSet) -> None:
    """Mark the rows of ``hits`` (of a label or code table) whose entry firmly or typically means a report."""
    strong = rs.cache.get("report entries")  # per term: its rule gives a report of a typical entry's weight or more
    if strong is None:
        report = np.maximum(rs.weights[:, _T["SOC 1"]], rs.weights[:, _T["SOC 2"]])
        strong = rs.cache["report entries"] = _by_term(rs, report >= REPORT_WEIGHT["typical"] - 1e-9, False)
    sig.table_report[hits.rows[strong[hits.terms]]] = True


def _collect_codes(sig: _Signals, system: str, values, rs: RuleSet) -> None:
    matched = match_code_cells(system, values, rs.codes[system], rs.cache.setdefault("codes", {}))
    sig.parts.append(matched.hits)
    sig.by_table[matched.hits.rows] = True
    _mark_table_report(sig, matched.hits, rs)
    # a cell informs when it is not blank and reads as codes; decided per distinct cell
    readable = np.array([p == "" for p in matched.problems], dtype=bool)
    informs = np.append(_nonblank(matched.cells) & readable, False)  # a missing cell last
    sig.has_info |= informs[matched.codes]
    sig.add_problem(matched.problems + [""], matched.codes)


def _collect_answers(sig: _Signals, q: str, values, header: str, rs: RuleSet) -> None:
    # answers are read once per distinct cell, with the Arrow kernels of str.strip and str.lower
    cells, codes = distinct_cells(values)
    answer = pc.utf8_lower(pc.utf8_trim_whitespace(cells))
    yes_of = np.append(pc.is_in(answer, value_set=_YES_ARROW).to_numpy(zero_copy_only=False), False)
    no_of = np.append(pc.is_in(answer, value_set=_NO_ARROW).to_numpy(zero_copy_only=False), False)
    bad_of = ~(yes_of | no_of) & np.append(pc.not_equal(answer, "").to_numpy(zero_copy_only=False), False)
    yes = yes_of[codes]
    sig.has_info |= (yes_of | no_of)[codes]
    term = rs.answers.get(q)
    if term is not None and yes.any():
        rows = np.flatnonzero(yes).astype(np.int64)
        sig.parts.append(Hits(rows, np.full(len(rows), term, np.int32), np.zeros(len(rows), bool)))
        sig.by_table[rows] = True
    if bad_of.any():
        problem_of = [""] * len(bad_of)
        for i in np.flatnonzero(bad_of).tolist():
            problem_of[i] = f"{header!r}: {cells[i].as_py()!r} is not yes or no"
        sig.add_problem(problem_of, codes)


# --------------------------------------------------------------------------- deciding
def _tally(rs: RuleSet, n: int, hits: Hits, dropped: np.ndarray):
    """:func:`socanalysis._kernels.scanning.tally_votes` of the hits not dropped: the evidence of ``_SCORED``
    and the rows that weighing reads (:func:`socanalysis.classifier.weighing.weighing_table`)."""
    table = rs.cache.get("weighing")  # per rule set: built once
    if table is None:
        table = rs.cache["weighing"] = weighing_table(rs.weights, rs.objectives, rs.explicit)
    weak_cap = _units(np.array([WEAK]))[0]
    return tally_votes(
        n,
        hits.rows,
        hits.terms,
        dropped,
        rs.term_rule,
        table.units,
        table.weak_slot,
        table.against,
        weak_cap,
        table.rule_bits,
        table.tops,
    )


def _decide(sig: _Signals, fields: Mapping, headers: dict[str, str], rs: RuleSet) -> dict[str, pa.Array]:
    n, info = sig.n, sig.has_info
    hits = Hits.concat(sig.parts)
    customer = hits.audience  # customers or investments named: shown, not counted (classifier.pairs)
    # one vote per (row, rule), with its first term; weak signs (weights below WEAK) add up, but
    # never beyond WEAK: alone they cannot decide; Neither evidence weighs against both reports
    overruled = _name_overruled(sig, hits, rs) & ~hits.negated & ~customer
    dropped = hits.negated | customer | overruled
    evidence, obj_bits, any_hit, top = _tally(rs, n, hits, dropped)
    run_on_a_system(evidence, _systems_offered(rs, hits, dropped, n))
    sig.against = top[2] >= 0
    weighed = weigh(evidence, _strongest_against(rs, top[2]))
    score = weighed.score
    high = score >= THRESHOLD
    soc1 = info & high[_S["SOC 1"]]
    soc2 = info & high[_S["SOC 2"]]
    # index into REPORT_VALUES: Undetermined without info, else by which reports are recommended
    decision = _DECISIONS[(info << 2) | (soc1 << 1) | soc2]
    neither = decision == 3
    s1 = np.where(info, score[_S["SOC 1"]], 0.0)
    s2 = np.where(info, score[_S["SOC 2"]], 0.0)
    # Trust Services Categories (Security always, with a SOC 2)
    cat_bits = _pack_bits([high[_S[cat]] for cat in CATEGORIES[1:]])
    cat_bits = np.where(soc2, cat_bits, np.int64(-1))  # int64: a part of the rationale key
    # what the organisation already holds -> Type 1 or Type 2
    held1, held2 = _holdings(fields.get("reports"), n)
    type2 = (soc1 & held1) | (soc2 & held2)
    # confidence: how far the scores sit from the threshold; low where evidence points both ways
    conflict = info & weighed.conflicts(soc1, soc2, neither)
    in_text = rs.cache.get("text terms")  # per term: found in the description or the name (-1 last: none)
    if in_text is None:
        in_text = rs.cache["text terms"] = np.array([t.field in ("description", "name") for t in rs.terms] + [False])
    confidence = weighed.confidence(info, soc1, soc2, neither, any_hit, conflict, in_text[top[2]])
    # Neither that rests on a label or code which only usually (typical) or perhaps (ambiguous)
    # means Neither is at most medium or low, as a report from such an entry is
    doubt = rs.cache.get("neither doubt")
    if doubt is None:
        doubt = rs.cache["neither doubt"] = _neither_doubt(rs)
    confidence = np.where(neither, np.maximum(confidence, doubt[top[2]]), confidence)
    return {
        "soc_report": coded(REPORT_VALUES, decision),
        "soc1_score": pa.array(np.round(s1, 3)),
        "soc2_score": pa.array(np.round(s2, 3)),
        "confidence": coded(CONFIDENCE_VALUES, confidence),
        "tsc_categories": coded(_CATEGORY_TEXTS, cat_bits + 1),
        "soc1_objectives": _objectives(obj_bits, soc1, type2),
        "report_type": coded(["", "Type 1", "Type 2"], np.where(soc1 | soc2, np.where(type2, 2, 1), 0)),
        "also_consider": _also_consider(high, info, soc1, soc2, neither, _country(fields.get("country"), n)),
        "rationale": rationale(rs, headers, top, decision, soc1, soc2, neither, cat_bits, conflict),
        "evidence": evidence_column(rs, hits, customer, overruled, headers, n),
        "problem": _problems(sig, n),
    }


def _read_unsure(columns: dict, sig: _Signals, fields: Mapping, headers: dict[str, str], rs: RuleSet) -> dict:
    """The rows that the description alone decided, and not with ``high`` confidence, read again
    with the learned reading (:mod:`socanalysis.classifier.learned`): where it finds a report likely,
    the row gets a hit of the rule that quotes it and is weighed again with the rest of its evidence.

    A row whose decision this changes is ``low`` (``medium`` when the learned reading is surer);
    a row whose decision it confirms keeps its confidence.
    """
    if not rs.learned or "description" not in fields:
        return columns
    decision = columns["soc_report"].indices.to_numpy()
    confidence = columns["confidence"].indices.to_numpy()
    unsure = (decision < 4) & (confidence > 0) & ~sig.by_table & ~sig.against
    for part in sig.parts:  # what it uses, advises on, makes or denies: a bag of words cannot tell those apart
        unsure[part.rows[(part.role != 0) | part.negated]] = False
    rows = np.flatnonzero(unsure)
    if not len(rows):
        return columns
    distinct, which = distinct_cells(pc.take(fields["description"], pa.array(rows)))  # missing: len(distinct)
    described = np.append(_nonblank(distinct), False)[which]
    rows, which = rows[described], which[described]
    probs, tops = Reading.load().read(distinct)
    named = _customers_named(sig, rs, rows)  # never quoted: "research for app companies" is no app
    hit_at, hit_terms = [], []
    already = {"SOC 1": np.isin(decision[rows], (0, 2)), "SOC 2": np.isin(decision[rows], (1, 2))}
    for k, target in enumerate(LEARNED_TARGETS):
        term_of = rs.learned.get(target, {})
        for i in np.flatnonzero((probs[which, k] >= LEARNED_THRESHOLD) & ~already[target]).tolist():
            term = term_of.get(tops[k][which[i]])
            if term is not None and stem(tops[k][which[i]]) not in named.get(int(rows[i]), ()):
                hit_at.append(i)
                hit_terms.append(term)
    if not hit_at:
        return columns
    touched = np.unique(hit_at)
    again = rows[touched]
    local = np.full(sig.n, -1, dtype=np.int64)
    local[again] = np.arange(len(again))
    sub = _Signals(len(again))
    sub.has_info = sig.has_info[again]
    sub.table_report = sig.table_report[again]
    sub.name_part = sig.name_part  # the parts are kept in their order, the learned reading's after them
    for part in sig.parts:
        kept = part.take(local[part.rows] >= 0)
        kept.rows = local[kept.rows]
        sub.parts.append(kept)
    hit_rows = np.searchsorted(touched, hit_at)
    sub.parts.append(Hits(hit_rows.astype(np.int64), np.array(hit_terms, np.int32), np.zeros(len(hit_at), bool)))
    sub.problems = [(values, codes[again]) for values, codes in sig.problems]
    taken = {f: pc.take(fields[f], pa.array(again)) for f in ("reports", "country") if f in fields}
    redone = _decide(sub, taken, headers, rs)
    changed = redone["soc_report"].indices.to_numpy() != decision[again]
    surer = probs[which[touched]].max(axis=1) >= LEARNED_MEDIUM_FROM
    level = np.where(changed, np.where(surer, 1, 2), confidence[again])
    redone["confidence"] = coded(CONFIDENCE_VALUES, level)
    return {name: splice(column, again, redone[name]) for name, column in columns.items()}


def _customers_named(sig: _Signals, rs: RuleSet, rows: np.ndarray) -> dict[int, set[str]]:
    """Per row of ``rows``, the stems of the words of the customers it names."""
    out: dict[int, set[str]] = {}
    for part in sig.parts:
        shown = part.audience & (part.role == 0) & np.isin(part.rows, rows)
        for r, t in zip(part.rows[shown].tolist(), part.terms[shown].tolist(), strict=True):
            out.setdefault(r, set()).update(term_key(rs.terms[t].text))
    return out


def _objectives(obj_bits: np.ndarray, soc1: np.ndarray, type2: np.ndarray) -> pa.DictionaryArray:
    """The SOC 1 control objectives: those of the rules that voted, access to financial records
    always, operational effectiveness when a report is held already."""
    obj_bits |= 1 << OBJECTIVES.index("access to financial records")
    obj_bits |= type2.astype(np.int64) << OBJECTIVES.index("operational effectiveness")
    obj_bits[~soc1] = 0
    return _bits_to_text(obj_bits, OBJECTIVES)


def _also_consider(high, info, soc1, soc2, neither, country) -> pa.DictionaryArray:
    """The other reports worth offering."""
    extras = [
        ("SOC 3", soc2 & high[_S["SOC 3"]]),
        ("SOC 2+ HIPAA", soc2 & high[_S["SOC 2+ HIPAA"]]),
        ("SOC for Supply Chain", info & high[_S["SOC for Supply Chain"]]),
        ("SOC for Cybersecurity", neither & high[_S["SOC for Cybersecurity"]]),
        ("ISAE 3402", soc1 & (country >= _IN_CANADA)),  # outside the US
        ("ISAE 3000", soc2 & (country >= _IN_CANADA)),
        ("CSAE 3416", soc1 & (country == _IN_CANADA)),
    ]
    return _bits_to_text(_pack_bits([flag for _, flag in extras]), [name for name, _ in extras])


def _name_overruled(sig: _Signals, hits: Hits, rs: RuleSet) -> np.ndarray:
    """Per hit: a sign of no service in the organisation's name, on a row whose industry label or
    code firmly or typically means a report. The entry was reviewed for that industry; a word of
    the name ("Apex Consulting", "Harbor Group") says less than the label ("IT Services and IT
    Consulting"), and is not counted against it."""
    out = np.zeros(len(hits), dtype=bool)
    if sig.name_part < 0 or not sig.table_report.any():
        return out
    mask = rs.cache.get("name against")  # per term: only a sign of Neither
    if mask is None:
        w = rs.weights
        only_neither = (w[:, _T["Neither"]] > 0) & (w[:, _T["SOC 1"]] <= 0) & (w[:, _T["SOC 2"]] <= 0)
        mask = rs.cache["name against"] = _by_term(rs, only_neither, False)
    # the name's hits: a slice of the hits, which keep the order of the parts
    start = sum(len(p.rows) for p in sig.parts[: sig.name_part])
    stop = start + len(sig.parts[sig.name_part].rows)
    out[start:stop] = mask[hits.terms[start:stop]] & sig.table_report[hits.rows[start:stop]]
    return out


# words of the platform-app rule too vague to say the service runs on a system customers use
_NOT_A_SYSTEM = frozenset(
    {"digital", "tool", "tools", "application", "applications", "bot", "mobile-first", "mobile first"}
)


def _systems_offered(rs: RuleSet, hits: Hits, dropped: np.ndarray, n: int) -> np.ndarray:
    """Per row: it offers a platform, portal, app, online system or a cloud (a counted term of the rules
    ``platform-app`` and ``cloud-word``), on which a service to customers' money then runs."""
    system = rs.cache.get("system terms")
    if system is None:
        ids = {i for i, r in enumerate(rs.rules) if r.id in ("platform-app", "cloud-word")}
        system = rs.cache["system terms"] = np.array(
            [t.rule in ids and t.text not in _NOT_A_SYSTEM for t in rs.terms] + [False]
        )
    out = np.zeros(n, dtype=bool)
    keep = system[hits.terms] & ~dropped
    out[hits.rows[keep]] = True
    return out


def _by_term(rs: RuleSet, per_rule: np.ndarray, none) -> np.ndarray:
    """Per term, the value ``per_rule`` gives its rule, and ``none`` for a term of no rule (a cue word)."""
    return np.append(per_rule, none)[rs.term_rule]


def _strongest_against(rs: RuleSet, term: np.ndarray) -> np.ndarray:
    """Per row, the units of its strongest Neither clue, from the term that the tally chose for it (-1: none)."""
    units = rs.cache.get("neither units")  # per term, the units of its rule's Neither weight, and 0 last
    if units is None:
        per_rule = _units(np.clip(rs.weights[:, _T["Neither"]], 0, None))
        units = rs.cache["neither units"] = np.append(_by_term(rs, per_rule, 0.0), 0.0)
    return units[term]


def _neither_doubt(rs: RuleSet) -> np.ndarray:
    """Per term (and 0 last, for none), the lowest confidence a Neither that rests on it may have:
    1 (medium) for a table entry that typically means Neither, 2 (low) for an ambiguous one, else 0."""
    from .taxonomy import neither_strengths

    level = {"firm": 0, "typical": 1, "ambiguous": 2}
    strengths = neither_strengths()
    per_rule = np.array([level[strengths.get(r.id, "firm")] for r in rs.rules], dtype=np.int64)
    return np.append(_by_term(rs, per_rule, 0), 0)


# decision (index into REPORT_VALUES) by info << 2 | soc1 << 1 | soc2
_DECISIONS = np.array([4, 4, 4, 4, 3, 1, 0, 2], dtype=np.int64)
# tsc_categories by cat_bits + 1: none without a SOC 2, else Security and the categories of the bits
_CATEGORY_TEXTS = (
    "",
    *("; ".join(["Security", *(c for i, c in enumerate(CATEGORIES[1:]) if b >> i & 1)]) for b in range(16)),
)


def _pack_bits(flags: list[np.ndarray]) -> np.ndarray:
    """Bit i set where ``flags[i]`` is true, as int8 codes (seven flags at most)."""
    assert len(flags) <= 7
    bits = flags[0].astype(np.int8)
    for i, flag in enumerate(flags[1:], 1):
        bits |= flag.view(np.int8) << i  # bytes all the way: no int64 temporaries
    return bits


def _bits_to_text(bits: np.ndarray, names) -> pa.DictionaryArray:
    """Each row's set bits as the names they stand for, joined by "; " (bits < 2 ** len(names))."""
    return coded(_bit_names(tuple(names)), bits)


@lru_cache(maxsize=16)
def _bit_names(names: tuple[str, ...]) -> list[str]:
    return ["; ".join(nm for i, nm in enumerate(names) if b >> i & 1) for b in range(1 << len(names))]


def _holdings(values, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: whether the organisation holds a SOC 1 and a SOC 2 already, read once per distinct cell."""
    if values is None:
        return np.zeros(n, bool), np.zeros(n, bool)
    from ..load import parse_reports

    cells, codes = distinct_cells(values)
    held = parse_reports(pd.Series([*cells.to_pylist(), None], dtype=object))  # a missing cell last
    return held["holds_soc1"].to_numpy(dtype=bool)[codes], held["holds_soc2"].to_numpy(dtype=bool)[codes]


_NO_COUNTRY, _IN_US, _IN_CANADA, _ELSEWHERE = 0, 1, 2, 3


def _country(values, n: int) -> np.ndarray:
    """Per row: _NO_COUNTRY, _IN_US, _IN_CANADA or _ELSEWHERE."""
    if values is None:
        return np.zeros(n, dtype=np.int8)
    cells, codes = distinct_cells(values)  # a handful of distinct countries
    kinds = [_country_kind(v) for v in cells.to_pylist()] + [_NO_COUNTRY]  # missing is the last
    return np.array(kinds, dtype=np.int8)[codes]


def _country_kind(value: str) -> int:
    norm = re.sub(r"[^a-z]+", " ", value.lower()).strip()
    if norm in _US:
        return _IN_US
    if norm in _CANADA:
        return _IN_CANADA
    return _ELSEWHERE if norm else _NO_COUNTRY


def _problems(sig: _Signals, n: int) -> pa.DictionaryArray:
    """The problems of every row, those of each column joined by "; " in the order they were found.

    Only the rows with some problem are looked at, and only their distinct combinations of
    problems are written out.
    """
    if not sig.problems:  # the usual case: no cell to complain about
        return coded([""], np.zeros(n, dtype=np.int8))
    codes = np.stack([codes for _, codes in sig.problems])  # columns x rows
    rows = np.flatnonzero(codes.any(axis=0))
    combos, inverse = np.unique(codes[:, rows], axis=1, return_inverse=True)
    texts = [""]
    for combo in combos.T.tolist():
        texts.append("; ".join(values[c] for (values, _), c in zip(sig.problems, combo, strict=True) if c))
    out = np.zeros(n, dtype=np.int64)
    out[rows] = inverse.ravel() + 1
    return coded(texts, out)
