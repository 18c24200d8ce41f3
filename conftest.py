"""Every test, doctest and notebook runs with a decisions workspace of its own: nothing is written to the
user's data folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _workspace(tmp_path_factory, monkeypatch):
    """``SOCANALYSIS_WORKSPACE`` is a fresh temporary folder (not created until a decision is saved)."""
    folder = tmp_path_factory.mktemp("workspace") / "socanalysis"
    monkeypatch.setenv("SOCANALYSIS_WORKSPACE", str(folder))
    monkeypatch.delenv("SOCANALYSIS_DATABASE", raising=False)
    return folder
