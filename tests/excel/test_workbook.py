"""GET /reports/progress.xlsx: sheets, headers, figures equal to hand sums and to the engine, layout.

The registry below is small enough to compute by hand at March 2026 (schedule 25 %):
  A 县水利局  李副县长 continuing plan 1000, Jan 100 + Mar 300 = 400  → 40.0 %  gap +15  ahead
  B 县水利局  赵副县长 new        plan  500, Feb 50             =  50  → 10.0 %  gap −15  warning
  C 城关镇    (none)   continuing plan 2000, Mar 1500           = 1500 → 75.0 %  gap +50  ahead
  D 城关镇    李副县长 planned    plan    0                               no rate, no status
  E 城关镇    赵副县长 new        plan  300, Apr 100 (after March) = 0 →  0.0 %  gap −25  lagging
"""

from decimal import Decimal

import pytest
from django.core.cache import cache

from projects.choices import Pipeline
from projects.models import ProgressSettings
from projects.selectors.metrics import display_rate
from projects.selectors.progress import progress_report

from ..factories import LeaderFactory, UnitFactory
from .helpers import body, count_queries, download, header_row, make, rows_after

pytestmark = pytest.mark.django_db
URL = "/reports/progress.xlsx"
SPEC_HEADERS = [
    "序号", "项目名称", "责任单位", "联系县领导", "总投资", "年度计划", "本月完成", "1—3月累计完成", "完成率",
    "序时进度", "进度差", "同比", "状态", "节点完成率", "逾期节点", "形象进度", "存在问题",
]  # fmt: skip


@pytest.fixture
def registry():
    water, town = UnitFactory(name="县水利局"), UnitFactory(name="城关镇")
    li, zhao = LeaderFactory(name="李副县长", title="副县长", rank=1), LeaderFactory(name="赵副县长", rank=2)
    projects = {
        "A": make("1000.00", [(1, "100.00"), (3, "300.00")], unit=water, leader=li, name="甲", code="A01",
                  total_investment=Decimal("5000.00")),
        "B": make("500.00", [(2, "50.00")], pipeline=Pipeline.NEW, unit=water, leader=zhao, name="乙", code="B01"),
        "C": make("2000.00", [(3, "1500.00")], unit=town, leader=None, name="丙", code="C01"),
        "D": make("0.00", pipeline=Pipeline.PLANNED, unit=town, leader=li, name="丁", code="D01", stage="prephase"),
        "E": make("300.00", [(4, "100.00")], pipeline=Pipeline.NEW, unit=town, leader=zhao, name="戊", code="E01"),
    }  # fmt: skip
    settings_row = ProgressSettings.load()
    settings_row.county_name = "青山县"
    settings_row.save()
    return {"water": water, "town": town, "li": li, "zhao": zhao, **projects}


def column_width(ws, index: int) -> float:
    """The width of the column `index` (1-based): openpyxl keeps columns of one width as one range."""
    for dim in ws.column_dimensions.values():
        if dim.min <= index <= dim.max:
            return dim.width
    raise AssertionError(f"no width for column {index}")


def sheet(wb, title):
    assert title in wb.sheetnames, wb.sheetnames
    return wb[title]


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL, {"year": 2026, "month": 3})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["drc_user", "staff_user", "leader_user"])
def test_every_logged_in_role_may_download(client, registry, who, request):
    client.force_login(request.getfixturevalue(who))
    wb = download(client, URL, {"year": 2026, "month": 3})
    assert wb.sheetnames == ["推进情况表", "单位排名", "县领导联系项目", "预警滞后项目"]


@pytest.mark.parametrize("params", [{"year": 2026, "month": 13}, {"year": 1999, "month": 3}, {"year": "x", "month": 3}])
def test_bad_period_is_a_400_naming_the_field(client, leader_user, params):
    client.force_login(leader_user)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "月份" in response.content.decode() or "年份" in response.content.decode()


def test_progress_sheet_headers_titles_and_totals(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "推进情况表")
    assert "青山县" in ws["A1"].value and "2026" in ws["A1"].value
    assert "1—3月" in ws["A2"].value and "万元" in ws["A2"].value and "25.0%" in ws["A2"].value
    start, headers = header_row(ws)
    assert headers == SPEC_HEADERS
    rows = rows_after(ws, start)
    total = rows[0]
    assert total["项目名称"].value == "合计（5个）"
    # Independent sums: plans 1000 + 500 + 2000 + 0 + 300; Jan–Mar actuals 400 + 50 + 1500 (E's April excluded).
    assert Decimal(str(total["年度计划"].value)) == Decimal("3800.00")
    assert Decimal(str(total["1—3月累计完成"].value)) == Decimal("1950.00")
    assert total["完成率"].value == pytest.approx(0.513)  # 1950 / 3800 = 51.3 %
    assert total["序时进度"].value == pytest.approx(0.25)
    assert total["进度差"].value == pytest.approx(26.3)
    assert total["状态"].value == "较快"
    # The same figures as the engine gives the pages and the API.
    report = progress_report(year=2026, month=3)
    assert Decimal(str(total["年度计划"].value)) == report.totals.annual_plan
    assert Decimal(str(total["1—3月累计完成"].value)) == report.totals.actual_to_date
    assert total["完成率"].value * 100 == pytest.approx(display_rate(report.totals.completion_rate))


