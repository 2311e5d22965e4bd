"""The fill-in templates: who may download them, what they hold, and that their headers are the SPEC's."""

from decimal import Decimal

import pytest

from projects.choices import Pipeline
from projects.models import MonthlyActual

from ..factories import LeaderFactory, UnitFactory
from .helpers import count_queries, download, make

pytestmark = pytest.mark.django_db
ACTUALS = "/reports/actuals-template.xlsx"
ANNUAL = "/reports/annual-list-template.xlsx"


@pytest.fixture
def two_units(unit, other_unit):
    mine = make("1200.00", [(1, "100.00"), (2, "150.00")], unit=unit, code="JT01", name="交通一号")
    MonthlyActual.objects.filter(project=mine, month=2).update(progress="路基完成")
    theirs = make("800.00", [(1, "80.00")], unit=other_unit, code="SL01", name="水利一号")
    make("500.00", year=2025, unit=unit, code="OLD1")  # last year's list only
    return mine, theirs


def data_rows(ws):
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]


def test_staff_get_their_units_projects_prefilled_with_read_only_context(client, staff_user, two_units):
    client.force_login(staff_user)
    wb = download(client, ACTUALS, {"year": 2026, "month": 2, "unit": two_units[1].unit_id})  # unit is forced
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:6] == ["项目编号", "项目名称", "年", "月", "本月完成投资(万元)", "形象进度"]
    assert headers[6:] == ["存在问题", "责任单位(参考)", "项目类别(参考)", "年度计划(万元)", "1—1月累计完成(万元)"]
    rows = data_rows(ws)
    assert len(rows) == 1
    row = dict(zip(headers, rows[0], strict=False))
    assert (row["项目编号"], row["年"], row["月"]) == ("JT01", 2026, 2)
    assert row["本月完成投资(万元)"] == 150 and row["形象进度"] == "路基完成"  # the stored figure
    assert row["年度计划(万元)"] == 1200 and row["1—1月累计完成(万元)"] == 100 and row["项目类别(参考)"] == "续建"
    assert ws.cell(2, 10).fill.fgColor.rgb.endswith("EDEDED")  # shaded: reference only
    assert ws.freeze_panes == "C2"
    assert "填表说明" in wb.sheetnames


def test_bureau_gets_the_whole_years_list_or_one_unit(client, drc_user, two_units):
    client.force_login(drc_user)
    ws = download(client, ACTUALS, {"year": 2026, "month": 3}).worksheets[0]
    assert [r[0] for r in data_rows(ws)] == ["JT01", "SL01"]
    assert [c.value for c in ws[1]][-1] == "1—2月累计完成(万元)"
    ws = download(client, ACTUALS, {"year": 2026, "month": 3, "unit": two_units[1].unit_id}).worksheets[0]
    assert [r[0] for r in data_rows(ws)] == ["SL01"]


def test_january_template_has_no_earlier_months_column(client, drc_user, two_units):
    client.force_login(drc_user)
    ws = download(client, ACTUALS, {"year": 2026, "month": 1}).worksheets[0]
    assert [c.value for c in ws[1]][-1] == "年度计划(万元)"


def test_leaders_may_not_download_templates_and_anonymous_must_log_in(client, leader_user):
    assert client.get(ACTUALS, {"year": 2026, "month": 1}).status_code == 302
    client.force_login(leader_user)
    assert client.get(ACTUALS, {"year": 2026, "month": 1}).status_code == 403
    assert client.get(ANNUAL, {"year": 2026}).status_code == 403


def test_annual_list_template_is_for_the_bureau_only(client, staff_user):
    client.force_login(staff_user)
    assert client.get(ANNUAL, {"year": 2026}).status_code == 403


def test_annual_list_template_holds_the_years_list_with_labels(client, drc_user, unit):
    leader = LeaderFactory(name="钱副县长")
    make("3000.00", pipeline=Pipeline.NEW, unit=unit, leader=leader, code="N01", name="新建一号", sector="water")
    client.force_login(drc_user)
    wb = download(client, ANNUAL, {"year": 2026})
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "项目编号", "项目名称", "责任单位", "联系县领导", "行业领域", "产业类别", "建设阶段", "项目级别",
        "总投资(万元)", "计划开工日期", "建设内容", "年", "项目类别", "年度计划投资(万元)",
    ]  # fmt: skip
    row = dict(zip(headers, data_rows(ws)[0], strict=False))
    assert (row["项目编号"], row["责任单位"], row["联系县领导"]) == ("N01", "县交通运输局", "钱副县长")
    assert (row["行业领域"], row["项目类别"], row["年"]) == ("水利", "新建", 2026)
    assert Decimal(str(row["年度计划投资(万元)"])) == Decimal("3000.00")
    assert ws.cell(2, 14).number_format == "#,##0.00"
    assert any("续建,新建,谋划" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    assert "责任单位" in wb.sheetnames


def test_template_query_count_is_constant(client, drc_user):
    client.force_login(drc_user)
    units = [UnitFactory() for _ in range(3)]

    def add(n):
        for i in range(n):
            make("100.00", [(1, "10.00")], unit=units[i % 3])

    def queries():
        return count_queries(lambda: download(client, ACTUALS, {"year": 2026, "month": 2}))

    def annual_queries():
        return count_queries(lambda: download(client, ANNUAL, {"year": 2026}))

    add(5)
    queries()
    small, small_annual = queries(), annual_queries()
    add(35)
    assert (queries(), annual_queries()) == (small, small_annual)
