"""Rules are data: the default file, firm overrides and clear errors for broken files."""

import re
import textwrap

import pandas as pd
import pytest

from socanalysis import RulesError, classify
from socanalysis.classifier.rules import TARGETS, load_rules


def write(tmp_path, text, name="firm.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_default_rules_load_and_every_rule_has_a_reason_and_a_target():
    rs = load_rules()
    assert len(rs.rules) > 50
    for rule in rs.rules:
        assert rule.reason and rule.supports
        assert set(rule.supports) <= set(TARGETS)
    table = rs.table()
    assert {"id", "matches", "supports", "reason", "source"} <= set(table.columns)


LEAD = pd.DataFrame({"Company": ["Acme"], "Description": ["Artisanal widgets"]})


def test_a_firm_can_add_a_rule(tmp_path):
    path = write(
        tmp_path,
        """
        rules:
          - id: widget-hosting
            reason: Hosts widget data for its clients
            terms: [artisanal widgets]
            supports: {SOC 2: 0.9}
        """,
    )
    assert classify(LEAD)["soc_report"].iloc[0] == "Neither"
    out = classify(LEAD, rules=path)
    assert out["soc_report"].iloc[0] == "SOC 2"
    assert "Hosts widget data" in out["rationale"].iloc[0]


def test_a_firm_can_change_or_switch_off_a_default_rule(tmp_path):
    df = pd.DataFrame({"Company": ["P"], "Description": ["Payroll provider for restaurants"]})
    assert classify(df)["soc_report"].iloc[0] == "Both"
    off = write(tmp_path, "rules:\n  - id: payroll\n    enabled: false\n", "off.yaml")
    without = classify(df, rules=off).iloc[0]
    assert "Runs payroll" not in without["rationale"] and "'payroll provider'" not in without["evidence"]
    # the learned reading still reads the words as payroll: with it off too, nothing gives Both
    learned_off = "".join(
        f"  - id: {r}\n    enabled: false\n" for r in ("reads-like-financial-service", "reads-like-data-service")
    )
    both_off = write(tmp_path, "rules:\n  - id: payroll\n    enabled: false\n" + learned_off, "both_off.yaml")
    assert classify(df, rules=both_off)["soc_report"].iloc[0] != "Both"
    weaker = write(tmp_path, "rules:\n  - id: payroll\n    supports: {SOC 1: 0.95}\n" + learned_off, "weak.yaml")
    assert classify(df, rules=weaker)["soc_report"].iloc[0] == "SOC 1"


def test_a_dict_works_like_a_file():
    rules = {"rules": [{"id": "w", "reason": "Hosts widgets", "terms": ["widgets"], "supports": {"SOC 2": 0.9}}]}
    assert classify(LEAD, rules=rules)["soc_report"].iloc[0] == "SOC 2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [", r"not valid YAML at line"),
        ("- 1\n- 2\n", r"rule at rules 1 of .*: expected a mapping"),
        ("rules:\n  - id: Bad Id\n", r"field 'id' must be a lower-case name"),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    supports: {SOC 9: 0.5}\n",
            r"rule 'x'.*'supports'.*'SOC 9' is not a target",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    supports: {SOC 1: 2}\n",
            r"rule 'x'.*weight for 'SOC 1' must be a number between -1 and 1",
        ),
        ("rules:\n  - id: x\n    reason: r\n    supports: {SOC 1: 0.5}\n", r"rule 'x'.*give at least one of 'terms'"),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    fields: [notes]\n    supports: {SOC 1: 0.5}\n",
            r"field 'fields': 'notes' is not a text field",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    naics: ['54A']\n    supports: {SOC 1: 0.5}\n",
            r"field 'naics': '54A' is not a code prefix",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [payroll]\n    supports: {SOC 1: 0.5}\n",
            r"'payroll' in description is already a term of rule 'payroll'",
        ),
        ("rules:\n  - id: x\n    colour: red\n", r"rule 'x'.*unknown field\(s\) \['colour'\]"),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    supports: {Neither: -0.5}\n",
            r"'Neither' takes a positive weight",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    supports: {SOC 1: 0.5}\n  - id: x\n",
            r"rule 'x'.*the id appears twice",
        ),
    ],
)
def test_broken_rules_files_name_the_rule_and_the_field(tmp_path, text, message):
    with pytest.raises(RulesError, match=message):
        load_rules(write(tmp_path, text))


