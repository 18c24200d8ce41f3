"""Reading the generator's data files (``socanalysis/_testing/data/*.yaml``) and checking what they hold.

A :class:`Reader` parses one file and hands out its values already checked: lists of text, numbers in
a range, weighted choices, templates with known slots. It notes every problem with the entry and the
field it was found in, and raises them all at once, as one :class:`DataFileError`, when the file has
been read.

>>> with Reader.from_text("pools:\\n  colours: [red, green]\\n  sizes: [1, large]\\n", "demo.yaml") as r:
...     colours = r.texts(r.doc["pools"]["colours"], "pools.colours")
...     sizes = r.texts(r.doc["pools"]["sizes"], "pools.sizes")
Traceback (most recent call last):
...
socanalysis._testing.datafiles.DataFileError: demo.yaml: 1 problem
  pools.sizes[0]: 1 is a number, not text: write it in quotes (unquoted, 0115 even reads as 77)
>>> colours
('red', 'green')
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Collection, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

__all__ = ["DATA", "DataFileError", "Reader"]

DATA = resources.files("socanalysis._testing") / "data"
"""The folder of the packaged data files."""


Check = Callable[[object, str], object]
"""Checks one value found at a place (``entry.field[position]``) and returns it, noting any problem."""


class DataFileError(ValueError):
    """A data file of the generator is malformed; the message names the entry and field of each problem."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present
    """YAML's safe loader, refusing a key written twice in one mapping (plain YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                repeated = key in seen
            except TypeError:  # an unhashable key: the base class reports it
                break
            if repeated:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"the key {key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class Reader:
    """One data file, parsed; its values are checked as they are read, the problems raised at the end.

    Use it as a context manager: leaving the ``with`` block raises :class:`DataFileError` listing every
    problem noted, each as ``entry.field[position]: what is wrong``.
    """

    def __init__(self, doc: object, name: str):
        self.name = name
        self.problems: list[str] = []
        if not isinstance(doc, Mapping):
            raise DataFileError(f"{name}: expected a mapping of names to values at the top, got {type(doc).__name__}")
        self.doc = doc

    @classmethod
    def from_file(cls, path: Path | Traversable) -> Reader:
        """Parse a data file (``DATA / "countries.yaml"``, or any path); messages name it by its file name."""
        name = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{name}: cannot be read: {exc}") from None
        return cls.from_text(text, name)

    @classmethod
    def from_text(cls, text: str, name: str) -> Reader:
        try:
            doc = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise DataFileError(f"{name}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
        return cls(doc, name)

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None and self.problems:
            count = f"{len(self.problems)} problem{'s' * (len(self.problems) > 1)}"
            raise DataFileError("\n  ".join([f"{self.name}: {count}", *self.problems]))

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")

    # ------------------------------------------------------------------ shapes
    def mapping(self, value: object, where: str, *, fields: Collection[str] | None = None) -> dict:
        """A mapping (``{}`` after noting a problem); with ``fields``, any other key is a problem."""
        if not isinstance(value, Mapping):
            self.problem(where, f"expected a mapping (key: value lines), got {value!r}")
            return {}
        if fields is not None:
            for key in value:
                if key not in fields:
                    self.problem(where, f"unknown field {key!r}; accepted: {', '.join(fields)}")
        return dict(value)

    def text(self, value: object, where: str, *, empty: bool = False) -> str:
        if isinstance(value, str) and (empty or value):
            return value
        if isinstance(value, str):
            self.problem(where, 'is empty; only a few lists accept "" (no ending, no word)')
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.problem(
                where, f"{value!r} is a number, not text: write it in quotes (unquoted, 0115 even reads as 77)"
            )
        else:
            self.problem(where, f"{value!r} is not text; write it in quotes")
        return ""

    def texts(self, value: object, where: str, *, empty: bool = False, pattern: str | None = None) -> tuple[str, ...]:
        """A non-empty list of text; ``empty`` accepts ``""`` items, ``pattern`` is what each must look like."""
        if not isinstance(value, list) or not value:
            self.problem(where, f"expected a list with at least one item, got {value!r}")
            return ()
        out = tuple(self.text(v, f"{where}[{i}]", empty=empty) for i, v in enumerate(value))
        if pattern is not None:
            for i, v in enumerate(out):
                if v and not re.fullmatch(pattern, v):
                    self.problem(f"{where}[{i}]", f"{v!r} does not look like {pattern}")
        return out

    def number(self, value: object, where: str, *, low: float = 0.0, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"{value!r} is not a number")
            return low
        if value < low or (high is not None and value > high):
            upper = "" if high is None else f" and at most {high}"
            self.problem(where, f"{value!r} is out of range: at least {low}{upper}")
        return float(value)

    def whole(self, value: object, where: str, *, low: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            self.problem(where, f"{value!r} is not a whole number of at least {low}")
            return low
        return value

    def weights(self, value: object, where: str, *, choice: Check | None = None) -> tuple[tuple, tuple[float, ...]]:
        """``choice: how often`` lines, as (choices, weights); ``choice`` checks each one (text by default)."""
        pairs = self._choices(value, where)
        check = choice or self._choice
        choices = tuple(check(k, f"{where}[{k!r}]") for k in pairs)
        weights = tuple(self.number(w, f"{where}[{k!r}]") for k, w in pairs.items())
        if pairs and not sum(weights) > 0:
            self.problem(where, "at least one choice must have a weight above 0")
        return choices, weights

    def repeated(self, value: object, where: str, *, choice: Check | None = None) -> tuple:
        """``choice: how many`` lines, as one tuple holding each choice that many times, in order."""
        pairs = self._choices(value, where)
        check = choice or self._choice
        return tuple(
            v for k, n in pairs.items() for v in (check(k, f"{where}[{k!r}]"),) * self.whole(n, f"{where}[{k!r}]")
        )

    def _choices(self, value: object, where: str) -> dict:
        pairs = self.mapping(value, where)
        if isinstance(value, Mapping) and not pairs:
            self.problem(where, "expected at least one choice")
        return pairs

    def _choice(self, value: object, where: str) -> str:
        return self.text(value, where, empty=True)

    def templates(self, value: object, where: str, slots: Collection[str]) -> tuple[str, ...]:
        """Texts with ``{slot}`` placeholders, each slot one of ``slots``."""
        out = self.texts(value, where)
        for i, template in enumerate(out):
            try:
                used = [slot for _, slot, _, _ in string.Formatter().parse(template) if slot is not None]
            except ValueError as exc:
                self.problem(f"{where}[{i}]", f"{template!r}: {exc}")
                continue
            unknown = [s for s in used if s not in slots]
            if unknown:
                self.problem(
                    f"{where}[{i}]", f"unknown slot(s) {unknown} in {template!r}; accepted: {', '.join(slots)}"
                )
        return out
