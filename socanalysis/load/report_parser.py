"""The grammar of an existing-reports cell: which reports its tokens name, and what the types,
Trust Services Categories and statuses around them say of each.

>>> drafts, problems = CellReader("SOC 1 & 2 Type II; ISO 27001 (planned); SOC 4").read()
>>> [(d.kind, d.type, d.status) for d in drafts]
[('SOC 1', 'Type 2', 'held'), ('SOC 2', 'Type 2', 'held'), ('ISO 27001', '', 'in progress')]
>>> problems
["'SOC 4' is not a report socanalysis knows (SOC 1, SOC 2 or SOC 3)"]
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .report_tokens import CERT_KINDS, QUIET, Token, category, certification, number, plus_subject, tokens

__all__ = ["CATEGORISABLE", "SOC1_KINDS", "SOC2_KINDS", "SOC_SUITE", "TYPABLE", "CellReader", "Draft"]

SOC1_KINDS = frozenset({"SOC 1", "ISAE 3402", "CSAE 3416"})  # what counts as a SOC 1
SOC2_KINDS = frozenset({"SOC 2", "ISAE 3000"})  # what counts as a SOC 2
SOC_SUITE = frozenset({*SOC1_KINDS, *SOC2_KINDS, "SOC 3", "SOC for Cybersecurity", "SOC for Supply Chain"})
TYPABLE = frozenset({*SOC1_KINDS, *SOC2_KINDS, "SOC for Supply Chain"})  # come as Type 1 or Type 2
CATEGORISABLE = frozenset({*SOC2_KINDS, "SOC 3", "SOC for Supply Chain"})  # name Trust Services Categories


@dataclass
class Draft:
    """A report being read: where the cell names it (``start``, ``end``, growing as qualifiers
    follow), and what the tokens around it say of it; ``status`` "not held" drops it."""

    kind: str
    start: int
    end: int
    type: str = ""
    categories: list[str] = field(default_factory=list)
    standard: str = ""
    subject_matter: tuple[str, ...] = ()
    status: str = "held"
    plus: bool = False


# Each token that names a report gives the report, or a sentence saying why it is not one.


def _soc(tok: Token) -> Draft | str:
    n = number(tok.match.group("soc_n"))
    if n in (1, 2, 3):
        return Draft(f"SOC {n}", tok.start, tok.end)
    return f"{tok.text!r} is not a report socanalysis knows (SOC 1, SOC 2 or SOC 3)"


def _soc_plus(tok: Token) -> Draft:
    spellings = (tok.match.group("plus_subject"), tok.match.group("plus_subject2"))
    subjects = tuple(dict.fromkeys(plus_subject(s) for s in spellings if s))
    return Draft("SOC 2", tok.start, tok.end, subject_matter=subjects, plus=True)


def _soc_for(tok: Token) -> Draft:
    supply = tok.match.group("socfor").lower().startswith("supply")
    return Draft("SOC for Supply Chain" if supply else "SOC for Cybersecurity", tok.start, tok.end)


def _soc_bare(tok: Token) -> str:
    return f"{tok.text!r} does not say which SOC report (SOC 1, SOC 2 or SOC 3)"


def _ssae(tok: Token) -> Draft | str:
    n = tok.match.group("ssae_n")
    if n in ("16", "18"):
        return Draft("SOC 1", tok.start, tok.end, standard=f"SSAE {n}")
    return f"{tok.text!r} is not a report socanalysis knows (SSAE 18 or SSAE 16 name a SOC 1)"


def _sas70(tok: Token) -> Draft:
    return Draft("SOC 1", tok.start, tok.end, standard="SAS 70")


def _isae_csae(tok: Token) -> Draft | str:
    n = tok.match.group("isae_n" if tok.kind == "ISAE" else "csae_n")
    if n in {"ISAE": ("3402", "3000"), "CSAE": ("3416",)}[tok.kind]:
        return Draft(f"{tok.kind} {n}", tok.start, tok.end)
    return f"{tok.text!r} is not a report socanalysis knows (ISAE 3402, ISAE 3000 and CSAE 3416 are)"


def _certification(tok: Token) -> Draft:
    return Draft(certification(tok), tok.start, tok.end)


_NAMERS = {
    "SOC": _soc,
    "SOCPLUS": _soc_plus,
    "SOCFOR": _soc_for,
    "SOCBARE": _soc_bare,
    "SSAE": _ssae,
    "SAS70": _sas70,
    "ISAE": _isae_csae,
    "CSAE": _isae_csae,
    **dict.fromkeys(CERT_KINDS, _certification),
}
_STATUSES = {"PENDING": "in progress", "EXPIRED": "expired", "NEG": "not held"}


@dataclass
class _Run:
    """Adjacent words socanalysis does not know, quoted back as one fragment."""

    start: int
    end: int
    depth: int  # parentheses open where it began


class CellReader:
    """Reads one cell's tokens left to right into reports and problems.

    The *group* is the report (or reports: "SOC 1 & 2") named last; a type, a category, a status
    or a closing parenthesis that follows qualifies it. A type, categories or a status met before
    any report wait, *pending*, for the next report. A separator outside parentheses ends a
    *segment*: a status then applies only to a report named after it.
    """

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokens(text)
        self.reports: list[Draft] = []
        self.problems: list[str] = []
        self.group: list[Draft] = []
        self.pending_type: tuple[str, Token] | None = None
        self.pending_cats: list[tuple[str, Token]] = []
        self.pending_status: str | None = None
        self.depth = 0
        self.after_sep = False  # the last token that mattered was a separator outside parentheses
        self.segment_named = False  # the segment has named a report (or tried to)
        self.unknown: _Run | None = None

    def read(self) -> tuple[list[Draft], list[str]]:
        for i, tok in enumerate(self.tokens):
            self._step(i, tok)
        self._end_unknown()
        if self.pending_type:
            self.problems.append(f"{self.pending_type[1].text!r} does not say which report (SOC 1 or SOC 2)")
        for _cat, tok in self.pending_cats:
            self.problems.append(f"{tok.text!r} is not given with a SOC 2")
        return self.reports, self.problems

    def _step(self, i: int, tok: Token) -> None:
        kind = tok.kind
        if kind == "UNK":
            if self.unknown is None:
                self.unknown = _Run(tok.start, tok.end, self.depth)
            else:
                self.unknown.end = tok.end
            return
        if kind in QUIET and self.unknown is not None:
            return  # "Acme the Foo" stays one fragment
        self._end_unknown()
        if kind == "SEP":
            if self.depth == 0:
                self.after_sep, self.segment_named = True, False
        elif kind == "OPEN":
            self.depth += 1
        elif kind == "CLOSE":
            self.depth = max(0, self.depth - 1)
            _reach(self.group, tok)
        elif kind not in QUIET:
            after_sep, self.after_sep = self.after_sep, False
            self._word(i, tok, after_sep)

    def _word(self, i: int, tok: Token, after_sep: bool) -> None:
        """A token that names or qualifies a report."""
        kind = tok.kind
        if kind in _NAMERS:
            self._named(_NAMERS[kind](tok))
        elif kind == "NUM":
            self._number(tok, after_sep)
        elif kind == "TYPE":
            self._type(tok, after_sep, self._next_kind(i))
        elif kind == "CAT":
            self._category(category(tok), tok)
        elif kind in _STATUSES:
            self._status(_STATUSES[kind], tok)
        elif kind == "YES":
            self.problems.append(f"{tok.text!r} does not say which report is held")

    def _next_kind(self, i: int) -> str | None:
        """The kind of the first token after the i-th that is not quiet."""
        return next((tok.kind for tok in self.tokens[i + 1 :] if tok.kind not in QUIET), None)

    def _end_unknown(self) -> None:
        run, self.unknown = self.unknown, None
        if run is None:
            return
        fragment = self.text[run.start : run.end]
        if run.depth and self.group:
            self.problems.append(f"{fragment!r} (in parentheses after {self.group[-1].kind}) was not read")
        else:
            self.problems.append(f"{fragment!r} is not a report socanalysis knows")

    def _named(self, found: Draft | str) -> None:
        """A report named (or a sentence why the token names none): it starts a new group and takes
        the type, categories and status waiting for it."""
        if isinstance(found, str):
            self.problems.append(found)
            self.group, self.segment_named = [], True
            return
        named = self.group[0] if len(self.group) == 1 and self.segment_named else None
        if named and found.kind == named.kind == "SOC 1" and not (found.standard and named.standard):
            # "SSAE 18 SOC 1 Type 2", "SOC 1 (SSAE 16)": one report named twice
            named.standard = named.standard or found.standard
            named.end = max(named.end, found.end)
            return
        self.group, self.segment_named = [found], True
        if self.pending_type and found.kind in TYPABLE:
            found.type = self.pending_type[0]
            found.start = min(found.start, self.pending_type[1].start)
            self.pending_type = None
        if self.pending_status:
            found.status = self.pending_status
        if self.pending_cats and found.kind in CATEGORISABLE:
            for cat, tok in self.pending_cats:
                found.categories.append(cat)
                found.start = min(found.start, tok.start)
            self.pending_cats = []
        self.pending_status = None
        self.reports.append(found)

    def _number(self, tok: Token, after_sep: bool) -> None:
        """ "SOC 1 & 2": a bare number after a separator names another SOC report of the group."""
        numbered = all(b.kind in ("SOC 1", "SOC 2", "SOC 3") and not b.plus for b in self.group)
        if not (after_sep and self.group and numbered):
            self.problems.append(f"{tok.text!r} does not name a report")
            return
        b = Draft(f"SOC {number(tok.text)}", tok.start, tok.end, status=self.group[-1].status)
        self.group = [*self.group, b]
        self.reports.append(b)
        self.segment_named = True

    def _type(self, tok: Token, after_sep: bool, next_kind: str | None) -> None:
        """ "Type 2" types the group's reports that have no type yet; after a typed report it names
        that report again with the other type. Before any report, or after a separator and before a
        report's name ("SOC 1; Type 2 SOC 2"), it waits for the next report."""
        n = number(tok.match.group("type_n"))
        if n not in (1, 2):
            self.problems.append(f"{tok.text!r} is not a report type (Type 1 or Type 2)")
            return
        typ = f"Type {n}"
        if not self.group or (after_sep and next_kind in _NAMERS):  # "Type 2: SOC 1, SOC 2"
            self.pending_type = (typ, tok)
            return
        typable = [b for b in self.group if b.kind in TYPABLE]
        untyped = [b for b in typable if not b.type]
        if untyped:
            for b in untyped:
                b.type = typ
            _reach(untyped, tok)
        elif typable:
            last = typable[-1]
            if last.type != typ:  # "SOC 2 Type 1 and Type 2"
                b = replace(last, type=typ, categories=list(last.categories), start=tok.start, end=tok.end)
                self.reports.append(b)
                self.group = [b]
        elif self.group[0].kind != "SOC 3":  # a SOC 3 carries no type: "SOC 3 Type 2" is read as SOC 3
            self.problems.append(f"{tok.text!r} does not apply to {self.group[0].kind}")

    def _category(self, cat: str, tok: Token) -> None:
        """A Trust Services Category goes with the group's reports that have categories; before
        any report it waits for the next one."""
        target = [b for b in self.group if b.kind in CATEGORISABLE]
        if target:
            for b in target:
                if cat not in b.categories:
                    b.categories.append(cat)
            _reach(target, tok)
        elif self.group:
            self.problems.append(f"{tok.text!r} follows {self.group[-1].kind}, which has no Trust Services Categories")
        else:
            self.pending_cats.append((cat, tok))

    def _status(self, status: str, tok: Token) -> None:
        """ "in progress", "expired", "n/a" qualify the group named in this segment ("SOC 2 (in
        progress)"), else the next report ("Pending: SOC 2")."""
        if self.group and self.segment_named:
            for b in self.group:
                b.status = status
            _reach(self.group, tok)
        else:
            self.pending_status = status


def _reach(drafts: list[Draft], tok: Token) -> None:
    """Let each report's original text run to the end of the token that qualified it."""
    for d in drafts:
        d.end = max(d.end, tok.end)
