"""Fee schedules: the default, overrides from a dict or a file, errors that name the key, size bands."""

import pandas as pd
import pytest

from socanalysis.errors import RulesError
from socanalysis.portfolio.fees import FeeSchedule, FeeScheduleError, load_fees


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
