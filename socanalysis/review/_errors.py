"""The review room's error."""

from __future__ import annotations

from ..errors import SocAnalysisError


class ReviewStoreError(SocAnalysisError):
    """The decisions store cannot be opened or used, or a decision, file or snapshot is invalid.

    The message names what was found and what is accepted or what to do; errors about the rows of
    a file carry them as :attr:`cases` (``row``, ``column``, ``value``, ``problem``).

    Examples
    --------
    >>> err = ReviewStoreError("1 row cannot be imported", cases=[
    ...     {"row": 2, "column": "report", "value": "SOC3", "problem": "accepted: SOC 1, SOC 2, Both, Neither"}])
    >>> print(err)
    1 row cannot be imported
      row 2, column 'report', value 'SOC3': accepted: SOC 1, SOC 2, Both, Neither
    """
