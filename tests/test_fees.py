"""Fee schedules: the default, overrides from a dict or a file, errors that name the key, size bands."""

import pandas as pd
import pytest

from socanalysis.errors import RulesError
from socanalysis.portfolio.fees import ADD_ONS, REPORT_FEES, FeeFile, FeeSchedule, FeeScheduleError, load_fees


def test_default_fee_schedule():
    fees = load_fees()
    assert isinstance(fees, FeeSchedule)
    assert fees.currency == "USD"
    assert set(fees.reports) == {"SOC 1 Type 1", "SOC 1 Type 2", "SOC 2 Type 1", "SOC 2 Type 2"}
    assert fees.report_fee("SOC 2", "Type 2") > fees.report_fee("SOC 2", "Type 1") > 0
    assert {"Additional category", "SOC 3", "Bridge letter"} <= set(fees.add_ons)
    assert [b.name for b in fees.bands] == ["Small", "Mid-market", "Large", "Enterprise"]


def test_fee_overrides_from_dict_and_file(tmp_path):
    fees = load_fees({"reports": {"SOC 1 Type 2": 50000}, "size_bands": {"default_multiplier": 1.2}})
    assert fees.report_fee("SOC 1", "Type 2") == 50000
    assert fees.report_fee("SOC 1", "Type 1") == load_fees().report_fee("SOC 1", "Type 1")
    assert fees.default_multiplier == 1.2
    path = tmp_path / "fees.yaml"
    path.write_text("add_ons:\n  Bridge letter: 0\nsize_bands:\n  bands:\n    - {name: Any, multiplier: 3}\n")
    fees = load_fees(path)
    assert fees.add_ons["Bridge letter"] == 0
    assert [b.name for b in fees.bands] == ["Any"]
    assert load_fees(fees) is fees


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"price": 1}, "unknown key 'price'; accepted: 'currency'"),
        ({"reports": {"SOC 5 Type 2": 1}}, "reports has no 'SOC 5 Type 2'"),
        ({"reports": {"SOC 2 Type 2": -5}}, r"reports\['SOC 2 Type 2'\] must be a non-negative number.*-5"),
        ({"reports": {"SOC 2 Type 2": "lots"}}, "got 'lots'"),
        ({"add_ons": {"Bridge letter": True}}, r"add_ons\['Bridge letter'\]"),
        ({"add_ons": {"Pizza": 1}}, "add_ons has no 'Pizza'"),
        ({"reports": [1, 2]}, "reports must map names to fees"),
        ({"currency": ""}, "currency must be a name"),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 0}]}}, r"bands\[0\].multiplier \('A'\)"),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 1, "colour": "red"}]}}, "has no key 'colour'"),
        ({"size_bands": {"bands": [{"multiplier": 1}]}}, r"bands\[0\].name"),
        (
            {"size_bands": {"bands": [{"name": "A", "multiplier": 1}, {"name": "a", "multiplier": 2}]}},
            "names the band 'a' twice",
        ),
        ({"size_bands": {"bands": [{"name": "A", "multiplier": 1, "revenue_below": -1}]}}, "revenue_below"),
        ({"size_bands": {"default_multiplier": 0}}, "default_multiplier must be a number above 0"),
        ({"size_bands": {"colours": 1}}, "size_bands has no 'colours'"),
        (42, "fees=42: give a path"),
    ],
)
def test_fee_schedule_errors_name_the_key(source, message):
    with pytest.raises(FeeScheduleError, match=message):
        load_fees(source)


def test_every_problem_is_reported_at_once_naming_the_entry_the_field_and_the_value():
    source = {
        "currency": 3,
        "reports": {"SOC 2 Type 2": -5, "SOC 1 Type 1": float("nan")},
        "add_ons": {"Pizza": 1},
        "size_bands": {
            "bands": [
                {"name": "Small", "multiplier": 0.5, "aliases": ["smb", None]},
                {"multiplier": 2},
                {"name": "Large", "multiplier": "x", "revenue_below": 0},
            ]
        },
    }
    with pytest.raises(FeeScheduleError) as info:
        load_fees(source)
    assert str(info.value).split("\n") == [
        "fees: 8 problems",
        "  currency must be a name such as 'USD', got 3",
        "  reports['SOC 1 Type 1'] must be a non-negative number of dollars, got nan",
        "  reports['SOC 2 Type 2'] must be a non-negative number of dollars, got -5",
        "  add_ons has no 'Pizza'; accepted: 'Additional category', 'SOC 3', 'Bridge letter'",
        "  size_bands.bands[0].aliases ('Small') must be a list of texts, got ['smb', None]",
        "  size_bands.bands[1].name is missing: it must be a non-empty text",
        "  size_bands.bands[2].multiplier ('Large') must be a number above 0, got 'x'",
        "  size_bands.bands[2].revenue_below ('Large') must be a number of dollars above 0, got 0",
    ]


