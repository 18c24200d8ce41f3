"""Benchmark every compiled kernel of ``socanalysis._kernels`` against the simplest library way to
get the same result, on the columns of a synthetic lead list.

    python benchmarks/bench_kernels.py                       # 1,000,000 rows
    python benchmarks/bench_kernels.py --keep /tmp/bench     # the lead list of bench_classify.py, reused
    python benchmarks/bench_kernels.py --rows 20000 --repeat 1

Each line times a kernel and its alternative on the same input, in CPU seconds of this process
(``time.process_time``, the best of ``--repeat`` runs), and checks that both give the same
result (where the alternative computes another thing, the line says so). A kernel earns its
place when the library takes clearly longer; the comment above each kernel quotes its line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

CHUNK_ROWS = 32_768  # about a chunk of socanalysis classify


def read_leads(path: Path) -> pa.Table:
    """Every column of the lead list as text, one chunk per column."""
    names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows_after_names=10**9)).column_names
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    return table.combine_chunks()


def best(fn, repeat: int) -> tuple[float, object]:
    """The least CPU time of ``repeat`` runs of ``fn``, and its result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    return min(times), result


# --------------------------------------------------------------------------- the alternatives
def arrow_tokens(text: pa.Array, forms: pa.Array):
    """Tokens looked up among the spellings of the rule words, with Arrow's kernels."""
    words = pc.split_pattern_regex(pc.utf8_lower(text), r"[^\w']+")
    return pc.index_in(pc.list_flatten(words), value_set=forms), pc.list_parent_indices(words)


def numpy_phrases(ktok, kpos, kseg, keys_by_length):
    """Phrase look-ups alone (no leftmost-longest choice, no negation, no audience): for each
    phrase length, the key of every run of tokens, looked up with ``np.isin``."""
    found = []
    mult = np.uint64(0x9E3779B97F4A7C15)
    with np.errstate(over="ignore"):
        for length, keys in keys_by_length.items():
            m = len(ktok) - length + 1
            if m <= 0:
                continue
            key = np.zeros(m, dtype=np.uint64)
            ok = np.ones(m, dtype=bool)
            for i in range(length):
                key = key * mult + (ktok[i : i + m].astype(np.int64) + 1).astype(np.uint64)
                if i:
                    ok &= (kpos[i : i + m] == kpos[:m] + i) & (kseg[i : i + m] == kseg[:m])
            found.append(np.flatnonzero(ok & np.isin(key, keys)))
    return found


def numpy_tally(n, rows, terms, dropped, term_rule, units, weak_slot, against, weak_cap, rule_bits, tops):
    """:func:`socanalysis._kernels.tally_votes` with NumPy: one vote per (row, rule), its first hit."""
    live = ~dropped
    r, t = rows[live].astype(np.int64), terms[live]
    rule = term_rule[t].astype(np.int64)
    _, first = np.unique(r * len(rule_bits) + rule, return_index=True)
    first.sort()  # votes in the order of the hits, which are in row order
    vr, vrule, vterm = r[first], rule[first], t[first]
    acc = np.stack([np.bincount(vr, weights=units[vrule, s], minlength=n) for s in range(units.shape[1])])
    evidence = np.stack(
        [acc[k] + np.minimum(acc[w], weak_cap) - acc[against] if w >= 0 else acc[k] for k, w in enumerate(weak_slot)]
    )
    bits = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(bits, vr, rule_bits[vrule])
    top = np.full((tops.shape[1], n), -1, dtype=np.int64)
    for j in range(tops.shape[1]):
        w = tops[vrule, j]
        pos = np.flatnonzero(w > 0)
        order = pos[np.lexsort((pos, -w[pos], vr[pos]))]  # by row, largest weight, first vote
        head = np.r_[True, vr[order][1:] != vr[order][:-1]]
        top[j, vr[order][head]] = vterm[order][head]
    return evidence, bits, np.bincount(vr, minlength=n) > 0, top


def dict_first_seen(chunks):
    """The first row of every key, chunk after chunk, with a dict (per distinct key of a chunk)."""
    seen, out = {}, []
    for keys, rows in chunks:
        uniq, at, back = np.unique(keys, return_index=True, return_inverse=True)
        firsts = np.array([seen.setdefault(k, r) for k, r in zip(uniq.tolist(), rows[at].tolist(), strict=True)])
        first = firsts[back]
        first[keys == 0] = np.iinfo(np.int64).max
        out.append(first)
    return out


