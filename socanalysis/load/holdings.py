"""Reading what an organisation already holds: report names and the dates around them.

Spreadsheets spell the same report a dozen ways ("SOC 2 Type II", "SOC2 Type 2", "SOC II", "SSAE 18"
...) and hold dates as text, as Excel serial numbers or as real dates. This module turns those
cells into plain columns. A fragment or a date that cannot be read is *reported*, never guessed.

>>> held = parse_reports(pd.Series(["SOC 2 Type II (Security, Availability); SSAE 18"]))
>>> held.loc[0, ["soc1_type", "soc2_type", "soc2_categories", "reports_normalised"]].tolist()
['', 'Type 2', 'Security; Availability', 'SOC 2 Type 2 (Security, Availability); SOC 1']
>>> dates, problems = parse_dates(pd.Series(["2025-06-30", "45838", "31/31/2025"], name="Period End"))
>>> dates.dt.strftime("%Y-%m-%d").tolist()[:2]
['2025-06-30', '2025-06-30']
>>> problems.to_dict("records")
[{'row': 3, 'column': 'Period End', 'value': '31/31/2025', 'problem': 'neither 31 nor 31 can be a month'}]

Conventions (each is also stated where it is applied)
----------------------------------------------------
* A SOC 2 held without its categories listed is taken to cover **Security only** (the common
  criteria are part of every SOC 2; the other categories are in scope only when named).
  Security is always included in ``soc2_categories`` of a held SOC 2.
* SSAE 18, SSAE 16 (superseded in 2017) and SAS 70 (superseded in 2011) name a SOC 1. ISAE 3402
  and CSAE 3416 count as SOC 1, ISAE 3000 as SOC 2 (``holds_soc1`` / ``holds_soc2``); their
  own names are kept in ``reports_normalised``.
* A SOC 3 is not a SOC 2: ``holds_soc2`` stays False for a cell that lists only a SOC 3.
* "Type 2" after several reports joined by a bare number ("SOC 1 & 2 Type II") applies to all of
  them; after reports written out in full ("SOC 1 and SOC 2 Type II") only to the last one.
* A report qualified as in progress, planned or expired is not held; it is listed in
  ``reports_not_held``. "No SOC 1", "SOC 1: n/a" drop the report.
* Dates: numeric day/month order follows the US convention, month first, unless the first
  number is above 12 (then day first); ``dayfirst=True`` flips the default. Two-digit years are
  20YY up to 68 and 19YY from 69. Excel serial numbers use the 1900 date system and are read
  only between 1990-01-01 and 2100-12-31. A date without a day ("June 2025") is a problem.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import CASE_COLUMNS, ValueParseError
from ..vocabulary import CATEGORIES

__all__ = [
    "REPORT_COLUMNS",
    "Report",
    "parse_dates",
    "parse_month_day",
    "parse_report",
    "parse_reports",
    "resolve_month_day",
]


SOC1_KINDS = frozenset({"SOC 1", "ISAE 3402", "CSAE 3416"})
SOC2_KINDS = frozenset({"SOC 2", "ISAE 3000"})
SOC_SUITE = frozenset({*SOC1_KINDS, *SOC2_KINDS, "SOC 3", "SOC for Cybersecurity", "SOC for Supply Chain"})
_TYPABLE = frozenset({*SOC1_KINDS, *SOC2_KINDS, "SOC for Supply Chain"})
_CATEGORISABLE = frozenset({*SOC2_KINDS, "SOC 3", "SOC for Supply Chain"})
_TYPE_ORDER = {"": 0, "Type 1": 1, "Type 2": 2}


@dataclass(frozen=True)
class Report:
    """One report (or other certification) named in a cell.

    Parameters
    ----------
    kind : str
        "SOC 1", "SOC 2", "SOC 3", "ISAE 3402", "ISAE 3000", "CSAE 3416", "SOC for Cybersecurity",
        "SOC for Supply Chain", or a certification outside the SOC suite ("ISO 27001", "PCI DSS" ...).
    type : str
        "Type 1", "Type 2" or "" when the cell does not say.
    categories : tuple of str
        Trust Services Categories named with the report, canonical order; empty when none named.
    original : str
        The part of the cell this report was read from.
    standard : str
        The attestation standard when the cell named it instead of the report ("SSAE 18", "SSAE 16",
        "SAS 70"); "" otherwise.
    subject_matter : tuple of str
        The additional subject matter of a SOC 2+ ("HIPAA", "HITRUST" ...).
    plus : bool
        True for a SOC 2+ (a SOC 2 with additional subject matter).
    status : str
        "held", "in progress" or "expired".

    Examples
    --------
    >>> r = parse_report("SOC 2 Type II (Security, Availability)")[0]
    >>> r.kind, r.type, r.categories, r.counts_as
    ('SOC 2', 'Type 2', ('Security', 'Availability'), 'SOC 2')
    >>> r.name
    'SOC 2 Type 2 (Security, Availability)'
    """

    kind: str
    type: str = ""
    categories: tuple[str, ...] = ()
    original: str = ""
    standard: str = ""
    subject_matter: tuple[str, ...] = ()
    plus: bool = False
    status: str = "held"

    @property
    def counts_as(self) -> str:
        """ "SOC 1", "SOC 2" or "SOC 3" when the report gives that coverage, else ""."""
        if self.kind in SOC1_KINDS:
            return "SOC 1"
        if self.kind in SOC2_KINDS:
            return "SOC 2"
        return "SOC 3" if self.kind == "SOC 3" else ""

    @property
    def is_soc(self) -> bool:
        """True for reports of the SOC suite (and their ISAE/CSAE equivalents)."""
        return self.kind in SOC_SUITE

    @property
    def name(self) -> str:
        """A clean canonical spelling: "SOC 1 Type 2", "SOC 2+ HIPAA Type 2 (Security, Privacy)"."""
        base = self.kind
        if self.plus:
            base = " ".join(["SOC 2+", ", ".join(self.subject_matter)]).strip()
        if self.type:
            base += " " + self.type
        notes = list(self.categories)
        if self.standard in ("SSAE 16", "SAS 70"):
            notes.append(self.standard)
        return f"{base} ({', '.join(notes)})" if notes else base


# --------------------------------------------------------------------------------------------
# report cells: a small scanner and a state machine
# --------------------------------------------------------------------------------------------

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "one": 1, "two": 2, "three": 3}
_NUM = r"(?:\d+(?!\d)|(?:iii|ii|iv|i|v|one|two|three)(?![a-z]))"
# the subject matter of a SOC 2+, by its spelling with spaces removed ("csa star", "csastar")
_PLUS_SUBJECTS = {
    "hipaa": "HIPAA",
    "hitrust": "HITRUST",
    "hitrustcsf": "HITRUST",
    "csastar": "CSA STAR",
    "csaccm": "CSA CCM",
    "ccm": "CSA CCM",
    "iso27001": "ISO 27001",
    "nistcsf": "NIST CSF",
    "nist": "NIST",
    "gdpr": "GDPR",
    "pcidss": "PCI DSS",
    "pci": "PCI DSS",
    "cobit": "COBIT",
}
_SUBJECT_RE = (
    r"(?:hipaa|hitrust(?:\s*csf)?|csa\s*(?:star|ccm)|ccm|iso\s*27001|nist(?:\s*csf)?|gdpr"
    r"|pci(?:\s*dss)?|cobit)"
)

# certifications outside the SOC suite: (regex, canonical name or callable)
_CERTS: list[tuple[str, object]] = [
    (r"iso\s*/?\s*(?:iec\s*)?-?\s*(\d{4,5})(?:\s*:\s*\d{4})?", lambda m: f"ISO {m.group(1)}"),
    (r"pci(?:\s*-?\s*dss)?(?:\s*v?\d(?:\.\d)?)?(?:\s*level\s*\d)?(?![a-z])", "PCI DSS"),
    (r"hitrust(?:\s*(?:csf|r2|i1|e1))?(?![a-z])", "HITRUST"),
    (r"hipaa(?![a-z])", "HIPAA"),
    (
        r"fedramp(?:\s*(low|moderate|high|li-saas|tailored))?(?![a-z])",
        lambda m: "FedRAMP" + (f" {m.group(1).title()}" if m.group(1) else ""),
    ),
    (r"stateramp(?![a-z])", "StateRAMP"),
    (r"csa\s*star(?:\s*level\s*\d)?(?![a-z])", "CSA STAR"),
    (r"gdpr(?![a-z])", "GDPR"),
    (r"ccpa(?![a-z])", "CCPA"),
    (
        r"nist\s*(?:csf|800\s*-?\s*\d+[a-z]?)(?![a-z0-9])",
        lambda m: "NIST " + re.sub(r"\s+", "", m.group(0)[4:]).upper(),
    ),
    (r"cmmc(?:\s*(?:level|l)?\s*\d(?:\.\d)?)?(?![a-z0-9])", "CMMC"),
    (r"cyber\s*essentials(\s*plus)?(?![a-z])", lambda m: "Cyber Essentials Plus" if m.group(1) else "Cyber Essentials"),
    (r"tisax(?![a-z])", "TISAX"),
    (r"irap(?![a-z])", "IRAP"),
]

_MONTH_WORDS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    "nov(?:ember)?|dec(?:ember)?"
)
_NOISE_WORDS = (
    "reports?|audit(?:s|ed)?|auditors?|attestations?|attested|examinations?|exams?|certified|certifications?|"
    "certificates?|compliant|compliance|completed?|current(?:ly)?|issued|received|obtained|held|holds?|has|have|"
    "latest|last|recent|most|valid|active|final|signed|annual(?:ly)?|yearly|the|an?|of|with|incl(?:uding|udes)?|"
    "covering|covers|scoped?|in|on|over|for|by|from|to|through|thru|until|as|at|only|also|both|aicpa|criteria|"
    "categor(?:y|ies)|trust(?:\\s+services?)?|tsc|tsp|services?|principles?|revised|period|ended|ending|end|"
    "dated|date|year|fy\\s*-?\\s*\\d{0,4}|q[1-4]|h[12]|opinion|unqualified|clean|type\\s+(?:of\\s+)?report|"
    + _MONTH_WORDS
)

_TOKEN_SPECS: list[tuple[str, str]] = [
    (
        "SOCFOR",
        r"soc\s*(?:for\s*|-\s*)?(?P<socfor>cyber\s*-?\s*security|cyber|supply\s*-?\s*chain)"
        r"(?:\s*risk\s*management)?(?![a-z])",
    ),
    (
        "SOCPLUS",
        r"soc\s*-?\s*(?:2|ii|two)(?:\s*\+|\s*plus(?![a-z]))\s*"
        r"(?:(?P<plus_subject>" + _SUBJECT_RE + r")(?![a-z])(?:\s*(?:/|&|,|and)\s*"
        r"(?P<plus_subject2>" + _SUBJECT_RE + r")(?![a-z]))?)?",
    ),
    ("SOC", r"soc\s*-?\s*(?P<soc_n>" + _NUM + r")"),
    ("SOCBARE", r"soc(?![a-z])"),
    ("SSAE", r"ssae\s*(?:no\.?\s*|#\s*)?-?\s*(?P<ssae_n>\d+)"),
    ("SAS70", r"sas\s*(?:no\.?\s*)?-?\s*70(?!\d)"),
    ("ISAE", r"isae\s*(?:no\.?\s*)?-?\s*(?P<isae_n>\d+)(?:\s*\(\s*revised\s*\))?"),
    ("CSAE", r"csae\s*(?:no\.?\s*)?-?\s*(?P<csae_n>\d+)"),
    *[(f"CERT{i}", rx) for i, (rx, _) in enumerate(_CERTS)],
    ("TYPE", r"type\s*-?\s*(?P<type_n>" + _NUM + r")"),
    (
        "CAT",
        r"(?P<cat>security|availability|processing\s*-?\s*integrity|confidentiality|privacy"
        r"|common\s+criteria)(?![a-z])",
    ),
    (
        "PENDING",
        r"(?:in\s*-?\s*progress|in\s+process|planned|planning|pending|under\s*-?\s*way|scheduled"
        r"|expected|upcoming|ongoing|readiness|pursuing|working\s+towards?|in\s+preparation|preparing|tbd"
        r"|to\s+be\s+(?:obtained|issued|completed)|not\s+yet(?:\s+(?:issued|received|obtained))?)"
        r"(?![a-z])",
    ),
    ("EXPIRED", r"(?:expired|lapsed|out\s*-?\s*of\s*-?\s*date|outdated)(?![a-z])"),
    (
        "NEG",
        r"(?:none|n\s*/\s*a|not\s+held|not\s+applicable|not\s+available|no|nil|null|nan|unknown|na)"
        r"(?![a-z0-9])",
    ),
    ("YES", r"(?:yes|true|y|x)(?![a-z0-9])|[\u2713\u2714]"),
    ("NUM", r"(?:[123](?!\d)|iii|ii)(?![a-z0-9])"),
    ("DURATION", r"\d+\s*-?\s*(?:months?|mos?|mths?)(?![a-z])"),
    (
        "DATE",
        r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?!\d)|(?:19|20)\d{2}(?!\d)"
        r"|(?:" + _MONTH_WORDS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}(?!\d)"
        r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:" + _MONTH_WORDS + r")\.?,?\s+\d{4}(?!\d)"
        r"|at\s*-?\s*c\s*(?:section\s*)?\d{3}(?!\d)",
    ),
    ("SEP", r"[;,/|\n\r\t&+]|(?:and|plus)(?![a-z])"),
    ("OPEN", r"[(\[{]"),
    ("CLOSE", r"[)\]}]"),
    ("NOISE", r"(?:" + _NOISE_WORDS + r")(?![a-z0-9])"),
    ("PUNCT", r"[:\-.'\"*#!•·_=~]+"),
    ("UNK", r"[^\s;,|/&()\[\]{}+]+"),
]
_CERT_RES = [re.compile(rx, re.IGNORECASE) for rx, _ in _CERTS]
_SCANNER = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _TOKEN_SPECS), re.IGNORECASE)
_SPACE = re.compile(r"[ \u00a0]+")
_TRANSLATE = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ae": "",
        "\u2122": "",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
    }
)
_EMPTY_CELLS = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "none",
        "n/a",
        "na",
        "nil",
        "null",
        "nan",
        "no",
        "not applicable",
        "none held",
        "no reports",
        "no report",
        "no soc report",
        "no soc reports",
        "unknown",
        "not held",
        "0",
        "false",
    }
)


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int
    match: re.Match


@dataclass
class _Builder:
    kind: str
    start: int
    end: int
    type: str = ""
    categories: list[str] = field(default_factory=list)
    standard: str = ""
    subject_matter: tuple[str, ...] = ()
    status: str = "held"
    plus: bool = False

    def report(self, text: str) -> Report:
        cats = tuple(c for c in CATEGORIES if c in self.categories)
        original = text[self.start : self.end].strip(" ;,/|&-:([")
        return Report(self.kind, self.type, cats, original, self.standard, self.subject_matter, self.plus, self.status)


def _tokens(text: str) -> list[_Token]:
    tokens = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        m = _SCANNER.match(text, pos)
        tokens.append(_Token(m.lastgroup, m.group(0), m.start(), m.end(), m))
        pos = m.end()
    return tokens


def _num(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _ROMAN.get(word)


_REPORT_TOKENS = frozenset(
    {"SOCFOR", "SOCPLUS", "SOC", "SOCBARE", "SSAE", "SAS70", "ISAE", "CSAE", *(f"CERT{i}" for i in range(len(_CERTS)))}
)
_QUIET = frozenset({"NOISE", "PUNCT", "DURATION", "DATE"})


def _read_cell(value: object) -> tuple[list[Report], list[str]]:
    """Read one cell: the reports it names and the problems met (one sentence each)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return [], []
    text = _SPACE.sub(" ", str(value).translate(_TRANSLATE)).strip()
    if text.lower().strip(" .") in _EMPTY_CELLS:
        return [], []
    tokens = _tokens(text)
    reports: list[_Builder] = []
    problems: list[str] = []
    group: list[_Builder] = []
    pending_type: tuple[str, _Token] | None = None
    pending_cats: list[tuple[str, _Token]] = []
    pending_status: str | None = None
    depth = 0
    after_sep = False
    seg_has_group = False
    unknown: list[int] | None = None  # [start, end, depth] of a run of unreadable words

    def flush_unknown():
        nonlocal unknown
        if unknown is not None:
            fragment = text[unknown[0] : unknown[1]]
            if unknown[2] and group:
                problems.append(f"{fragment!r} (in parentheses after {group[-1].kind}) was not read")
            else:
                problems.append(f"{fragment!r} is not a report socanalysis knows")
            unknown = None

    def next_significant(i: int) -> str | None:
        for tok in tokens[i + 1 :]:
            if tok.kind not in _QUIET:
                return tok.kind
        return None

    def start_group(builders: list[_Builder]):
        nonlocal group, pending_type, pending_cats, pending_status, seg_has_group
        new = builders[0]
        if (
            len(builders) == 1
            and len(group) == 1
            and seg_has_group
            and not after_sep
            and new.kind == group[0].kind == "SOC 1"
            and not (new.standard and group[0].standard)
        ):
            # "SSAE 18 SOC 1 Type 2", "SOC 1 (SSAE 16)": one report named twice
            group[0].standard = group[0].standard or new.standard
            group[0].end = max(group[0].end, new.end)
            return
        group = builders
        seg_has_group = True
        for b in builders:
            if pending_type and b.kind in _TYPABLE:
                b.type = pending_type[0]
                b.start = min(b.start, pending_type[1].start)
            if pending_status:
                b.status = pending_status
            for cat, tok in pending_cats:
                if b.kind in _CATEGORISABLE:
                    b.categories.append(cat)
                    b.start = min(b.start, tok.start)
        if pending_type and any(b.kind in _TYPABLE for b in builders):
            pending_type = None
        if pending_cats and any(b.kind in _CATEGORISABLE for b in builders):
            pending_cats = []
        pending_status = None
        reports.extend(builders)

    for i, tok in enumerate(tokens):
        kind = tok.kind
        if kind == "UNK":
            unknown = [tok.start, tok.end, depth] if unknown is None else [unknown[0], tok.end, unknown[2]]
            continue
        if kind in _QUIET and unknown is not None:
            continue  # "Acme the Foo" stays one fragment
        flush_unknown()
        m = tok.match
        if kind == "SEP":
            if depth == 0:
                after_sep = True
                seg_has_group = False
            continue
        if kind == "OPEN":
            depth += 1
            continue
        if kind == "CLOSE":
            depth = max(0, depth - 1)
            for b in group:
                b.end = max(b.end, tok.end)
            continue
        if kind in _QUIET:
            continue
        was_after_sep, after_sep = after_sep, False
        if kind == "SOC":
            n = _num(m.group("soc_n"))
            if n in (1, 2, 3):
                start_group([_Builder(f"SOC {n}", tok.start, tok.end)])
            else:
                problems.append(f"{tok.text!r} is not a report socanalysis knows (SOC 1, SOC 2 or SOC 3)")
                group, seg_has_group = [], True
        elif kind == "SOCPLUS":
            subjects = tuple(
                dict.fromkeys(
                    _PLUS_SUBJECTS[re.sub(r"\s+", "", s.lower())]
                    for s in (m.group("plus_subject"), m.group("plus_subject2"))
                    if s
                )
            )
            start_group([_Builder("SOC 2", tok.start, tok.end, subject_matter=subjects, plus=True)])
        elif kind == "SOCFOR":
            what = m.group("socfor").lower()
            name = "SOC for Supply Chain" if what.startswith("supply") else "SOC for Cybersecurity"
            start_group([_Builder(name, tok.start, tok.end)])
        elif kind == "SOCBARE":
            problems.append(f"{tok.text!r} does not say which SOC report (SOC 1, SOC 2 or SOC 3)")
            group, seg_has_group = [], True
        elif kind == "SSAE":
            n = m.group("ssae_n")
            if n in ("16", "18"):
                start_group([_Builder("SOC 1", tok.start, tok.end, standard=f"SSAE {n}")])
            else:
                problems.append(f"{tok.text!r} is not a report socanalysis knows (SSAE 18 or SSAE 16 name a SOC 1)")
                group, seg_has_group = [], True
        elif kind == "SAS70":
            start_group([_Builder("SOC 1", tok.start, tok.end, standard="SAS 70")])
        elif kind in ("ISAE", "CSAE"):
            n = m.group("isae_n" if kind == "ISAE" else "csae_n")
            known = {"ISAE": ("3402", "3000"), "CSAE": ("3416",)}[kind]
            if n in known:
                start_group([_Builder(f"{kind} {n}", tok.start, tok.end)])
            else:
                problems.append(
                    f"{tok.text!r} is not a report socanalysis knows (ISAE 3402, ISAE 3000 and CSAE 3416 are)"
                )
                group, seg_has_group = [], True
        elif kind.startswith("CERT"):
            index = int(kind[4:])
            canonical = _CERTS[index][1]
            name = canonical(_CERT_RES[index].match(tok.text)) if callable(canonical) else canonical
            start_group([_Builder(name, tok.start, tok.end)])
        elif kind == "NUM":
            n = _num(tok.text)
            numbered = all(b.kind in ("SOC 1", "SOC 2", "SOC 3") and not b.plus for b in group)
            if was_after_sep and group and numbered:
                b = _Builder(f"SOC {n}", tok.start, tok.end, status=group[-1].status)
                group = [*group, b]
                reports.append(b)
                seg_has_group = True
            else:
                problems.append(f"{tok.text!r} does not name a report")
        elif kind == "TYPE":
            n = _num(m.group("type_n"))
            if n not in (1, 2):
                problems.append(f"{tok.text!r} is not a report type (Type 1 or Type 2)")
                continue
            typ = f"Type {n}"
            nxt = next_significant(i)
            if group and not (was_after_sep and nxt in _REPORT_TOKENS):
                typable = [b for b in group if b.kind in _TYPABLE]
                untyped = [b for b in typable if not b.type]
                if untyped:
                    for b in untyped:
                        b.type = typ
                        b.end = max(b.end, tok.end)
                elif typable:
                    last = typable[-1]
                    if last.type != typ:  # "SOC 2 Type 1 and Type 2"
                        b = replace(last, type=typ, categories=list(last.categories), start=tok.start, end=tok.end)
                        reports.append(b)
                        group = [b]
                elif group[0].kind != "SOC 3":  # a SOC 3 carries no type: "SOC 3 Type 2" is read as SOC 3
                    problems.append(f"{tok.text!r} does not apply to {group[0].kind}")
            else:
                pending_type = (typ, tok)
        elif kind == "CAT":
            word = re.sub(r"[\s-]+", " ", m.group("cat").lower())
            cat = "Security" if word == "common criteria" else word.title()
            target = [b for b in group if b.kind in _CATEGORISABLE]
            if target:
                for b in target:
                    if cat not in b.categories:
                        b.categories.append(cat)
                    b.end = max(b.end, tok.end)
            elif group:
                problems.append(f"{tok.text!r} follows {group[-1].kind}, which has no Trust Services Categories")
            else:
                pending_cats.append((cat, tok))
        elif kind in ("PENDING", "EXPIRED", "NEG"):
            status = {"PENDING": "in progress", "EXPIRED": "expired", "NEG": "not held"}[kind]
            if group and seg_has_group:
                for b in group:
                    b.status = status
                    b.end = max(b.end, tok.end)
            else:
                pending_status = status
        elif kind == "YES":
            problems.append(f"{tok.text!r} does not say which report is held")
    flush_unknown()
    if pending_type:
        problems.append(f"{pending_type[1].text!r} does not say which report (SOC 1 or SOC 2)")
    for _cat, tok in pending_cats:
        problems.append(f"{tok.text!r} is not given with a SOC 2")
    out = [b.report(text) for b in reports if b.status != "not held"]
    return out, problems


