import pytest

from lib.contract.quarters import parse_quarter, previous, quarter_label, quarter_of_date, shift, year_earlier


@pytest.mark.parametrize("text", ["2024Q1", "2024q1", "2024-Q1", " 2024 Q1 "])
def test_parse_quarter_accepts_what_staff_type(text):
    assert parse_quarter(text) == "2024Q1"


@pytest.mark.parametrize("text", ["2024Q5", "24Q1", "2024", "Q1 2024", ""])
def test_parse_quarter_refuses_other_text(text):
    assert parse_quarter(text) is None


def test_comparisons_cross_year_boundaries():
    assert previous("2024Q1") == "2023Q4"
    assert year_earlier("2024Q1") == "2023Q1"
    assert shift("2023Q4", 1) == "2024Q1"


def test_quarter_of_date():
    assert quarter_of_date(2023, 7) == "2023Q3"
    assert quarter_of_date(2024, 3) == "2024Q1"


def test_quarter_label_in_both_languages():
    assert quarter_label("2024Q1", "zh") == "2024年一季度"
    assert quarter_label("2024Q1", "en") == "2024 Q1"
