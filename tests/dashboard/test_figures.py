"""The pages show the engine's figures: checked against hand computations and against /api/progress/."""

from decimal import Decimal

import pytest

from projects.services.figures import actual_set

from .helpers import api_points, api_rate, chart, counts, doc, figure, row_links, table_rows

pytestmark = pytest.mark.django_db
PERIOD = {"year": 2026, "month": 6}


def api(client, **params):
    response = client.get("/api/progress/", {**PERIOD, **params})
    assert response.status_code == 200
    return response.json()


def test_overview_totals_by_hand(leader_client, county):
    page = doc(leader_client.get("/overview/", PERIOD))
    # 6 projects; plan 25,000 万元 = 2.50 亿元; Jan–Jun 9,400 → 37.6 % against 50 %: −12.4 points (warning)
    assert figure(page, "projects") == "6"
    assert figure(page, "annual_plan") == "2.50"
    assert page.xpath('//*[@data-figure="annual_plan"]/@data-wan') == ["25000.00"]
    assert figure(page, "actual_to_date") == "0.94"
    assert figure(page, "completion_rate") == "37.6%"
    assert figure(page, "time_elapsed_rate") == "50.0%"
    assert figure(page, "gap_points") == "-12.4"
    # last year only P1 was on the list: 2,000 of 8,000 by June = 25 %
    assert figure(page, "yoy_rate") == "25.0%"
    assert figure(page, "yoy_points") == "+12.6"
    assert counts(page) == {"ahead": 1, "normal": 0, "warning": 1, "lagging": 3}
    assert figure(page, "prephase_rate") == "0.0%"  # the one planned project is still in pre-phase
    kpi_status = page.xpath('//*[@data-figure="gap_points"]/ancestor::div[@class="kpi"]//*[@data-status]/@data-status')
    assert kpi_status == ["warning"]
    rows = {r[0]: r for r in table_rows(page, "pipeline-table")}
    assert rows["续建"][1:7] == ["1", "10,000.00", "6,000.00", "60.0%", "+10.0", "▲较快"]
    # new-build: 3,400 of 15,000 = 22.666… → 22.7 %
    assert rows["新建"][1:7] == ["4", "15,000.00", "3,400.00", "22.7%", "-27.3", "▼滞后"]
    assert rows["谋划"][4:7] == ["—", "—", "—"]


def test_overview_matches_the_api_to_a_tenth(leader_client, county):
    for params in ({}, {"unit": county.transport.pk}, {"pipeline": "new"}, {"leader": county.li.pk}):
        page = doc(leader_client.get("/overview/", {**PERIOD, **params}))
        data = api(leader_client, group_by="pipeline", **params)
        t = data["totals"]
        assert figure(page, "projects") == str(t["projects"])
        assert page.xpath('//*[@data-figure="annual_plan"]/@data-wan') == [t["annual_plan"]]
        assert page.xpath('//*[@data-figure="actual_to_date"]/@data-wan') == [t["actual_to_date"]]
        assert figure(page, "completion_rate") == api_rate(t["completion_rate"])
        assert figure(page, "gap_points") == api_points(t["gap_points"])
        assert figure(page, "yoy_points") == api_points(t["yoy_points"])
        assert figure(page, "time_elapsed_rate") == api_rate(data["time_elapsed_rate"])
        assert counts(page) == t["status_counts"]
        rows = {r[0]: r for r in table_rows(page, "pipeline-table")}
        assert len(rows) == len(data["groups"])
        for g in data["groups"]:
            assert rows[g["label"]][4] == api_rate(g["completion_rate"])
            assert rows[g["label"]][5] == api_points(g["gap_points"])


def test_overview_chart_data_and_export_link_follow_the_filters(leader_client, county):
    page = doc(leader_client.get("/overview/", {**PERIOD, "unit": county.transport.pk}))
    data = chart(page, "pace-data")
    # transport: plans 14,000 → pace 7,000 at June; actuals 1,000 (Jan), 1,000 (Feb), 2,000 (Mar), 3,000 (Jun)
    assert data["planned"][5] == "7000.00" and data["planned"][11] == "14000.00"
    assert data["actual"][:6] == ["1000.00", "2000.00", "4000.00", "4000.00", "4000.00", "7000.00"]
    assert data["actual"][6:] == [None] * 6  # July figures exist but the chosen month is June
    assert data["scale"] == 10000 and data["unit"] == "亿元"
    links = page.xpath("//a[@data-export]/@href")
    assert links == [f"/reports/progress.xlsx?year=2026&month=6&unit={county.transport.pk}"]


def selected_month(page) -> list[str]:
    return page.xpath('//select[@name="month"]/option[@selected]/@value')


