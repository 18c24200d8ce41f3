"""The declared shape of a rules file: :class:`RuleEntry` (one rule) and :class:`RulesFile` (the file).

Both are pydantic models; :func:`rules_schema` gives the file's JSON schema. :func:`validate_file`
checks a parsed file against them and names every problem at once: the rule (its id, or where it
stands when the id itself is wrong), the field, the value given and what is accepted.

An entry whose ``id`` names a rule already loaded (a default rule, changed by a firm's file) may give
only the fields it changes: its fields are checked here, and the rule it makes once merged is checked
again whole (:func:`validate_rule`).

>>> validate_file({"rules": [{"id": "x", "reason": "r", "terms": "abc", "supports": {"SOC 1": 1}}]}, "f.yaml").rules
[RuleEntry(id='x', enabled=True, reason='r', supports={'SOC 1': 1.0}, fields=('description',), terms=('abc',), ...)]
>>> validate_file({"rules": [{"id": "x", "reason": " ", "naics": ["54A"], "supports": {"SOC 1": 0}}]}, "f")
Traceback (most recent call last):
...
socanalysis.errors.RulesError: rule 'x' (rules 1 of f), field 'reason': ... got ' ' (and 2 more problems)
  rule 'x' (rules 1 of f), field 'supports': weight for 'SOC 1' must be a number between -1 and 1 other than 0, got 0
  rule 'x' (rules 1 of f), field 'naics': '54A' is not a code prefix (2 to 6 digits)
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ...errors import RulesError
from ...vocabulary import OBJECTIVES, QUESTION_FIELDS, TEXT_FIELDS
from .bounds import MAX_WINDOW, TARGETS

__all__ = ["RuleEntry", "RulesFile", "rules_schema", "validate_file", "validate_rule"]

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
MATCHERS = ("terms", "organisations", "actions", "labels", "naics", "sic", "answers", "learned", "activities")
SHOWN_PROBLEMS = 20  # problems listed in one error; the rest are counted


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------


def _listed(value: object) -> object:
    """One value stands for a list of one; a number (YAML reads ``541214`` as one) is written as text."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list | tuple):
        return [str(v).strip() if isinstance(v, str | int) and not isinstance(v, bool) else v for v in value]
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _not_zero(weight: float) -> float:
    if weight == 0:
        raise PydanticCustomError("rule_zero_weight", "a weight of 0 says nothing")
    return weight


_Strict = Field(strict=True)
_Strs = Annotated[tuple[Annotated[str, _Strict], ...], BeforeValidator(_listed)]
_Line = Annotated[str, _Strict, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_one_line)]
_Flag = Annotated[bool, _Strict]
_Weight = Annotated[float, Field(strict=True, ge=-1, le=1, allow_inf_nan=False), AfterValidator(_not_zero)]


def _codes(most: int) -> Any:
    code = Annotated[str, _Strict, StringConstraints(pattern=rf"^[0-9]{{2,{most}}}$")]
    return Annotated[tuple[code, ...], BeforeValidator(_listed)]


def _one_of(values: tuple[str, ...]) -> Any:
    return Annotated[tuple[Literal[values], ...], BeforeValidator(_listed)]


# --------------------------------------------------------------------------------------------
# the declared shape
# --------------------------------------------------------------------------------------------


