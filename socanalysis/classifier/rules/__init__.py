"""Rules are data: loading, validating and compiling rule files.

A rule file is YAML with a list under ``rules:``. Each rule names what it matches (``terms`` in
text ``fields``, ``naics`` / ``sic`` code prefixes, yes/no questionnaire ``answers``), what it
``supports`` and how strongly (a weight between -1 and 1 per target), and a one-line ``reason``
that the rationale quotes. The packaged ``default.yaml`` holds the defaults; a firm's own file is
merged on top: a rule with a known ``id`` updates that rule, ``enabled: false`` switches it off,
and a new ``id`` adds a rule. The shape of a file is declared in :mod:`.schema` (pydantic models;
:func:`rules_schema` gives its JSON schema), against which every file is checked.

>>> rs = load_rules()
>>> rs.rule("payroll").supports["SOC 1"] > 0.5
True
>>> load_rules({"rules": [{"id": "x", "reason": "r", "terms": ["abc"], "supports": {"SOC 9": 1}}]})
Traceback (most recent call last):
...
socanalysis.errors.RulesError: rule 'x' (rules 1 of <dict>), field 'supports': 'SOC 9' is not a target; ...
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa
import yaml

from ...errors import RulesError
from ...vocabulary import CODE_FIELDS, OBJECTIVES
from .. import taxonomy
from ..learned import Reading
from ..matching import Lexicon, term_key
from ..taxonomy import normalise_label
from .bounds import TARGETS, check_size, check_values
from .terms import TermInfo, role_table, role_words


@dataclass
class Rule:
    """One rule, as written in a rule file (after merging)."""

    id: str
    reason: str
    supports: dict[str, float]
    fields: tuple[str, ...] = ("description",)
    terms: tuple[str, ...] = ()
    naics: tuple[str, ...] = ()
    sic: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    source: str = ""
    note: str = ""
    organisations: tuple[str, ...] = ()  # kinds of organisation: after "for", "to" ... they name the customers
    actions: tuple[str, ...] = ()  # what the organisation itself does ("we manufacture"): never its customers
    labels: tuple[str, ...] = ()  # industry labels: a whole industry or sector cell, looked up, not word-matched
    activities: tuple[str, ...] = ()  # with objects: an activity done to an object within `window` tokens
    objects: tuple[str, ...] = ()
    window: int = 5
    customers: bool = False  # counts the kinds of organisation named as its customers (see classifier.pairs)
    explicit: bool = False  # states the service outright: Neither takes at most a share of it (classifier.weighing)
    learned: str = ""  # a report: the rule quotes the learned reading's word for it (classifier.learned)

    def matches(self) -> str:
        """What the rule looks for, in one line."""
        parts = []
        words = self.terms + self.organisations + self.actions
        if words:
            shown = ", ".join(words[:6]) + (f" (+{len(words) - 6})" if len(words) > 6 else "")
            parts.append(f"{'/'.join(self.fields)}: {shown}")
        if self.labels:
            parts.append(f"{'/'.join(self.fields)} label: " + ", ".join(self.labels))
        if self.activities:
            objects = list(self.objects[:4]) + (["organisations named as customers"] if self.customers else [])
            parts.append(
                f"{'/'.join(self.fields)}: "
                + "|".join(self.activities[:4])
                + (" ..." if len(self.activities) > 4 else "")
                + " within "
                + f"{self.window} words of "
                + "|".join(objects)
                + (" ..." if len(self.objects) > 4 else "")
            )
        elif self.customers:
            parts.append(f"{'/'.join(self.fields)}: kinds of organisation named as customers")
        if self.naics:
            parts.append("NAICS " + ", ".join(self.naics))
        if self.sic:
            parts.append("SIC " + ", ".join(self.sic))
        if self.answers:
            parts.append("answered yes: " + ", ".join(self.answers))
        return "; ".join(parts)


@dataclass
class RuleSet:
    """Compiled rules: the lexicon for text, code prefix tables, answers and weight matrices."""

    rules: list[Rule]
    sources: list[str]
    lexicon: Lexicon = field(repr=False)
    terms: list[TermInfo] = field(repr=False)
    codes: dict[str, dict[str, int]] = field(repr=False)  # system -> prefix -> term id
    labels: dict[str, dict[str, int]] = field(repr=False)  # industry/sector -> normalised label -> term id
    answers: dict[str, int] = field(repr=False)  # questionnaire field -> term id
    weights: np.ndarray = field(repr=False)  # rules x targets
    objectives: np.ndarray = field(repr=False)  # rules x objectives, bool
    explicit: np.ndarray = field(default=None, repr=False)  # per rule: states the service outright
    learned: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)  # report -> word -> term id

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def cache(self) -> dict:
        """What classifying derives from these rules and keeps for the next chunk: rationale
        sentences per column mapping, evidence groups, the terms of each code seen."""
        if getattr(self, "_cache", None) is None:
            self._cache = {}
        return self._cache

    @property
    def evidence_labels(self):
        """Per term, seven labels for the evidence column: as matched, negated, naming the customers,
        naming something the organisation uses, what it advises on, what it makes, and a word of
        the name that the industry label or code outweighs.

        As one array of UTF-8 bytes and the offsets of each label (:func:`socanalysis._kernels.strings.flatten`).
        """
        if getattr(self, "_labels", None) is None:
            from ..._kernels import flatten

            texts = []
            for t in self.terms:
                quoted = f"'{t.text}'"
                shown = t.shown or quoted
                texts += [shown, f"not {shown}", shown if t.shown else f"{quoted} (customers)"]
                texts += [f"{quoted} (its own use)", f"{quoted} (advised on)", f"{quoted} (what it makes)"]
                texts.append(f"{quoted} (outweighed by the industry)" if t.field == "name" else "")  # names only
            self._labels = flatten(texts)
        return self._labels

    def label_table(self, fld: str) -> tuple:
        """The known labels of an industry or sector field, as :func:`match_labels` reads them (built once)."""
        tables = self.cache.setdefault("labels", {})
        if fld not in tables:
            known = self.labels.get(fld, {})
            tables[fld] = (pa.array(list(known), pa.large_string()), np.array(list(known.values()), dtype=np.int32))
        return tables[fld]

    @property
    def term_rule(self) -> np.ndarray:
        """The rule of every term, by term id (built once: every chunk classified reads it)."""
        if getattr(self, "_term_rule", None) is None:
            self._term_rule = np.array([t.rule for t in self.terms], dtype=np.int32)
        return self._term_rule

    def table(self):
        """The active rules as a DataFrame (id, matches, supports, reason, source)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "id": r.id,
                    "matches": r.matches(),
                    "supports": ", ".join(f"{k} {v:+.2f}" for k, v in r.supports.items()),
                    "reason": r.reason,
                    "source": r.source,
                }
                for r in self.rules
            ]
        )


