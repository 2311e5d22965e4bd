"""Home pages per role, escaping of user text, Chinese labels, navigation links and chart assets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.choices import Pipeline
from projects.models import MonthlyActual, ReportingPeriod

from ..factories import AnnualPlanFactory, BottleneckFactory, LeaderFactory, MonthlyActualFactory, ProjectFactory
from .helpers import doc, figure, row_links, table_rows

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 6}
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_leader_home_shows_my_linked_projects_first(client, county, leader_user):
    client.force_login(leader_user)
    response = client.get("/", PERIOD)
    page = doc(response)
    html = response.content.decode()
    assert "我联系的项目" in html
    assert html.index("我联系的项目") < html.index("分类推进情况")  # mine come before the county overview
    assert row_links(page, "my-projects") == ["县城环城路", "灌区改造"]
    assert figure(page, "completion_rate") == "52.5%"  # the first figures on the page are the leader's own
    assert "/reporting/entry/" not in html and "/reporting/status/" not in html


def test_leader_home_without_a_leader_record_explains(client, county):
    from ..factories import UserFactory

    bare = UserFactory(username="leader2", role="leader")
    client.force_login(bare)
    html = client.get("/", PERIOD).content.decode()
    assert "尚未关联县级领导" in html and "总体推进情况" in html


def test_staff_home_shows_the_unit_and_the_month_to_report(client, county, staff_user):
    report_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    ReportingPeriod.objects.create(year=report_month.year, month=report_month.month, locked=True)
    if report_month.year != 2026:
        for p in (county.p1, county.p2):
            AnnualPlanFactory(project=p, year=report_month.year)
    MonthlyActual.objects.get_or_create(project=county.p2, year=report_month.year, month=report_month.month)
    client.force_login(staff_user)
    response = client.get("/", PERIOD)
    html = response.content.decode()
    page = doc(response)
    assert f"{report_month.year}-{report_month.month:02d}" in html and "已锁定" in html
    assert "本单位2个项目中已有1个填报了本月数据" in html and "未填报" in html  # entered, not yet submitted
    assert row_links(page, "unit-projects") == ["县城环城路", "客运站"]
    # the unit's own figures: 7,000 of 14,000
    assert figure(page, "completion_rate") == "50.0%"
    assert 'href="/reporting/entry/"' in html and 'href="/bottlenecks/"' in html
    assert "/reporting/status/" not in html
    assert "分类推进情况" not in html  # staff get their unit, not the county overview


def test_bureau_home_shows_reporting_status_and_overview(client, county, drc_user):
    report_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    # the township's two projects are on the reporting year's list; give one of them a figure
    if report_month.year != 2026:
        for p in (county.p4, county.p5):
            AnnualPlanFactory(project=p, year=report_month.year)
    MonthlyActualFactory(project=county.p4, year=report_month.year, month=report_month.month)
    client.force_login(drc_user)
    response = client.get("/", PERIOD)
    html = response.content.decode()
    assert 'href="/reporting/status/"' in html and 'href="/reporting/periods/"' in html
    missing = {li.text_content().split()[0] for li in doc(response).get_element_by_id("missing-units")}
    assert missing == {"城关镇", "县交通运输局", "县水利局"}  # figures entered but nobody has submitted yet
    assert "3个责任单位中,0个已报送" in html
    assert "总体推进情况" in html


@pytest.mark.parametrize(
    "path",
    ["/projects/", "/lists/warning/", "/overview/", "/leaders/", "/ranking/units/", "/lists/bottlenecks/", "/"],
)
def test_user_text_is_escaped(client, drc_user, path):
    from ..factories import UnitFactory

    unit = UnitFactory(name=f"{SCRIPT}局")
    leader = LeaderFactory(name=f"{SCRIPT}县长")
    p = ProjectFactory(name=SCRIPT, unit=unit, leader=leader)
    AnnualPlanFactory(project=p, year=2026, pipeline=Pipeline.NEW, amount=Decimal("1000.00"))
    MonthlyActualFactory(project=p, year=2026, month=6, amount=Decimal("1.00"), progress=SCRIPT, problems=SCRIPT)
    BottleneckFactory(project=p, description=SCRIPT)
    client.force_login(drc_user)
    html = client.get(path, {**PERIOD, "search": SCRIPT}).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html


def test_project_page_escapes_everything_including_history(client, drc_user):
    p = ProjectFactory(name=SCRIPT, content=SCRIPT, owner=SCRIPT)
    AnnualPlanFactory(project=p, year=2026)
    MonthlyActualFactory(project=p, year=2026, month=2, progress=SCRIPT)
    BottleneckFactory(project=p, description=SCRIPT, resolution=SCRIPT)
    client.force_login(drc_user)
    html = client.get(f"/projects/{p.pk}/", PERIOD).content.decode()
    assert SCRIPT not in html and ESCAPED in html
    assert "</script><script>" not in html.replace('<script src="', "")


def test_pages_are_chinese_with_status_labels_beside_colours(client, county, leader_user):
    client.force_login(leader_user)
    html = client.get("/overview/", PERIOD).content.decode()
    for text in (
        "序时进度",
        "投资完成率",
        "重点项目建设推进情况",
        "亿元",
        "万元",
        "较快",
        "正常",
        "预警",
        "滞后",
        "导出Excel",
        "打印",
    ):
        assert text in html, text
    page = doc(client.get("/lists/warning/", PERIOD))
    for badge in page.xpath("//table//*[@data-status]"):
        assert badge.text_content().strip()[-2:] in {"较快", "正常", "预警", "滞后"}  # never a colour alone


def test_navigation_keeps_the_month_and_offers_prev_next(client, county, leader_user):
    client.force_login(leader_user)
    page = doc(client.get("/ranking/units/", {**PERIOD, "min_plan": "0"}))
    assert "/overview/?year=2026&month=6" in page.xpath("//nav[@class='mainnav']/a/@href")
    prev = page.xpath("//a[@rel='prev']/@href")[0]
    assert "year=2026" in prev and "month=5" in prev and "min_plan=0" in prev
    nxt = doc(client.get("/overview/", {"year": 2026, "month": 12})).xpath("//a[@rel='next']/@href")[0]
    assert "year=2027" in nxt and "month=1" in nxt


def test_chart_assets_are_local(client, county, leader_user):
    client.force_login(leader_user)
    html = client.get("/overview/", PERIOD).content.decode()
    page = doc(client.get("/overview/", PERIOD))
    scripts = page.xpath("//script/@src")
    links = page.xpath("//link/@href")
    assert all(s.startswith("/static/") for s in scripts), scripts
    assert all(h.startswith("/static/") or h.startswith("data:") for h in links), links
    assert page.xpath("//link[@media='print']/@href") == ["/static/css/print.css"]
    assert "/static/vendor/echarts/echarts.min.js" in scripts
    assert "http://" not in html and "https://" not in html
    assert table_rows(page, "pipeline-table")


def test_staticfiles_serve_echarts_from_node_modules():
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/echarts/echarts.min.js")
    assert found and found.endswith("node_modules/echarts/dist/echarts.min.js")