def test_a_missing_rules_file_is_a_clear_error(tmp_path):
    with pytest.raises(RulesError, match="rules file .*nope.yaml' does not exist"):
        load_rules(tmp_path / "nope.yaml")


# --------------------------------------------------------------------------- compiled rules kept on disk
@pytest.fixture
def rules_store(tmp_path, monkeypatch):
    """Compiled rules kept in a folder of the test's own, and nothing compiled in memory yet."""
    from socanalysis.classifier import rules

    store = tmp_path / "store"
    monkeypatch.setattr(rules, "_rules_cache_dirs", lambda: [store])
    rules._load_files.cache_clear()
    yield store
    rules._load_files.cache_clear()


def _fails(*args, **kwargs):
    raise AssertionError("the rules were compiled again")


def test_compiled_rules_are_kept_and_read_back_without_compiling(rules_store, monkeypatch):
    from socanalysis.classifier import rules

    fresh = load_rules()
    assert len(list(rules_store.glob("rules-*.pickle"))) == 1
    rules._load_files.cache_clear()
    monkeypatch.setattr(rules, "compile_rules", _fails)
    kept = load_rules()
    assert kept is not fresh
    assert [r.id for r in kept.rules] == [r.id for r in fresh.rules]
    assert (kept.lexicon._keys == fresh.lexicon._keys).all()
    leads = pd.DataFrame({"Description": ["Payroll processing for employers", "Cloud hosting of patient records"]})
    pd.testing.assert_frame_equal(classify(leads, rules=kept), classify(leads, rules=fresh))


def test_a_changed_rules_file_is_compiled_again(rules_store, tmp_path):
    from socanalysis.classifier import rules

    text = """
        rules:
          - id: widget-hosting
            reason: Hosts widget data for its clients
            terms: [artisanal widgets]
            supports: {SOC 2: %s}
        """
    path = write(tmp_path, text % "0.9")
    assert load_rules(path).rule("widget-hosting").supports == {"SOC 2": 0.9}
    rules._load_files.cache_clear()
    write(tmp_path, text % "0.4")
    assert load_rules(path).rule("widget-hosting").supports == {"SOC 2": 0.4}
    assert len(list(rules_store.glob("rules-*.pickle"))) == 2


def test_a_damaged_kept_file_is_compiled_again_and_replaced(rules_store, monkeypatch):
    from socanalysis.classifier import rules

    load_rules()
    (kept,) = rules_store.glob("rules-*.pickle")
    kept.write_bytes(kept.read_bytes()[:1000])  # cut short
    rules._load_files.cache_clear()
    assert len(load_rules().rules) > 50
    rules._load_files.cache_clear()
    monkeypatch.setattr(rules, "compile_rules", _fails)
    assert len(load_rules().rules) > 50  # the file was written whole again


def test_rules_load_where_nothing_can_be_kept(tmp_path, monkeypatch):
    from socanalysis.classifier import rules

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(rules, "_rules_cache_dirs", lambda: [blocker / "store"])
    rules._load_files.cache_clear()
    try:
        assert len(load_rules().rules) > 50
    finally:
        rules._load_files.cache_clear()
    assert blocker.read_text() == "not a folder"


def test_only_the_most_recent_compiled_rules_are_kept(rules_store, tmp_path):
    from socanalysis.classifier import rules

    for i in range(rules.STORED_RULES_KEPT + 3):
        rule = f"{{id: r{i}, reason: x, terms: [zz{i}], supports: {{SOC 2: 0.5}}}}"
        load_rules(write(tmp_path, f"rules:\n  - {rule}\n", f"f{i}.yaml"))
    assert len(list(rules_store.glob("rules-*.pickle"))) == rules.STORED_RULES_KEPT
    assert not list(rules_store.glob("*.tmp"))


# --------------------------------------------------------------------------- combination rules and firm overrides
def test_a_firm_can_override_an_industry_table_entry(tmp_path):
    df = pd.DataFrame({"Company": ["Q"], "Industry": ["Professional Services"]})
    assert classify(df)["soc_report"].iloc[0] == "SOC 2"
    path = write(tmp_path, "rules:\n  - id: label-professional-services\n    supports: {Neither: 0.8}\n")
    out = classify(df, rules=path)
    assert out["soc_report"].iloc[0] == "Neither"
    assert "'Professional Services' in Industry" in out["rationale"].iloc[0]


