"""Files that appear complete or not at all, for the server process.

The web server process (:mod:`socanalysis.dashboards.server`) writes its ready file with this
rather than :class:`socanalysis.present.AtomicFile`, which would load pandas into a process that
otherwise holds none of it (84 MB resident, measured after importing the server module).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder, fsync and a rename.

    A reader sees the old file, or no file, until the new one is complete.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "page.html"
    >>> write_atomically(target, "<p>hi</p>").read_text()
    '<p>hi</p>'
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as sink:
            sink.write(text)
            sink.flush()
            os.fsync(sink.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