def test_pipeline_subtotals_then_their_projects(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "推进情况表")
    rows = rows_after(ws, header_row(ws)[0])
    names = [r["项目名称"].value for r in rows]
    assert names == [
        "合计（5个）",
        "续建项目（2个）",
        "甲",
        "丙",
        "新建项目（2个）",
        "乙",
        "戊",
        "谋划项目（1个）",
        "丁",
    ]
    by_name = {r["项目名称"].value: r for r in rows}
    continuing, new, planned = by_name["续建项目（2个）"], by_name["新建项目（2个）"], by_name["谋划项目（1个）"]
    assert (continuing["序号"].value, new["序号"].value, planned["序号"].value) == ("一", "二", "三")
    assert continuing["年度计划"].value == 3000 and continuing["1—3月累计完成"].value == 1900
    assert continuing["完成率"].value == pytest.approx(0.633)  # 1900 / 3000
    assert new["年度计划"].value == 800 and new["1—3月累计完成"].value == 50
    assert new["完成率"].value == pytest.approx(0.063)  # 6.25 % shown half-up as 6.3 %
    assert planned["完成率"].value is None and planned["状态"].value in (None, "")
    a, b, e, d = by_name["甲"], by_name["乙"], by_name["戊"], by_name["丁"]
    assert (a["序号"].value, a["责任单位"].value, a["联系县领导"].value) == (1, "县水利局", "李副县长")
    assert a["总投资"].value == 5000 and a["完成率"].value == pytest.approx(0.4) and a["进度差"].value == 15
    assert a["状态"].value == "较快" and b["状态"].value == "预警" and e["状态"].value == "滞后"
    assert d["完成率"].value is None and d["进度差"].value is None
    # Subtotal rows are the sum of their projects.
    assert continuing["年度计划"].value == a["年度计划"].value + by_name["丙"]["年度计划"].value


def test_number_cells_and_formats(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "推进情况表")
    rows = rows_after(ws, header_row(ws)[0])
    a = next(r for r in rows if r["项目名称"].value == "甲")
    for header in ("总投资", "年度计划", "1—3月累计完成"):
        assert a[header].data_type == "n" and a[header].number_format == "#,##0.00"
    for header in ("完成率", "序时进度"):
        assert a[header].data_type == "n" and a[header].number_format == "0.0%"
    assert a["进度差"].data_type == "n"


def test_layout_frozen_header_widths_and_a4_landscape_print(client, drc_user, registry):
    client.force_login(drc_user)
    wb = download(client, URL, {"year": 2026, "month": 3})
    for ws in wb.worksheets:
        start = 4  # three title rows (title, period, issuing unit and date), then the header
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith(str(start + 1))
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        assert ws.print_title_rows.replace("$", "") == f"{start}:{start}"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "A1:" in " ".join(str(r) for r in ws.merged_cells.ranges)
    ws = wb["推进情况表"]
    assert ws.freeze_panes == "C5"
    # Chinese text counts double: "县水利局" (8 units) needs a column of at least 8.
    assert ws.column_dimensions["C"].width >= 8 + 2
    # 形象进度 and 存在问题 fit their texts up to a cap (the text wraps); 存在问题, empty here, is as narrow
    # as its header, never a fixed 30 columns of blank paper.
    assert 10 <= column_width(ws, 16) <= 28 and ws.cell(6, 16).alignment.wrap_text
    assert column_width(ws, 17) == 10


def test_unit_ranking_by_completion_rate_with_minimum_plan(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3, "min_plan": "0"}), "单位排名")
    start, headers = header_row(ws, first="排名")
    assert headers[:12] == [
        "排名", "责任单位", "项目个数", "年度计划", "本月完成", "1—3月累计完成", "完成率", "进度差", "同比", "状态",
        "节点完成率", "逾期节点",
    ]  # fmt: skip
    rows = rows_after(ws, start)
    # 城关镇: 1500 / 2300 = 65.2 %; 县水利局: 450 / 1500 = 30.0 %.
    assert [(r["排名"].value, r["责任单位"].value) for r in rows[:2]] == [(1, "城关镇"), (2, "县水利局")]
    assert rows[0]["完成率"].value == pytest.approx(0.652) and rows[1]["完成率"].value == pytest.approx(0.3)
    assert (rows[0]["较快"].value, rows[0]["滞后"].value) == (1, 1) and rows[1]["预警"].value == 1
    assert rows[-1]["责任单位"].value == "合计" and rows[-1]["年度计划"].value == 3800
    # With the bureau's default minimum (5,000 万元) neither unit is ranked; both are still listed.
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "单位排名")
    rows = rows_after(ws, header_row(ws, first="排名")[0])
    assert "不参与排名" in rows[0]["排名"].value
    assert {r["责任单位"].value for r in rows[1:3]} == {"城关镇", "县水利局"}
    assert all(r["排名"].value is None for r in rows[1:3])


