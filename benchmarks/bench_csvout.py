"""Benchmark the compiled CSV formatter against Arrow's CSV writer on classified leads.

    python benchmarks/bench_csvout.py                                   # 200,000 synthetic rows
    python benchmarks/bench_csvout.py --input leads.csv --rows 200000 --repeat 7

The first ``--rows`` rows of a lead list (``--input``, read with every column as text, or else
:func:`socanalysis._testing.synthetic.make_leads`) are classified with :func:`socanalysis.classify`, and the
result, with a ``duplicate_of`` column, is turned into CSV text two ways:

- Arrow: :func:`socanalysis.present.cells.neutralise_arrow` and :func:`pyarrow.csv.write_csv` of the whole
  table, every output column materialised;
- the formatter (:func:`socanalysis._kernels.csvout.format_csv`): the input columns and ``evidence`` as
  text columns (neutralised), the other text output columns as codes into a table of their
  distinct values (built with :func:`pandas.factorize`), the scores as codes ``round(score * 1000)``
  into a table of 0, 0.001, ..., 1 and ``duplicate_of`` as an integer column.

Both are timed on the whole table and in slices of ``--chunk`` rows (about the size of one chunk of
``socanalysis classify``). Times are CPU seconds of this process (``time.process_time``), best and
median of ``--repeat`` runs; building the codes is timed apart, since the classifier could hand
them over directly. The script checks that both ways give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from socanalysis import classify
from socanalysis import load as loading
from socanalysis._kernels.csvout import CellTable, CodedColumn, IntColumn, TextColumn, format_csv
from socanalysis.present.cells import neutralise_arrow

SCORES = ("soc1_score", "soc2_score")


def read_leads(path: str | None, rows: int) -> pa.Table:
    """The first ``rows`` rows, every column as text."""
    if path is None:
        from socanalysis._testing.synthetic import make_leads

        table = pa.Table.from_pandas(make_leads(rows, seed=0), preserve_index=False)
        return pa.table({c: table.column(c).cast(pa.string()) for c in table.column_names})
    with open(path, newline="", encoding="utf-8") as f:
        names = next(csv.reader(f))
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 22),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string())),
    )
    batches, seen = [], 0
    for batch in reader:
        batches.append(batch)
        seen += batch.num_rows
        if seen >= rows:
            break
    return pa.Table.from_batches(batches).slice(0, rows).combine_chunks()


def arrow_csv(table: pa.Table, header: bool) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    options = pacsv.WriteOptions(include_header=header, batch_size=8192)  # as socanalysis.leads.batch writes
    pacsv.write_csv(neutralise_arrow(table), sink, write_options=options)
    return sink.getvalue()


def build_columns(out: pd.DataFrame, full: pa.Table, inputs: list[str]) -> dict:
    """How the formatter takes every column: (kind, payload)."""
    score_cells = CellTable.from_arrow(pa.array(np.round(np.arange(1001) / 1000, 3)))
    columns = {}
    for name in full.column_names:
        if name in inputs or name == "evidence":
            columns[name] = ("text", full.column(name))
        elif name in SCORES:
            columns[name] = ("coded", (score_cells, np.rint(out[name].to_numpy() * 1000).astype(np.int64)))
        elif name == "duplicate_of":
            values = full.column(name)
            valid = np.asarray(values.is_valid())
            columns[name] = ("int", (values.fill_null(0).to_numpy(), valid))
        else:
            codes, uniques = pd.factorize(out[name], use_na_sentinel=False)
            cells = CellTable.from_strings([None if pd.isna(u) else u for u in uniques], neutralise=True)
            columns[name] = ("coded", (cells, codes))
    return columns


def formatter_csv(columns: dict, start: int, stop: int, header: bool) -> np.ndarray:
    ours = []
    for kind, payload in columns.values():
        if kind == "text":
            ours.append(TextColumn(payload.slice(start, stop - start), neutralise=True))
        elif kind == "coded":
            ours.append(CodedColumn(payload[0], payload[1][start:stop]))
        else:
            ours.append(IntColumn(payload[0][start:stop], payload[1][start:stop]))
    return format_csv(ours, header=list(columns) if header else None)


def cpu_times(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return times


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", help="a lead list (CSV); default: synthetic leads")
    parser.add_argument("--rows", type=int, default=200_000, help="rows to classify and format (default 200,000)")
    parser.add_argument("--chunk", type=int, default=32_768, help="rows per slice for the chunked figures")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement (default 5)")
    args = parser.parse_args(argv)

    table = read_leads(args.input, args.rows)
    n = table.num_rows
    out = classify(table.to_pandas(types_mapper=loading.ARROW_TEXT.get))
    full = pa.Table.from_arrays([pa.array(out[c].array) for c in out.columns], names=list(out.columns))
    rng = np.random.default_rng(0)
    dup = rng.random(n) < 0.01
    full = full.append_column("duplicate_of", pa.array(rng.integers(1, max(n, 2), n), pa.int64(), mask=~dup))
    columns = build_columns(out, full, table.column_names)
    slices = [(a, min(a + args.chunk, n)) for a in range(0, n, args.chunk)] or [(0, 0)]

    # the same bytes, whole and in slices
    whole = arrow_csv(full, True).to_pybytes()
    assert formatter_csv(columns, 0, n, True).tobytes() == whole, "the formatter's bytes differ from Arrow's"
    for a, b in slices:
        expected = arrow_csv(full.slice(a, b - a), a == 0).to_pybytes()
        assert formatter_csv(columns, a, b, a == 0).tobytes() == expected, f"rows {a} to {b} differ"

    print(f"{n:,} rows, {len(full.column_names)} columns, {len(whole) / 1e6:.1f} MB of CSV: identical bytes")
    print(f"{'measure (CPU seconds)':44s} {'best':>8s} {'median':>8s} {'µs/row':>8s}")
    figures = {
        "Arrow: neutralise_arrow + write_csv": lambda: arrow_csv(full, True),
        "formatter: format_csv": lambda: formatter_csv(columns, 0, n, True),
        f"Arrow, in slices of {args.chunk:,} rows": lambda: [
            arrow_csv(full.slice(a, b - a), a == 0) for a, b in slices
        ],
        f"formatter, in slices of {args.chunk:,} rows": lambda: [
            formatter_csv(columns, a, b, a == 0) for a, b in slices
        ],
        "building the codes (factorize)": lambda: build_columns(out, full, table.column_names),
    }
    best = {}
    for label, fn in figures.items():
        times = cpu_times(fn, args.repeat)
        best[label] = min(times)
        median = statistics.median(times)
        print(f"{label:44s} {min(times):8.3f} {median:8.3f} {min(times) / max(n, 1) * 1e6:8.2f}")
    labels = list(figures)
    print(f"Arrow / formatter, whole table: {best[labels[0]] / best[labels[1]]:.2f}x")
    print(f"Arrow / formatter, in slices:   {best[labels[2]] / best[labels[3]]:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