def parse_report(text: object, *, errors: str = "raise") -> list[Report]:
    """Read the reports named in one cell.

    Parameters
    ----------
    text : str
        A cell of the existing-reports column, e.g. ``"SOC 1 Type II, SOC 2 Type 2 (Security)"``.
        "none", "n/a", "-" and blanks hold nothing.
    errors : {"raise", "ignore"}
        What to do with a fragment that cannot be read: raise :class:`ValueParseError` naming it,
        or leave it out and return what could be read.

    Returns
    -------
    list of Report
        In the order the cell names them, including reports not held yet (``status`` "in progress"
        or "expired").

    Examples
    --------
    >>> [r.name for r in parse_report("SOC1 Type 2 / SOC 2+ HIPAA Type II")]
    ['SOC 1 Type 2', 'SOC 2+ HIPAA Type 2']
    >>> [r.name for r in parse_report("SOC 1 & 2 Type II")]
    ['SOC 1 Type 2', 'SOC 2 Type 2']
    >>> parse_report("n/a")
    []
    >>> parse_report("SOC 1, SOC 4")
    Traceback (most recent call last):
    ...
    socanalysis.errors.ValueParseError: cannot read 'SOC 1, SOC 4': 'SOC 4' is not a report ...
    >>> [r.name for r in parse_report("SOC 1, SOC 4", errors="ignore")]
    ['SOC 1']
    """
    if errors not in ("raise", "ignore"):
        raise ValueError(f"errors={errors!r}: accepted values are 'raise' and 'ignore'")
    reports, problems = _read_cell(text)
    if problems and errors == "raise":
        raise ValueParseError(f"cannot read {text!r}: " + "; ".join(problems))
    return reports


