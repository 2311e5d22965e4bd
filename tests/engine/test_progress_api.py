"""GET /api/progress/ exactly as SPEC section 6 gives it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.choices import Pipeline

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/progress/"


@pytest.fixture
def registry():
    u1, u2 = UnitFactory(name="县水利局"), UnitFactory(name="城关镇")
    for unit, plan, done, pipeline in [
        (u1, "1000.00", "400.00", Pipeline.CONTINUING),
        (u1, "500.00", "50.00", Pipeline.NEW),
        (u2, "0.00", "0.00", Pipeline.PLANNED),
    ]:
        p = ProjectFactory(unit=unit, stage="prephase" if pipeline == Pipeline.PLANNED else "construction")
        AnnualPlanFactory(project=p, year=2026, pipeline=pipeline, amount=Decimal(plan))
        MonthlyActualFactory(project=p, year=2026, month=3, amount=Decimal(done))
    return u1, u2


def test_requires_login(client):
    response = client.get(URL, {"year": 2026, "month": 3})
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


@pytest.mark.parametrize(
    "params, field",
    [
        ({"month": 3}, "year"),
        ({"year": 2026}, "month"),
        ({"year": 2026, "month": 13}, "month"),
        ({"year": 2026, "month": 0}, "month"),
        ({"year": 1999, "month": 3}, "year"),
        ({"year": "abc", "month": 3}, "year"),
        ({"year": 2026, "month": 3, "group_by": "colour"}, "group_by"),
        ({"year": 2026, "month": 3, "pipeline": "someday"}, "pipeline"),
        ({"year": 2026, "month": 3, "unit": 999999}, "unit"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(client, leader_user, params, field):
    client.force_login(leader_user)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_totals_and_groups_shape_and_values(client, leader_user, registry):
    u1, _u2 = registry
    client.force_login(leader_user)
    data = client.get(URL, {"year": 2026, "month": 3, "group_by": "unit"}).json()
    assert data["year"] == 2026 and data["month"] == 3 and data["time_elapsed_rate"] == 25.0
    totals = data["totals"]
    # (400 + 50) / (1000 + 500 + 0) = 30 %, gap +5 → normal; project gaps +15 (ahead), −15 (warning);
    # the one planned project is still in pre-phase
    assert totals == {
        "projects": 3,
        "annual_plan": "1500.00",
        "actual_to_date": "450.00",
        "completion_rate": 30.0,
        "gap_points": 5.0,
        "status": "normal",
        "yoy_points": None,
        "status_counts": {"ahead": 1, "normal": 0, "warning": 1, "lagging": 0},
        "prephase_rate": 0.0,
        # SPEC section 10: no milestones, no new-build start due by March.
        "time_elapsed_rate": 25.0,
        "node_rate": None,
        "overdue_milestones": 0,
        "new_start_rate": None,
    }
    groups = {g["label"]: g for g in data["groups"]}
    assert groups["县水利局"]["key"] == u1.pk and groups["县水利局"]["completion_rate"] == 30.0
    assert groups["城关镇"]["completion_rate"] is None and groups["城关镇"]["status"] is None


def test_project_filters_apply(client, drc_user, registry):
    u1, _u2 = registry
    client.force_login(drc_user)
    data = client.get(URL, {"year": 2026, "month": 3, "unit": u1.pk, "pipeline": "new"}).json()
    assert data["totals"]["projects"] == 1 and data["totals"]["actual_to_date"] == "50.00"


def test_query_count_does_not_grow(client, leader_user, registry):
    client.force_login(leader_user)
    client.get(URL, {"year": 2026, "month": 3})

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"year": 2026, "month": 3, "group_by": "unit"}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for _ in range(20):
        p = ProjectFactory()
        AnnualPlanFactory(project=p, year=2026)
        MonthlyActualFactory(project=p, year=2026, month=2)
    assert queries() == before
