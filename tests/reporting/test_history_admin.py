"""Every figure change is visible to the bureau in the admin: who, when, old, new, reason."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import FigureChange, MonthlyActual, SubmissionStatus, UnitSubmission
from projects.services.figures import ActualRow, actual_set, actuals_bulk_set
from tests.clients import client_for
from tests.factories import ProjectFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(drc_user, staff_user, unit):
    """A form-style write by staff, an import by the bureau, then a locked-month fix with a reason."""
    project = ProjectFactory(unit=unit, code="XM-HIST-1")
    actual_set(user=staff_user, project=project, year=2026, month=3, amount=Decimal("100.00"))
    actuals_bulk_set(user=drc_user, rows=[ActualRow(project, 2026, 3, Decimal("120.00"))], change_reason="月报导入")
    ReportingPeriodFactory(year=2026, month=3, locked=True)
    actual_set(
        user=drc_user, project=project, year=2026, month=3, amount=Decimal("125.50"), change_reason="统计核定更正"
    )
    return MonthlyActual.objects.get(project=project, year=2026, month=3)


def test_figure_change_list_shows_old_new_who_and_why(drc_user, changes):
    client = client_for(drc_user)
    response = client.get("/admin/projects/figurechange/")
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(r.previous_amount, r.amount, r.history_user.username, r.history_change_reason) for r in rows] == [
        (Decimal("120.00"), Decimal("125.50"), "bureau", "统计核定更正"),
        (Decimal("100.00"), Decimal("120.00"), "bureau", "月报导入"),
        (None, Decimal("100.00"), "clerk", ""),
    ]
    html = response.content.decode()
    assert "数据修改记录" in html and "统计核定更正" in html and "月报导入" in html


def test_figure_change_list_is_read_only_and_bureau_only(drc_user, staff_user, changes):
    client = client_for(drc_user)
    record = FigureChange.objects.first()
    assert client.get(f"/admin/projects/figurechange/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/projects/figurechange/{record.pk}/change/", {}).status_code == 403
    assert client_for(staff_user).get("/admin/projects/figurechange/").status_code == 302  # not admin staff


def test_figure_change_list_has_constant_queries(drc_user, changes):
    client = client_for(drc_user)
    client.get("/admin/projects/figurechange/")
    project = ProjectFactory()
    for m in range(1, 13):
        actual_set(user=drc_user, project=project, year=2025, month=m, amount=Decimal(m))
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/projects/figurechange/?year=2026")
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/projects/figurechange/")
    assert len(many) == len(few)


def test_the_figures_own_history_page_shows_each_change(drc_user, changes):
    response = client_for(drc_user).get(f"/admin/projects/monthlyactual/{changes.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计核定更正" in html and "120.00" in html and "125.50" in html


def test_submission_admin_shows_the_ledger_with_history(drc_user, unit):
    s = UnitSubmission.objects.create(unit=unit, year=2026, month=3, status=SubmissionStatus.SUBMITTED)
    client = client_for(drc_user)
    assert client.get("/admin/projects/unitsubmission/").status_code == 200
    assert client.get(f"/admin/projects/unitsubmission/{s.pk}/history/").status_code == 200
