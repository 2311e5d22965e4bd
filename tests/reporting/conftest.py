"""Fixtures of the monthly reporting tests: a unit's sheet for 2026-10, in Chinese."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory, ReportingPeriodFactory

YEAR, MONTH = 2026, 10


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def make_projects(unit, n: int, plan: str = "1200.00", total: str = "10000.00"):
    """n projects of `unit` on the 2026 list, each with 100.00 in each of months 1-9 of 2026."""
    projects = []
    for _i in range(n):
        p = ProjectFactory(unit=unit, total_investment=Decimal(total))
        AnnualPlanFactory(project=p, year=YEAR, amount=Decimal(plan))
        for m in range(1, MONTH):
            MonthlyActualFactory(project=p, year=YEAR, month=m, amount=Decimal("100.00"), progress=f"第{m}月进展")
        projects.append(p)
    return projects


@pytest.fixture
def open_period(db):
    return ReportingPeriodFactory(year=YEAR, month=MONTH, locked=False, deadline=dt.date(2026, 11, 10))


@pytest.fixture
def sheet(unit, open_period):
    return make_projects(unit, 3)


def entry_url(unit=None, year=YEAR, month=MONTH) -> str:
    query = f"year={year}&month={month}"
    if unit is not None:
        query += f"&unit={unit.pk}"
    return f"/reporting/entry/?{query}"


def form_data(response, **overrides) -> dict:
    """The entry form as the browser would post it unchanged, with `overrides` applied."""
    form = response.context["items"]
    data = {}
    for item in form:
        f = item.form
        for name, field in f.fields.items():
            value = f[name].value()
            data[f.add_prefix(name)] = "" if value is None else str(value)
            if field.show_hidden_initial:
                key = f.add_initial_prefix(name)
                # a re-rendered form carries forward the initial values it was posted with
                initial = f.data[key] if f.is_bound and key in f.data else value
                data[key] = "" if initial is None else str(initial)
    data.update({k: str(v) for k, v in overrides.items()})
    return data