class RuleEntry(BaseModel):
    """One rule of a rules file.

    A new rule needs ``id``, ``reason``, ``supports`` and at least one matcher (``terms``,
    ``organisations``, ``actions``, ``labels``, ``naics``, ``sic``, ``answers`` or ``activities``); an entry
    naming a rule already loaded gives only what it changes, or ``enabled: false`` to remove it.
    """

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(strict=True, pattern=ID_PATTERN, description="a lower-case name: payroll-processing")]
    enabled: _Flag = Field(True, description="false removes the rule of this id")
    reason: _Line = Field(None, description="one line, quoted in the rationale (required for a new rule)")
    supports: Annotated[dict[Literal[TARGETS], _Weight], Field(min_length=1)] = Field(
        None,
        description="target -> weight between -1 and 1, not 0 (required for a new rule); Neither takes a positive one",
    )
    fields: _one_of(TEXT_FIELDS) = Field(("description",), description="the text fields the terms are looked for in")
    terms: _Strs = Field((), description="words and phrases, matched as whole words")
    organisations: _Strs = Field((), description="kinds of organisation (ignored where they name the customers)")
    actions: _Strs = Field((), description='what the organisation itself does ("we manufacture"): never its customers')
    labels: _Strs = Field((), description="industry labels, looked up whole in the industry and sector fields")
    activities: _Strs = Field((), description="with objects: an activity done to an object within `window` words")
    objects: _Strs = ()
    window: Annotated[int, Field(strict=True, ge=1, le=MAX_WINDOW)] = Field(5, description="words, at most")
    customers: _Flag = Field(False, description="counts the kinds of organisation named as customers")
    naics: _codes(6) = Field((), description="NAICS code prefixes, 2 to 6 digits")
    sic: _codes(4) = Field((), description="SIC code prefixes, 2 to 4 digits")
    answers: _one_of(QUESTION_FIELDS) = Field((), description="questionnaire fields answered yes")
    objectives: _one_of(OBJECTIVES) = Field((), description="SOC 1 control objectives the service brings in scope")
    explicit: _Flag = Field(False, description="states the service outright")
    learned: Literal["SOC 1", "SOC 2"] = Field(
        None, description="quotes the learned reading's word for this report (socanalysis.classifier.learned)"
    )
    note: _Line = Field(None, description="a remark, not shown in the rationale")

    @field_validator("supports")
    @classmethod
    def _neither_is_positive(cls, supports: dict[str, float]) -> dict[str, float]:
        if supports.get("Neither", 1) < 0:
            raise PydanticCustomError(
                "rule_neither",
                "'Neither' takes a positive weight (evidence against both reports), got {weight}",
                {"weight": supports["Neither"]},
            )
        return supports

    @model_validator(mode="after")
    def _whole(self, info: ValidationInfo) -> RuleEntry:
        """A rule as it is used: complete, and its fields agreeing with each other (an entry changing a
        rule already loaded is checked once merged with it)."""
        if not self.enabled or self.id in ((info.context or {}).get("known") or ()):
            return self
        for name in ("reason", "supports"):
            if getattr(self, name) is None:
                raise PydanticCustomError("rule_required", "field {field} is required", {"field": repr(name)})
        if (self.activities and not (self.objects or self.customers)) or (self.objects and not self.activities):
            raise PydanticCustomError(
                "rule_pairs",
                "'activities' and 'objects' go together (an activity done to an object, e.g. activities: "
                "[administer], objects: [401(k) plans]); 'customers: true' may stand for the objects",
            )
        if not any(getattr(self, name) for name in MATCHERS):
            raise PydanticCustomError(
                "rule_matchers", "give at least one of " + ", ".join(map(repr, MATCHERS[:-1])) + " or 'activities'"
            )
        if self.labels and not set(self.fields) <= {"industry", "sector"}:
            raise PydanticCustomError(
                "rule_labels",
                "industry labels are looked up in the industry and sector columns only; "
                "give fields: [industry, sector], not {given}",
                {"given": list(self.fields), "at": "labels"},
            )
        return self


class _Top(BaseModel):
    """The top level of a rules file, its rules not yet read."""

    model_config = ConfigDict(extra="forbid")

    rules: list[Any]
    replace_defaults: _Flag = Field(False, description="true: the file's rules only, without the defaults")
    version: int | float | str | None = None
    description: str | None = None


class RulesFile(_Top):
    """The shape of a rules file, e.g. ``socanalysis/classifier/rules/default.yaml``."""

    rules: list[RuleEntry]


@cache
def rules_schema() -> dict:
    """The JSON schema of a rules file.

    >>> sorted(rules_schema()["properties"])
    ['description', 'replace_defaults', 'rules', 'version']
    """
    return RulesFile.model_json_schema()


# --------------------------------------------------------------------------------------------
# checking
# --------------------------------------------------------------------------------------------


def validate_file(doc: object, name: str, known=()) -> RulesFile:
    """``doc`` (a parsed rules file; a bare list is its rules) checked; ``known``: the ids already loaded."""
    if isinstance(doc, list):
        doc = {"rules": doc}
    try:
        top = _Top.model_validate(doc)
    except ValidationError as exc:
        _fail(name, [_top_problem(exc.errors(), name)])
    seen, twice = set(), {}
    for i, entry in enumerate(top.rules, start=1):
        rid = entry.get("id") if isinstance(entry, Mapping) else None
        if isinstance(rid, str) and rid in seen:
            twice.setdefault(rid, i)
        seen.add(rid)
    if twice:
        _fail(
            name, [f"rule {rid!r} (rules {i} of {name}): the id appears twice in {name!r}" for rid, i in twice.items()]
        )
    if top.replace_defaults:
        known = ()
    try:
        return RulesFile.model_validate(doc, context={"known": known})
    except ValidationError as exc:
        errors = exc.errors()
    by_entry: dict[int, list] = {}
    for e in errors:
        by_entry.setdefault(e["loc"][1], []).append({**e, "loc": e["loc"][2:]})
    _fail(name, [p for i, es in by_entry.items() for p in _problems(es, doc["rules"][i], f"rules {i + 1} of {name}")])