def arrow_evidence(n, rows, terms, kinds, term_group, labels, prefixes):
    """:func:`socanalysis._kernels.join_evidence` with NumPy sorting and Arrow's joins."""
    from socanalysis._kernels.strings import LABELS_PER_TERM

    group = term_group[terms]
    keep = group >= 0
    rows, group, label = rows[keep], group[keep], (terms[keep] * LABELS_PER_TERM + kinds[keep]).astype(np.int64)
    order = np.lexsort((np.arange(len(rows)), group, rows))
    rows, group, label = rows[order], group[order], label[order]
    _, first = np.unique(rows * (len(labels) + 1) + label, return_index=True)
    mask = np.zeros(len(rows), dtype=bool)
    mask[first] = True
    rows, group, label = rows[mask], group[mask], label[mask]
    starts = np.flatnonzero(np.r_[True, (rows[1:] != rows[:-1]) | (group[1:] != group[:-1])])
    texts = pa.array(labels, pa.large_string()).take(pa.array(label))
    text = pa.large_string()
    segments = pc.binary_join(pa.LargeListArray.from_arrays(np.r_[starts, len(rows)], texts), pa.scalar(", ", text))
    prefix = pa.array(prefixes, text).take(pa.array(group[starts]))
    segments = pc.binary_join_element_wise(prefix, segments, pa.scalar("", text))
    per_row = np.searchsorted(rows[starts], np.arange(n + 1))
    return pc.binary_join(pa.LargeListArray.from_arrays(per_row, segments), pa.scalar("; ", text))


