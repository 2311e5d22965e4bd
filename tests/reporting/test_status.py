"""The bureau's reporting status: who has not reported (with contacts), return and accept, on-time rates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import SubmissionStatus, UnitSubmission
from tests.clients import client_for
from tests.factories import MonthlyActualFactory, ProjectFactory, UnitFactory

from .conftest import MONTH, YEAR, entry_url, form_data, make_projects

pytestmark = pytest.mark.django_db

STATUS_URL = f"/reporting/status/?year={YEAR}&month={MONTH}"


def submit_all(client, projects, action="submit"):
    page = client.get(entry_url())
    return client.post(entry_url(), form_data(page, **{f"p{p.pk}-amount": "100" for p in projects}, **{action: "1"}))


def review(client, submission, action, comment=""):
    return client.post(f"/reporting/submissions/{submission.pk}/review/", {"action": action, "comment": comment})


def test_status_lists_units_with_contacts_and_states_pending_first(drc_client, staff_client, sheet, unit, other_unit):
    unit.contact_person, unit.contact_phone = "张联络", "0931-1234567"
    unit.save()
    other_unit.contact_person, other_unit.contact_phone = "李联络", "0931-7654321"
    other_unit.save()
    make_projects(other_unit, 2)
    UnitFactory(name="无项目单位")  # nothing on the list: not expected to report
    submit_all(staff_client, sheet)
    response = drc_client.get(STATUS_URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.unit.name, r.status, r.projects, r.entered) for r in rows] == [
        ("县水利局", SubmissionStatus.NOT_STARTED, 2, 0),
        ("县交通运输局", SubmissionStatus.SUBMITTED, 3, 3),
    ]
    html = response.content.decode()
    assert "李联络" in html and "0931-7654321" in html and "无项目单位" not in html
    assert "未填报" in html and "已报送" in html
    pending = drc_client.get(STATUS_URL + "&show=pending")
    assert [r.unit.name for r in pending.context["rows"]] == ["县水利局"]


def test_units_past_the_deadline_are_flagged_late(drc_client, sheet, open_period, other_unit):
    make_projects(other_unit, 1)
    open_period.deadline = timezone.localdate() - dt.timedelta(days=1)
    open_period.save()
    response = drc_client.get(STATUS_URL)
    assert all(r.late for r in response.context["rows"])
    assert response.context["summary"]["late"] == 2
    assert "逾期未报" in response.content.decode()


def test_return_with_comment_then_resubmit_then_accept(drc_client, drc_user, staff_client, staff_user, sheet):
    submit_all(staff_client, sheet)
    submission = UnitSubmission.objects.get(unit=staff_user.unit, year=YEAR, month=MONTH)
    first_submitted = submission.first_submitted_at
    assert review(drc_client, submission, "return").status_code == 302  # a return needs a comment
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    review(drc_client, submission, "return", "第2个项目形象进度不具体")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.reviewed_by == drc_user
    page = staff_client.get(entry_url())
    assert "第2个项目形象进度不具体" in page.content.decode() and "已退回" in page.content.decode()
    data = form_data(page, **{f"p{sheet[1].pk}-progress": "主体结构完成80%"}, submit="1")
    assert staff_client.post(entry_url(), data).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.first_submitted_at == first_submitted  # on-time judgement keeps the first submission
    assert submission.submitted_at > first_submitted
    review(drc_client, submission, "accept")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    states = [h.status for h in submission.history.order_by("history_id")]
    assert states == ["submitted", "returned", "submitted", "accepted"]


def test_staff_and_leaders_cannot_review(staff_client, leader_client, sheet, staff_user):
    submit_all(staff_client, sheet)
    submission = UnitSubmission.objects.get(unit=staff_user.unit)
    assert review(staff_client, submission, "accept").status_code == 403
    assert review(leader_client, submission, "accept").status_code == 403
    assert staff_client.get(STATUS_URL).status_code == 403
    leader_page = leader_client.get(STATUS_URL)
    assert leader_page.status_code == 200 and "/review/" not in leader_page.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_review_form_enforces_csrf(drc_user, staff_client, staff_user, sheet):
    submit_all(staff_client, sheet)
    submission = UnitSubmission.objects.get(unit=staff_user.unit)
    client = client_for(drc_user, enforce_csrf_checks=True)
    assert review(client, submission, "accept").status_code == 403
    token = client.get(STATUS_URL).context["csrf_token"]
    response = client.post(
        f"/reporting/submissions/{submission.pk}/review/", {"action": "accept", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED


def test_a_draft_after_submission_withdraws_it_and_an_unchanged_save_keeps_it(staff_client, staff_user, sheet):
    submit_all(staff_client, sheet)
    submission = UnitSubmission.objects.get(unit=staff_user.unit)
    page = staff_client.get(entry_url())
    staff_client.post(entry_url(), form_data(page, draft="1"))  # nothing changed
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    staff_client.post(entry_url(), form_data(page, **{f"p{sheet[0].pk}-amount": "90"}, draft="1"))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_status_page_costs_the_same_queries_for_3_or_30_units(drc_user, open_period):
    def add_units(n):
        for _i in range(n):
            u = UnitFactory()
            make_projects(u, 1)
            UnitSubmission.objects.create(
                unit=u,
                year=YEAR,
                month=MONTH,
                status=SubmissionStatus.SUBMITTED,
                submitted_at=timezone.now(),
                first_submitted_at=timezone.now(),
                submitted_by=drc_user,
                reviewed_by=drc_user,
            )

    client = client_for(drc_user)
    add_units(3)
    client.get(STATUS_URL)
    cache.clear()  # both requests right after a data change (the ledger's counts are cached under it)
    with CaptureQueriesContext(connection) as small:
        client.get(STATUS_URL)
    add_units(27)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(STATUS_URL)
    assert len(response.context["rows"]) == 30
    assert len(large) == len(small)


def test_entered_counts_only_projects_on_the_years_list(drc_client, sheet):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("1"))
    MonthlyActualFactory(project=ProjectFactory(unit=sheet[0].unit), year=YEAR, month=MONTH, amount=Decimal("1"))
    row = drc_client.get(STATUS_URL).context["rows"][0]
    assert (row.projects, row.entered) == (3, 1)