def test_leader_linked_projects_with_subtotals(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "县领导联系项目")
    start, _headers = header_row(ws)
    rows = rows_after(ws, start)
    # Linked: A, B, D, E (C has no leader): plans 1800, Jan–Mar 450 → 25.0 %.
    assert rows[0]["项目名称"].value == "合计（4个）"
    assert rows[0]["年度计划"].value == 1800 and rows[0]["1—3月累计完成"].value == 450
    assert rows[0]["完成率"].value == pytest.approx(0.25)
    leaders = [r["联系县领导"].value for r in rows if r["项目名称"].value.startswith("小计")]
    assert leaders == ["李副县长（副县长）", "赵副县长（副县长）"]  # by the leaders' order
    li = next(r for r in rows if r["联系县领导"].value == "李副县长（副县长）")
    assert li["年度计划"].value == 1000 and li["1—3月累计完成"].value == 400
    assert [r["项目名称"].value for r in rows] == ["合计（4个）", "小计（2个）", "甲", "丁", "小计（2个）", "乙", "戊"]


def test_warning_and_lagging_projects_worst_first(client, drc_user, registry):
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "预警滞后项目")
    assert "滞后 1 个、预警 1 个" in ws["A2"].value
    rows = rows_after(ws, header_row(ws)[0])
    assert [(r["项目名称"].value, r["状态"].value, r["项目类别"].value) for r in rows] == [
        ("戊", "滞后", "新建"),
        ("乙", "预警", "新建"),
    ]
    assert rows[0]["进度差"].value == -25


def test_filters_in_force_narrow_every_sheet_and_are_printed(client, drc_user, registry):
    client.force_login(drc_user)
    wb = download(client, URL, {"year": 2026, "month": 3, "unit": registry["water"].pk})
    ws = wb["推进情况表"]
    assert "责任单位：县水利局" in ws["A2"].value
    total = rows_after(ws, header_row(ws)[0])[0]
    assert total["项目名称"].value == "合计（2个）" and total["年度计划"].value == 1500
    wb = download(client, URL, {"year": 2026, "month": 3, "pipeline": "new"})
    names = [r["项目名称"].value for r in rows_after(wb["推进情况表"], 4)]
    assert names == ["合计（2个）", "新建项目（2个）", "乙", "戊"]
    response = client.get(URL, {"year": 2026, "month": 3, "unit": 999999})
    assert response.status_code == 400


def test_download_is_a_streamed_attachment_with_a_chinese_name(client, drc_user, registry):
    client.force_login(drc_user)
    response = client.get(URL, {"year": 2026, "month": 3})
    assert response.streaming
    assert "attachment" in response["Content-Disposition"] and "utf-8''" in response["Content-Disposition"]
    assert body(response)[:2] == b"PK"


def test_query_count_does_not_grow_with_projects(client, drc_user):
    client.force_login(drc_user)
    units = [UnitFactory() for _ in range(3)]
    leaders = [LeaderFactory() for _ in range(3)]

    def add(n):
        for i in range(n):
            make("100.00", [(1, "10.00"), (2, "20.00")], unit=units[i % 3], leader=leaders[i % 3])

    def queries():
        cache.clear()  # the figure cache would answer the second request; count a cold one each time
        return count_queries(lambda: body(client.get(URL, {"year": 2026, "month": 2})))

    add(5)
    queries()  # the first request creates the settings row
    small = queries()
    add(35)
    assert queries() == small


def test_text_that_looks_like_a_formula_stays_text_when_edited(client, drc_user):
    """A unit's text starting with =, +, - or @ is a text cell with the quote prefix (Excel keeps it text on edit)."""
    unit = UnitFactory(name="@县水利局")
    make("100.00", [(1, "10.00")], unit=unit, code="F01", name='=HYPERLINK("http://example.com","点我")')
    make("100.00", [(1, "20.00")], unit=unit, code="F02", name="-号楼改造")
    make("100.00", [(1, "30.00")], unit=unit, code="F03", name="普通项目")
    client.force_login(drc_user)
    ws = sheet(download(client, URL, {"year": 2026, "month": 3}), "推进情况表")
    rows = {r["项目名称"].value: r for r in rows_after(ws, header_row(ws)[0])}
    for name in ('=HYPERLINK("http://example.com","点我")', "-号楼改造"):
        cell = rows[name]["项目名称"]
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
        assert rows[name]["责任单位"].quotePrefix and rows[name]["责任单位"].value == "@县水利局"
    assert rows["普通项目"]["项目名称"].quotePrefix is False
    assert rows["普通项目"]["1—3月累计完成"].quotePrefix is False