def validate_rule(values: Mapping, where: str) -> RuleEntry:
    """A rule merged from an entry and the rule it changes, checked whole."""
    try:
        return RuleEntry.model_validate(values)
    except ValidationError as exc:
        raise RulesError(_problems(exc.errors(), values, where)[0]) from None


def _fail(name: str, problems: list[str]) -> NoReturn:
    """Raise :class:`RulesError` with every problem, one a line; the first line, all that the command
    line shows, names the first problem and how many more there are."""
    if len(problems) == 1:
        raise RulesError(problems[0])
    rest = len(problems) - 1
    shown = problems[1:SHOWN_PROBLEMS]
    more = [f"... and {len(problems) - 1 - len(shown)} more"] if len(problems) - 1 > len(shown) else []
    first = f"{problems[0]} (and {rest} more problem{'s' if rest > 1 else ''})"
    raise RulesError("\n  ".join([first, *shown, *more]))


def _top_problem(errors: list, name: str) -> str:
    unknown = [e["loc"][0] for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        accepted = ", ".join(_Top.model_fields)
        return f"rules file {name!r}: unknown top-level key(s) {sorted(map(str, unknown))}; accepted: {accepted}"
    e = errors[0]
    if e["loc"][:1] in ((), ("rules",)):
        return (
            f"rules file {name!r} must hold a mapping with a list under 'rules:' "
            "(each rule: id, reason, terms/naics/sic/answers, supports)"
        )
    expected = {"replace_defaults": "true or false", "version": "a number or text"}.get(e["loc"][0], "text")
    return f"rules file {name!r}, field {e['loc'][0]!r}: expected {expected}, got {e['input']!r}"


_LIST = "expected a list of strings, got {value!r:.80}"
_WHOLE = {
    "reason": "expected one line of text, got {value!r}",
    "note": "expected one line of text, got {value!r}",
    "window": f"expected a number of words from 1 to {MAX_WINDOW}, got {{value!r}}",
    "enabled": "expected true or false, got {value!r}",
    "customers": "expected true or false, got {value!r}",
    "explicit": "expected true or false, got {value!r}",
    "supports": "expected a mapping of target to weight, e.g. {{SOC 1: 0.8}}, got {value!r:.80}",
}
_ITEM = {
    "fields": "{value!r} is not a text field; accepted: " + ", ".join(TEXT_FIELDS),
    "answers": "{value!r} is not a questionnaire field; accepted: " + ", ".join(QUESTION_FIELDS),
    "objectives": "{value!r} is not a SOC 1 control objective; accepted: " + ", ".join(OBJECTIVES),
    "naics": "{value!r} is not a code prefix (2 to 6 digits)",
    "sic": "{value!r} is not a code prefix (2 to 4 digits)",
    "supports": "weight for {key!r} must be a number between -1 and 1 other than 0, got {value!r}",
}


def _problems(errors: list, raw: object, where: str) -> list[str]:
    """The schema errors of one entry (locations within it) as sentences naming the rule and the field."""
    if not isinstance(raw, Mapping):
        return [f"rule at {where}: expected a mapping (id, reason, terms, supports ...), got {raw!r:.80}"]
    rid = raw.get("id")
    rule, problems = f"rule {rid!r} ({where})", []
    if any(e["loc"][:1] == ("id",) for e in errors):
        rule = f"rule at {where}"
        problems.append(f"{rule}: field 'id' must be a lower-case name such as 'payroll-processing', got {rid!r}")
    unknown = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden"]
    if unknown:
        accepted = ", ".join(sorted(RuleEntry.model_fields))
        problems.append(f"{rule}: unknown field(s) {sorted(unknown)}; accepted: {accepted}")
    for e in errors:
        loc, kind = e["loc"], e["type"]
        if kind == "extra_forbidden" or e["loc"][:1] == ("id",):
            continue
        if not loc:  # the rule as a whole, or one field of it seen beside the others
            at = e.get("ctx", {}).get("at")
            problems.append(f"{rule}, field {at!r}: {e['msg']}" if at else f"{rule}: {e['msg']}")
            continue
        name = loc[0]
        if kind.startswith("rule_") and len(loc) == 1:
            text = e["msg"]
        elif name == "supports" and loc[-1] == "[key]":
            text = f"{loc[1]!r} is not a target; accepted: {', '.join(TARGETS)}"
        elif len(loc) > 1 and name in _ITEM:
            text = _ITEM[name].format(value=e["input"], key=loc[1])
        else:
            text = _WHOLE.get(name, _LIST).format(value=raw.get(name))
        problems.append(f"{rule}, field {name!r}: {text}")
    return list(dict.fromkeys(problems))
