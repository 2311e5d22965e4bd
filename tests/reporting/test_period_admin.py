"""The reporting-period admin writes through the period service: bureau only, who and why in the history.

Each test drives the admin as a browser would (the change form, the change list's editable columns,
the delete action) and checks what the service leaves: the history row with the reason typed in the
admin, no history row for a save that changes nothing, and the service's refusal for anyone but the bureau.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from projects.choices import Role
from projects.models import ReportingPeriod
from tests.clients import client_for
from tests.factories import ReportingPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "只有县发改局可以管理填报期。"  # "Only the development and reform bureau manages reporting periods."
DELETE_REFUSAL = "只有县发改局可以删除记录。"  # "Only the development and reform bureau can delete records."
CHANGELIST = reverse("admin:projects_reportingperiod_changelist")


def change_url(period) -> str:
    return reverse("admin:projects_reportingperiod_change", args=[period.pk])


def changelist_post(*rows) -> dict:
    """The change list's editable columns as the browser posts them: (period, locked, deadline) per row."""
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, (period, locked, deadline) in enumerate(rows):
        data[f"form-{i}-id"] = str(period.pk)
        data[f"form-{i}-deadline"] = deadline
        if locked:
            data[f"form-{i}-locked"] = "on"
    return data


def history(period) -> list[tuple]:
    """(type, username, reason) of every history row of the period, oldest first."""
    return [
        (h.history_type, h.history_user.username if h.history_user else None, h.history_change_reason)
        for h in period.history.order_by("history_id")
    ]


@pytest.fixture
def period(db):
    # Made by the factory, so it has no history row: every row below is the admin's.
    period = ReportingPeriodFactory(year=2026, month=10, locked=False, deadline=dt.date(2026, 11, 10))
    period.history.all().delete()
    return period


@pytest.fixture
def admin_clerk(unit):
    """A unit's clerk whom someone let into the admin with every permission on periods: not the bureau."""
    user = UserFactory(username="clerk-admin", role=Role.STAFF, unit=unit, is_staff=True)
    codenames = ["view_reportingperiod", "change_reportingperiod", "add_reportingperiod", "delete_reportingperiod"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def test_change_form_locks_with_the_reason_in_the_history(drc_client, period):
    response = drc_client.post(
        change_url(period), {"locked": "on", "deadline": "2026-11-10", "change_reason": "10月数据定稿", "_save": "保存"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    period.refresh_from_db()
    assert period.locked and period.deadline == dt.date(2026, 11, 10)
    assert history(period) == [("~", "bureau", "10月数据定稿")]


def test_change_form_saved_unchanged_writes_no_history_row(drc_client, period):
    response = drc_client.post(change_url(period), {"deadline": "2026-11-10", "change_reason": "", "_save": "保存"})
    assert response.status_code == 302
    assert history(period) == []


def test_change_form_keeps_the_month_fixed(drc_client, period):
    drc_client.post(change_url(period), {"year": "2027", "month": "3", "deadline": "2026-11-20", "_save": "保存"})
    assert list(ReportingPeriod.objects.values_list("year", "month", "deadline")) == [(2026, 10, dt.date(2026, 11, 20))]


def test_add_form_opens_a_month_through_the_service(drc_client, db):
    response = drc_client.post(
        reverse("admin:projects_reportingperiod_add"),
        {"year": "2026", "month": "11", "deadline": "2026-12-10", "change_reason": "开启11月", "_save": "保存"},
    )
    assert response.status_code == 302
    added = ReportingPeriod.objects.get(year=2026, month=11)
    assert not added.locked and added.deadline == dt.date(2026, 12, 10)
    assert history(added) == [("+", "bureau", "开启11月")]


def test_change_list_columns_go_through_the_service(drc_client, period):
    other = ReportingPeriodFactory(year=2026, month=9, locked=False, deadline=dt.date(2026, 10, 10))
    other.history.all().delete()
    # Rows in the list's order (latest month first): lock October, leave September as it was.
    response = drc_client.post(CHANGELIST, changelist_post((period, True, "2026-11-12"), (other, False, "2026-10-10")))
    assert response.status_code == 302, response.content.decode()[:2000]
    period.refresh_from_db()
    assert period.locked and period.deadline == dt.date(2026, 11, 12)
    assert history(period) == [("~", "bureau", "")]
    assert history(other) == []


def test_change_form_refuses_anyone_but_the_bureau_with_the_services_message(admin_clerk, period):
    response = client_for(admin_clerk).post(
        change_url(period), {"locked": "on", "deadline": "2026-11-10", "change_reason": "锁定", "_save": "保存"}
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    period.refresh_from_db()
    assert not period.locked and history(period) == []


def test_change_list_refuses_anyone_but_the_bureau_with_the_services_message(admin_clerk, period):
    response = client_for(admin_clerk).post(CHANGELIST, changelist_post((period, True, "2026-11-10")))
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    period.refresh_from_db()
    assert not period.locked and history(period) == []


def test_delete_goes_through_the_record_service(drc_client, admin_clerk, period):
    refused = client_for(admin_clerk).post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [period.pk], "post": "yes"}
    )
    assert refused.status_code == 403 and DELETE_REFUSAL in refused.content.decode()
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()

    done = drc_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [period.pk], "post": "yes"})
    assert done.status_code == 302
    assert not ReportingPeriod.objects.filter(pk=period.pk).exists()
    assert history(period) == [("-", "bureau", "")]