# --------------------------------------------------------------------------------------------
# whole columns
# --------------------------------------------------------------------------------------------

REPORT_COLUMNS: tuple[str, ...] = (
    "holds_soc1",
    "soc1_type",
    "holds_soc2",
    "soc2_type",
    "soc2_categories",
    "soc2_plus",
    "holds_soc3",
    "other_reports",
    "certifications",
    "reports_normalised",
    "reports_not_held",
    "reports_problem",
)
_BOOL_COLUMNS = ("holds_soc1", "holds_soc2", "holds_soc3")


def _best_type(reports: list[Report]) -> str:
    return max((r.type for r in reports), key=_TYPE_ORDER.__getitem__, default="")


def _summarise_cell(value: object) -> tuple:
    reports, problems = _read_cell(value)
    held = [r for r in reports if r.status == "held"]
    soc1 = [r for r in held if r.counts_as == "SOC 1"]
    soc2 = [r for r in held if r.counts_as == "SOC 2"]
    cats = {"Security"} if soc2 else set()  # a SOC 2 without categories listed covers Security only
    for r in soc2:
        cats.update(r.categories)
    plus = dict.fromkeys(s for r in soc2 for s in r.subject_matter)
    other = dict.fromkeys(r.kind for r in held if r.is_soc and not r.counts_as)
    certs = dict.fromkeys(r.kind for r in held if not r.is_soc)
    return (
        bool(soc1),
        _best_type(soc1),
        bool(soc2),
        _best_type(soc2),
        "; ".join(c for c in CATEGORIES if c in cats),
        "; ".join(plus),
        any(r.kind == "SOC 3" for r in held),
        "; ".join(other),
        "; ".join(certs),
        "; ".join(dict.fromkeys(r.name for r in held)),
        "; ".join(dict.fromkeys(f"{r.name} ({r.status})" for r in reports if r.status != "held")),
        "; ".join(problems),
    )