# --------------------------------------------------------------------------- the measures
def measure(table: pa.Table, repeat: int) -> list[tuple[str, float, str, float, str]]:
    """(kernel, its seconds, alternative, its seconds, note) for every kernel."""
    from socanalysis._kernels import (
        CLASSES,
        domain_keys,
        find_terms,
        first_seen,
        grow_table,
        hash_strings,
        join_evidence,
        name_keys,
        scan,
        tally_votes,
        visible_ascii,
    )
    from socanalysis._kernels.scanning import _fill_table, form_key
    from socanalysis.classifier import load_rules
    from socanalysis.classifier.decide import _collect, _tally
    from socanalysis.classifier.matching import Hits
    from socanalysis.leads.keys import _folded
    from socanalysis.load import LEGAL_SUFFIXES, TEXT_DTYPE, normalise_domain, normalise_name

    lines = []
    n = table.num_rows
    rules = load_rules()
    lexicon = rules.lexicon
    text = pc.fill_null(table.column("Description").chunk(0).cast(pa.large_string()), "")
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[: n + 1]
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)

    # scan: the rule words among the tokens
    forms = lexicon._forms()
    ours, tokens = best(lambda: scan(data, offsets, CLASSES, lexicon._keys, lexicon._ids, lexicon._shift), repeat)
    theirs, _ = best(lambda: arrow_tokens(text, pa.array(list(forms), pa.large_string())), repeat)
    lines.append(("scan", ours, "Arrow: utf8_lower, split_pattern_regex, index_in", theirs, "tokens only"))

    # find_terms: the terms among the known tokens
    tables = lexicon._tables("description")
    ours, _ = best(lambda: find_terms(*tokens, *tables), repeat)
    by_length: dict[int, list[int]] = {}
    for key, length in lexicon._phrases.get("description", {}):
        by_length.setdefault(length, []).append(key)
    keys = {length: np.array(k, dtype=np.uint64) for length, k in by_length.items()}
    theirs, _ = best(lambda: numpy_phrases(tokens[0], tokens[1], tokens[2], keys), repeat)
    lines.append(("find_terms", ours, "NumPy: phrase keys per length, np.isin", theirs, "look-ups only"))

    # tally_votes: the evidence of every row
    fields = {f: table.column(c) for f, c in {"description": "Description", "industry": "Industry"}.items()}
    fields |= {"naics": table.column("NAICS"), "sic": table.column("SIC"), "name": table.column("Company Name")}
    sig = _collect(fields, n, {f: f for f in fields}, rules)
    hits = Hits.concat(sig.parts)
    dropped = hits.negated | hits.audience  # customers named: shown, not counted
    _tally(rules, 1, Hits.empty(), np.zeros(0, bool))  # the vote table, built once
    votes = rules.cache["weighing"]
    args = (n, hits.rows, hits.terms, dropped, rules.term_rule, votes.units, votes.weak_slot, votes.against)
    args += (-np.log1p(-0.45), votes.rule_bits, votes.tops)
    ours, expected = best(lambda: tally_votes(*args), repeat)
    theirs, got = best(lambda: numpy_tally(*args), repeat)
    same = all(np.array_equal(a, b) for a, b in zip(expected, got, strict=True))
    lines.append(("tally_votes", ours, "NumPy: unique, bincount, bitwise_or.at, lexsort", theirs, _same(same)))

    # join_evidence: the evidence texts
    group = np.array([0 if t.field == "description" else 1 if t.field == "industry" else -1 for t in rules.terms])
    kinds = np.where(hits.negated, 1, hits.audience * (hits.role.astype(np.int8) + 2)).astype(np.int8)
    labels = [
        f"'{t.text}'{s}"
        for t in rules.terms
        for s in ("", " (not)", " (customers)", " (its own use)", " (advised on)", " (what it makes)", " (outweighed)")
    ]
    evidence_args = (n, hits.rows, hits.terms, kinds, group, labels, ["Description: ", "Industry: "])
    ours, expected = best(lambda: join_evidence(*evidence_args), repeat)
    theirs, got = best(lambda: arrow_evidence(*evidence_args), repeat)
    lines.append(("join_evidence", ours, "NumPy lexsort, Arrow binary_join", theirs, _same(expected.equals(got))))

    # visible_ascii: the cells that are not blank
    ours, expected = best(lambda: visible_ascii(text), repeat)
    theirs, got = best(lambda: pc.invert(pc.or_(pc.equal(text, ""), pc.utf8_is_space(text))), repeat)
    same = np.array_equal(expected, got.to_numpy(zero_copy_only=False))
    lines.append(("visible_ascii", ours, "Arrow: utf8_is_space", theirs, _same(same)))

    # name_keys, domain_keys and hash_strings: the keys of duplicate detection
    names = table.column("Company Name")
    names_pd = names.to_pandas(types_mapper={pa.string(): TEXT_DTYPE}.get)
    # (the kernels leave a few values to the caller: the results are compared on the others)
    ours, (expected, other) = best(lambda: name_keys(names, LEGAL_SUFFIXES, _folded()), repeat)
    theirs, got = best(lambda: hash_strings(pa.array(normalise_name(names_pd), pa.large_string())), 1)
    same = _same((expected == got)[~other].all()) + f", {other.sum():,} left out"
    lines.append(("name_keys", ours, "pandas: normalise_name, then hash_strings", theirs, same))
    webs = table.column("Website")
    webs_pd = webs.to_pandas(types_mapper={pa.string(): TEXT_DTYPE}.get)
    ours, (keys, other) = best(lambda: domain_keys(webs), repeat)
    theirs, got = best(lambda: hash_strings(pa.array(normalise_domain(webs_pd), pa.large_string())), 1)
    same = _same((keys == got)[~other].all()) + f", {other.sum():,} left out"
    lines.append(("domain_keys", ours, "pandas: normalise_domain, then hash_strings", theirs, same))
    normalised = pa.array(normalise_name(names_pd), pa.large_string())
    ours, _ = best(lambda: hash_strings(normalised), repeat)
    theirs, _ = best(lambda: pd.util.hash_array(normalised.to_numpy(zero_copy_only=False)), 1)
    lines.append(("hash_strings", ours, "pandas: util.hash_array", theirs, "another hash"))

    # first_seen and grow_table: duplicates across chunks
    keys = expected
    chunks = [(keys[a : a + CHUNK_ROWS], np.arange(a + 1, min(a + CHUNK_ROWS, n) + 1)) for a in range(0, n, CHUNK_ROWS)]

    def compiled_first_seen():
        table_keys, table_rows, count, out = np.zeros(1 << 16, np.uint64), np.zeros(1 << 16, np.uint32), 0, []
        for k, r in chunks:
            while (count + len(k)) * 10 > len(table_keys) * 7:
                table_keys, table_rows = grow_table(table_keys, table_rows)
            first = np.empty(len(k), dtype=np.int64)
            count += first_seen(table_keys, table_rows, k, r, first)
            out.append(first)
        return out

    ours, expected = best(compiled_first_seen, repeat)
    theirs, got = best(lambda: dict_first_seen(chunks), repeat)
    same = all(np.array_equal(a, b) for a, b in zip(expected, got, strict=True))
    lines.append(("first_seen", ours, "NumPy unique and a dict, chunk by chunk", theirs, _same(same)))

    # build_table: the spellings of the rule words (when rules are compiled, not per file)
    encoded = [f.encode() for f in forms]
    form_offsets = np.r_[0, np.cumsum([len(b) for b in encoded])]
    form_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    wids = np.fromiter(forms.values(), np.int32, len(forms))
    size = len(lexicon._keys)

    def fill():
        keys, ids = np.zeros(size, np.uint64), np.full(size, -1, np.int32)
        _fill_table(form_bytes, form_offsets, wids, keys, ids, lexicon._shift)

    ours, _ = best(fill, repeat)
    theirs, _ = best(lambda: [form_key(f) for f in forms], repeat)
    lines.append(("build_table", ours, f"Python: form_key of {len(forms):,} spellings", theirs, "hashes only"))
    return lines