def default_rules_path():
    return resources.files("socanalysis.classifier.rules") / "default.yaml"


class _IndustryTables:
    """The industry tables (:mod:`socanalysis.classifier.taxonomy`) as a source of default rules."""

    def read_bytes(self) -> bytes:  # for the digest of the compiled rules kept on disk
        return b"".join(f.read_bytes() for f in taxonomy.table_files())

    def __str__(self) -> str:
        return "industry tables"


INDUSTRY_TABLES = _IndustryTables()


def _read(source) -> tuple[object, str]:
    """A rules file's parsed contents (a list of rules for the industry tables), and a name for messages."""
    if isinstance(source, _IndustryTables):
        return taxonomy.rules(), str(source)
    if isinstance(source, Mapping):
        return source, "<dict>"
    name = os.fspath(source) if not hasattr(source, "read_text") else str(source)
    try:
        text = (
            source.read_text(encoding="utf-8")
            if hasattr(source, "read_text")
            else Path(source).read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        raise RulesError(f"rules file {name!r} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"rules file {name!r} cannot be read: {exc}") from None
    check_size(len(text), name)
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when present
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise RulesError(f"rules file {name!r} is not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    check_values(doc, name)
    return doc, name


def _merge(sources) -> tuple[list[Rule], list[str]]:
    """The rules of ``sources`` merged in order, each file checked against its schema
    (:mod:`socanalysis.classifier.rules.schema`, imported here only: compiled rules read back need none of it)."""
    from .schema import validate_file, validate_rule

    rules: dict[str, Rule] = {}
    names = []
    for source in sources:
        doc, name = _read(source)
        names.append(name)
        checked = validate_file(doc, name, known=rules.keys())
        if checked.replace_defaults:
            rules = {}
        for i, entry in enumerate(checked.rules, start=1):
            rid = entry.id
            if not entry.enabled:
                rules.pop(rid, None)
                continue
            base = rules.get(rid)
            if base is not None:  # a rule already loaded, changed by the fields the entry gives
                given = entry.model_dump(exclude_unset=True, exclude={"enabled"})
                entry = validate_rule({**_values(base), **given}, f"rules {i} of {name}")
            values = {k: v for k, v in entry.__dict__.items() if v is not None and k != "enabled"}
            rules[rid] = Rule(**values, source=os.path.basename(name))
    return list(rules.values()), names


def _values(rule: Rule) -> dict:
    """A rule's fields as a rules file gives them."""
    return {k: v for k, v in rule.__dict__.items() if k != "source" and v != ""}  # no note: ""


def compile_rules(rules: list[Rule], sources: list[str]) -> RuleSet:
    """Index the rules for matching; a term claimed by two rules is an error."""
    entries, terms, owners, ids = [], [], {}, {}
    for ri, rule in enumerate(rules):
        for fld in rule.fields:
            kinds = [(t, False, False) for t in rule.terms] + [(t, True, False) for t in rule.organisations]
            for text, organisation, action in kinds + [(t, False, True) for t in rule.actions]:
                key = (fld, term_key(text))
                if key in owners and owners[key] != rule.id:
                    raise RulesError(
                        f"rule {rule.id!r}, field 'terms': {text!r} in {fld} is already a term of rule "
                        f"{owners[key]!r}; a term belongs to one rule (override that rule by its id instead)"
                    )
                if key in owners:
                    continue
                owners[key] = rule.id
                ids[key] = len(terms)
                entries.append((fld, text))
                terms.append(TermInfo(len(terms), fld, text, ri, organisation, action=action))
    roles = role_words(rules, entries, terms, ids)
    try:
        lexicon = Lexicon(entries)
    except ValueError as exc:
        raise RulesError(f"rules: {exc}") from None
    codes: dict[str, dict[str, int]] = {s: {} for s in CODE_FIELDS}
    labels: dict[str, dict[str, int]] = {"industry": {}, "sector": {}}
    answers: dict[str, int] = {}
    learned: dict[str, dict[str, int]] = {}
    for ri, rule in enumerate(rules):
        for fld in rule.fields if rule.labels else ():
            for text in rule.labels:
                key = normalise_label(text)
                if key in labels[fld]:
                    other = rules[terms[labels[fld][key]].rule].id
                    raise RulesError(f"rule {rule.id!r}, field 'labels': {text!r} is already a label of rule {other!r}")
                labels[fld][key] = len(terms)
                terms.append(TermInfo(len(terms), fld, text, ri))
        for system in CODE_FIELDS:
            for code in getattr(rule, system):
                if code in codes[system]:
                    other = rules[terms[codes[system][code]].rule].id
                    raise RulesError(f"rule {rule.id!r}, field {system!r}: {code} is already a code of rule {other!r}")
                codes[system][code] = len(terms)
                terms.append(TermInfo(len(terms), system, code, ri))
        for q in rule.answers:
            if q in answers:
                other = rules[terms[answers[q]].rule].id
                raise RulesError(f"rule {rule.id!r}, field 'answers': {q} is already an answer of rule {other!r}")
            answers[q] = len(terms)
            terms.append(TermInfo(len(terms), q, "yes", ri))
        if rule.learned:
            if rule.learned in learned:
                other = rules[terms[next(iter(learned[rule.learned].values()))].rule].id
                raise RulesError(
                    f"rule {rule.id!r}, field 'learned': {rule.learned} is already quoted by rule {other!r}"
                )
            learned[rule.learned] = {}
            for word in Reading.load().counting(rule.learned):
                learned[rule.learned][word] = len(terms)
                terms.append(TermInfo(len(terms), "description", word, ri, shown=f"'{word}' (learned)"))
    lexicon.roles = role_table(rules, terms, len(entries), *roles)
    weights = np.zeros((len(rules), len(TARGETS)))
    objectives = np.zeros((len(rules), len(OBJECTIVES)), dtype=bool)
    for ri, rule in enumerate(rules):
        for target, w in rule.supports.items():
            weights[ri, TARGETS.index(target)] = w
        for o in rule.objectives:
            objectives[ri, OBJECTIVES.index(o)] = True
    explicit = np.array([r.explicit for r in rules], dtype=bool)
    return RuleSet(rules, sources, lexicon, terms, codes, labels, answers, weights, objectives, explicit, learned)


@lru_cache(maxsize=8)
def _load_files(key: tuple) -> RuleSet:
    """The defaults merged with rule files given as (path, modification time) pairs, cached in
    memory and, compiled, on disk (:func:`_stored`)."""
    sources = [default_rules_path(), INDUSTRY_TABLES, *(path for path, _ in key)]
    stored = _stored(sources)
    if stored is not None:
        try:
            rules = pickle.loads(stored.read_bytes())
            if isinstance(rules, RuleSet):
                return rules
        except Exception:  # missing, unreadable, cut short or of another version: compile again
            pass
    merged, names = _merge(sources)
    rules = compile_rules(merged, names)
    if stored is not None:
        _store(rules, stored)
    return rules


STORED_RULES_KEPT = 8  # compiled rule sets kept on disk, the most recent ones


def _stored(sources) -> Path | None:
    """Where the compiled rules of these rule files are kept between runs, or None.

    Compiling the defaults takes a tenth of a second or more, a noticeable part of classifying a
    small file from the command line, so the compiled rules are pickled next to this module (in
    ``__pycache__``, as Python and numba keep their compiled code) or, where the package cannot be
    written to, in the user's cache directory. The file name is a hash of the rule files' names and
    contents, of the code that compiles them and of the Python and NumPy versions: a change to
    any of them gives another file, so a stale one is never read.
    """
    digest = hashlib.sha256(f"{sys.version}|{np.__version__}".encode())
    here = Path(__file__).resolve().parent
    kernels = here.parent.parent / "_kernels"
    try:
        for module in (
            here / "__init__.py",
            here / "schema.py",
            here / "bounds.py",
            here.parent / "matching.py",
            here.parent / "pairs.py",
            here / "terms.py",
            here.parent / "taxonomy.py",
            here.parent / "learned.py",
            here / "learned.json",
            kernels / "scanning.py",
            kernels / "roles.py",
        ):
            digest.update(module.read_bytes())
        for source in sources:
            name = str(source)
            data = source.read_bytes() if hasattr(source, "read_bytes") else Path(source).read_bytes()
            digest.update(f"|{len(name)}|{name}|{len(data)}|".encode() + data)
    except OSError:
        return None  # a rule file that cannot be read is reported by compiling it
    name = f"rules-{digest.hexdigest()[:32]}.pickle"
    for folder in _rules_cache_dirs():
        if (folder / name).is_file() or _writable(folder):
            return folder / name
    return None


def _rules_cache_dirs() -> list[Path]:
    user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "socanalysis"
    return [Path(__file__).resolve().parent / "__pycache__", user]


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _store(rules: RuleSet, path: Path) -> None:
    """Pickle the compiled rules to ``path`` (written aside, then renamed, so that a run reading
    it at the same time never sees half a file); keep the most recent few. Failing is harmless."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    _ = rules.evidence_labels  # kept with them: building the labels of every term takes longer than reading them
    try:
        temporary.write_bytes(pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        kept = sorted(path.parent.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[STORED_RULES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        temporary.unlink(missing_ok=True)


def load_rules(rules=None) -> RuleSet:
    """The default rules, with a firm's rules (a path, a list of paths, or a dict) merged on top.

    Raises
    ------
    RulesError
        Naming the file, the rule and the field that is wrong.
    """
    if isinstance(rules, RuleSet):
        return rules
    if rules is None:
        return _load_files(())
    if isinstance(rules, Mapping):
        merged, names = _merge([default_rules_path(), INDUSTRY_TABLES, rules])
        return compile_rules(merged, names)
    paths = rules if isinstance(rules, list | tuple) else [rules]
    key = []
    for p in paths:
        p = os.fspath(p)
        try:
            key.append((p, os.path.getmtime(p)))
        except OSError:
            raise RulesError(f"rules file {p!r} does not exist") from None
    return _load_files(tuple(key))


def rules_schema() -> dict:
    """The JSON schema of a rules file, as :class:`socanalysis.classifier.rules.schema.RulesFile` declares it.

    >>> rules_schema()["$defs"]["RuleEntry"]["properties"]["window"]["maximum"]
    12
    """
    from .schema import rules_schema

    return rules_schema()
