"""A published month (通报) is frozen: later corrections show as differences, never rewrite it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects.models import PublishedReport
from projects.selectors.published import published_differences
from projects.services.figures import actual_set, report_publish

from ..factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    p = ProjectFactory(code="XM001", name="县城环线")
    AnnualPlanFactory(project=p, year=2026, amount=Decimal("1000.00"))
    MonthlyActualFactory(project=p, year=2026, month=4, amount=Decimal("300.00"))
    return p


def test_publish_freezes_figures_and_shows_later_corrections(drc_user, project):
    report = report_publish(user=drc_user, year=2026, month=4, note="四月通报")
    assert report.version == 1
    assert report.data["progress"]["totals"]["actual_to_date"] == "300.00"
    assert published_differences(report)["changed"] is False

    actual_set(user=drc_user, project=project, year=2026, month=4, amount=Decimal("350.00"), change_reason="更正")
    report.refresh_from_db()
    assert report.data["progress"]["totals"]["actual_to_date"] == "300.00"  # not rewritten
    diff = published_differences(report)
    assert diff["changed"] is True
    assert diff["totals"]["actual_to_date"] == {"published": "300.00", "current": "350.00"}
    assert diff["totals"]["completion_rate"] == {"published": 30.0, "current": 35.0}
    [changed] = diff["projects"]
    assert changed["code"] == "XM001" and "actual_to_date" in changed["fields"]

    again = report_publish(user=drc_user, year=2026, month=4)
    assert again.version == 2 and PublishedReport.objects.filter(year=2026, month=4).count() == 2


def test_only_the_bureau_publishes(staff_user, leader_user, project):
    for user in (staff_user, leader_user):
        with pytest.raises(PermissionDenied):
            report_publish(user=user, year=2026, month=4)
    assert not PublishedReport.objects.exists()


def test_admin_publish_action_and_difference_view(client, drc_user, project):
    from projects.models import ReportingPeriod

    period = ReportingPeriod.objects.create(year=2026, month=4, locked=True)
    client.force_login(drc_user)
    response = client.post(
        reverse("admin:projects_reportingperiod_changelist"),
        {"action": "publish", "_selected_action": [period.pk]},
        follow=True,
    )
    assert response.status_code == 200
    report = PublishedReport.objects.get(year=2026, month=4)
    page = client.get(reverse("admin:projects_publishedreport_change", args=[report.pk]))
    assert page.status_code == 200
    assert "自通报以来数据未发生变化" in page.content.decode()
