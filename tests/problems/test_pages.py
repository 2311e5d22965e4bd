"""Problem pages: one problem with notes, instructions and resolve; the lists by group with counts
checked by hand, sorted and paginated in SQL at a constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Bottleneck, BottleneckInstruction, BottleneckUpdate
from tests.clients import client_for
from tests.factories import BottleneckFactory, LeaderFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_the_problem_page_loop(staff_client, leader_client, other_staff_user, drc_client, unit):
    b = BottleneckFactory(project=ProjectFactory(unit=unit), raised=ago(20), due=ago(2))
    page = leader_client.get(f"/bottlenecks/{b.pk}/")
    assert page.status_code == 200 and "超期" in page.content.decode()
    assert leader_client.post(f"/bottlenecks/{b.pk}/instructions/", {"text": "限一周内解决"}).status_code == 302
    assert leader_client.post(f"/bottlenecks/{b.pk}/notes/", {"text": "x"}).status_code == 403
    assert client_for(other_staff_user).post(f"/bottlenecks/{b.pk}/notes/", {"text": "x"}).status_code == 403
    assert staff_client.post(f"/bottlenecks/{b.pk}/instructions/", {"text": "x"}).status_code == 403
    assert staff_client.post(f"/bottlenecks/{b.pk}/notes/", {"text": "已入户3次"}).status_code == 302
    html = staff_client.get(f"/bottlenecks/{b.pk}/").content.decode()
    assert "限一周内解决" in html and "已入户3次" in html  # the unit's staff see the instruction
    leader = LeaderFactory(name="赵副县长")
    response = staff_client.post(
        f"/bottlenecks/{b.pk}/handling/",
        {"owner": "王股长", "leader": leader.pk, "level": "meeting", "measures": "提请专题会", "due": ""},
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert (b.owner, b.leader, b.level, b.measures, b.due) == ("王股长", leader, "meeting", "提请专题会", None)
    bad = staff_client.post(f"/bottlenecks/{b.pk}/handling/", {"level": "meeting", "measures": "字" * 2001})
    assert bad.status_code == 400 and "2000" in bad.content.decode()
    assert drc_client.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": ""}).status_code == 302
    b.refresh_from_db()
    assert b.resolved is None
    drc_client.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": "专题会协调解决"})
    b.refresh_from_db()
    assert (b.resolved, b.resolution) == (TODAY, "专题会协调解决")
    assert BottleneckUpdate.objects.count() == 1 and BottleneckInstruction.objects.count() == 1
    assert b.history.count() == 3  # raised, handling changed, resolved


def test_lists_by_group_count_by_hand(leader_client):
    water, roads = UnitFactory(name="县水利局"), UnitFactory(name="县交通局")
    li = LeaderFactory(name="李副县长")
    BottleneckFactory(unit=water, leader=li, level="leader", category="funding", raised=ago(30), due=ago(1))
    BottleneckFactory(unit=water, leader=li, level="leader", category="funding", raised=ago(30), due=TODAY)
    BottleneckFactory(unit=water, category="approvals", raised=ago(30), resolved=ago(20))  # 10 days
    BottleneckFactory(unit=roads, level="meeting", category="funding", raised=ago(40), resolved=ago(15))  # 25 days
    rows = {r["label"]: r for r in leader_client.get("/bottlenecks/by/unit/").context["rows"]}
    w, r = rows["县水利局"], rows["县交通局"]
    assert (w["total"], w["open"], w["overdue"], w["avg"]) == (3, 2, 1, 10.0)
    assert (r["total"], r["open"], r["overdue"], r["avg"]) == (1, 0, 0, 25.0)
    rows = {r["label"]: r for r in leader_client.get("/bottlenecks/by/category/").context["rows"]}
    assert (rows["资金"]["total"], rows["资金"]["open"], rows["资金"]["overdue"], rows["资金"]["avg"]) == (
        3,
        2,
        1,
        25.0,
    )
    rows = {r["label"]: r for r in leader_client.get("/bottlenecks/by/level/").context["rows"]}
    assert {k: v["total"] for k, v in rows.items()} == {"单位": 1, "县级领导": 2, "专题协调会": 1}
    rows = leader_client.get("/bottlenecks/by/leader/").context["rows"]
    assert [(r["label"], r["open"]) for r in rows] == [("李副县长", 2), ("", 0)]
    by_avg = leader_client.get("/bottlenecks/by/unit/", {"sort": "avg_days", "dir": "asc"}).context["rows"]
    assert [r["label"] for r in by_avg] == ["县水利局", "县交通局"]
    assert leader_client.get("/bottlenecks/by/nothing/").status_code == 404


@pytest.mark.parametrize("path", ["/bottlenecks/by/unit/", "/bottlenecks/by/leader/", "/bottlenecks/by/category/"])
def test_group_lists_cost_the_same_at_10_and_many(leader_client, path):
    def build(n):
        for _ in range(n):
            BottleneckFactory(unit=UnitFactory(), leader=LeaderFactory(), raised=ago(5), due=ago(1))

    build(10)
    leader_client.get(path)
    with CaptureQueriesContext(connection) as small:
        assert leader_client.get(path, {"page_size": 10}).status_code == 200
    build(60)
    with CaptureQueriesContext(connection) as large:
        response = leader_client.get(path, {"page_size": 10, "page": 2})
    assert len(small) == len(large)
    assert len(response.context["rows"]) == 10 or path.endswith("category/")


def test_problem_page_costs_the_same_with_many_notes(staff_client, unit, staff_user):
    b = BottleneckFactory(project=ProjectFactory(unit=unit))
    staff_client.post(f"/bottlenecks/{b.pk}/notes/", {"text": "1"})
    staff_client.get(f"/bottlenecks/{b.pk}/")
    with CaptureQueriesContext(connection) as small:
        staff_client.get(f"/bottlenecks/{b.pk}/")
    for i in range(20):
        staff_client.post(f"/bottlenecks/{b.pk}/notes/", {"text": str(i)})
    with CaptureQueriesContext(connection) as large:
        staff_client.get(f"/bottlenecks/{b.pk}/")
    assert len(small) == len(large)
    assert Bottleneck.objects.count() == 1
