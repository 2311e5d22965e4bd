"""API list pages read with values() and written by orjson give byte for byte what the serializers gave.

Each list endpoint is fetched twice, the new way and the old way (the viewset's serializer over
model instances, rendered by DRF's JSONRenderer), on rows that exercise every format: amounts
with and without cents, missing dates and leaders, resolved and open bottlenecks, choice labels
in both languages, characters JSON escapes, filters and a second page.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from projects.api import fastlists
from projects.choices import Pipeline, UnitKind
from projects.models import MonthlyActual, Project
from tests.clients import token_client

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

URLS = [
    "/api/units/",
    "/api/leaders/",
    "/api/projects/",
    "/api/projects/?page_size=3&page=2",
    "/api/projects/?year=2026",
    "/api/plans/",
    "/api/plans/?year=2026&pipeline=new",
    "/api/actuals/",
    "/api/actuals/?year=2026&month=2",
    "/api/actuals/?page_size=2&page=3",
    "/api/bottlenecks/",
    "/api/bottlenecks/?open=true",
    "/api/periods/",
]


@pytest.fixture
def registry(unit):
    town = UnitFactory(name='乡镇 "东" \\ 镇', kind=UnitKind.TOWNSHIP, contact_person="张三", contact_phone="0000")
    dept = unit  # the staff user's unit
    leader = LeaderFactory(name="王县长\u2028", rank=2)
    projects = [
        ProjectFactory(code="P-01", name="道路\n改造", unit=town, leader=leader, total_investment=Decimal("0.00")),
        ProjectFactory(code="P-02", unit=dept, leader=None, total_investment=Decimal("12345678901.5"),
                       planned_start=datetime.date(2026, 3, 1), actual_start=datetime.date(2026, 4, 15)),
        ProjectFactory(code="P-03", unit=dept, leader=leader, archived=True, content="<b>\u2029</b>"),
        *[ProjectFactory(unit=dept) for _ in range(5)],
    ]  # fmt: skip
    Project.objects.filter(pk=projects[0].pk).update(
        created_at=datetime.datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=datetime.UTC)
    )
    for i, p in enumerate(projects):
        AnnualPlanFactory(project=p, year=2026, pipeline=Pipeline.NEW if i % 2 else Pipeline.CONTINUING,
                          amount=Decimal(i) * Decimal("100.10"))  # fmt: skip
        for m in (1, 2):
            MonthlyActualFactory(project=p, year=2026, month=m, amount=Decimal(i) + Decimal("0.05") * m,
                                 progress="主体施工" if m == 2 else "", problems="资金\t未到位")  # fmt: skip
    MonthlyActual.objects.filter(project=projects[1], month=1).update(updated_at=timezone.now())
    BottleneckFactory(project=projects[0], unit=None)
    BottleneckFactory(project=projects[1], unit=dept, raised=datetime.date(2026, 4, 1), due=datetime.date(2026, 5, 1),
                      resolved=datetime.date(2026, 6, 2), resolution="已解决")  # fmt: skip
    ReportingPeriodFactory(year=2026, month=1, locked=True, deadline=datetime.date(2026, 2, 5))
    ReportingPeriodFactory(year=2026, month=2)
    return projects


def old_way(monkeypatch):
    monkeypatch.setattr(fastlists, "plan", lambda serializer: None)
    monkeypatch.setattr(fastlists.FastJSONRenderer, "render", JSONRenderer.render)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_list_endpoint_gives_the_same_bytes(registry, drc_user, monkeypatch, language):
    client = token_client(drc_user)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    new = {url: client.get(url, **headers) for url in URLS}
    old_way(monkeypatch)
    for url in URLS:
        old = client.get(url, **headers)
        assert old.status_code == new[url].status_code == 200, url
        assert new[url]["Content-Type"] == old["Content-Type"]
        assert new[url].content == old.content, url
        assert new[url].json()["count"] > 0, url


def test_staff_see_the_same_rows_and_fields(registry, staff_user, monkeypatch):
    client = token_client(staff_user)
    new = client.get("/api/actuals/").content
    old_way(monkeypatch)
    assert new == client.get("/api/actuals/").content


def test_the_new_way_is_used(registry, drc_user):
    """Formats checked by hand: the list is not read through model instances."""
    client = token_client(drc_user)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/projects/?page_size=2").json()
    first = body["results"][0]
    assert first["code"] == "P-01" and first["total_investment"] == "0.00" and first["leader"] is not None
    assert first["created_at"] == "2026-01-01T08:00:00.123456+08:00"
    second = body["results"][1]
    assert second["total_investment"] == "12345678901.50" and second["leader_name"] is None
    assert second["planned_start"] == "2026-03-01"
    selects = [q["sql"] for q in ctx.captured_queries if "code" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(selects) == 1 and "unit_id" in selects[0]
    assert "contact_phone" not in selects[0]  # the serializers read whole units; a page reads only names
    assert client.get("/api/bottlenecks/?open=true").json()["results"][0]["is_open"] is True


def test_a_list_costs_the_same_queries_at_any_length(registry, drc_user):
    client = token_client(drc_user)

    def count(size):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/actuals/?page_size={size}").status_code == 200
        return len(ctx.captured_queries)

    assert count(2) == count(16)
