"""Reading a CSV file in chunks ahead of classifying it (socanalysis.leads.streaming)."""

import threading
from concurrent.futures import Future

import pandas as pd
import pyarrow as pa
import pytest

from socanalysis import classify, load_portfolio
from socanalysis._testing.synthetic import make_leads, write_csv_bulk
from socanalysis.errors import RulesError
from socanalysis.leads import streaming
from socanalysis.leads.batch import classify_file
from socanalysis.leads.streaming import CsvChunk, CsvReading, parse_csv_chunk


@pytest.fixture(scope="module")
def lead_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("leads") / "leads.csv"
    write_csv_bulk(make_leads(2000, seed=5), path)
    return path


def test_the_first_chunks_are_parsing_ahead_and_all_come_back_in_order(lead_file, monkeypatch):
    monkeypatch.setattr(streaming, "EARLY_CHUNKS", 3)
    reading = CsvReading(lead_file, jobs=2, chunk_bytes=40_000)
    try:
        kinds = []
        tables = []
        for chunk, nbytes in reading.chunks:
            kinds.append(type(chunk).__name__)
            tables.append(chunk.result()[0] if isinstance(chunk, Future) else parse_csv_chunk(chunk)[0])
            assert nbytes > 0
    finally:
        reading.close()
    assert kinds[:3] == ["Future"] * 3 and set(kinds[3:]) == {"CsvChunk"} and len(kinds) > 5
    whole = pa.concat_tables(tables)
    assert whole.num_rows == 2000
    names = [name or "" for name in whole.column("Company Name").to_pylist()]
    assert names == make_leads(2000, seed=5)["Company Name"].fillna("").tolist()
    assert reading.pool is None  # closed


@pytest.mark.parametrize("jobs", [2, 3])
def test_the_first_chunks_parse_on_one_thread_fewer_than_the_jobs(lead_file, monkeypatch, jobs):
    """The main thread loads the classifier meanwhile, on a core of its own."""
    import itertools
    import time

    monkeypatch.setattr(streaming, "EARLY_CHUNKS", 6)
    lock, state = threading.Lock(), {"now": 0, "most": 0}
    real = streaming._parse_early

    def counting(chunk):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        try:
            time.sleep(0.05)  # long enough for parses to overlap where they can
            return real(chunk)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(streaming, "_parse_early", counting)
    before = threading.active_count()
    reading = CsvReading(lead_file, jobs=jobs, chunk_bytes=20_000)
    try:
        tables = [streaming.parsed(chunk)[0] for chunk, _ in itertools.islice(reading.chunks, 6)]
    finally:
        reading.close()
    assert state["most"] == jobs - 1 and all(t.num_rows for t in tables)
    assert threading.active_count() == before  # both sets of threads are gone


def test_one_job_reads_nothing_ahead(lead_file):
    reading = CsvReading(lead_file, jobs=1, chunk_bytes=40_000)
    chunks = [chunk for chunk, _ in reading.chunks]
    assert reading.pool is None and chunks and all(isinstance(c, CsvChunk) for c in chunks)


def test_a_utf16_file_is_not_cut_into_byte_ranges_but_read_whole(tmp_path):
    src = tmp_path / "leads.csv"
    src.write_text("Company,Description\nAcme Payroll,Payroll processing\nNimbus,Cloud hosting\n", encoding="utf-16")
    reading = CsvReading(src, jobs=2)
    assert not reading.streams and reading.pool is None and list(reading.chunks) == []
    assert reading.layout.encoding == "utf-16"
    summary = classify_file(src, tmp_path / "out.csv", reading=reading)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert out["Company"].tolist() == ["Acme Payroll", "Nimbus"] and summary.malformed_rows == []
    assert out["soc_report"].tolist() == classify(load_portfolio(src))["soc_report"].tolist()


def test_a_reading_started_by_the_caller_gives_the_same_file(lead_file, tmp_path):
    reading = CsvReading(lead_file, jobs=2, chunk_bytes=40_000)
    classify_file(lead_file, tmp_path / "ahead.csv", reading=reading, chunk_bytes=40_000)
    assert reading.pool is None  # closed by classify_file
    classify_file(lead_file, tmp_path / "plain.csv", jobs=1, chunk_bytes=40_000)
    assert (tmp_path / "ahead.csv").read_bytes() == (tmp_path / "plain.csv").read_bytes()


def test_a_failing_run_stops_the_parsing_ahead_and_its_threads(lead_file, tmp_path):
    rules = tmp_path / "rules.yml"
    rules.write_text("terms: [unclosed\n", encoding="utf-8")
    before = threading.active_count()
    reading = CsvReading(lead_file, jobs=2, chunk_bytes=20_000)
    with pytest.raises(RulesError):
        classify_file(lead_file, tmp_path / "out.csv", rules=rules, reading=reading)
    assert reading.pool is None and threading.active_count() == before
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    "data, valid",
    [
        (b"", True),
        ("Caf\u00e9, S\u00e3o Paulo \u2014 \U0001f600\n".encode(), True),
        (b"abc\xff", False),  # never in UTF-8
        (b"caf\xc3", False),  # a character cut short
        (b"\x80abc", False),  # a continuation byte alone
        (b"\xc0\xaf", False),  # an overlong form of "/"
        (b"\xed\xa0\x80", False),  # a surrogate
    ],
)
def test_a_range_of_rows_is_checked_as_utf8_in_one_pass(data, valid):
    assert streaming._is_utf8(data) is valid


def test_a_utf8_range_keeps_its_characters_and_bad_bytes_are_read_as_cp1252_in_their_row_only(tmp_path):
    rows = ["Company,Description", "Caf\u00e9 Soci\u00e9t\u00e9,Payroll \u2014 S\u00e3o Paulo", "Plain,Cloud hosting"]
    good = ("\n".join(rows) + "\n").encode()
    path = tmp_path / "a.csv"
    path.write_bytes(good + b"Bad,payroll \xff\xfe\n" + "\u00c5se,Data \u00e6\n".encode())
    start = len(rows[0]) + 1
    chunk = CsvChunk(str(path), start, path.stat().st_size, "utf-8", ",", ("Company", "Description"))
    table, notes = parse_csv_chunk(chunk)
    assert table.column("Company").to_pylist() == ["Caf\u00e9 Soci\u00e9t\u00e9", "Plain", "Bad", "\u00c5se"]
    assert table.column("Description").to_pylist()[2:] == ["payroll \u00ff\u00fe", "Data \u00e6"]
    assert list(notes) == [2] and "read as cp1252" in notes[2]
    clean = CsvChunk(str(path), start, len(good), "utf-8", ",", ("Company", "Description"))
    table, notes = parse_csv_chunk(clean)
    assert table.column("Description").to_pylist() == ["Payroll \u2014 S\u00e3o Paulo", "Cloud hosting"]
    assert notes == {}
