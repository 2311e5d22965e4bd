"""Every list costs the same number of queries whatever its length (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import (
    AnnualPlanFactory,
    BottleneckFactory,
    LeaderFactory,
    MonthlyActualFactory,
    ProjectFactory,
    ReportingPeriodFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def make_rows(resource: str, n: int, start: int) -> None:
    """`n` more rows of `resource`, each with its own project, unit and leader where it has them."""
    for i in range(start, start + n):
        if resource == "units":
            UnitFactory()
        elif resource == "leaders":
            LeaderFactory()
        elif resource == "projects":
            AnnualPlanFactory(project=ProjectFactory(), year=2026)
        elif resource == "plans":
            AnnualPlanFactory()
        elif resource == "actuals":
            MonthlyActualFactory()
        elif resource == "bottlenecks":
            BottleneckFactory(unit=UnitFactory())
        elif resource == "periods":
            ReportingPeriodFactory(year=2000 + i // 12, month=i % 12 + 1)


def count_queries(client, url: str, expected_rows: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_rows
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "resource, query",
    [
        ("units", ""),
        ("leaders", ""),
        ("projects", ""),
        ("projects", "year=2026&pipeline=continuing&search=测试"),
        ("plans", ""),
        ("plans", "year=2026"),
        ("actuals", ""),
        ("actuals", "year=2026&month=1"),
        ("bottlenecks", ""),
        ("periods", ""),
    ],
)
@pytest.mark.parametrize("client_name", ["staff", "drc"])
def test_list_query_count_does_not_grow_with_rows(request, client_name, resource, query):
    client = request.getfixturevalue(client_name)
    url = f"/api/{resource}/?page_size=1000&{query}"
    # the staff fixture's unit is a row of /api/units/ too
    base = 1 if (resource, client_name) == ("units", "staff") else 0
    make_rows(resource, 3, 0)
    small = count_queries(client, url, 3 + base)
    make_rows(resource, 57, 3)
    large = count_queries(client, url, 60 + base)
    assert small == large, f"{resource}: {small} queries for 3 rows, {large} for 60"
    assert large <= 5  # token, role, count, rows (+ one for a filter's choice)


def test_history_costs_a_constant_number_of_queries(drc):
    actual = MonthlyActualFactory()
    url = f"/api/actuals/{actual.pk}/history/"
    with CaptureQueriesContext(connection) as few:
        assert len(drc.get(url).json()) == 1
    for amount in range(1, 30):
        drc.patch(f"/api/actuals/{actual.pk}/", {"amount": f"{amount}.00"})
    with CaptureQueriesContext(connection) as many:
        assert len(drc.get(url).json()) == 30
    assert len(few.captured_queries) == len(many.captured_queries)