def parse_reports(series: pd.Series) -> pd.DataFrame:
    """Read a whole existing-reports column into holdings columns.

    Each distinct cell is read once and the result mapped back, so a column of a million rows
    with a few hundred spellings is fast.

    Parameters
    ----------
    series : pandas.Series
        The existing-reports column, one cell per organisation. Several reports per cell may be
        separated by ``;`` ``,`` ``/`` ``|``, a new line, "and", "&" or "+".

    Returns
    -------
    pandas.DataFrame
        Same index as ``series``, with columns

        ``holds_soc1``, ``holds_soc2``, ``holds_soc3`` (bool)
            SOC 1 includes SSAE 18/16, SAS 70, ISAE 3402 and CSAE 3416; SOC 2 includes SOC 2+ and
            ISAE 3000.
        ``soc1_type``, ``soc2_type``
            The best type held ("Type 2" over "Type 1"), "" when the cell does not say.
        ``soc2_categories``
            The Trust Services Categories covered ("; "-joined, canonical order). Security is always
            there for a held SOC 2; a SOC 2 listed without categories covers Security only.
        ``soc2_plus``
            Additional subject matter of a SOC 2+ ("HIPAA").
        ``other_reports``
            Other reports of the SOC suite: SOC for Cybersecurity, SOC for Supply Chain.
        ``certifications``
            Frameworks outside the SOC suite named in the cell (ISO 27001, PCI DSS, HITRUST ...).
        ``reports_normalised``
            Everything held, spelled canonically, "; "-joined.
        ``reports_not_held``
            Reports named as in progress, planned or expired, e.g. "SOC 2 Type 2 (in progress)".
        ``reports_problem``
            What could not be read, e.g. "'SOC 4' is not a report socanalysis knows"; "" when all
            was read.

    Examples
    --------
    >>> out = parse_reports(pd.Series(["SOC2 Type 2", "ISAE 3402 Type II", "none", "SOC 2 (in progress)"]))
    >>> out[["holds_soc1", "holds_soc2", "reports_normalised"]].values.tolist()
    [[False, True, 'SOC 2 Type 2'], [True, False, 'ISAE 3402 Type 2'], [False, False, ''], [False, False, '']]
    >>> out.loc[3, "reports_not_held"]
    'SOC 2 (in progress)'
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    rows = [_summarise_cell(v) for v in uniques]
    rows.append(_summarise_cell(None))  # code -1: missing
    table = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
    for col in REPORT_COLUMNS:
        table[col] = table[col].astype(bool) if col in _BOOL_COLUMNS else table[col].astype("str")
    out = table.take(np.where(codes < 0, len(rows) - 1, codes)).reset_index(drop=True)
    out.index = series.index
    return out


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------

_MONTHS = {name: i for i in range(1, 13) for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())}
_MONTHS["sept"] = 9
_WEEKDAYS = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|urday)?\b,?", re.I)
_TIME = re.compile(
    r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)"
    r"\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?$",
    re.I,
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_SERIAL = re.compile(r"^\d+(?:\.\d+)?$")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b", re.I)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (32874, 73415)  # 1990-01-01 .. 2100-12-31 in the 1900 date system
_BLANK_DATES = frozenset({"", "-", "--", "n/a", "na", "none", "nan", "nat", "null", "nil"})
_ACCEPTED = "accepted: 2025-06-30, 06/30/2025, 6/30/25, 30 Jun 2025, June 30, 2025, 30-Jun-2025, Excel serial numbers"


class _Problem(Exception):
    pass


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        return 2000 + n if n <= 68 else 1900 + n
    return n


def _make_date(y: int, m: int, d: int) -> dt.date:
    if not 1900 <= y <= 2100:
        raise _Problem(f"year {y} is outside 1900-2100")
    if not 1 <= m <= 12:
        raise _Problem(f"there is no month {m}")
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise _Problem(f"there is no day {d} in {calendar.month_name[m]} {y}") from None


def _order(a: int, b: int, dayfirst: bool) -> tuple[int, int]:
    """(month, day) from two numbers: month first unless the first is above 12 (or dayfirst)."""
    if a > 12 and b > 12:
        raise _Problem(f"neither {a} nor {b} can be a month")
    if dayfirst:
        return (a, b) if b > 12 else (b, a)
    return (b, a) if a > 12 else (a, b)


def _from_serial(number: float) -> dt.date:
    if SERIAL_RANGE[0] <= number <= SERIAL_RANGE[1] + 0.99999:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    text = f"{number:.0f}" if float(number).is_integer() else str(number)
    if len(text) == 8 and text[:2] in ("19", "20"):  # 20250630
        return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise _Problem(
        f"the number {text} is not a plausible Excel date serial "
        f"({SERIAL_RANGE[0]}-{SERIAL_RANGE[1]}, i.e. 1990-01-01 to 2100-12-31)"
    )


def _words_date(s: str, dayfirst: bool) -> dt.date:
    s = _ORDINAL.sub(r"\1", _WEEKDAYS.sub(" ", s.lower()))
    parts = [p for p in re.split(r"[\s,./-]+", s) if p]
    months = [i for i, p in enumerate(parts) if p in _MONTHS]
    if len(months) != 1 or any(not p.isdigit() for i, p in enumerate(parts) if i != months[0]):
        raise _Problem(f"not a date socanalysis can read; {_ACCEPTED}")
    mi = months[0]
    month = _MONTHS[parts[mi]]
    nums = [p for i, p in enumerate(parts) if i != mi]
    if len(nums) == 1:
        raise _Problem("has no day; write the full date, e.g. 2025-06-30")
    if len(nums) != 2:
        raise _Problem(f"not a date socanalysis can read; {_ACCEPTED}")
    a, b = nums
    if len(a) == 4 or (mi == 2 and len(b) != 4 and int(a) > 31):  # 2025-Jun-30, 2025 June 30
        return _make_date(_year(a), month, int(b))
    return _make_date(_year(b), month, int(a))


def _to_date(value: object, dayfirst: bool) -> dt.date | None:
    """One value -> a date, None for a blank; raise _Problem when it cannot be read."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, (bool, np.bool_)):
        raise _Problem(f"a yes/no value is not a date; {_ACCEPTED}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        if np.isnan(value):
            return None
        return _from_serial(float(value))
    s = _SPACE.sub(" ", str(value).translate(_TRANSLATE)).strip()
    if s.lower() in _BLANK_DATES:
        return None
    if _SERIAL.match(s):
        return _from_serial(float(s))
    s = _TIME.sub("", s).strip()
    if m := _ISO.match(s):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _NUMERIC.match(s):
        month, day = _order(int(m.group(1)), int(m.group(2)), dayfirst)
        return _make_date(_year(m.group(3)), month, day)
    return _words_date(s, dayfirst)


def _cases(series: pd.Series, problems: dict[int, str], codes: np.ndarray, column: str) -> pd.DataFrame:
    if not problems:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CASE_COLUMNS})
    positions = np.flatnonzero(np.isin(codes, list(problems)))
    return pd.DataFrame(
        {
            "row": positions + 1,
            "column": column,
            "value": series.iloc[positions].to_numpy(dtype=object),
            "problem": [problems[c] for c in codes[positions]],
        }
    )


