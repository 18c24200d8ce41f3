"""The Dask engine gives the same answers as the pandas path, row for row."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import dask.dataframe as dd  # noqa: E402

from socanalysis import cli  # noqa: E402
from socanalysis._testing.synthetic import make_leads, make_portfolio, write_csv_bulk  # noqa: E402
from socanalysis.errors import ColumnError, ExportError, PortfolioError, SocAnalysisError  # noqa: E402
from socanalysis.leads import dask as sd  # noqa: E402
from socanalysis.leads.batch import classify_file  # noqa: E402
from socanalysis.leads.hygiene import ClientIndex  # noqa: E402
from socanalysis.load.reading import load_portfolio  # noqa: E402
from socanalysis.pipeline import classify  # noqa: E402
from socanalysis.vocabulary import OUTPUT_COLUMNS, REVIEW_COLUMNS  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """One in-process cluster for the module, closed at the end."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield cluster, client


@pytest.fixture(scope="module")
def leads() -> pd.DataFrame:
    df = make_leads(1200, seed=4)
    df.insert(0, "Row ID", [str(i) for i in range(len(df))])
    return df


def by_row_id(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("Row ID", key=lambda s: s.astype(int)).reset_index(drop=True)


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal values, column by column; text dtypes may differ (Dask reads text as its own string dtype)."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for col in expected.columns:
        a, b = got[col].reset_index(drop=True), expected[col].reset_index(drop=True)
        if pd.api.types.is_float_dtype(b):
            np.testing.assert_allclose(a.astype(float), b, err_msg=col)
        else:
            assert (
                a.astype(object).where(a.notna(), None).tolist() == b.astype(object).where(b.notna(), None).tolist()
            ), col


def pandas_path(paths) -> pd.DataFrame:
    """What the pandas path says about the same files: load, classify, and no duplicate_of."""
    frames = [classify(load_portfolio(p)).drop(columns="duplicate_of") for p in paths]
    return pd.concat(frames, ignore_index=True)


def write_parts(df: pd.DataFrame, folder, n: int) -> list:
    paths = []
    for i, part in enumerate(np.array_split(np.arange(len(df)), n)):
        paths.append(write_csv_bulk(df.iloc[part], folder / f"leads-{i}.csv"))
    return paths


# --------------------------------------------------------------------------- same answers
def test_classify_equals_the_pandas_path_row_for_row(cluster, leads):
    _, client = cluster
    pieces = np.array_split(np.arange(len(leads)), 4)
    # partitions in reverse order, so the row id is needed to line the rows up
    ddf = dd.concat([dd.from_pandas(leads.iloc[p], npartitions=2) for p in reversed(pieces)])
    out = sd.classify(ddf)
    got = client.compute(out).result()
    assert got["Row ID"].iloc[0] != "0"
    expected = classify(leads)
    same(by_row_id(got), expected)
    assert list(out.columns) == [*leads.columns, *OUTPUT_COLUMNS, *REVIEW_COLUMNS]
    assert out._meta.dtypes.equals(got.dtypes)


def test_classify_does_not_touch_its_input(cluster, leads):
    _, client = cluster
    before = leads.copy()
    ddf = dd.from_pandas(leads, npartitions=3)
    client.compute(sd.classify(ddf)).result()
    same(client.compute(ddf).result(), before)
    pd.testing.assert_frame_equal(leads, before)


def test_classify_files_csv_equals_the_pandas_path(cluster, leads, tmp_path):
    local, _ = cluster
    paths = write_parts(leads, tmp_path, 3)
    assert leads["Description"].str.contains("\n").any()  # quoted newlines cross the cut points
    summary = sd.classify_files(
        tmp_path / "leads-*.csv", tmp_path / "out.parquet", scheduler=local.scheduler_address, chunk_bytes=20_000
    )
    parts = sorted((tmp_path / "out.parquet").iterdir())
    assert len(parts) > 6
    got = pd.read_parquet(tmp_path / "out.parquet")
    expected = pandas_path(paths)
    same(by_row_id(got), expected)
    assert got["Row ID"].tolist() == expected["Row ID"].tolist()  # and the part files are in row order
    assert summary.rows == len(leads)
    assert summary.counts == {k: int((expected["soc_report"] == k).sum()) for k in summary.counts}
    assert summary.problem_rows == int((expected["problem"] != "").sum())
    assert summary.duplicates == 0 and "duplicate_of" not in got.columns


def test_classify_files_parquet_to_csv(cluster, tmp_path):
    _, client = cluster
    leads = make_leads(300, seed=9)
    leads["NAICS"] = pd.to_numeric(leads["NAICS"], errors="coerce").astype("Int64")  # typed, as Parquet holds it
    leads.loc[5, "Description"] = '=HYPERLINK("http://x.example","payroll")'
    for i, part in enumerate(np.array_split(np.arange(len(leads)), 2)):
        leads.iloc[part].to_parquet(tmp_path / f"leads-{i}.parquet", index=False)
    summary = sd.classify_files(tmp_path / "leads-*.parquet", tmp_path / "out.csv", scheduler=client)
    got = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert summary.rows == len(got) == len(leads)
    expected = pd.concat([classify(load_portfolio(tmp_path / f"leads-{i}.parquet")) for i in (0, 1)], ignore_index=True)
    assert got["soc_report"].tolist() == expected["soc_report"].tolist()
    assert got["rationale"].tolist() == expected["rationale"].str.replace(r"^([=+\-@])", r"'\1", regex=True).tolist()
    naics = got["NAICS"][got["NAICS"] != ""]
    assert naics.str.fullmatch(r"\d+").all()  # 541214, not 541214.0
    assert got.loc[5, "Description"].startswith("'=HYPERLINK")


def test_malformed_rows_are_kept_and_numbered_over_the_whole_list(cluster, tmp_path):
    local, _ = cluster
    leads = make_leads(400, seed=2)
    paths = write_parts(leads, tmp_path, 2)
    for path, line in ((paths[0], 50), (paths[1], 120)):
        lines = path.read_text().split("\n")
        # a line with one value too many, outside quotes, between two records
        starts = [i for i, text in enumerate(lines) if text.count('"') % 2 == 0 and text.count(",") == 8]
        at = starts[starts.index(next(s for s in starts if s >= line))]
        lines[at] = lines[at] + ",extra"
        path.write_text("\n".join(lines))
    whole = tmp_path / "whole.csv"
    whole.write_text(paths[0].read_text() + paths[1].read_text().split("\n", 1)[1])
    reference = classify_file(whole, tmp_path / "batch.parquet", jobs=1)
    summary = sd.classify_files(
        tmp_path / "leads-*.csv", tmp_path / "out.parquet", scheduler=local.scheduler_address, chunk_bytes=8000
    )
    assert len(summary.malformed_rows) == 2
    assert summary.malformed_rows == reference.malformed_rows
    got = pd.read_parquet(tmp_path / "out.parquet")
    batch_out = pd.read_parquet(tmp_path / "batch.parquet")
    assert got["problem"].tolist() == batch_out["problem"].tolist()
    bad = [r - 1 for r in summary.malformed_rows]
    assert got.loc[bad, "soc_report"].eq("Undetermined").all()
    assert got.loc[bad, "problem"].str.startswith("malformed row: 10 values where the header has 9").all()
    assert any("malformed rows kept as Undetermined" in line for line in summary.lines())


def test_clients_are_matched_on_the_workers(cluster, tmp_path):
    _, client = cluster
    leads = make_leads(300, seed=12)
    clients = make_portfolio(100, seed=12)
    leads.loc[7, "Website"] = clients.loc[0, "Website"]
    leads.loc[8, "Company Name"] = clients.loc[1, "Client"]
    write_csv_bulk(leads, tmp_path / "leads.csv")
    write_csv_bulk(clients, tmp_path / "clients.csv")
    sd.classify_files(
        tmp_path / "leads.csv",
        tmp_path / "out.parquet",
        scheduler=client,
        clients=tmp_path / "clients.csv",
        chunk_bytes=10_000,
    )
    got = pd.read_parquet(tmp_path / "out.parquet")
    expected = ClientIndex.from_file(tmp_path / "clients.csv").match(load_portfolio(tmp_path / "leads.csv"))
    assert got["existing_client"].tolist() == expected["existing_client"].tolist()
    assert got["matched_client"].tolist() == expected["matched_client"].tolist()
    assert got.loc[[7, 8], "existing_client"].all()


def test_the_command_line_runs_the_dask_engine(cluster, leads, tmp_path, capsys):
    local, _ = cluster
    write_parts(leads.head(200), tmp_path, 2)
    out = tmp_path / "out.parquet"
    code = cli.main(
        [
            "classify",
            str(tmp_path / "leads-*.csv"),
            "-o",
            str(out),
            "--engine",
            "dask",
            "--scheduler",
            local.scheduler_address,
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "total" in printed and "200" in printed and str(out) in printed
    assert len(pd.read_parquet(out)) == 200


def test_the_default_local_cluster_is_closed_afterwards(tmp_path):
    psutil = pytest.importorskip("psutil")
    leads = make_leads(50, seed=1)
    write_csv_bulk(leads, tmp_path / "leads.csv")

    def workers():
        # worker processes, not multiprocessing's own helpers (resource tracker, fork server)
        found = []
        for p in psutil.Process().children(recursive=True):
            try:
                cmd = " ".join(p.cmdline())
            except psutil.Error:
                continue
            if "resource_tracker" not in cmd and "forkserver" not in cmd:
                found.append(p)
        return found

    def current_client():
        try:
            return distributed.get_client()
        except ValueError:
            return None

    before, client = {p.pid for p in workers()}, current_client()
    summary = sd.classify_files(tmp_path / "leads.csv", tmp_path / "out.csv")
    assert summary.rows == 50
    _, alive = psutil.wait_procs([p for p in workers() if p.pid not in before], timeout=15)
    assert alive == []
    assert current_client() is client  # the client made for the run is gone too


def test_local_schedulers_need_no_cluster(leads, tmp_path):
    write_parts(leads.head(100), tmp_path, 2)
    summary = sd.classify_files(tmp_path, tmp_path / "out.parquet", scheduler="synchronous")
    assert summary.rows == 100


# --------------------------------------------------------------------------- refusals
def test_no_matching_file(tmp_path):
    with pytest.raises(PortfolioError, match=r"no file matches '.*nothing-\*\.csv'"):
        sd.classify_files(tmp_path / "nothing-*.csv", tmp_path / "out.parquet", scheduler="synchronous")


def test_mixed_or_unsupported_files(tmp_path):
    (tmp_path / "a.csv").write_text("Company,Description\nAcme,payroll\n")
    pd.DataFrame({"Company": ["B"], "Description": ["x"]}).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(PortfolioError, match="names both CSV and Parquet files"):
        sd.classify_files(tmp_path / "*", tmp_path / "out.parquet", scheduler="synchronous")
    (tmp_path / "c.xlsx").write_bytes(b"PK")
    with pytest.raises(PortfolioError, match=r"'.*c\.xlsx' is not a CSV or Parquet file"):
        sd.classify_files(tmp_path / "c.*", tmp_path / "out.parquet", scheduler="synchronous")


def test_files_with_different_headers(tmp_path):
    (tmp_path / "a.csv").write_text("Company,Description\nAcme,payroll\n")
    (tmp_path / "b.csv").write_text("Company,Industry\nB,Banks\n")
    with pytest.raises(ColumnError, match=r"'.*b\.csv' has the columns \['Company', 'Industry'\]"):
        sd.classify_files(tmp_path / "*.csv", tmp_path / "out.parquet", scheduler="synchronous")


def test_a_utf16_file_is_refused_not_cut_into_garbled_ranges(tmp_path):
    (tmp_path / "a.csv").write_text("Company,Description\nAcme,payroll\n", encoding="utf-16")
    with pytest.raises(PortfolioError, match=r"'.*a\.csv' is utf-16 text, which the Dask engine does not cut"):
        sd.classify_files(tmp_path / "a.csv", tmp_path / "out.parquet", scheduler="synchronous")


def test_no_signal_column(tmp_path):
    (tmp_path / "a.csv").write_text("Company,Website\nAcme,acme.com\n")
    with pytest.raises(ColumnError, match="no column carrying a signal"):
        sd.classify_files(tmp_path / "a.csv", tmp_path / "out.parquet", scheduler="synchronous")


@pytest.mark.parametrize("name", ["out.xlsx", "out.json"])
def test_unsupported_outputs(tmp_path, name):
    (tmp_path / "a.csv").write_text("Company,Description\nAcme,payroll\n")
    with pytest.raises(ExportError, match=r"writes \.parquet \(a directory\) or \.csv"):
        sd.classify_files(tmp_path / "a.csv", tmp_path / name, scheduler="synchronous")
    assert not (tmp_path / name).exists()


def test_an_unsupported_output_is_refused_before_any_input_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sd, "_files", lambda pattern: pytest.fail("the input was looked at first"))
    with pytest.raises(ExportError, match=r"writes \.parquet \(a directory\) or \.csv"):
        sd.classify_files(tmp_path / "a.csv", tmp_path / "out.xlsx", scheduler="synchronous")


def test_an_existing_parquet_output_is_not_overwritten(tmp_path):
    (tmp_path / "a.csv").write_text("Company,Description\nAcme,payroll\n")
    (tmp_path / "out.parquet").mkdir()
    (tmp_path / "out.parquet" / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="already exists; .* does not overwrite"):
        sd.classify_files(tmp_path / "a.csv", tmp_path / "out.parquet", scheduler="synchronous")
    assert (tmp_path / "out.parquet" / "keep.txt").read_text() == "mine"


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    for name in list(sys.modules):
        if name == "dask" or name.startswith("dask."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(SocAnalysisError, match=r"pip install 'socanalysis\[dask\]'"):
        sd.classify(pd.DataFrame({"Description": ["payroll"]}))
