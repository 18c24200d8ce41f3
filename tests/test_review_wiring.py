"""The reviewers' decisions in every classification: Python, the engines, assess, the report and the command line."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from review_support import pg_url  # noqa: F401

import socanalysis as sa
from socanalysis import review
from socanalysis.cli import main
from socanalysis.leads.batch import classify_file
from socanalysis.vocabulary import OUTPUT_COLUMNS, REVIEW_COLUMNS

LEADS = pd.DataFrame(
    {
        "Company": ["Acme Payroll Inc.", "Granite Quarry", "Nimbus Hosting", "=cmd|calc"],
        "Website": ["https://www.acme.com/about", None, "nimbus.io", None],
        "Description": [
            "Payroll processing for employers",
            "Crushed stone and gravel",
            "Cloud hosting and managed servers",
            "Consulting",
        ],
    }
)


def _decide(**where):
    review.set("Acme", website="acme.com", report="SOC 1", reason="No customer data", by="J. Smith", **where)
    review.set("Granite Quarry LLC", report="SOC 2", categories="Availability", reason="Hosts orders", by="A. Lee",
               **where)  # fmt: skip


def test_classify_applies_the_workspace_decisions_and_review_false_shows_the_classifier(_workspace):
    plain = sa.classify(LEADS)
    assert not _workspace.exists()  # reading a fresh workspace creates nothing
    assert list(plain.columns) == [*LEADS.columns, *OUTPUT_COLUMNS, *REVIEW_COLUMNS]
    assert plain["decided_by"].tolist() == ["classifier"] * 4
    assert plain["classifier_report"].tolist() == plain["soc_report"].tolist()
    _decide()
    out = sa.classify(LEADS)
    assert out["soc_report"].tolist()[:2] == ["SOC 1", "SOC 2"]
    assert out["decided_by"].tolist() == ["J. Smith", "A. Lee", "classifier", "classifier"]
    assert out["tsc_categories"].iloc[1] == "Security; Availability"
    assert out["review_reason"].tolist()[:2] == ["No customer data", "Hosts orders"]
    assert out["classifier_report"].tolist() == plain["soc_report"].tolist()
    assert pd.Timestamp(out["reviewed_at"].iloc[0]).tz is not None
    alone = sa.classify(LEADS, review=False)
    assert alone[["soc_report", "decided_by"]].equals(plain[["soc_report", "decided_by"]])
    # a file classified before is classified again, not given its review columns twice
    again = sa.classify(out)
    assert list(again.columns) == list(out.columns) and again["soc_report"].tolist() == out["soc_report"].tolist()


def test_classify_refuses_mixed_arguments():
    with pytest.raises(sa.SocAnalysisError, match="review=False"):
        sa.classify(LEADS, review=False, decisions=review.Decisions.empty())
    with pytest.raises(sa.SocAnalysisError, match="review="):
        sa.classify(LEADS, review="yes")


def test_a_frame_without_name_or_website_gets_the_review_columns():
    _decide()
    out = sa.classify(LEADS[["Description"]])
    assert out["decided_by"].tolist() == ["classifier"] * 4


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx"])
def test_batch_engine_applies_the_decisions_it_is_handed(tmp_path, ext):
    src = tmp_path / "leads.csv"
    LEADS.to_csv(src, index=False)
    _decide()
    decisions = review.load_decisions()
    out = tmp_path / f"out{ext}"
    summary = classify_file(src, out, jobs=2, decisions=decisions, chunk_bytes=64)
    read = {".csv": lambda p: pd.read_csv(p, dtype=str, keep_default_na=False), ".parquet": pd.read_parquet}
    got = read.get(ext, lambda p: pd.read_excel(p, dtype=str, keep_default_na=False))(out)
    if ext == ".xlsx":  # a workbook for people: readable headers, the code names in its Columns sheet
        from socanalysis.present.headers import HEADERS

        got = got.rename(columns={header: code for code, (header, _) in HEADERS.items()})
    expected = sa.classify(LEADS)
    for column in REVIEW_COLUMNS[:2]:
        assert got[column].tolist() == expected[column].tolist(), column
    assert got["soc_report"].tolist() == expected["soc_report"].tolist()
    assert got["classifier_report"].tolist() == expected["classifier_report"].tolist()
    assert summary.counts["SOC 1"] == (expected["soc_report"] == "SOC 1").sum()
    if ext != ".parquet":  # cells neutralised in files for people, as every other value
        assert got["Company"].iloc[3].startswith("'=")
    # without decisions: every row decided by the classifier, the columns still there
    classify_file(src, tmp_path / "plain.parquet", jobs=1)
    plain = pd.read_parquet(tmp_path / "plain.parquet")
    assert list(plain.columns)[-5:] == [*REVIEW_COLUMNS, "duplicate_of"]
    assert set(plain["decided_by"]) == {"classifier"}


def test_dask_engine_applies_the_decisions(tmp_path):
    pytest.importorskip("dask.dataframe")
    from socanalysis.leads.dask import classify_files

    src = tmp_path / "leads.csv"
    LEADS.to_csv(src, index=False)
    _decide()
    classify_files(src, tmp_path / "out.parquet", scheduler="synchronous", decisions=review.load_decisions())
    got = pd.read_parquet(tmp_path / "out.parquet")
    assert got["decided_by"].tolist() == ["J. Smith", "A. Lee", "classifier", "classifier"]
    assert got["soc_report"].tolist()[:2] == ["SOC 1", "SOC 2"]


def test_assess_uses_the_reviewed_answer_and_saves_a_snapshot():
    _decide()
    portfolio = LEADS.rename(columns={"Company": "Client"})
    assessment = sa.assess(portfolio, as_of="2026-03-31", save=True, label="Q1")
    frame = assessment.frame
    assert frame["soc_report"].iloc[0] == "SOC 1" and frame["decided_by"].iloc[0] == "J. Smith"
    assert frame["coverage_status"].iloc[0] == "Gap: SOC 1"  # coverage judged on the reviewed answer
    assert assessment.snapshot == 1
    shots = review.snapshots()
    assert shots["label"].tolist() == ["Q1"] and str(shots["as_of"].iloc[0]) == "2026-03-31"
    alone = sa.assess(portfolio, as_of="2026-03-31", review=False)
    assert alone.frame["decided_by"].tolist() == ["classifier"] * 4 and alone.snapshot is None


def test_assess_of_a_classified_frame_applies_the_decisions_once():
    classified = sa.classify(LEADS, review=False).drop(columns=list(REVIEW_COLUMNS))
    _decide()
    assert sa.assess(classified, as_of="2026-03-31").frame["decided_by"].iloc[0] == "J. Smith"
    reviewed = sa.classify(LEADS, review=False)  # already carries its review columns: kept
    assert sa.assess(reviewed, as_of="2026-03-31").frame["decided_by"].iloc[0] == "classifier"


def test_postgresql_decisions_reach_classify(pg_url):  # noqa: F811
    _decide(database=pg_url)
    out = sa.classify(LEADS, database=pg_url)
    assert out["decided_by"].tolist()[:2] == ["J. Smith", "A. Lee"]


# --------------------------------------------------------------------------- the command line
def _run(*argv) -> int:
    return main([str(a) for a in argv])


def test_cli_review_set_list_history_undo(capsys, _workspace):
    assert _run("review", "list") == 0
    assert "no decisions" in capsys.readouterr().out and not _workspace.exists()
    assert _run("review", "set", "acme.com", "--report", "soc2", "--categories", "privacy", "--type", "Type 2",
                "--reason", "Hosts <b>HR</b> data", "--by", "J. Smith") == 0  # fmt: skip
    assert _run("review", "set", "acme.com", "--report", "Both", "--reason", "Payroll too", "--by", "A. Lee") == 0
    capsys.readouterr()
    assert _run("review", "list") == 0
    listed = capsys.readouterr().out
    assert "Both" in listed and "A. Lee" in listed and "SOC 2" not in listed
    assert _run("review", "undo", "acme.com", "--reason", "Not confirmed", "--by", "B. Kim") == 0
    assert _run("review", "history", "acme.com") == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines[2:]] == ["set", "set", "undo"]
    assert review.list()["report"].tolist() == ["SOC 2"]


@pytest.mark.parametrize(
    "argv, words",
    [
        (["review", "set", "acme.com", "--report", "SOC 7", "--reason", "r", "--by", "b"], "accepted: SOC 1"),
        (["review", "set", "acme.com", "--report", "SOC 1", "--reason", " ", "--by", "b"], "reason"),
        (["review", "undo", "globex.com", "--reason", "r", "--by", "b"], "no decisions"),
        (["review", "list", "--database", "mysql://x/y"], "accepted"),
        (["review", "list", "--workspace", "w", "--database", "sqlite://"], "not both"),
        (["history", "--since", "soon"], "not a date"),
    ],
)
def test_cli_errors_exit_2_with_one_line(capsys, argv, words):
    assert _run(*argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("socanalysis: error:") and words in err


def test_cli_import_errors_name_the_row_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("organisation,report,reason,decided_by\nGlobex,SOC 9,x,y\nInitech,SOC 1,,z\n")
    assert _run("review", "import", bad) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "row 2, column 'report', value 'SOC 9'" in err and "1 more" in err
    assert review.list().empty


def test_cli_export_and_import_share_decisions_between_workspaces(tmp_path, capsys):
    _decide()
    shared = tmp_path / "decisions.csv"
    assert _run("review", "export", shared) == 0
    other = tmp_path / "other"
    assert _run("review", "import", shared, "--workspace", other) == 0
    assert _run("review", "import", shared, "--workspace", other) == 0
    out = capsys.readouterr().out
    assert "2 change(s) imported" in out and "0 change(s) imported" in out
    assert sorted(review.list(workspace=other)["report"]) == ["SOC 1", "SOC 2"]


def test_cli_classify_applies_decisions_and_no_review_leaves_them_out(tmp_path):
    src = tmp_path / "leads.csv"
    LEADS.to_csv(src, index=False)
    _decide()
    for flags, expected in (([], "J. Smith"), (["--no-review"], "classifier")):
        out = tmp_path / "out.csv"
        code = f"from socanalysis.cli import main; raise SystemExit(main({[str(src), '-o', str(out), '--quiet']!r} "
        code = code.replace("main([", "main(['classify', ") + f" + {flags!r}))"
        subprocess.run([sys.executable, "-c", code], check=True)
        got = pd.read_csv(out, dtype=str, keep_default_na=False)
        assert got["decided_by"].iloc[0] == expected and list(got.columns)[-5:-1] == list(REVIEW_COLUMNS)


def test_cli_report_save_and_history(tmp_path, capsys):
    portfolio = tmp_path / "portfolio.csv"
    frame = LEADS.rename(columns={"Company": "Client"}).assign(**{"SOC Reports": ["", "", "SOC 2 Type 2", ""]})
    frame.to_csv(portfolio, index=False)
    assert _run("history") == 0 and "no snapshots" in capsys.readouterr().out
    assert _run("report", portfolio, "-o", tmp_path / "q1.csv", "--as-of", "2026-03-31", "--save") == 0
    assert _run("history") == 0 and "one snapshot" in capsys.readouterr().out
    _decide()  # the partner decides Acme needs a SOC 1: a new gap
    assert _run("report", portfolio, "-o", tmp_path / "q2.csv", "--as-of", "2026-06-30", "--save", "--label",
                "Q2") == 0  # fmt: skip
    capsys.readouterr()
    assert _run("history") == 0
    out = capsys.readouterr().out
    assert "2026-03-31" in out and "Q2" in out and "from snapshot 1 to 2" in out
    assert _run("history", "--since", "2026-04-01") == 0
    assert "2026-03-31" not in capsys.readouterr().out
    changes = review.compare_snapshots()
    assert "Acme" in changes["organisation"].str.cat()


def test_workbook_and_report_mark_reviewed_rows_and_escape_the_store(tmp_path):
    portfolio = tmp_path / "portfolio.csv"
    LEADS.rename(columns={"Company": "Client"}).to_csv(portfolio, index=False)
    review.set("acme.com", report="SOC 1", reason="<script>alert(1)</script>", by="<b>Evil</b>")
    book = tmp_path / "report.xlsx"
    sa.report(portfolio, book, as_of="2026-03-31")
    organisations = pd.read_excel(book, sheet_name="Organisations", dtype=str)
    assert organisations["Decided by"].tolist()[0] == "<b>Evil</b>"
    assert organisations["Classifier's answer"].iloc[0] != "SOC 1"
    assert "<b>Evil</b>" in pd.read_excel(book, sheet_name="Gaps", dtype=str)["Decided by"].tolist()
    page = sa.report(portfolio, tmp_path / "report.html", as_of="2026-03-31").read_text(encoding="utf-8")
    assert "&lt;b&gt;Evil&lt;/b&gt;" in page and "<b>Evil" not in page
    assert "Decided by" in page


def test_values_from_the_store_are_neutralised_in_csv_output(tmp_path):
    src = tmp_path / "leads.csv"
    LEADS.to_csv(src, index=False)
    review.set("acme.com", report="SOC 1", reason='=HYPERLINK("http://x")', by="@evil")
    classify_file(src, tmp_path / "out.csv", jobs=1, decisions=review.load_decisions())
    got = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert got["review_reason"].iloc[0] == '\'=HYPERLINK("http://x")' and got["decided_by"].iloc[0] == "'@evil"


def test_cli_classify_refuses_a_damaged_workspace_untouched(tmp_path, capsys):
    src = tmp_path / "leads.csv"
    LEADS.to_csv(src, index=False)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "decisions.sqlite").write_bytes(b"not a database")
    assert _run("classify", src, "-o", tmp_path / "out.csv", "--quiet", "--workspace", damaged) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a SQLite database" in err
    assert (damaged / "decisions.sqlite").read_bytes() == b"not a database" and not (tmp_path / "out.csv").exists()