def _same(ok: bool) -> str:
    return "same result" if ok else "DIFFERENT RESULT"


def format_lines(args, rows: int, lines, csv_line) -> str:
    out = [
        f"socanalysis kernels against library calls: {rows:,} rows, CPU seconds, best of {args.repeat}",
        "",
        f"{'kernel':<14}{'kernel s':>10}{'library s':>11}{'ratio':>8}  library alternative (result)",
    ]
    for name, ours, alternative, theirs, note in [*lines, csv_line]:
        ratio = theirs / ours if ours else float("inf")
        out.append(f"{name:<14}{ours:>10.3f}{theirs:>11.3f}{ratio:>7.1f}x  {alternative} ({note})")
    return "\n".join(out)


def measure_csv(table: pa.Table, repeat: int) -> tuple[str, float, str, float, str]:
    """format_csv against Arrow's writer, on the classified rows, chunk by chunk."""
    from socanalysis._kernels import TextColumn, format_csv
    from socanalysis.classifier import classify_columns
    from socanalysis.leads.writing import csv_column
    from socanalysis.present import neutralise_arrow

    mapping = {"name": "Company Name", "description": "Description", "industry": "Industry", "naics": "NAICS"}
    mapping |= {"sic": "SIC", "country": "Country"}
    chunks = []
    for start in range(0, table.num_rows, CHUNK_ROWS):
        part = table.slice(start, CHUNK_ROWS)
        columns = classify_columns({f: part.column(c) for f, c in mapping.items()}, part.num_rows, headers=mapping)
        chunks.append((part, columns))

    def ours():
        out = []
        for i, (part, columns) in enumerate(chunks):
            formatted = [TextColumn(c, neutralise=True) for c in part.columns]
            formatted += [csv_column(c, True) for c in columns.values()]
            out.append(format_csv(formatted, header=[*part.column_names, *columns] if i == 0 else None))
        return out

    def arrow():
        out = []
        for i, (part, columns) in enumerate(chunks):
            whole = pa.Table.from_arrays([*part.columns, *columns.values()], names=[*part.column_names, *columns])
            sink = pa.BufferOutputStream()
            pacsv.write_csv(neutralise_arrow(whole), sink, pacsv.WriteOptions(include_header=i == 0, batch_size=8192))
            out.append(sink.getvalue())
        return out

    ours_s, expected = best(ours, repeat)
    theirs_s, got = best(arrow, repeat)
    same = all(a.tobytes() == b.to_pybytes() for a, b in zip(expected, got, strict=True))
    return "format_csv", ours_s, "Arrow: neutralise_arrow, write_csv", theirs_s, _same(same)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the lead list (default 1,000,000)")
    parser.add_argument("--keep", metavar="DIR", help="the folder of bench_classify.py's lead lists (reused)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure; the best is kept (default 3)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_classify import generate

    with tempfile.TemporaryDirectory(prefix="socanalysis-kernels-") as tmp:
        path = Path(args.keep or tmp) / f"leads-{args.rows}-seed0.csv"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            print(f"generating {args.rows:,} leads in {path} ...", file=sys.stderr)
            generate(path, args.rows, 0)
        table = read_leads(path)
    lines = measure(table, args.repeat)
    print(format_lines(args, table.num_rows, lines, measure_csv(table, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
