"""progress.xlsx as a 通报 table (issues 14 and 16): 本月完成, 同比, 节点完成率 and 逾期节点 columns, status
fills, the issuing unit and date, and a page setup that prints one A4 page wide.

The registry of test_workbook at March 2026, plus, computed by hand:
  milestones  A: due 10 Feb done 20 Feb (done), due 15 Mar open (overdue), due 1 May (not yet due)
              B: due 31 Jan done 2 Apr (overdue at March's end)
              C: due 31 Mar done 31 Mar (done)
  last year   A: plan 2025 1000 (continuing), Jan–Mar 2025 200 → 20.0 %
So at March 2026: A 50.0 % with 1 overdue, B 0.0 % with 1, C 100.0 % with 0; the total 2 of 4 = 50.0 %.
本月完成 (March): A 300, C 1500, the others 0.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.selectors.metrics import display_rate
from projects.selectors.progress import progress_report

from ..factories import AnnualPlanFactory, MonthlyActualFactory
from ..nodeplans.factories import MilestoneFactory
from .helpers import download, header_row, rows_after
from .test_workbook import registry  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
URL = "/reports/progress.xlsx"
GREEN, AMBER, RED = "FFC6EFCE", "FFFFEB9C", "FFFFC7CE"


@pytest.fixture
def report(registry):  # noqa: F811
    a, b, c = registry["A"], registry["B"], registry["C"]
    MilestoneFactory(project=a, planned_date=dt.date(2026, 2, 10), done_on=dt.date(2026, 2, 20))
    MilestoneFactory(project=a, planned_date=dt.date(2026, 3, 15))
    MilestoneFactory(project=a, planned_date=dt.date(2026, 5, 1))
    MilestoneFactory(project=b, planned_date=dt.date(2026, 1, 31), done_on=dt.date(2026, 4, 2))
    MilestoneFactory(project=c, planned_date=dt.date(2026, 3, 31), done_on=dt.date(2026, 3, 31))
    AnnualPlanFactory(project=a, year=2025, amount=Decimal("1000.00"))
    MonthlyActualFactory(project=a, year=2025, month=3, amount=Decimal("200.00"))
    return registry


def progress_rows(client):
    ws = download(client, URL, {"year": 2026, "month": 3})["推进情况表"]
    return ws, {r["项目名称"].value: r for r in rows_after(ws, header_row(ws)[0])}


def test_month_yoy_and_node_columns_in_the_progress_table(client, drc_user, report):
    client.force_login(drc_user)
    _ws, rows = progress_rows(client)
    total, continuing, new = rows["合计（5个）"], rows["续建项目（2个）"], rows["新建项目（2个）"]
    planned, a, b, c, d = rows["谋划项目（1个）"], rows["甲"], rows["乙"], rows["丙"], rows["丁"]
    # 本月完成: March only (A 300 + C 1500); E's April actual and A's January are not this month.
    assert (total["本月完成"].value, continuing["本月完成"].value, new["本月完成"].value) == (1800, 1800, 0)
    assert (a["本月完成"].value, c["本月完成"].value) == (300, 1500)
    assert a["本月完成"].number_format == "#,##0.00"
    # 同比: this year's rate less last year's at March. Total 1950/3800 = 51.3158 % − 20 % → +31.3;
    # continuing 1900/3000 = 63.33 % − 20 % → +43.3; the new pipeline had no plan last year: none.
    assert total["同比"].value == pytest.approx(31.3) and continuing["同比"].value == pytest.approx(43.3)
    assert new["同比"].value is None and a["同比"].value is None
    # 节点完成率 and 逾期节点 (percent cells hold fractions).
    assert (total["节点完成率"].value, total["逾期节点"].value) == (pytest.approx(0.5), 2)
    assert (continuing["节点完成率"].value, continuing["逾期节点"].value) == (pytest.approx(0.667), 1)  # 2 of 3
    assert (new["节点完成率"].value, new["逾期节点"].value) == (0, 1)
    assert (planned["节点完成率"].value, planned["逾期节点"].value) == (None, 0)
    assert (a["节点完成率"].value, a["逾期节点"].value) == (pytest.approx(0.5), 1)
    assert (b["节点完成率"].value, b["逾期节点"].value) == (0, 1)
    assert (c["节点完成率"].value, c["逾期节点"].value) == (1, 0)
    assert d["节点完成率"].value is None
    assert total["节点完成率"].number_format == "0.0%"
    # The same figures as the engine gives the API.
    figures = progress_report(year=2026, month=3, group_by="pipeline").totals.as_api()
    assert total["同比"].value == figures["yoy_points"] and total["逾期节点"].value == figures["overdue_milestones"]
    assert total["节点完成率"].value * 100 == pytest.approx(figures["node_rate"])


def test_month_yoy_and_node_columns_in_the_unit_ranking_and_leader_sheets(client, drc_user, report):
    client.force_login(drc_user)
    wb = download(client, URL, {"year": 2026, "month": 3, "min_plan": "0"})
    ws = wb["单位排名"]
    rows = {r["责任单位"].value: r for r in rows_after(ws, header_row(ws, first="排名")[0])}
    water, town = rows["县水利局"], rows["城关镇"]
    # 县水利局: March 300; 450/1500 = 30 % against last year's 200/1000 = 20 % → +10.0; milestones 1 of 3.
    assert (water["本月完成"].value, water["同比"].value) == (300, pytest.approx(10.0))
    assert (water["节点完成率"].value, water["逾期节点"].value) == (pytest.approx(0.333), 2)
    # 城关镇: March 1500; no plan last year; its one due milestone done.
    assert (town["本月完成"].value, town["同比"].value) == (1500, None)
    assert (town["节点完成率"].value, town["逾期节点"].value) == (1, 0)
    engine = {g.label: g for g in progress_report(year=2026, month=3, group_by="unit").groups}
    assert water["同比"].value == display_rate(engine["县水利局"].yoy_points)
    ws = wb["县领导联系项目"]
    rows = rows_after(ws, header_row(ws)[0])
    subtotals = {r["联系县领导"].value: r for r in rows if str(r["项目名称"].value).startswith("小计")}
    li, zhao = subtotals["李副县长（副县长）"], subtotals["赵副县长（副县长）"]
    assert (li["节点完成率"].value, li["逾期节点"].value) == (pytest.approx(0.5), 1)  # A: 1 of 2; D none
    assert (zhao["节点完成率"].value, zhao["逾期节点"].value) == (0, 1)  # B: 0 of 1; E none


def test_status_cells_are_filled_and_keep_their_text(client, drc_user, report):
    client.force_login(drc_user)
    _ws, rows = progress_rows(client)
    fills = {
        name: (rows[name]["状态"].value, rows[name]["状态"].fill.fgColor.rgb, rows[name]["状态"].fill.fill_type)
        for name in ("甲", "乙", "戊", "合计（5个）")
    }
    assert fills["甲"] == ("较快", GREEN, "solid")
    assert fills["乙"] == ("预警", AMBER, "solid")
    assert fills["戊"] == ("滞后", RED, "solid")
    assert fills["合计（5个）"] == ("较快", GREEN, "solid")
    # Other cells keep their own look: a project's name is not filled.
    assert rows["甲"]["项目名称"].fill.fill_type is None


def test_title_rows_name_the_issuing_unit_and_date_above_the_header(client, drc_user, report):
    client.force_login(drc_user)
    wb = download(client, URL, {"year": 2026, "month": 3})
    today = timezone.localdate()
    issued = f"印发单位：青山县发展和改革局    印发日期：{today.year}年{today.month}月{today.day}日"
    for ws in wb.worksheets:
        assert ws["A3"].value == issued, ws.title
        assert header_row(ws, first="排名" if ws.title == "单位排名" else "序号")[0] == 4
        assert ws.print_title_rows.replace("$", "") == "4:4"
        assert ws.freeze_panes.endswith("5")


def test_page_setup_prints_one_a4_landscape_page_wide(client, drc_user, report):
    client.force_login(drc_user)
    wb = download(client, URL, {"year": 2026, "month": 3})
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(setup.fitToWidth or 1) == 1 and int(setup.fitToHeight) == 0
        assert ws.print_options.horizontalCentered
        assert 0.25 <= ws.page_margins.left <= 0.75 and 0.25 <= ws.page_margins.right <= 0.75
    ws = wb["推进情况表"]
    widths = {}
    for dim in ws.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            widths[i] = dim.width
    # No column wider than its cap, and the whole table within ~200 units (legible at fit-to-width).
    assert max(widths.values()) <= 20 and sum(widths.values()) <= 210