def _column_name(series: pd.Series, column: str | None) -> str:
    return str(column if column is not None else series.name if series.name is not None else "")


def parse_dates(
    series: pd.Series, *, column: str | None = None, dayfirst: bool = False
) -> tuple[pd.Series, pd.DataFrame]:
    """Read a column of dates as spreadsheets hold them.

    Parameters
    ----------
    series : pandas.Series
        Text, numbers (Excel serials) or real dates, mixed as they come.
    column : str, optional
        The column name used in the problems table; defaults to ``series.name``.
    dayfirst : bool
        For numeric dates such as 03/04/2025: ``False`` (default) reads month first (US) unless the
        first number is above 12; ``True`` reads day first unless the second number is above 12.

    Returns
    -------
    dates : pandas.Series of datetime64[ns]
        Same index and name as ``series``; NaT for blanks and for values that could not be read.
    problems : pandas.DataFrame
        One row per unreadable value: ``row`` (1-based data row), ``column``, ``value``, ``problem``.

    Notes
    -----
    Read: ISO "2025-06-30" and "2025/06/30"; US "06/30/2025" and "6/30/25"; "30 Jun 2025",
    "June 30, 2025", "30-Jun-2025"; timestamps "2025-06-30 00:00:00" (the time is dropped);
    "20250630"; Excel serial numbers "45838" / 45838.0 (1900 date system, 1990-2100 only).
    Two-digit years: 00-68 are 20YY, 69-99 are 19YY.

    Examples
    --------
    >>> s = pd.Series(["6/30/25", "30-Jun-2025", "June 30, 2025", "2025-06-30 00:00:00", "", "soon"])
    >>> dates, problems = parse_dates(s, column="Period End")
    >>> dates.dt.strftime("%Y-%m-%d").tolist()
    ['2025-06-30', '2025-06-30', '2025-06-30', '2025-06-30', nan, nan]
    >>> problems[["row", "value"]].values.tolist()
    [[6, 'soon']]
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    name = _column_name(series, column)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        return out.dt.normalize().astype("datetime64[ns]"), _cases(series, {}, np.array([]), name)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    values: list[object] = []
    problems: dict[int, str] = {}
    for code, value in enumerate(uniques):
        try:
            date = _to_date(value, dayfirst)
        except _Problem as exc:
            problems[code] = str(exc)
            date = None
        values.append(pd.NaT if date is None else pd.Timestamp(date))
    values.append(pd.NaT)
    lookup = pd.Series(values, dtype="datetime64[ns]")
    out = pd.Series(
        lookup.to_numpy()[np.where(codes < 0, len(values) - 1, codes)],
        index=series.index,
        name=series.name,
        dtype="datetime64[ns]",
    )
    return out, _cases(series, problems, codes, name)


_MD_WORDS = re.compile(
    r"\b(?:fye|fy|fiscal|financial|year|years|ye|end|ends|ending|ended|is|on|the|of|in|"
    r"month|each|every)\b|year-end|fiscal-year",
    re.I,
)
_MD_CALENDAR = re.compile(r"^(?:calendar(?:\s*year)?|cy|calendar-year)$", re.I)
_MD_NUMERIC = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_LAST_DAY = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _to_month_day(value: object, dayfirst: bool) -> tuple[int, int] | None:
    if value is None or value is pd.NaT:
        return None
    if not isinstance(value, str):
        date = _to_date(value, dayfirst)
        return None if date is None else (date.month, date.day)
    s = _SPACE.sub(" ", value.translate(_TRANSLATE)).strip()
    if s.lower() in _BLANK_DATES:
        return None
    try:
        date = _to_date(s, dayfirst)
        return None if date is None else (date.month, date.day)
    except _Problem:
        pass
    s = _SPACE.sub(" ", _MD_WORDS.sub(" ", _ORDINAL.sub(r"\1", s))).strip(" :,-")
    if _MD_CALENDAR.match(s):
        return 12, 31
    if m := _MD_NUMERIC.match(s):
        month, day = _order(int(m.group(1)), int(m.group(2)), dayfirst)
    else:
        parts = [p for p in re.split(r"[\s,./-]+", s.lower()) if p]
        months = [p for p in parts if p in _MONTHS]
        nums = [p for p in parts if p.isdigit()]
        if len(months) != 1 or len(months) + len(nums) != len(parts) or len(nums) > 1:
            raise _Problem(
                "not a fiscal year end socanalysis can read; accepted: Dec-31, 31-Dec, 12/31, "
                "June 30, FYE June, calendar year, or a full date"
            )
        month = _MONTHS[months[0]]
        day = int(nums[0]) if nums else _LAST_DAY[month - 1]  # "FYE June": the month's last day
    if not 1 <= month <= 12:
        raise _Problem(f"there is no month {month}")
    if not 1 <= day <= _LAST_DAY[month - 1]:
        raise _Problem(f"there is no day {day} in {calendar.month_name[month]}")
    return month, day


def parse_month_day(
    series: pd.Series, *, column: str | None = None, dayfirst: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read fiscal-year-end cells, which are often just a month and day.

    Parameters
    ----------
    series : pandas.Series
        "Dec-31", "31-Dec", "12/31", "June 30", "FYE June", "Calendar year", a full date (its year
        is ignored) or an Excel serial.
    column : str, optional
        The column name used in the problems table; defaults to ``series.name``.
    dayfirst : bool
        As in :func:`parse_dates`, for "03/04".

    Returns
    -------
    month_day : pandas.DataFrame
        Columns ``month`` and ``day`` (nullable Int64), same index as ``series``. A month alone
        ("FYE June") means its last day; February is then 29, which :func:`resolve_month_day`
        moves to the 28th in common years.
    problems : pandas.DataFrame
        ``row`` (1-based), ``column``, ``value``, ``problem`` for each value that could not be read.

    Examples
    --------
    >>> md, problems = parse_month_day(pd.Series(["Dec-31", "FYE June", "3/31", "2024-09-30", "Q5"]))
    >>> md.astype(object).values.tolist()
    [[12, 31], [6, 30], [3, 31], [9, 30], [<NA>, <NA>]]
    >>> problems["row"].tolist()
    [5]
    """
    if not isinstance(series, pd.Series):
        series = pd.Series(series)
    name = _column_name(series, column)
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    pairs: list[tuple] = []
    problems: dict[int, str] = {}
    for code, value in enumerate(uniques):
        try:
            pair = _to_month_day(value, dayfirst)
        except _Problem as exc:
            problems[code] = str(exc)
            pair = None
        pairs.append(pair or (pd.NA, pd.NA))
    pairs.append((pd.NA, pd.NA))
    table = pd.DataFrame(pairs, columns=["month", "day"], dtype="Int64")
    out = table.iloc[np.where(codes < 0, len(pairs) - 1, codes)].reset_index(drop=True)
    out.index = series.index
    return out, _cases(series, problems, codes, name)


