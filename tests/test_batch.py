"""The batch engine: chunks, processes, order, bad rows and safe output."""

import itertools

import numpy as np
import pandas as pd
import pytest

from socanalysis import classify, load_portfolio
from socanalysis._testing.synthetic import make_leads, write_csv_bulk
from socanalysis.leads.batch import classify_file
from socanalysis.vocabulary import OUTPUT_COLUMNS, REVIEW_COLUMNS


@pytest.fixture(scope="module")
def lead_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("leads") / "leads.csv"
    write_csv_bulk(make_leads(3000, seed=11), path)
    return path


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


@pytest.mark.parametrize("jobs", [1, 2])
def test_chunked_output_equals_classifying_the_whole_frame(lead_file, tmp_path, jobs):
    out = tmp_path / "out.parquet"  # parquet: values exactly as read (CSV output neutralises formulas)
    summary = classify_file(lead_file, out, jobs=jobs, chunk_bytes=20_000)
    got = pd.read_parquet(out)
    whole = classify(load_portfolio(lead_file))
    assert summary.rows == len(whole) == len(got)
    assert got["Company Name"].fillna("").tolist() == whole["Company Name"].fillna("").tolist()
    for col in ("soc_report", "tsc_categories", "report_type", "also_consider", "confidence"):
        assert got[col].fillna("").tolist() == whole[col].tolist(), col
    # duplicates across chunk boundaries are the loader's duplicates
    assert got["duplicate_of"].astype("Int64").tolist() == whole["duplicate_of"].tolist()
    assert sum(summary.counts.values()) == summary.rows
    assert summary.duplicates == whole["duplicate_of"].notna().sum()


def test_parquet_in_and_out(lead_file, tmp_path):
    src = tmp_path / "leads.parquet"
    read(lead_file).to_parquet(src)
    out = tmp_path / "out.parquet"
    classify_file(src, out, jobs=1)
    got = pd.read_parquet(out)
    assert len(got) == 3000 and set(OUTPUT_COLUMNS) <= set(got.columns)
    assert got["Company Name"].fillna("").tolist() == read(lead_file)["Company Name"].fillna("").tolist()


def test_bad_rows_are_kept_in_place_and_reported(tmp_path):
    # bad bytes beyond the part of the file read to sniff its encoding (UTF-8 here)
    src = tmp_path / "bad.csv"
    lines = [b"Company,Description,NAICS"]
    for i in range(6000):
        lines.append(f"Co {i},Payroll processing for employers in S\u00e3o Paulo,541214".encode())
    lines[150] = b"Broken,row,with,too,many,values"
    lines[5500] = b"Bad Bytes Ltd,\xff\xfe payroll processing,541214"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.csv"
    summary = classify_file(src, out, jobs=2, chunk_bytes=50_000)
    got = read(out)
    assert len(got) == 6000
    assert summary.malformed_rows == [150]
    assert got.loc[149, "soc_report"] == "Undetermined" and "malformed row" in got.loc[149, "problem"]
    assert got.loc[149, "rationale"].startswith("This row could not be read from the file")
    assert got.loc[149, ["soc1_score", "soc2_score"]].tolist() == ["0", "0"] and got.loc[149, "confidence"] == "low"
    assert got.loc[5499, "soc_report"] == "Both" and "read as cp1252" in got.loc[5499, "problem"]
    assert got.loc[5499, "Description"] == "\u00ff\u00fe payroll processing"  # the bytes as Windows text
    assert got.loc[5498, "Company"] == "Co 5498" and got.loc[5500, "Company"] == "Co 5500"
    assert summary.problem_rows == 2
    assert any("malformed rows kept as Undetermined: row 150" in line for line in summary.lines())