def test_a_firm_can_change_a_combination_rule_add_one_or_switch_one_off(tmp_path):
    fines = pd.DataFrame({"Company": ["F"], "Description": ["We collect harbour mooring charges for town councils."]})
    assert "'collect ... mooring charges'" not in classify(fines)["evidence"].iloc[0]
    more = write(
        tmp_path,
        """
        rules:
          - id: handles-customers-money
            objects: [mooring charges, invoices]
        """,
        "more.yaml",
    )
    out = classify(fines, rules=more)
    assert out["soc_report"].iloc[0] in ("SOC 1", "Both")
    assert "'collect ... mooring charges'" in out["evidence"].iloc[0]
    kiosks = pd.DataFrame({"Company": ["K"], "Description": ["We operate the ticket kiosks of regional cinemas."]})
    added = write(
        tmp_path,
        """
        rules:
          - id: runs-kiosks
            reason: Runs the ticketing kiosks its customers sell through
            activities: [operate, run]
            objects: [ticket kiosks]
            window: 3
            supports: {SOC 2: 0.9}
        """,
        "added.yaml",
    )
    out = classify(kiosks, rules=added)
    assert out["soc_report"].iloc[0] == "SOC 2"
    assert "Runs the ticketing kiosks" in out["rationale"].iloc[0]
    plans = pd.DataFrame({"Company": ["P"], "Description": ["We administer 401(k) plans for employers."]})
    assert classify(plans)["soc_report"].iloc[0] in ("SOC 1", "Both")
    off = write(tmp_path, "rules:\n  - id: handles-customers-money\n    enabled: false\n", "off.yaml")
    assert "administer ... 401(k) plans" not in classify(plans, rules=off)["evidence"].iloc[0]


def test_the_rules_table_says_what_a_combination_rule_matches():
    table = load_rules().table().set_index("id")
    assert "within 5 words of" in table.loc["handles-customers-money", "matches"]
    assert "organisations named as customers" in table.loc["runs-systems-for-organisations", "matches"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rules:\n  - id: x\n    reason: r\n    activities: [host]\n    supports: {SOC 2: 0.5}\n",
            r"rule 'x'.*'activities' and 'objects' go together",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    objects: [servers]\n    supports: {SOC 2: 0.5}\n",
            r"rule 'x'.*'activities' and 'objects' go together",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    activities: [a]\n    objects: [b]\n    window: 40\n"
            "    supports: {SOC 2: 0.5}\n",
            r"rule 'x'.*field 'window': expected a number of words from 1 to 12, got 40",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [a]\n    explicit: 'yes'\n    supports: {SOC 2: 0.5}\n",
            r"rule 'x'.*field 'explicit': expected true or false",
        ),
        (
            "rules:\n  - id: x\n    reason: r\n    terms: [zz]\n    customers: true\n    supports: {SOC 2: 0.3}\n",
            r"rules 'serves-an-industry' and 'x' both count the kinds of organisation named as customers",
        ),
    ],
)
def test_broken_combination_rules_name_the_rule_and_the_field(tmp_path, text, message):
    with pytest.raises(RulesError, match=message):
        load_rules(write(tmp_path, text))


