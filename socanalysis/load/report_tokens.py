"""The words of an existing-reports cell: each kind of token, the regular expression that finds it,
and the scanner that cuts a cell into tokens.

Every character of a cell belongs to some token; what no other kind claims is ``UNK`` (a word
socanalysis does not know), so that the parser can quote it back.

>>> [(t.kind, t.text) for t in tokens("SOC 2 Type II (Security); Acme")]  # doctest: +NORMALIZE_WHITESPACE
[('SOC', 'SOC 2'), ('TYPE', 'Type II'), ('OPEN', '('), ('CAT', 'Security'), ('CLOSE', ')'),
 ('SEP', ';'), ('UNK', 'Acme')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CERT_KINDS",
    "EMPTY_CELLS",
    "QUIET",
    "Token",
    "category",
    "certification",
    "number",
    "plus_subject",
    "tokens",
]

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

#: the kinds of the certifications outside the SOC suite, one per entry of the list above
CERT_KINDS = frozenset(f"CERT{i}" for i in range(len(_CERTS)))
#: tokens that neither name nor qualify a report: noise words, punctuation, durations, dates
QUIET = frozenset({"NOISE", "PUNCT", "DURATION", "DATE"})

#: cells that hold nothing (compared lower-cased, without surrounding spaces and dots)
EMPTY_CELLS = frozenset(
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
class Token:
    """One token of a cell: its kind (a name of the scanner's groups), its text and where it is."""

    kind: str
    text: str
    start: int
    end: int
    match: re.Match


def tokens(text: str) -> list[Token]:
    """The tokens of a cell's text, left to right; spaces between them are skipped."""
    found = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos].isspace():
            pos += 1
            continue
        m = _SCANNER.match(text, pos)
        found.append(Token(m.lastgroup, m.group(0), m.start(), m.end(), m))
        pos = m.end()
    return found


def number(word: str) -> int | None:
    """ "2", "ii" or "two" as a number; None for a word that is not one."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return _ROMAN.get(word)


def plus_subject(spelling: str) -> str:
    """The canonical name of a SOC 2+ subject matter as the scanner found it ("HITRUST CSF" -> "HITRUST")."""
    return _PLUS_SUBJECTS[re.sub(r"\s+", "", spelling.lower())]


def certification(token: Token) -> str:
    """The canonical name of a certification outside the SOC suite, from a ``CERT<i>`` token."""
    index = int(token.kind[4:])
    canonical = _CERTS[index][1]
    return canonical(_CERT_RES[index].match(token.text)) if callable(canonical) else canonical


def category(token: Token) -> str:
    """The Trust Services Category a ``CAT`` token names; the common criteria are Security's."""
    word = re.sub(r"[\s-]+", " ", token.match.group("cat").lower())
    return "Security" if word == "common criteria" else word.title()
