"""The admin is usable by the bureau, in Chinese, with history visible."""

import pytest
from django.urls import reverse

from .factories import AnnualPlanFactory, MonthlyActualFactory

pytestmark = pytest.mark.django_db


def test_admin_project_pages_in_chinese_with_filters_and_inlines(client, drc_user):
    plan = AnnualPlanFactory(year=2026, pipeline="new")
    MonthlyActualFactory(project=plan.project, year=2026, month=2)
    client.force_login(drc_user)
    changelist = client.get(reverse("admin:projects_project_changelist"), {"plan_year": "2026", "q": plan.project.code})
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert "重点项目" in html and plan.project.name in html
    assert "项目类别" in html  # the pipeline filter
    change = client.get(reverse("admin:projects_project_change", args=[plan.project.pk]))
    assert change.status_code == 200
    assert "年度计划" in change.content.decode() and "月度完成投资" in change.content.decode()
    history = client.get(reverse("admin:projects_project_history", args=[plan.project.pk]))
    assert history.status_code == 200


def test_admin_refuses_staff_users(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
