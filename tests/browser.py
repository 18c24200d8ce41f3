"""Finding the system Chromium for browser tests, shared by every test file that needs one.

The rule: a browser test is skipped when no Chromium is installed, except on CI (``CI=true``),
where a missing browser fails the test, so a broken CI image cannot pass silently.

    from browser import require_chromium

    def test_page():
        executable = require_chromium()
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

#: Flags for a headless Chromium that must not talk to the network or the sandbox (containers).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    """The Chromium to test with: ``BROWSER_PATH`` when it is set, else the usual places, else None."""
    env = os.environ.get("BROWSER_PATH", "").strip()
    if env:
        return env if Path(env).is_file() and os.access(env, os.X_OK) else None
    for candidate in _CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def on_ci() -> bool:
    """True when the environment variable ``CI`` is ``true`` (as GitHub Actions and GitLab set it)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def require_chromium() -> str:
    """The Chromium path; skips the calling test without one, or fails it on CI."""
    path = chromium_path()
    if path is None:
        message = (
            "Chromium is required for the browser tests: apt-get install chromium "
            "(or set BROWSER_PATH to a Chrome/Chromium executable)"
        )
        if on_ci():
            pytest.fail(f"CI=true and no browser found. {message}")
        pytest.skip(f"no Chromium found. {message}")
    return path
