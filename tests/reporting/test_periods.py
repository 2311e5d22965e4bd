"""Reporting periods: the bureau opens months, sets deadlines and locks them; history is kept."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ReportingPeriod, SubmissionStatus, UnitSubmission
from tests.clients import client_for
from tests.factories import ReportingPeriodFactory

from .conftest import MONTH, YEAR, entry_url

pytestmark = pytest.mark.django_db


def test_bureau_opens_a_month_with_a_deadline(drc_client, drc_user):
    response = drc_client.post("/reporting/periods/", {"year": 2026, "month": 11, "deadline": "2026-12-10"})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(year=2026, month=11)
    assert not period.locked and period.deadline == dt.date(2026, 12, 10)
    assert period.history.get().history_user == drc_user
    page = drc_client.get("/reporting/periods/?year=2026")
    assert "2026-11" in page.content.decode() and "2026-12-10" in page.content.decode()


def test_the_latest_open_month_is_the_entry_pages_default(staff_client, drc_client, sheet):
    ReportingPeriodFactory(year=2026, month=9, locked=True)
    response = staff_client.get("/reporting/entry/")
    assert (response.context["year"], response.context["month"]) == (YEAR, MONTH)


def test_lock_stops_staff_and_unlock_reopens_with_reasons_in_history(drc_client, staff_client, open_period, sheet):
    url = f"/reporting/periods/{open_period.pk}/"
    assert drc_client.post(url, {"action": "lock", "reason": "10月数据定稿"}).status_code == 302
    open_period.refresh_from_db()
    assert open_period.locked
    assert 'name="p' not in staff_client.get(entry_url()).content.decode()
    drc_client.post(url, {"action": "unlock", "reason": "交通局申请更正"})
    drc_client.post(url, {"action": "deadline", "deadline": "2026-11-15"})
    open_period.refresh_from_db()
    assert not open_period.locked and open_period.deadline == dt.date(2026, 11, 15)
    reasons = list(open_period.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-3:] == ["10月数据定稿", "交通局申请更正", ""]


def test_invalid_period_input_is_refused_with_a_message(drc_client):
    response = drc_client.post("/reporting/periods/", {"year": 2026, "month": 13})
    assert response.status_code == 400
    assert "12" in response.content.decode()
    assert not ReportingPeriod.objects.exists()


def test_only_the_bureau_manages_periods(staff_client, leader_client, open_period):
    for client in (staff_client, leader_client):
        assert client.get("/reporting/periods/").status_code == 403
        assert client.post(f"/reporting/periods/{open_period.pk}/", {"action": "lock"}).status_code == 403
    open_period.refresh_from_db()
    assert not open_period.locked


def test_period_forms_enforce_csrf(drc_user, open_period):
    client = client_for(drc_user, enforce_csrf_checks=True)
    assert client.post(f"/reporting/periods/{open_period.pk}/", {"action": "lock"}).status_code == 403
    assert client.post("/reporting/periods/", {"year": 2026, "month": 11}).status_code == 403
    open_period.refresh_from_db()
    assert not open_period.locked and ReportingPeriod.objects.count() == 1


def test_periods_page_costs_the_same_queries_for_2_or_12_months(drc_client, unit):
    for m in (1, 2):
        ReportingPeriodFactory(year=2025, month=m, deadline=dt.date(2025, m + 1, 10))
        UnitSubmission.objects.create(unit=unit, year=2025, month=m, status=SubmissionStatus.ACCEPTED)
    drc_client.get("/reporting/periods/?year=2025")
    with CaptureQueriesContext(connection) as small:
        drc_client.get("/reporting/periods/?year=2025")
    for m in range(3, 13):
        ReportingPeriodFactory(year=2025, month=m, locked=True)
        UnitSubmission.objects.create(unit=unit, year=2025, month=m, status=SubmissionStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as large:
        response = drc_client.get("/reporting/periods/?year=2025")
    assert len(response.context["rows"]) == 12 and response.context["rows"][0]["reported"] == 1
    assert len(large) == len(small)
