"""The monthly entry page: one form per unit and month, draft and submit, every change in history."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.history import history_entries
from projects.models import MonthlyActual, SubmissionStatus, UnitSubmission
from projects.services.figures import actual_set
from tests.clients import client_for
from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

from .conftest import MONTH, YEAR, entry_url, form_data, make_projects

pytestmark = pytest.mark.django_db


def amount(project, month=MONTH):
    row = MonthlyActual.objects.filter(project=project, year=YEAR, month=month).first()
    return row.amount if row else None


def test_staff_sees_their_units_projects_with_plan_ytd_rate_and_last_narrative(staff_client, sheet, other_unit):
    foreign = make_projects(other_unit, 1)[0]
    off_list = ProjectFactory(unit=sheet[0].unit)  # no 2026 plan: not on the year's list
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("150.00"), progress="主体完工")
    response = staff_client.get(entry_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert [i.line.project_id for i in response.context["items"]] == [p.pk for p in sheet]
    assert foreign.code not in html and off_list.code not in html
    first = response.context["items"][0]
    # plan 1200; Jan-Sep 9 × 100 = 900 before this month; after 150 this month: 1050 / 1200 = 87.5 %
    assert first.line.row.plan == Decimal("1200.00")
    assert first.line.ytd_before == Decimal("900.00")
    assert first.rate_after == 87.5
    assert 'value="150.00"' in html and "主体完工" in html  # the entered values come back for editing
    assert "第9月进展" in html  # last month's narrative
    assert "本月完成投资" in html and "形象进度" in html and "保存草稿" in html
    # the form posts back to its own month, even if the bureau opens another one meanwhile
    assert f'action="?year={YEAR}&amp;month={MONTH}"' in html


def test_draft_saves_figures_with_history_and_marks_the_ledger(staff_client, staff_user, sheet):
    page = staff_client.get(entry_url())
    p0, p1, p2 = sheet
    data = form_data(
        page,
        **{f"p{p0.pk}-amount": "120.50", f"p{p0.pk}-progress": "路基施工", f"p{p1.pk}-amount": "0", "draft": "1"},
    )
    response = staff_client.post(entry_url(), data)
    assert response.status_code == 302
    assert amount(p0) == Decimal("120.50") and amount(p1) == Decimal("0.00") and amount(p2) is None
    entry = history_entries(MonthlyActual.objects.get(project=p0, year=YEAR, month=MONTH))[-1]
    assert entry["user"] == staff_user.username and entry["new"]["amount"] == "120.50"
    assert entry["new"]["progress"] == "路基施工"
    submission = UnitSubmission.objects.get(unit=staff_user.unit, year=YEAR, month=MONTH)
    assert submission.status == SubmissionStatus.DRAFT and submission.saved_at and submission.submitted_at is None
    # values come back for editing; a second unchanged post writes no history
    again = staff_client.get(entry_url())
    assert 'value="120.50"' in again.content.decode()
    before = MonthlyActual.history.count()
    staff_client.post(entry_url(), form_data(again, draft="1"))
    assert MonthlyActual.history.count() == before


def test_submit_needs_every_project_then_records_the_submission(staff_client, staff_user, sheet):
    page = staff_client.get(entry_url())
    p0, p1, p2 = sheet
    partial = form_data(page, **{f"p{p0.pk}-amount": "100", f"p{p1.pk}-amount": "100", "submit": "1"})
    response = staff_client.post(entry_url(), partial)
    assert response.status_code == 400
    assert "提交前请填写本月完成投资" in response.content.decode()
    assert MonthlyActual.objects.filter(year=YEAR, month=MONTH).count() == 0  # nothing half-saved
    assert not UnitSubmission.objects.exists()
    full = form_data(page, **{f"p{p.pk}-amount": "100" for p in sheet}, submit="1")
    response = staff_client.post(entry_url(), full)
    assert response.status_code == 302
    s = UnitSubmission.objects.get(unit=staff_user.unit, year=YEAR, month=MONTH)
    assert s.status == SubmissionStatus.SUBMITTED and s.submitted_by == staff_user
    assert s.first_submitted_at == s.submitted_at
    assert s.history.count() == 1


def test_staff_cannot_open_or_post_another_units_sheet(staff_client, sheet, other_unit):
    foreign = make_projects(other_unit, 1)[0]
    assert staff_client.get(entry_url(other_unit)).status_code == 403
    response = staff_client.post(entry_url(other_unit), {f"p{foreign.pk}-amount": "5", "draft": "1"})
    assert response.status_code == 403
    # smuggling the other unit's project into their own sheet is refused as well
    data = form_data(staff_client.get(entry_url()), **{f"p{foreign.pk}-amount": "5", "draft": "1"})
    data[f"p{sheet[0].pk}-amount"] = "10"
    assert staff_client.post(entry_url(), data).status_code == 403
    assert amount(foreign) is None and amount(sheet[0]) is None


def test_leaders_cannot_enter_and_anonymous_users_are_sent_to_login(leader_client, client, sheet):
    assert leader_client.get(entry_url()).status_code == 403
    response = client.get(entry_url())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_bureau_picks_a_unit_and_enters_for_it(drc_client, drc_user, sheet, unit):
    pick = drc_client.get("/reporting/entry/")
    assert pick.status_code == 200 and unit.name in pick.content.decode()
    page = drc_client.get(entry_url(unit))
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "80", "draft": "1"})
    assert drc_client.post(entry_url(unit), data).status_code == 302
    assert amount(sheet[0]) == Decimal("80.00")
    assert UnitSubmission.objects.get(unit=unit).status == SubmissionStatus.DRAFT


def test_staff_cannot_change_a_locked_month(staff_client, sheet, open_period):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "999", "draft": "1"})
    open_period.locked = True
    open_period.save()
    locked_page = staff_client.get(entry_url())
    assert 'name="p' not in locked_page.content.decode()  # read only: no inputs
    response = staff_client.post(entry_url(), data)
    assert response.status_code == 403
    assert amount(sheet[0]) == Decimal("100.00")


def test_bureau_changes_a_locked_month_only_with_a_reason_kept_in_history(drc_client, sheet, open_period, unit):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    submission = UnitSubmission.objects.create(unit=unit, year=YEAR, month=MONTH, status=SubmissionStatus.ACCEPTED)
    open_period.locked = True
    open_period.save()
    page = drc_client.get(entry_url(unit))
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "110", "save": "1"})
    response = drc_client.post(entry_url(unit), data)
    assert response.status_code == 400 and "修改须填写原因" in response.content.decode()
    assert amount(sheet[0]) == Decimal("100.00")
    data["change_reason"] = "统计局核定更正"
    assert drc_client.post(entry_url(unit), data).status_code == 302
    actual = MonthlyActual.objects.get(project=sheet[0], year=YEAR, month=MONTH)
    last = history_entries(actual)[-1]
    assert actual.amount == Decimal("110.00")
    assert last["old"]["amount"] == "100.00" and last["new"]["amount"] == "110.00"
    assert last["change_reason"] == "统计局核定更正" and last["user"] == "bureau"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED  # a correction does not reopen the ledger


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5", "不能为负数"), ("abc", "请输入数字"), ("1.234", "最多两位小数")],
)
def test_hard_errors_reject_the_whole_sheet(staff_client, sheet, value, message):
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "50", f"p{sheet[1].pk}-amount": value, "draft": "1"})
    response = staff_client.post(entry_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and sheet[1].code in html
    assert amount(sheet[0]) is None  # the valid row was not saved either


def test_full_width_digits_and_thousands_commas_are_read(staff_client, sheet):
    page = staff_client.get(entry_url())
    data = form_data(
        page,
        **{
            f"p{sheet[0].pk}-amount": "１２０．５",
            f"p{sheet[1].pk}-amount": "1,000",
            f"p{sheet[1].pk}-reason": "设备款集中支付",
        },
        draft="1",
    )
    assert staff_client.post(entry_url(), data).status_code == 302
    assert amount(sheet[0]) == Decimal("120.50") and amount(sheet[1]) == Decimal("1000.00")


def test_clearing_an_entered_figure_is_refused(staff_client, sheet):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    page = staff_client.get(entry_url())
    response = staff_client.post(entry_url(), form_data(page, **{f"p{sheet[0].pk}-amount": "", "draft": "1"}))
    assert response.status_code == 400 and "不能清空" in response.content.decode()
    assert amount(sheet[0]) == Decimal("100.00")


def test_a_figure_changed_by_someone_else_meanwhile_is_not_overwritten(staff_client, drc_user, sheet):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    page = staff_client.get(entry_url())
    actual_set(user=drc_user, project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("130.00"))
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "120", f"p{sheet[1].pk}-amount": "10", "draft": "1"})
    response = staff_client.post(entry_url(), data)
    assert response.status_code == 409
    assert "130.00" in response.content.decode()
    assert amount(sheet[0]) == Decimal("130.00") and amount(sheet[1]) is None
    # the re-rendered form carries the stored version: saving again knowingly replaces it
    resend = form_data(response, draft="1")
    assert resend[f"p{sheet[0].pk}-amount"] == "120"
    assert staff_client.post(entry_url(), resend).status_code == 302
    assert amount(sheet[0]) == Decimal("120.00") and amount(sheet[1]) == Decimal("10.00")


def test_a_row_left_untouched_is_not_written_even_if_changed_meanwhile(staff_client, drc_user, sheet):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    page = staff_client.get(entry_url())
    actual_set(user=drc_user, project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("130.00"))
    data = form_data(page, **{f"p{sheet[1].pk}-amount": "10", "draft": "1"})
    assert staff_client.post(entry_url(), data).status_code == 302
    assert amount(sheet[0]) == Decimal("130.00")


def test_csrf_is_enforced_on_the_entry_form(staff_user, sheet):
    client = client_for(staff_user, enforce_csrf_checks=True)
    page = client.get(entry_url())
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "10", "draft": "1"})
    assert client.post(entry_url(), data).status_code == 403
    assert amount(sheet[0]) is None
    data["csrfmiddlewaretoken"] = page.context["csrf_token"]
    assert client.post(entry_url(), data).status_code == 302
    assert amount(sheet[0]) == Decimal("10.00")


def test_entry_page_costs_the_same_queries_for_3_or_30_projects(staff_user, unit, other_unit, open_period):
    make_projects(unit, 3)
    client = client_for(staff_user)
    client.get(entry_url())  # warm caches (session, content types)
    cache.clear()  # but count the figures cold both times
    with CaptureQueriesContext(connection) as small:
        assert client.get(entry_url()).status_code == 200
    make_projects(unit, 27)
    AnnualPlanFactory(project=ProjectFactory(unit=other_unit), year=YEAR)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(entry_url())
    assert len(response.context["items"]) == 30
    assert len(large) == len(small)
