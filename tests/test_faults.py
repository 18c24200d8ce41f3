"""Faults while the command line writes: a kill (SIGKILL, SIGTERM, SIGINT) at random points of a
run over a million rows, a full disk, a read-only folder, and two runs writing the same output.
Each leaves either the complete output or none (an earlier output as it was), never a part."""

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from socanalysis._testing.synthetic import make_leads, write_csv_bulk
from socanalysis.cli import main
from socanalysis.present import OutputLock

ROWS = 1_000_000
EARLIER = b"an earlier output\n"
KILLS_PER_SIGNAL = 3


@pytest.fixture(scope="session")
def million(tmp_path_factory) -> Path:
    return write_csv_bulk(make_leads(ROWS, seed=16), tmp_path_factory.mktemp("million") / "leads.csv")


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    return write_csv_bulk(make_leads(20_000, seed=17), tmp_path_factory.mktemp("small") / "leads.csv")


def command(source, output, *extra) -> list[str]:
    return [sys.executable, "-m", "socanalysis.cli", "classify", str(source), "-o", str(output), "--quiet", *extra]


def leftovers(folder: Path, output: Path) -> list[str]:
    """Files beside the output that a run made and did not remove: temporary files and locks."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{output.name}."))


def rows_of(path: Path) -> int:
    return pacsv.read_csv(path, parse_options=pacsv.ParseOptions(newlines_in_values=True)).num_rows


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_kill_at_any_point_leaves_the_complete_output_or_the_earlier_one(million, tmp_path, signum):
    rng = random.Random(signum)
    for attempt in range(KILLS_PER_SIGNAL):
        output = tmp_path / "out.csv"
        output.write_bytes(EARLIER)
        proc = subprocess.Popen(command(million, output), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if attempt == 0:  # while the command starts and reads
            time.sleep(rng.uniform(0.2, 2.0))
        else:  # while it writes: once its temporary file is there
            deadline = time.monotonic() + 120
            while not any(n.endswith(".csv") for n in leftovers(tmp_path, output)) and proc.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 3.0))
        proc.send_signal(signum)
        status = proc.wait(timeout=120)
        proc.stderr.close()
        content_is_earlier = output.read_bytes()[: len(EARLIER) + 1] == EARLIER
        if status == 0:  # it finished before the signal came
            assert rows_of(output) == ROWS
        else:
            # killed, or stopped by its handler (SIGTERM 143, Ctrl-C 130), or by Python's before it is set
            assert status in (-signal.SIGKILL, -signal.SIGTERM, -signal.SIGINT, 128 + signal.SIGTERM, 130), status
            assert content_is_earlier, "a killed run left a part of its output under the final name"
        if signum != signal.SIGKILL:  # it could clean up: nothing is left beside the output
            assert leftovers(tmp_path, output) == []
        OutputLock(output).release()  # no lock is left held: the next run may write


# --------------------------------------------------------------------------- file systems that refuse
def _mount(folder: Path, options: str) -> None:
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"this machine cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def full_disk(tmp_path):
    folder = tmp_path / "full"
    _mount(folder, "size=256k")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture
def read_only(tmp_path):
    folder = tmp_path / "ro"
    _mount(folder, "ro,size=64k")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("ext", [".csv", ".parquet", ".xlsx"])
def test_a_full_disk_is_one_line_and_leaves_nothing(small, full_disk, ext):
    output = full_disk / f"out{ext}"
    done = subprocess.run(command(small, output, "--jobs", "2"), capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "No space left" in lines[0], done.stderr
    assert sorted(p.name for p in full_disk.iterdir()) == []


def test_a_read_only_folder_is_one_line(small, read_only):
    done = subprocess.run(command(small, read_only / "out.csv"), capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "Read-only file system" in lines[0], done.stderr


def test_a_read_only_folder_simulated_where_none_can_be_mounted(small, tmp_path, monkeypatch, capsys):
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).parent == tmp_path:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    assert main(["classify", str(small), "-o", str(tmp_path / "out.csv"), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Read-only file system" in err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- two writers
def test_a_second_run_writing_the_same_output_is_refused_and_the_first_completes(million, tmp_path):
    output = tmp_path / "out.csv"
    first = subprocess.Popen(command(million, output), stderr=subprocess.PIPE, text=True)
    lock = tmp_path / ".out.csv.lock"
    deadline = time.monotonic() + 120
    while not lock.exists() and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    second = subprocess.run(command(million, output), capture_output=True, text=True)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    first.stderr.close()
    if second.returncode == 0:  # the first had finished before the second started: both wrote all
        pytest.skip("the first run ended before the second could start; nothing to serialise")
    assert second.returncode == 2 and "another run is writing it" in second.stderr
    assert rows_of(output) == ROWS
    assert leftovers(tmp_path, output) == []
