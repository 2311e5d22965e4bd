"""Reading single cells: amounts (two decimals, noise rounded away), whole numbers, dates and choices."""

import datetime as dt
from decimal import Decimal

import pytest

from projects.choices import Pipeline, Sector
from projects.reports.cells import CellError, ChoiceReader, parse_amount, parse_date, parse_int, parse_text


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("  ", None),
        (0, Decimal("0.00")),
        (12, Decimal("12.00")),
        (1234.5, Decimal("1234.50")),
        (0.1 + 0.2, Decimal("0.30")),  # 0.30000000000000004
        (100.0000001, Decimal("100.00")),  # noise below 1e-6
        (999999999999.99, Decimal("999999999999.99")),
    ],
)
def test_amounts(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    "value",
    [1.234, 1.001, 0.005, -0.01, -5, "100", "一百", True, dt.date(2026, 1, 1), float("nan"), float("inf"), 1e13],
)
def test_bad_amounts(value):
    with pytest.raises(CellError):
        parse_amount(value)


def test_whole_numbers():
    kwargs = {"low": 1, "high": 12, "message": "bad"}
    assert parse_int(3, **kwargs) == 3 and parse_int(3.0, **kwargs) == 3 and parse_int(None, **kwargs) is None
    for value in (0, 13, 2.5, "3", True):
        with pytest.raises(CellError):
            parse_int(value, **kwargs)


def test_dates_and_texts():
    assert parse_date(dt.datetime(2026, 3, 1, 0, 0)) == dt.date(2026, 3, 1)
    for text in ("2026-03-01", "2026/3/1", "2026年3月1日", "2026.3.1"):
        assert parse_date(text) == dt.date(2026, 3, 1)
    for text in ("2026-02-30", "下月"):
        with pytest.raises(CellError):
            parse_date(text)
    assert parse_text(20260001.0) == "20260001" and parse_text("  X1 ") == "X1" and parse_text(None) == ""


def test_choices_by_code_chinese_or_english_label():
    pipeline = ChoiceReader(Pipeline)
    assert (
        pipeline("续建") == pipeline("continuing") == pipeline("Continuing") == pipeline(" 续建项目 ") == "continuing"
    )
    assert pipeline("储备") == "planned" and pipeline(None) is None
    assert ChoiceReader(Sector)("社会事业") == "social"
    with pytest.raises(CellError, match="续建、新建、谋划"):
        pipeline("明年")