def test_default_month_is_the_latest_locked_month_not_the_latest_figure(leader_client, county, monkeypatch):
    import datetime as dt

    from projects import periods
    from projects.models import ReportingPeriod

    from ..factories import MonthlyActualFactory

    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 8, 15))
    # a staff draft for August (not ended) and September moves nobody's default month
    MonthlyActualFactory(project=county.p2, year=2026, month=8, amount=Decimal("500.00"))
    # nothing locked in 2026: the month before the current one, July (schedule 7/12 = 58.3 %)
    page = doc(leader_client.get("/overview/"))
    assert figure(page, "time_elapsed_rate") == "58.3%"
    assert selected_month(page) == ["7"]
    # the bureau locked June: June, though July has figures
    ReportingPeriod.objects.create(year=2026, month=6, locked=True)
    ReportingPeriod.objects.create(year=2026, month=7, locked=False)
    page = doc(leader_client.get("/overview/"))
    assert figure(page, "time_elapsed_rate") == "50.0%"
    assert selected_month(page) == ["6"]
    # a year alone: 2025 has ended and nothing of it is locked, so December; then its latest locked month
    assert selected_month(doc(leader_client.get("/overview/", {"year": 2025}))) == ["12"]
    ReportingPeriod.objects.create(year=2025, month=9, locked=True)
    assert selected_month(doc(leader_client.get("/overview/", {"year": 2025}))) == ["9"]


def test_unit_ranking_with_the_default_and_a_chosen_minimum(leader_client, county):
    page = doc(leader_client.get("/ranking/units/", PERIOD))
    ranked = table_rows(page, "ranking-table")
    # transport 7,000 / 14,000 = 50 %; water 2,400 / 9,000 = 26.7 %; the township's 2,000 is under 5,000
    assert [(r[0], r[1], r[6]) for r in ranked] == [("1", "县交通运输局", "50.0%"), ("2", "县水利局", "26.7%")]
    assert [r[0] for r in table_rows(page, "unranked-table")] == ["城关镇"]
    page = doc(leader_client.get("/ranking/units/", {**PERIOD, "min_plan": "0"}))
    assert [(r[1], r[6]) for r in table_rows(page, "ranking-table")][-1] == ("城关镇", "0.0%")
    page = doc(leader_client.get("/ranking/units/", {**PERIOD, "min_plan": "10000"}))
    assert [r[1] for r in table_rows(page, "ranking-table")] == ["县交通运输局"]
    page = doc(leader_client.get("/ranking/units/", {**PERIOD, "min_plan": "0", "kind": "township"}))
    assert [r[1] for r in table_rows(page, "ranking-table")] == ["城关镇"]
    by_unit = {g["label"]: g for g in api(leader_client, group_by="unit")["groups"]}
    for row in table_rows(doc(leader_client.get("/ranking/units/", {**PERIOD, "min_plan": "0"})), "ranking-table"):
        assert row[6] == api_rate(by_unit[row[1]]["completion_rate"])


def test_leader_pages(leader_client, county):
    rows = {r[0]: r for r in table_rows(doc(leader_client.get("/leaders/", PERIOD)), "leader-table")}
    # 王: P1 + P3 = 8,400 / 16,000 = 52.5 %; 李: P2 + P5 = 1,000 / 4,000 = 25 %; none: P4 + P6 = 0 / 5,000
    assert rows["王县长"][2] == "2" and rows["王县长"][5] == "52.5%"
    assert rows["李副县长"][5] == "25.0%"
    assert rows["未明确联系领导"][5] == "0.0%"
    assert list(rows)[:2] == ["王县长", "李副县长"]  # leaders' order
    page = doc(leader_client.get(f"/leaders/{county.wang.pk}/", PERIOD))
    assert figure(page, "completion_rate") == "52.5%"
    assert row_links(page, "leader-projects") == ["县城环城路", "灌区改造"]


def test_sector_and_industry_shares(leader_client, county):
    page = doc(leader_client.get("/breakdown/sector/", PERIOD))
    rows = {r[0]: r for r in table_rows(page, "breakdown-table")}
    assert {k: v[2] for k, v in rows.items()} == {
        "交通": "33.3%",
        "水利": "33.3%",
        "城建": "16.7%",
        "社会事业": "16.7%",
    }
    by_sector = {g["label"]: g for g in api(leader_client, group_by="sector")["groups"]}
    for label, row in rows.items():
        assert row[5] == api_rate(by_sector[label]["completion_rate"])
    assert chart(page, "groups-data")["schedule"] == 50.0
    rows = {r[0]: r for r in table_rows(doc(leader_client.get("/breakdown/industry/", PERIOD)), "breakdown-table")}
    assert rows["二产"][1:3] == ["1", "16.7%"] and rows["三产"][1:3] == ["5", "83.3%"]


