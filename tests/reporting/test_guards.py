"""Consistency guards: unusual figures are held back until staff confirm them with a reason."""

from decimal import Decimal

import pytest

from projects.history import history_entries
from projects.models import MonthlyActual
from tests.factories import AnnualPlanFactory, MonthlyActualFactory, ProjectFactory

from .conftest import MONTH, YEAR, entry_url, form_data, make_projects

pytestmark = pytest.mark.django_db

# Every sheet project: plan 1200.00, 100.00 in each of Jan-Sep (so its usual month is 100.00,
# 900.00 before October) and, unless changed, a total investment of 10000.00.


def post_amount(client, project, value, **extra):
    page = client.get(entry_url())
    return client.post(entry_url(), form_data(page, **{f"p{project.pk}-amount": value}, **extra, draft="1"))


def stored(project):
    return MonthlyActual.objects.filter(project=project, year=YEAR, month=MONTH).first()


def test_an_ordinary_figure_needs_no_confirmation(staff_client, sheet):
    # 250 < 3 × 100; 900 + 250 = 1150 ≤ plan 1200; cumulative 1150 ≤ 10000
    assert post_amount(staff_client, sheet[0], "250").status_code == 302
    assert stored(sheet[0]).amount == Decimal("250.00")


def test_far_above_the_projects_usual_month_asks_for_a_reason(staff_client, unit, open_period):
    project = make_projects(unit, 1, plan="100000.00", total="500000.00")[0]
    response = post_amount(staff_client, project, "300.01")  # just above 3 × 100.00
    assert response.status_code == 200
    html = response.content.decode()
    assert "超过该项目以往月均完成投资(100.00)的 3 倍" in html
    assert stored(project) is None
    assert post_amount(staff_client, project, "300.00").status_code == 302  # exactly 3 × is fine


def test_year_to_date_past_the_annual_plan_asks_for_a_reason(staff_client, sheet):
    response = post_amount(staff_client, sheet[0], "300.01")  # 900 + 300.01 > 1200 (and > 3 × usual)
    assert response.status_code == 200
    assert "年度累计完成投资(1200.01)将超过年度计划投资(1200.00)" in response.content.decode()
    assert stored(sheet[0]) is None


def test_cumulative_past_the_total_investment_asks_for_a_reason(staff_client, unit, open_period):
    project = make_projects(unit, 1, plan="5000.00", total="1000.00")[0]
    response = post_amount(staff_client, project, "150")  # 900 + 150 = 1050 > 1000
    assert response.status_code == 200
    html = response.content.decode()
    assert "开工以来累计完成投资(1050.00)将超过总投资(1000.00)" in html
    assert "年度累计" not in html  # 1050 is within the 5000 plan
    assert stored(project) is None


def test_a_reason_confirms_the_figure_and_is_kept_in_history(staff_client, staff_user, sheet):
    response = post_amount(staff_client, sheet[0], "500", **{f"p{sheet[0].pk}-reason": "设备款集中支付"})
    assert response.status_code == 302
    actual = stored(sheet[0])
    assert actual.amount == Decimal("500.00")
    last = history_entries(actual)[-1]
    assert last["change_reason"] == "设备款集中支付" and last["user"] == staff_user.username


def test_a_warned_row_holds_back_the_whole_sheet(staff_client, sheet):
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "900", f"p{sheet[1].pk}-amount": "100"}, draft="1")
    assert staff_client.post(entry_url(), data).status_code == 200
    assert stored(sheet[0]) is None and stored(sheet[1]) is None


def test_an_unchanged_figure_is_not_warned_again(staff_client, sheet):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("900.00"))
    page = staff_client.get(entry_url())
    data = form_data(page, **{f"p{sheet[0].pk}-progress": "设备安装"}, draft="1")
    assert staff_client.post(entry_url(), data).status_code == 302
    assert stored(sheet[0]).progress == "设备安装"


def test_without_history_there_is_no_usual_to_compare_with(staff_client, unit, open_period):
    project = ProjectFactory(unit=unit, total_investment=Decimal("90000.00"))
    AnnualPlanFactory(project=project, year=YEAR, amount=Decimal("50000.00"))
    assert post_amount(staff_client, project, "20000").status_code == 302


def test_the_bureaus_reason_for_a_locked_month_also_confirms_its_warnings(drc_client, sheet, open_period, unit):
    MonthlyActualFactory(project=sheet[0], year=YEAR, month=MONTH, amount=Decimal("100.00"))
    open_period.locked = True
    open_period.save()
    url = entry_url(unit)
    page = drc_client.get(url)
    data = form_data(page, **{f"p{sheet[0].pk}-amount": "500"}, change_reason="审计调整", save="1")
    assert drc_client.post(url, data).status_code == 302
    actual = stored(sheet[0])
    assert actual.amount == Decimal("500.00")
    assert history_entries(actual)[-1]["change_reason"] == "审计调整"