def test_a_problem_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "fees.yaml"
    path.write_text("reports:\n  SOC 2 Type 2: -5\n")
    with pytest.raises(FeeScheduleError) as info:
        load_fees(path)
    assert str(info.value) == f"{path}: reports['SOC 2 Type 2'] must be a non-negative number of dollars, got -5"
    path.write_text("- a list\n")
    with pytest.raises(FeeScheduleError, match=r"fees.yaml: the schedule must be a mapping with keys currency, "):
        load_fees(path)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"reports": {1: 5}}, "fees: reports has no 1; accepted: 'SOC 1 Type 1', "),
        ({"size_bands": {"bands": None}}, r"fees: size_bands.bands must be a list of bands, got None"),
        ({"size_bands": []}, r"fees: size_bands must be a mapping with default_multiplier and bands, got \[\]"),
        ({"add_ons": {"SOC 3": float("inf")}}, r"add_ons\['SOC 3'\] must be a non-negative number of dollars, got inf"),
        (
            {"size_bands": {"bands": [{"name": " ", "multiplier": 1}]}},
            "bands.0..name must be a non-empty text, got ' '",
        ),
    ],
)
def test_more_problems_name_the_key(source, message):
    with pytest.raises(FeeScheduleError, match=message):
        load_fees(source)


def test_the_schema_is_the_one_declaration_of_the_file():
    # the packaged file holds every key the schema declares, and nothing else
    assert load_fees() == FeeSchedule._of(FeeFile.model_validate(_packaged_yaml()))
    schema = FeeFile.model_json_schema(by_alias=True)
    assert list(schema["properties"]) == ["currency", "reports", "add_ons", "size_bands"]
    assert list(schema["$defs"]["ReportFees"]["properties"]) == list(REPORT_FEES)
    assert list(schema["$defs"]["AddOnFees"]["properties"]) == list(ADD_ONS)
    assert set(_packaged_yaml()["reports"]) == set(REPORT_FEES) and set(_packaged_yaml()["add_ons"]) == set(ADD_ONS)


def test_values_are_read_as_before():
    fees = load_fees(
        {
            "currency": " EUR ",
            "reports": {"SOC 1 Type 1": 1},
            "size_bands": {
                "default_multiplier": 2,
                "bands": [
                    {"name": " Tiny ", "multiplier": 1, "aliases": [500, 1.5, "x"]},
                    {"name": "Open", "multiplier": 3, "revenue_below": 10**9, "aliases": None},
                ],
            },
        }
    )
    assert fees.currency == "EUR" and fees.reports["SOC 1 Type 1"] == 1.0 and fees.default_multiplier == 2.0
    assert isinstance(fees.reports["SOC 1 Type 1"], float) and isinstance(fees.default_multiplier, float)
    assert fees.bands[0].name == "Tiny" and fees.bands[0].aliases == ("500", "1.5", "x")
    assert fees.bands[1].aliases == () and fees.bands[1].revenue_below == 1e9
    assert list(fees.reports) == list(REPORT_FEES) and list(fees.add_ons) == list(ADD_ONS)


def test_the_default_cannot_be_changed_by_a_caller():
    load_fees()  # read once
    first = load_fees({"reports": {"SOC 1 Type 1": 1}})
    assert first.reports["SOC 1 Type 1"] == 1
    assert load_fees().reports["SOC 1 Type 1"] == 20000


def _packaged_yaml() -> dict:
    from importlib import resources

    import yaml

    return yaml.safe_load((resources.files("socanalysis") / "data" / "fees.yaml").read_text(encoding="utf-8"))


def test_fee_schedule_errors_for_files(tmp_path):
    with pytest.raises(FeeScheduleError, match="there is no file"):
        load_fees(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("reports: [unclosed\n")
    with pytest.raises(FeeScheduleError, match="is not valid YAML"):
        load_fees(bad)
    assert issubclass(FeeScheduleError, RulesError)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        ("Enterprise", "Enterprise"),
        ("enterprise", "Enterprise"),
        ("SMB", "Small"),
        ("< $10M", "Small"),
        ("$10M–$50M", "Mid-market"),
        ("$50M-$250M", "Mid-market"),
        ("$250M–$1B", "Large"),
        ("> $1B", "Enterprise"),
        ("$12M", "Mid-market"),
        ("1.5bn", "Enterprise"),
        (25_000_000, "Mid-market"),
        ("5000000", "Small"),
        ("250", "(default)"),
        (None, "(default)"),
        ("", "(default)"),
        ("huge", "(default)"),
    ],
)
def test_size_bands(value, band):
    names, multipliers = load_fees().size(pd.Series([value], dtype=object))
    assert names.iloc[0] == band
    if band == "(default)":
        assert multipliers.iloc[0] == 1.0