def test_warning_and_lagging_list(leader_client, county):
    page = doc(leader_client.get("/lists/warning/", PERIOD))
    rows = table_rows(page, "warning-table")
    # furthest behind first: P4 and P6 at −50, P2 at −25, P3 at −10 (warning)
    names = row_links(page, "warning-table")
    assert names[2:] == ["客运站", "灌区改造"] and set(names[:2]) == {"老旧小区改造", "水厂"}
    assert [r[6] for r in rows] == ["-50.0", "-50.0", "-25.0", "-10.0"]
    lagging = table_rows(doc(leader_client.get("/lists/warning/", {**PERIOD, "status": "lagging"})), "warning-table")
    assert len(lagging) == 3
    only = doc(leader_client.get("/lists/warning/", {**PERIOD, "unit": county.water.pk}))
    assert row_links(only, "warning-table") == ["水厂", "灌区改造"]


@pytest.mark.parametrize(
    "month, expected",
    [
        # June: P3 planned 1 May, started 15 July → 60 days; P4 planned 30 June → 0 days
        (6, [("灌区改造", "60"), ("老旧小区改造", "0")]),
        (7, [("老旧小区改造", "31")]),  # P3 started in July; P6 is planned for August
        (8, [("老旧小区改造", "62"), ("水厂", "30")]),
    ],
)
def test_not_started_new_builds(leader_client, county, month, expected):
    page = doc(leader_client.get("/lists/not-started/", {"year": 2026, "month": month}))
    days = [r[4] for r in table_rows(page, "not-started-table")]
    assert list(zip(row_links(page, "not-started-table"), days, strict=True)) == expected


def test_open_bottlenecks_by_category_with_age(leader_client, county):
    page = doc(leader_client.get("/lists/bottlenecks/", PERIOD))
    rows = table_rows(page, "bottleneck-table")
    # by category in the SPEC's order (land acquisition before funding), oldest first within one
    assert [(r[0], r[6]) for r in rows] == [("征迁", "10"), ("资金", "30")]
    assert row_links(page, "bottleneck-table") == ["灌区改造", "客运站"]
    shown = {el.get("data-category"): el.text_content() for el in page.xpath("//*[@data-category]")}
    assert shown == {"land_acquisition": "1", "funding": "1", "land_quota": "0", "approvals": "0", "other": "0"}
    page = doc(leader_client.get("/lists/bottlenecks/", {**PERIOD, "unit": county.water.pk}))
    assert row_links(page, "bottleneck-table") == ["灌区改造"]
    page = doc(leader_client.get("/lists/bottlenecks/", {**PERIOD, "category": "funding"}))
    assert row_links(page, "bottleneck-table") == ["客运站"]


def test_project_list_filters_and_status(leader_client, county):
    page = doc(leader_client.get("/projects/", {**PERIOD, "status": "lagging", "sort": "gap"}))
    assert row_links(page, "project-table")[2] == "客运站"
    page = doc(leader_client.get("/projects/", {**PERIOD, "search": "灌区"}))
    rows = table_rows(page, "project-table")
    assert len(rows) == 1 and rows[0][7] == "40.0%" and rows[0][9] == "◆预警"


def test_project_page_figures_months_and_history(leader_client, county, drc_user):
    actual_set(user=drc_user, project=county.p1, year=2026, month=3, amount=Decimal("2500.00"), change_reason="更正")
    page = doc(leader_client.get(f"/projects/{county.p1.pk}/", PERIOD))
    # Jan 1,000 + Mar 2,500 + Jun 3,000 = 6,500 of 10,000 = 65 %: +15 points, ahead
    assert figure(page, "plan") == "10,000.00"
    assert figure(page, "actual_to_date") == "6,500.00"
    assert figure(page, "completion_rate") == "65.0%"
    assert figure(page, "gap_points") == "+15.0"
    months = table_rows(page, "month-table")
    assert months[2][1:5] == ["2,500.00", "3,500.00", "2,500.00", "35.0%"]
    assert months[3][1] == "未填报"
    assert [r[0] for r in table_rows(page, "plan-table")] == ["2026", "2025"]
    assert chart(page, "pace-data")["actual"][5] == "6500.00"
    history = table_rows(page, "history")
    change = next(r for r in history if "2026年03月完成投资" in r[1] and "2000.00" in r[2])
    assert "2500.00" in change[2] and change[4] == "更正"
    bottlenecks = table_rows(page, "project-bottlenecks")
    assert bottlenecks[0][0] == "审批手续"


def test_project_page_for_a_year_without_a_plan(leader_client, county):
    page = leader_client.get(f"/projects/{county.p1.pk}/", {"year": 2024, "month": 6}).content.decode()
    assert "该项目未列入2024年度重点项目" in page
