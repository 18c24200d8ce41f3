"""Files that appear complete or not at all, and the formula-safe CSV.

Every writer in :mod:`socanalysis.present` writes through :class:`AtomicFile`: the bytes go to a
temporary file beside the target, are flushed to disk (``fsync``), and the temporary file is then
renamed over the target, so a reader never sees half a file and a failed export leaves any earlier
file in place.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp()) / "note.txt"
>>> _ = write_text(out, "done")
>>> out.read_text(encoding="utf-8"), sorted(p.name for p in out.parent.iterdir())
('done', ['note.txt'])
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import ExportError, SocAnalysisError
from .cells import neutral_text, neutralise

try:  # POSIX: a lock taken on a file beside the output
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, the rename still keeps the output whole
    fcntl = None

__all__ = ["AtomicFile", "OutputLock", "discard_open_files", "refuse_input", "write_bytes", "write_csv", "write_text"]


def cannot_write(path: str | os.PathLike, exc: BaseException) -> ExportError:
    """The error for a file that could not be written, naming it and the reason."""
    return ExportError(f"cannot write {str(path)!r}: {getattr(exc, 'strerror', None) or exc}")


def refuse_input(output: str | os.PathLike, inputs: Iterable) -> None:
    """Refuse to write ``output`` over one of the files being read (``inputs``: paths, or other
    objects, which are ignored), whatever the spelling of its path or a symbolic link in between.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "leads.csv").write_text("Company\\nAcme\\n")
    >>> refuse_input(f"{folder}/./leads.csv", [folder / "leads.csv"])
    Traceback (most recent call last):
    ...
    socanalysis.errors.ExportError: the output ... is the input file ...; write the result to another file (...)
    """
    out = Path(output)
    if not out.exists():
        return
    for source in inputs:
        if not isinstance(source, (str, os.PathLike)):
            continue
        try:
            same = os.path.samefile(source, out)
        except OSError:  # an input that does not exist is reported by its reader
            continue
        if same:
            raise ExportError(
                f"the output {str(output)!r} is the input file {str(source)!r}; write the result to another file "
                "(the input is never overwritten)"
            )


class OutputLock:
    """A lock on the output ``path``, so that a second run writing the same file is refused.

    The lock is an exclusive ``flock`` on ``.<name>.lock`` beside the output, held while the
    output is written and removed when released. A lock file left by a killed run holds no lock
    (the system releases it with the process) and is taken over.

    Raises
    ------
    ExportError
        When another process is writing the same output.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.file = self.path.with_name(f".{self.path.name}.lock")
        self._fd: int | None = None
        if fcntl is None:  # pragma: no cover
            return
        while True:
            try:
                fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise cannot_write(self.path, exc) from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise ExportError(
                    f"cannot write {str(self.path)!r}: another run is writing it now; wait for it to finish "
                    "or choose another output"
                ) from None
            try:  # the file locked must still be the one under the name (not removed by its last holder)
                same = os.path.samestat(os.fstat(fd), os.stat(self.file))
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                return
            os.close(fd)

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self._fd is None:
            return
        try:
            self.file.unlink(missing_ok=True)
        except OSError:  # pragma: no cover - a folder that became read-only: the lock goes with the process
            pass
        os.close(self._fd)
        self._fd = None


_OPEN: set = set()  # the AtomicFiles being written in this process, for discard_open_files


def discard_open_files() -> None:
    """Discard every :class:`AtomicFile` still being written (their targets stay as they were): what a
    process that is told to stop (SIGTERM) does before it ends at once."""
    for file in list(_OPEN):
        try:
            file.discard()
        except OSError:  # pragma: no cover - ending anyway
            pass


class AtomicFile:
    """A temporary file beside ``path`` that becomes ``path`` on :meth:`commit`, or disappears.

    The temporary file is created at once (empty, with the permissions a new file gets) in the
    target's folder, named ``.<name>.<random><suffix>`` so that tools that look at the suffix
    (pandas' compression, xlsxwriter) see the target's. Used as a context manager it commits when
    the block ends normally and discards the file when it raises. While it is open, the output is
    locked (:class:`OutputLock`): a second writer of the same file is refused. When ``path`` is a
    symbolic link, the file it points to is replaced, and the link kept.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write.
    inputs : iterable of paths, optional
        The files being read: writing over one of them is refused (:func:`refuse_input`).

    Raises
    ------
    ExportError
        When the folder does not exist or cannot be written to, when ``path`` is one of
        ``inputs``, or when another run is writing ``path``.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "data.bin"
    >>> with AtomicFile(target) as file:
    ...     _ = file.temp.write_bytes(b"abc")
    ...     target.exists()
    False
    >>> target.read_bytes()
    b'abc'
    """

    def __init__(self, path: str | os.PathLike, *, inputs: Iterable = ()):
        refuse_input(path, inputs)
        self.path = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
        self.done = False
        self.lock = OutputLock(self.path)
        for _ in range(100):
            temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}{self.path.suffix}")
            try:
                handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            except OSError as exc:
                self.lock.release()
                raise cannot_write(self.path, exc) from exc
            os.close(handle)
            self.temp = temp
            _OPEN.add(self)
            return
        self.lock.release()  # pragma: no cover
        raise ExportError(f"cannot write {str(self.path)!r}: no free temporary name beside it")  # pragma: no cover

    def commit(self) -> Path:
        """Flush the temporary file to disk and rename it to :attr:`path`; returns the path."""
        if self.done:
            return self.path
        try:
            handle = os.open(self.temp, os.O_RDONLY)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(self.temp, self.path)
            _sync_folder(self.path.parent)
        except OSError as exc:
            self.discard()
            raise cannot_write(self.path, exc) from exc
        self.done = True
        _OPEN.discard(self)
        self.lock.release()
        return self.path

    def discard(self) -> None:
        """Remove the temporary file; the target is left as it was."""
        self.done = True
        try:
            self.temp.unlink(missing_ok=True)
        finally:
            _OPEN.discard(self)
            self.lock.release()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename survives a power cut (POSIX only)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder; its rename is durable already
        return
    try:
        os.fsync(handle)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(handle)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path``, complete or not at all."""
    with AtomicFile(path) as file:
        try:
            file.temp.write_bytes(data)
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    return file.path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path``, complete or not at all."""
    return write_bytes(path, text.encode("utf-8"))


def write_csv(df: pd.DataFrame, path: str | os.PathLike, *, index: bool = False) -> Path:
    """Write a formula-safe CSV that Excel opens with accents intact (UTF-8 with a BOM).

    Parameters
    ----------
    df : pandas.DataFrame
        Not modified.
    path : str or os.PathLike
    index : bool
        Write the index as the first column.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "leads.csv"
    >>> _ = write_csv(pd.DataFrame({"Company": ["Société =Générale", "=1+1"]}), out)
    >>> out.read_bytes()[:3] == b"\\xef\\xbb\\xbf", out.read_text(encoding="utf-8-sig").splitlines()
    (True, ['Company', 'Société =Générale', "'=1+1"])
    """
    if not isinstance(df, pd.DataFrame):
        raise SocAnalysisError(f"write_csv() takes a DataFrame, not {type(df).__name__}")
    safe = neutralise(df)
    safe.columns = [neutral_text(str(c)) for c in df.columns]
    if index and safe.index.dtype == object:
        safe.index = neutralise(pd.Series(safe.index.astype(str))).to_numpy()
    with AtomicFile(path) as file:
        try:
            safe.to_csv(file.temp, index=index, encoding="utf-8-sig")
        except OSError as exc:
            raise cannot_write(path, exc) from exc
    return file.path
