"""The canonical fields as data: the packaged fields.json, its checks, and the shared words it agrees with."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from socanalysis.load import fields
from socanalysis.load.fields import FIELD_BY_NAME, FIELDS, resolve
from socanalysis.vocabulary import QUESTION_FIELDS, SIGNAL_FIELDS

ROOT = Path(__file__).resolve().parents[1]


def _document() -> dict:
    return json.loads(fields._DATA_FILE.read_text(encoding="utf-8"))


def _with(change) -> str:
    document = _document()
    change(document["fields"])
    return json.dumps(document)


def test_the_flags_are_the_shared_words():
    assert tuple(f.name for f in FIELDS if f.signal) == SIGNAL_FIELDS
    assert tuple(f.name for f in FIELDS if f.question) == QUESTION_FIELDS
    assert set(QUESTION_FIELDS) <= set(SIGNAL_FIELDS)


def test_fields_follow_the_file():
    entries = _document()["fields"]
    assert [(f.name, f.label, list(f.synonyms)) for f in FIELDS] == [
        (e["name"], e["label"], e["synonyms"]) for e in entries
    ]
    assert list(FIELD_BY_NAME) == [e["name"] for e in entries]
    assert FIELD_BY_NAME["name"].synonyms[:3] == ("name", "company", "company name")


def test_every_synonym_alone_resolves_to_its_field():
    assert [(f.name, s) for f in FIELDS for s in f.synonyms if resolve([s]).get(f.name) != s] == []


def test_the_file_is_packaged():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]
    assert "*.json" in package_data["socanalysis.load"]
    assert fields._DATA_FILE.parent == Path(fields.__file__).parent


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda fs: fs[0].pop("label"), r"field 1 \('name'\): missing label, unknown nothing"),
        (lambda fs: fs[1].update(signal=True), r"field 2 \('description'\): missing nothing, unknown signal"),
        (lambda fs: fs[2].update(synonyms=[]), r"field 3 \('industry'\): synonyms must be a non-empty list"),
        (lambda fs: fs[2].update(synonyms=["industry", 7]), r"field 3 \('industry'\): synonyms must be"),
        (lambda fs: fs[3].update(label=""), r"field 4 \('sector'\): label must be a non-empty text"),
        (lambda fs: fs[3].update(name=None), r"field 4 \(None\): name must be a non-empty text"),
        (lambda fs: fs.insert(0, ["name"]), r"field 1: expected an object with keys name, label, synonyms"),
        (lambda fs: fs.append(dict(fs[0])), r"each field is declared once; repeated: name"),
        (lambda fs: fs.pop(4), r"the signal fields must appear in the order of SIGNAL_FIELDS .* found description, "),
        (lambda fs: fs.insert(14, fs.pop(15)), r"the signal fields .* found .* sic, q_transactions, q_payroll, "),
    ],
)
def test_a_broken_file_names_the_field_and_key(change, message):
    with pytest.raises(ValueError, match=r"^fields\.json.*" + message):
        fields._parse_fields(_with(change))


def test_the_question_fields_are_checked_too(monkeypatch):
    monkeypatch.setattr(fields, "QUESTION_FIELDS", ("q_uptime", "q_payroll"))
    with pytest.raises(ValueError, match=r"question fields .* \(q_uptime, q_payroll\); found q_payroll, q_uptime$"):
        fields._parse_fields(fields._DATA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", ['[{"name": "name"}]', '{"about": []}', '{"fields": {}}'])
def test_a_file_without_a_list_of_fields(text):
    with pytest.raises(ValueError, match='expected an object with a list "fields"'):
        fields._parse_fields(text)


def test_the_packaged_file_parses_to_the_fields():
    assert fields._parse_fields(fields._DATA_FILE.read_text(encoding="utf-8")) == FIELDS
