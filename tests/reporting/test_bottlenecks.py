"""Bottlenecks (卡点): raised by staff on their projects, seen by category and age, closed by a resolution."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.history import history_entries
from projects.models import Bottleneck
from tests.clients import client_for
from tests.factories import BottleneckFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_staff_raise_a_bottleneck_on_their_units_project(staff_client, staff_user, unit, other_unit):
    project = ProjectFactory(unit=unit)
    due = TODAY + dt.timedelta(days=20)
    response = staff_client.post(
        "/bottlenecks/new/",
        {"project": project.pk, "category": "land_acquisition", "description": "3户未签征收协议", "unit": other_unit.pk,
         "due": due.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    b = Bottleneck.objects.get()
    assert (b.project, b.category, b.unit, b.due, b.raised, b.resolved) == (
        project, "land_acquisition", other_unit, due, TODAY, None
    )  # fmt: skip
    assert history_entries(b)[0]["user"] == staff_user.username


def test_staff_cannot_raise_on_another_units_project_and_leaders_not_at_all(
    staff_client, leader_client, unit, other_unit
):
    ProjectFactory(unit=unit)
    foreign = ProjectFactory(unit=other_unit)
    page = staff_client.get("/bottlenecks/new/")
    assert foreign.code not in page.content.decode()  # not among the projects they may choose
    response = staff_client.post(
        "/bottlenecks/new/", {"project": foreign.pk, "category": "funding", "description": "x"}
    )
    assert response.status_code == 403
    assert leader_client.get("/bottlenecks/new/").status_code == 403
    assert leader_client.post("/bottlenecks/new/", {"project": foreign.pk, "category": "funding"}).status_code == 403
    assert not Bottleneck.objects.exists()


def test_bad_input_is_named_in_chinese(staff_client, unit):
    project = ProjectFactory(unit=unit)
    response = staff_client.post(
        "/bottlenecks/new/",
        {"project": project.pk, "category": "nonsense", "description": "", "due": days_ago(1).isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "限办日期不能早于今天" in html and "该字段是必填项" in html
    assert not Bottleneck.objects.exists()


def test_open_ones_by_category_and_age_with_overdue_flagged(leader_client):
    BottleneckFactory(category="land_acquisition", raised=days_ago(10), due=days_ago(1))  # recent, overdue
    BottleneckFactory(category="land_acquisition", raised=days_ago(45), due=TODAY)  # 31-90, due today: not overdue
    BottleneckFactory(category="funding", raised=days_ago(120))  # over 90 days, no due date
    BottleneckFactory(category="funding", raised=days_ago(200), resolved=days_ago(5), resolution="已拨付")
    response = leader_client.get("/bottlenecks/")
    assert response.status_code == 200
    summary = {s.category: (s.open, s.recent, s.middle, s.old, s.overdue) for s in response.context["summary"]}
    assert summary["land_acquisition"] == (2, 1, 1, 0, 1)
    assert summary["funding"] == (1, 0, 0, 1, 0)
    assert summary["approvals"] == (0, 0, 0, 0, 0)
    total = response.context["total"]
    assert (total.open, total.overdue) == (3, 1)
    listed = list(response.context["page"].object_list)
    assert len(listed) == 3  # open ones by default, oldest first
    assert [b.age for b in listed] == [120, 45, 10]
    assert [b.overdue for b in listed] == [False, False, True]
    assert "征迁" in response.content.decode() and "超期" in response.content.decode()
    everything = leader_client.get("/bottlenecks/?open=")
    assert len(everything.context["page"].object_list) == 4


def test_resolution_closes_it_for_the_projects_unit_only(staff_client, other_staff_user, unit):
    b = BottleneckFactory(project=ProjectFactory(unit=unit), raised=days_ago(3))
    other = client_for(other_staff_user)
    assert other.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": "已解决"}).status_code == 403
    response = staff_client.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": "县政府专题会议协调解决"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.resolved == TODAY and b.resolution == "县政府专题会议协调解决"
    assert history_entries(b)[-1]["new"]["resolution"] == "县政府专题会议协调解决"


def test_resolve_needs_a_resolution_and_csrf(staff_user, unit):
    b = BottleneckFactory(project=ProjectFactory(unit=unit), raised=days_ago(3))
    client = client_for(staff_user, enforce_csrf_checks=True)
    assert client.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": "x"}).status_code == 403
    token = client.get("/bottlenecks/").context["csrf_token"]
    client.post(f"/bottlenecks/{b.pk}/resolve/", {"resolution": " ", "csrfmiddlewaretoken": token})
    b.refresh_from_db()
    assert b.resolved is None
    response = client.post(
        f"/bottlenecks/{b.pk}/resolve/",
        {"resolution": "已办结", "csrfmiddlewaretoken": token, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/bottlenecks/"
    b.refresh_from_db()
    assert b.resolved == TODAY


def test_list_costs_the_same_queries_for_3_or_30_bottlenecks(drc_user):
    client = client_for(drc_user)
    BottleneckFactory.create_batch(3, raised=days_ago(5))
    client.get("/bottlenecks/")
    with CaptureQueriesContext(connection) as small:
        client.get("/bottlenecks/")
    BottleneckFactory.create_batch(27, raised=days_ago(5))
    with CaptureQueriesContext(connection) as large:
        response = client.get("/bottlenecks/")
    assert len(response.context["page"].object_list) == 30
    assert len(large) == len(small)
