"""Reading a CSV file in chunks ahead of classifying it (socanalysis.streaming)."""

import threading
from concurrent.futures import Future

import pandas as pd
import pyarrow as pa
import pytest

from socanalysis import classify, load_portfolio, streaming
from socanalysis.batch import classify_file
from socanalysis.errors import RulesError
from socanalysis.streaming import CsvChunk, CsvReading, parse_csv_chunk
from socanalysis.synthetic import make_leads, write_csv_bulk


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