# --------------------------------------------------------------------------- the declared schema of a rules file
def test_every_problem_of_a_rules_file_is_named_at_once(tmp_path):
    text = """
        rules:
          - id: x
            reason: r
            naics: [5415, '54A']
            supports: {SOC 1: 0.5, Neither: -0.2}
          - id: y
            reason: r
            terms: [a]
            window: 1.5
            customers: 'no'
            supports: {SOC 1: true}
          - 5
        """
    with pytest.raises(RulesError) as caught:
        load_rules(write(tmp_path, text))
    lines = str(caught.value).splitlines()
    assert lines[0].endswith(" (and 5 more problems)")  # the command line shows the first line only
    expected = [
        r"rule 'x' \(rules 1 of .*firm.yaml\), field 'supports': 'Neither' takes a positive weight",
        r"rule 'x' \(rules 1 of .*\), field 'naics': '54A' is not a code prefix \(2 to 6 digits\)$",
        r"rule 'y' \(rules 2 of .*\), field 'supports': weight for 'SOC 1' must be a number .*, got True$",
        r"rule 'y' \(rules 2 of .*\), field 'window': expected a number of words from 1 to 12, got 1.5$",
        r"rule 'y' \(rules 2 of .*\), field 'customers': expected true or false, got 'no'$",
        r"rule at rules 3 of .*: expected a mapping \(id, reason, terms, supports ...\), got 5$",
    ]
    for line, pattern in zip(lines, expected, strict=True):
        assert re.search(pattern, line.strip()), (line, pattern)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"rules": [], "colour": 1},
            r"^rules file '<dict>': unknown top-level key\(s\) \['colour'\]; accepted: rules,",
        ),
        ({"rules": [], "replace_defaults": "yes"}, r"field 'replace_defaults': expected true or false, got 'yes'$"),
        ({"rules": "payroll"}, r"^rules file '<dict>' must hold a mapping with a list under 'rules:'"),
        # a default rule changed is checked whole once merged: its fields are description and name
        (
            {"rules": [{"id": "payroll", "labels": ["Banking"]}]},
            r"^rule 'payroll' .*field 'labels': .*industry and sector",
        ),
        # a file replacing the defaults has no rule to merge with: a rule it names is a new one
        (
            {"replace_defaults": True, "rules": [{"id": "payroll", "supports": {"SOC 1": 0.9}}]},
            r"^rule 'payroll' \(rules 1 of <dict>\): field 'reason' is required$",
        ),
        # an entry switching a rule off is still read against the schema
        (
            {"rules": [{"id": "payroll", "enabled": False, "supports": {"SOC 9": 1}}]},
            r"field 'supports': 'SOC 9' is not a target",
        ),
        (
            {"rules": [{"id": "x", "reason": "r", "terms": ["a"], "answers": "q_nope", "supports": {"SOC 1": 0.5}}]},
            r"field 'answers': 'q_nope' is not a questionnaire field; accepted: q_payroll,",
        ),
        (
            {"rules": [{"id": "x", "reason": "r", "terms": ["a"], "objectives": ["x"], "supports": {"SOC 1": 0.5}}]},
            r"field 'objectives': 'x' is not a SOC 1 control objective; accepted:",
        ),
        (
            {"rules": [{"id": "x", "reason": "r", "sic": ["73745"], "supports": {"SOC 1": 0.5}}]},
            r"field 'sic': '73745' is not a code prefix \(2 to 4 digits\)",
        ),
        (
            {"rules": [{"id": "x", "reason": ["r"], "terms": ["a"], "supports": {"SOC 1": 0.5}}]},
            r"field 'reason': expected one line of text, got \['r'\]",
        ),
        # a wrong id does not hide the rest
        ({"rules": [{"id": "X Y", "window": 0}]}, r"rule at rules 1 of <dict>, field 'window': expected a number"),
        (
            {"rules": [{"id": "x", "reason": "r", "terms": ["a"], "supports": {}}]},
            r"field 'supports': expected a mapping of target to weight, e.g. \{SOC 1: 0.8\}, got \{\}",
        ),
    ],
)
def test_rules_documents_are_checked_against_the_schema(doc, message):
    with pytest.raises(RulesError, match=message):
        load_rules(doc)


def test_a_rules_file_may_give_one_value_for_a_list_and_numbers_for_codes():
    doc = {"rules": [{"id": "x", "reason": " Runs\n  things ", "sic": 9998, "terms": "zzq", "supports": {"SOC 2": 1}}]}
    rule = load_rules(doc).rule("x")
    assert (rule.sic, rule.terms, rule.reason, rule.supports) == (("9998",), ("zzq",), "Runs things", {"SOC 2": 1.0})


def test_a_changed_default_rule_keeps_the_fields_it_does_not_give():
    default = load_rules().rule("payroll")
    changed = load_rules({"rules": [{"id": "payroll", "supports": {"SOC 1": 0.9}}]}).rule("payroll")
    assert changed.supports == {"SOC 1": 0.9}
    assert (changed.terms, changed.fields, changed.reason) == (default.terms, default.fields, default.reason)


def test_the_rules_schema_declares_the_fields_and_what_they_accept():
    from socanalysis.classifier.rules import rules_schema

    schema = rules_schema()
    entry = schema["$defs"]["RuleEntry"]
    assert entry["additionalProperties"] is False and entry["required"] == ["id"]
    assert {"terms", "naics", "supports", "window", "activities", "enabled"} <= set(entry["properties"])
    assert entry["properties"]["window"]["maximum"] == 12
    fields = entry["properties"]["fields"]["items"]["enum"]
    assert "description" in fields and "notes" not in fields
    assert "SOC 1" in str(entry["properties"]["supports"])