def resolve_month_day(month_day: pd.DataFrame, on_or_after: pd.Series) -> pd.Series:
    """The first date with the given month and day on or after each date.

    Parameters
    ----------
    month_day : pandas.DataFrame
        Columns ``month`` and ``day`` as returned by :func:`parse_month_day`.
    on_or_after : pandas.Series of datetime64
        Aligned with ``month_day`` by position.

    Returns
    -------
    pandas.Series of datetime64[ns]
        NaT where the month, day or date is missing. Day 29-31 is moved to the month's last day.

    Examples
    --------
    >>> md = pd.DataFrame({"month": [12, 6, 2], "day": [31, 30, 29]}, dtype="Int64")
    >>> after = pd.to_datetime(pd.Series(["2025-06-30", "2025-06-30", "2025-03-01"]))
    >>> resolve_month_day(md, after).dt.strftime("%Y-%m-%d").tolist()
    ['2025-12-31', '2025-06-30', '2026-02-28']
    """
    base = pd.to_datetime(pd.Series(on_or_after).reset_index(drop=True)).astype("datetime64[ns]")
    month = month_day["month"].reset_index(drop=True).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    day = month_day["day"].reset_index(drop=True).astype("Float64").to_numpy(dtype=float, na_value=np.nan)

    def build(years: np.ndarray) -> pd.Series:
        first = pd.to_datetime(pd.DataFrame({"year": years, "month": month, "day": 1}), errors="coerce")
        first = first.astype("datetime64[ns]")
        last = first.dt.days_in_month.to_numpy(dtype=float, na_value=np.nan)
        return first + pd.to_timedelta(np.fmin(day, last) - 1, unit="D")

    year = base.dt.year.to_numpy(dtype=float, na_value=np.nan)
    candidate = build(year)
    later = build(year + 1)
    out = candidate.where(~(candidate < base), later)
    out.index = pd.Series(on_or_after).index
    return out.astype("datetime64[ns]")
