"""The engine's statements are built once per set of arguments and reused: never for other arguments."""

from fractions import Fraction

import pytest
from django.db.models import F

from projects.selectors.metrics import Thresholds
from projects.selectors.sql import grouped_sql, memo_sql

THRESHOLDS = Thresholds(Fraction(10), Fraction(-10), Fraction(-20))


def test_same_arguments_build_once_other_arguments_build_again():
    calls = []

    @memo_sql
    def build(*, year, filters):
        calls.append((year, filters))
        return f"SELECT {year}", [year, *sorted(filters.get("project_ids", []))]

    assert build(year=2026, filters={"project_ids": [3, 1]}) == ("SELECT 2026", [2026, 1, 3])
    sql, params = build(year=2026, filters={"project_ids": [3, 1]})
    params.append("changed by a caller")  # a caller's list is its own
    assert build(year=2026, filters={"project_ids": [3, 1]}) == ("SELECT 2026", [2026, 1, 3])
    assert len(calls) == 1
    build(year=2026, filters={"project_ids": [3, 2]})
    build(year=2025, filters={"project_ids": [3, 1]})
    build(year=2026, filters={"project_ids": [3, 1], "unit": 5})
    assert len(calls) == 4
    build(year=2026, filters={"unhashable": bytearray(b"x")})  # not hashable: built each time
    build(year=2026, filters={"unhashable": bytearray(b"x")})
    assert len(calls) == 6


@pytest.mark.django_db
def test_engine_statements_differ_by_every_argument_that_changes_them():
    base = {
        "year": 2026, "month": 6, "filters": {}, "schedule": Fraction(1, 2), "thresholds": THRESHOLDS,
        "key": None, "cumulative": False, "light": False, "worst": None, "paced": False, "months": False,
    }  # fmt: skip
    changes = {
        "year": 2025, "month": 7, "filters": {"unit": 3}, "schedule": Fraction(7, 12),
        "thresholds": Thresholds(Fraction(5), Fraction(-5), Fraction(-20)), "key": F("project__unit_id"),
        "cumulative": True, "light": True, "worst": (("lagging",), 10), "paced": True, "months": True,
    }  # fmt: skip
    first = grouped_sql(**base)
    assert grouped_sql(**base) == first
    for name, value in changes.items():
        assert grouped_sql(**{**base, name: value}) != first, name
    grouped_sql.memo.clear()
    assert grouped_sql(**base) == first  # built afresh, the same statement
