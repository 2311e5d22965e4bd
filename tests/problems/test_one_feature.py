"""One bottleneck feature: both pages count "open" and "overdue" by the one rule, and every
write path (page, API, admin) goes through services.bottlenecks."""

import datetime as dt

import pytest
from django.utils import timezone

from projects.history import history_entries
from projects.models import Bottleneck
from tests.factories import BottleneckFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_both_pages_agree_on_open_and_overdue(leader_client):
    BottleneckFactory(category="funding", raised=ago(10), due=ago(1))  # overdue
    BottleneckFactory(category="funding", raised=ago(10), due=TODAY)  # due today: not overdue yet
    BottleneckFactory(category="funding", raised=ago(10))  # no due date: never overdue
    BottleneckFactory(category="funding", raised=ago(10), due=ago(2), resolved=ago(1), resolution="已解决")
    dashboard = leader_client.get("/lists/bottlenecks/")
    log = leader_client.get("/bottlenecks/")
    funding = next(c for c in dashboard.context["categories"] if c.category == "funding")
    assert (funding.open, funding.overdue) == (3, 1)
    assert [b.overdue for b in dashboard.context["items"]] == [True, False, False]
    summary = next(s for s in log.context["summary"] if s.category == "funding")
    assert (summary.open, summary.overdue) == (3, 1)


def test_the_api_reports_a_constraint_under_its_field_from_the_model(staff_client, unit):
    project = ProjectFactory(unit=unit)
    response = staff_client.post(
        "/api/bottlenecks/",
        {"project": project.pk, "category": "funding", "description": "x", "raised": "2026-05-01", "due": "2026-04-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["due"]
    assert not Bottleneck.objects.exists()


def test_the_admin_saves_through_the_service(drc_client, drc_user):
    project = ProjectFactory()
    response = drc_client.post(
        "/admin/projects/bottleneck/add/",
        {"project": project.pk, "category": "funding", "description": "资金未到位", "raised": "2026-05-01",
         "due": "2026-04-01", "level": "unit"},
    )  # fmt: skip
    assert response.status_code == 200 and not Bottleneck.objects.exists()  # the model's rule, on its field
    assert "限办日期不能早于提出日期" in response.content.decode()
    response = drc_client.post(
        "/admin/projects/bottleneck/add/",
        {
            "project": project.pk,
            "category": "funding",
            "description": "资金未到位",
            "raised": "2026-05-01",
            "level": "unit",
        },
    )
    assert response.status_code == 302
    assert history_entries(Bottleneck.objects.get())[0]["user"] == drc_user.username