def test_formula_like_cells_are_neutralised_in_csv(tmp_path):
    src = tmp_path / "f.csv"
    src.write_text('Company,Description\n"=HYPERLINK(""http://x"")",SaaS platform\n@SUM(A1),-2+3\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    classify_file(src, out, jobs=1)
    got = read(out)
    assert got["Company"].tolist() == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    assert got.loc[1, "Description"] == "'-2+3"


@pytest.mark.parametrize("with_clients", [False, True])
def test_csv_output_is_byte_for_byte_what_arrow_writes_for_the_parquet_output(lead_file, tmp_path, with_clients):
    # the compiled formatter writes what Arrow's writer (formulas neutralised) writes for the same
    # rows: malformed lines, bad bytes and client matches included
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from socanalysis._testing.synthetic import make_portfolio
    from socanalysis.present.cells import neutralise_arrow

    src = tmp_path / "leads.csv"
    tricky = (
        '"=HYPERLINK(""http://x"")",SaaS platform\n@SUM(A1),-2+3\n'
        '"Quote ""Co""","Payroll, with a comma\nand a new line"\n'
        "S\u00e3o Paulo Pagamentos,\tprocessamento de folha\n,\nBroken,row,with,too,many\n"
    )
    src.write_bytes(("Company,Description\n" + tricky * 40).encode() + b"Bad \xff Bytes,payroll\n")
    clients = None
    if with_clients:
        clients = tmp_path / "clients.csv"
        portfolio = make_portfolio(50, seed=3)
        portfolio.iloc[:10, 0] = read(lead_file)["Company Name"].iloc[:10].to_numpy()  # some leads are clients
        write_csv_bulk(portfolio, clients)
    for path in (src, lead_file):
        csv_out, parquet_out = tmp_path / "out.csv", tmp_path / "out.parquet"
        classify_file(path, csv_out, jobs=2, chunk_bytes=20_000, clients=clients)
        summary = classify_file(path, parquet_out, jobs=2, chunk_bytes=20_000, clients=clients)
        if path == src:  # the malformed rows, and the row of bytes that are not UTF-8 (read as cp1252)
            assert len(summary.malformed_rows) == 40 and summary.problem_rows == 41
        sink = pa.BufferOutputStream()
        pacsv.write_csv(neutralise_arrow(pq.read_table(parquet_out)), sink)
        assert csv_out.read_bytes() == sink.getvalue().to_pybytes()


def test_the_summary_counts_problems_and_reports_of_chunks_formatted_from_codes(tmp_path):
    # no malformed line: every chunk takes the coded path, whose counts come from the codes
    src = tmp_path / "codes.csv"
    rows = ["Company,Description,NAICS,Do you process payroll?"]
    for i in range(4000):
        naics = ("541214", "abc", "", "5415")[i % 4]
        answer = ("yes", "maybe", "", "no")[i % 3]
        rows.append(f"Co {i},Payroll and cloud hosting,{naics},{answer}")
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    summary = classify_file(src, tmp_path / "out.csv", jobs=2, chunk_bytes=20_000)
    whole = classify(load_portfolio(src))
    assert summary.problem_rows == int((whole["problem"] != "").sum()) > 1000
    expected = whole["soc_report"].value_counts()
    assert {k: v for k, v in summary.counts.items() if v} == {k: int(v) for k, v in expected.items()}


def test_scores_off_the_thousandths_are_still_written_as_arrow_writes_them():
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from socanalysis._kernels.csvout import format_csv
    from socanalysis.leads.writing import csv_column

    scores = [0.0, 0.125, 1.0, 0.1234, 2.5]
    sink = pa.BufferOutputStream()
    pacsv.write_csv(pa.table({"s": scores}), sink)
    assert format_csv([csv_column(pa.array(scores), False)], header=["s"]).tobytes() == sink.getvalue().to_pybytes()


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_output_columns_left_from_an_earlier_run_are_replaced(tmp_path, ext):
    src = tmp_path / "classified.csv"
    src.write_text("Company,soc_report,Description\nAcme,SOC 1,Cloud hosting\nGranite,SOC 2,Quarry\n")
    out = tmp_path / f"out{ext}"
    classify_file(src, out, jobs=1)
    got = read(out) if ext == ".csv" else pd.read_parquet(out)
    whole = classify(load_portfolio(src))
    assert list(got.columns) == ["Company", "Description", *OUTPUT_COLUMNS, *REVIEW_COLUMNS, "duplicate_of"]
    assert got["soc_report"].tolist() == whole["soc_report"].tolist() == ["SOC 2", "Neither"]


def test_title_rows_and_cp1252_are_read(tmp_path):
    src = tmp_path / "t.csv"
    src.write_bytes(
        "Leads export\n\nCompany;Description\nCaf\u00e9 Soci\u00e9t\u00e9;Payroll provider\n".encode("cp1252")
    )
    out = tmp_path / "out.csv"
    classify_file(src, out, jobs=1)
    got = read(out)
    assert got["Company"].tolist() == ["Caf\u00e9 Soci\u00e9t\u00e9"] and got["soc_report"].tolist() == ["Both"]


def test_xlsx_input_is_read_whole(tmp_path):
    src = tmp_path / "in.xlsx"
    pd.DataFrame({"Company": ["A", "B"], "Industry": ["Application Software", "Restaurants"]}).to_excel(
        src, index=False
    )
    out = tmp_path / "out.csv"
    summary = classify_file(src, out, jobs=1)
    assert read(out)["soc_report"].tolist() == ["SOC 2", "Neither"] and summary.rows == 2


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx"])
def test_a_failed_run_leaves_no_half_written_output(lead_file, tmp_path, ext):
    out = tmp_path / f"out{ext}"

    def stop(done_bytes, rows):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        classify_file(lead_file, out, jobs=1, chunk_bytes=20_000, progress=stop)
    assert not out.exists()


@pytest.mark.parametrize(
    "step",
    [
        "name_keys_of",  # before the chunk's turn for duplicates
        "classify_columns",  # after it (CSV output: chunks are classified by classify_columns)
    ],
)
def test_a_failing_chunk_stops_the_run_without_hanging_the_other_workers(lead_file, tmp_path, monkeypatch, step):
    import threading

    from socanalysis.leads import batch

    calls = {"n": 0}
    real = getattr(batch, step)

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("chunk 3 failed")
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, step, flaky)
    out = tmp_path / "out.csv"
    failure = {}

    def run():
        try:
            classify_file(lead_file, out, jobs=2, chunk_bytes=20_000)
        except RuntimeError as exc:
            failure["error"] = str(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the run hung after a chunk failed"
    assert failure == {"error": "chunk 3 failed"}
    assert not out.exists()


def test_a_chunk_is_formatted_while_the_chunk_before_it_is_still_being_classified(lead_file, tmp_path, monkeypatch):
    """Duplicates are looked up in input order before classifying: the second chunk does not
    wait for all the work of the first."""
    import threading

    from socanalysis.leads import batch

    first_name = read(lead_file)["Company Name"].iloc[0]
    formatted_later_chunk = threading.Event()
    waited = {}
    real_classify, real_format = batch.classify_columns, batch._csv_text

    def slow_first(fields, rows, **kwargs):
        if fields["name"][0].as_py() == first_name:  # the first chunk
            waited["in time"] = formatted_later_chunk.wait(timeout=20)
        return real_classify(fields, rows, **kwargs)

    def noting(done, duplicate_of, dup, neutralise, header, allocate):
        if not header:  # not the first chunk
            formatted_later_chunk.set()
        return real_format(done, duplicate_of, dup, neutralise, header, allocate)

    monkeypatch.setattr(batch, "classify_columns", slow_first)
    monkeypatch.setattr(batch, "_csv_text", noting)
    out = tmp_path / "out.csv"
    classify_file(lead_file, out, jobs=2, chunk_bytes=20_000)
    assert waited == {"in time": True}
    monkeypatch.undo()
    classify_file(lead_file, tmp_path / "one.csv", jobs=1, chunk_bytes=20_000)
    assert out.read_bytes() == (tmp_path / "one.csv").read_bytes()  # duplicates included


def test_first_seen_rows_match_a_dictionary_as_the_table_grows():
    import numpy as np

    from socanalysis.leads.batch import _FirstSeen

    rng = np.random.default_rng(3)
    seen, reference, start = _FirstSeen(bits=4), {}, 1
    for size in (5, 40, 300, 2000):
        keys = rng.integers(0, 500, size).astype(np.uint64)  # 0 stands for "no key"
        rows = np.arange(start, start + size, dtype=np.int64)
        if size == 2000:
            rows += 2**32  # past what the compact row numbers hold
        got = seen.first_rows(keys, rows)
        for key, row, first in zip(keys.tolist(), rows.tolist(), got.tolist(), strict=True):
            if key == 0:
                assert first == np.iinfo(np.int64).max
            else:
                assert first == reference.setdefault(key, row)
        start = int(rows[-1]) + 1
    assert seen.count == len(reference)


@pytest.mark.parametrize("step", [1, 7, 50, 10_000])
def test_row_ends_cut_after_newlines_outside_quotes(step):
    import numpy as np

    from socanalysis.leads.streaming import _row_ends as row_ends

    rng = np.random.default_rng(step)
    data = rng.choice(np.frombuffer(b'ab,"\n', np.uint8), size=5000, p=[0.4, 0.3, 0.1, 0.1, 0.1])
    inside, ends = False, []  # the reference: walk every byte
    for i, b in enumerate(data.tolist()):
        if b == 34:
            inside = not inside
        elif b == 10 and not inside:
            ends.append(i + 1)
    expected, target = [], step
    for end in ends:
        if end >= target:
            expected.append(end)
            target = end + step
    got, pos, inside_now, target_now = [], 0, False, step
    for block in (data[:1234], data[1234:1235], data[1235:]):  # blocks cut anywhere, even mid-value
        cuts, inside_now, target_now = row_ends(block, pos, inside_now, target_now, step)
        got += cuts
        pos += len(block)
    assert got == expected and inside_now == inside


def test_quote_marks_are_counted_piece_by_piece_over_any_range():
    import numpy as np

    from socanalysis.leads.streaming import _PIECE, _quotes

    rng = np.random.default_rng(3)
    data = rng.choice(np.frombuffer(b'a"', np.uint8), size=3 * _PIECE + 17, p=[0.9, 0.1])
    for start, end in [(0, len(data)), (5, _PIECE), (_PIECE - 1, 2 * _PIECE + 1), (9, 9), (len(data) - 3, len(data))]:
        assert _quotes(data, start, end) == int(np.count_nonzero(data[start:end] == 34))


def test_row_ends_see_past_a_long_quoted_value():
    import numpy as np

    from socanalysis.leads.streaming import _row_ends

    long_value = '"' + "line\n" * 20_000 + '"'  # 100 kB of newlines inside quotes
    data = np.frombuffer(f"a,b\nx,{long_value}\ny,z\n".encode(), np.uint8)
    cuts, inside, _ = _row_ends(data, 0, False, 4, 1)
    assert cuts == [4, 4 + len(f"x,{long_value}\n"), len(data)] and not inside


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_rules_file_fails_before_anything_is_written(lead_file, tmp_path, jobs):
    from socanalysis.errors import RulesError

    rules = tmp_path / "firm.yaml"
    rules.write_text("rules:\n  - id: widgets\n    terms: [widgets]\n    supports: {SOC 9: 2}\n")
    out = tmp_path / "out.csv"
    with pytest.raises(RulesError):
        classify_file(lead_file, out, rules=rules, jobs=jobs, chunk_bytes=20_000)
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_output_is_written_behind_and_still_whole(lead_file, tmp_path, monkeypatch, suffix):
    from socanalysis.leads import batch, writing

    if not writing._ADVISE:
        pytest.skip("no posix_fadvise on this platform")
    advice = []
    real = writing.os.posix_fadvise

    def record(fd, offset, length, how):
        advice.append((offset, length, how, writing.os.fstat(fd).st_size))
        return real(fd, offset, length, how)

    monkeypatch.setattr(writing.os, "posix_fadvise", record)
    monkeypatch.setattr(writing, "DROP_BEHIND_BYTES", 40_000)
    monkeypatch.setattr(batch, "PARQUET_BATCH_ROWS", 500)
    src = lead_file
    if suffix == ".parquet":  # Parquet in: a row group per batch of rows
        src = tmp_path / "leads.parquet"
        read(lead_file).to_parquet(src)
    out = tmp_path / f"out{suffix}"
    classify_file(src, out, jobs=2, chunk_bytes=60_000)
    reference = tmp_path / f"reference{suffix}"
    monkeypatch.setattr(writing, "_ADVISE", False)
    classify_file(src, reference, jobs=2, chunk_bytes=60_000)
    assert not [a for a in advice if a[2] != writing.os.POSIX_FADV_DONTNEED]
    # every byte is handed to the disk once, in order, as it is written
    flushed = [(offset, length) for offset, length, _, size in advice if offset + length == size]
    assert flushed and flushed[0][0] == 0
    handed = sum(length for _, length in flushed)
    # all of a CSV; all of a Parquet file but the footer, written as it closes
    assert handed == out.stat().st_size if suffix == ".csv" else 0 < out.stat().st_size - handed < handed / 10
    assert all(a[0] + a[1] == b[0] for a, b in itertools.pairwise(flushed))
    # and dropped once DROP_BEHIND_BYTES more follow it
    dropped = [(length, size) for offset, length, _, size in advice if offset == 0 and length == size - 40_000]
    assert dropped, advice
    if suffix == ".csv":
        assert out.read_bytes() == reference.read_bytes()
    else:
        pd.testing.assert_frame_equal(pd.read_parquet(out), pd.read_parquet(reference))


def test_a_file_system_that_refuses_advice_is_written_as_usual(lead_file, tmp_path, monkeypatch):
    from socanalysis.leads import writing

    calls = []

    def refuse(*args):
        calls.append(args)
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(writing.os, "posix_fadvise", refuse, raising=False)
    monkeypatch.setattr(writing, "_ADVISE", True)
    out = tmp_path / "out.csv"
    summary = classify_file(lead_file, out, jobs=2, chunk_bytes=60_000)
    assert len(calls) == 1  # refused once, then never asked again
    assert len(read(out)) == summary.rows == 3000


def test_buffers_are_taken_back_and_given_again():
    from socanalysis.leads.writing import Buffers

    buffers = Buffers(keep=2)
    first = buffers.take(1000)
    assert first.dtype == np.uint8 and len(first) >= 1000
    buffers.give(first[:10])  # a view of it comes back
    again = buffers.take(900)
    assert again is first  # the free buffer large enough
    bigger = buffers.take(5000)
    assert bigger is not first and len(bigger) >= 5000
    for buf in (first, bigger, buffers.take(100)):
        buffers.give(buf)  # three given back, two kept: the smallest goes
    assert buffers.take(10) is first and buffers.take(4000) is bigger


def test_a_csv_run_writes_its_chunks_through_a_few_buffers(lead_file, tmp_path, monkeypatch):
    from socanalysis.leads import writing

    used, taken = set(), []
    real = writing.Buffers.take

    def take(self, size):
        buf = real(self, size)
        used.add(id(buf))
        taken.append(buf)  # (kept alive, so that no id is reused)
        return buf

    monkeypatch.setattr(writing.Buffers, "take", take)
    summary = classify_file(lead_file, tmp_path / "out.csv", jobs=2, chunk_bytes=20_000)
    reference = tmp_path / "reference.csv"
    monkeypatch.setattr(writing.Buffers, "take", lambda self, size: np.empty(size, np.uint8))
    classify_file(lead_file, reference, jobs=2, chunk_bytes=20_000)
    assert summary.rows == 3000 and len(taken) > 20  # a buffer a chunk
    assert len(used) <= 5  # at most jobs + 1 chunks in flight, and the one being written
    assert (tmp_path / "out.csv").read_bytes() == reference.read_bytes()
