"""POST /api/import/annual-list/: the bureau's list of projects and plans, all or nothing, with history."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from projects.models import AnnualPlan, Project

from ..factories import LeaderFactory, UnitFactory
from .helpers import body, count_queries, make, post_import, xlsx

pytestmark = pytest.mark.django_db
URL = "/api/import/annual-list/"
HEADERS = [
    "项目编号", "项目名称", "责任单位", "联系县领导", "行业领域", "产业类别", "建设阶段", "项目级别", "总投资(万元)",
    "计划开工日期", "建设内容", "年", "项目类别", "年度计划投资(万元)",
]  # fmt: skip


def row(**cells):
    base = dict.fromkeys(HEADERS)
    base.update({"项目编号": "X01", "年": 2027, "项目类别": "新建", "年度计划投资(万元)": 100})
    base.update(cells)
    return [base[h] for h in HEADERS]


def state():
    """Every project and plan, to show that a refused import changed nothing."""
    projects = sorted(Project.objects.values_list("code", "name", "unit__name", "leader__name", "sector"))
    plans = sorted(AnnualPlan.objects.values_list("project__code", "year", "pipeline", "amount"))
    return projects, plans


def errors_of(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def test_bureau_creates_projects_and_plans_from_codes_or_labels(client, drc_user, unit):
    leader = LeaderFactory(name="孙副县长")
    client.force_login(drc_user)
    rows = [
        row(项目名称="新城大道", 责任单位=unit.name, 联系县领导="孙副县长", 行业领域="交通", 产业类别="三产",
            建设阶段="具备开工条件", 项目级别="市级重点", 建设内容="全长8公里",
            **{"总投资(万元)": 52000.5, "计划开工日期": dt.datetime(2027, 3, 1)}),
        row(项目编号="X02", 项目名称="污水处理厂", 责任单位=unit.name, 行业领域="ecology", 项目类别="continuing",
            计划开工日期="2026/9/1", **{"年度计划投资(万元)": 0}),
    ]  # fmt: skip
    response = post_import(client, URL, xlsx(rows, HEADERS))
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    p = Project.objects.get(code="X01")
    assert (p.name, p.unit, p.leader, p.sector, p.industry, p.stage, p.level) == (
        "新城大道", unit, leader, "transport", "tertiary", "ready", "city",
    )  # fmt: skip
    assert p.total_investment == Decimal("52000.50") and p.planned_start == dt.date(2027, 3, 1)
    assert p.content == "全长8公里"
    plan = AnnualPlan.objects.get(project=p, year=2027)
    assert (plan.pipeline, plan.amount) == ("new", Decimal("100.00"))
    q = Project.objects.get(code="X02")
    assert q.sector == "ecology" and q.planned_start == dt.date(2026, 9, 1)
    assert AnnualPlan.objects.get(project=q).pipeline == "continuing"
    assert p.history.first().history_user == drc_user and plan.history.count() == 1


def test_updates_by_code_count_changed_rows_only_and_keep_history(client, drc_user, unit):
    existing = make("300.00", year=2027, unit=unit, code="X01", name="旧名")
    make("50.00", year=2027, unit=unit, code="X03")
    client.force_login(drc_user)
    rows = [
        row(项目名称="新名", **{"年度计划投资(万元)": 300}, 项目类别="续建"),  # project renamed, plan same
        row(项目编号="X03", 项目类别="续建", **{"年度计划投资(万元)": 50}),  # unchanged
        row(项目编号="X01", 年=2028, 项目类别="续建", **{"年度计划投资(万元)": 900}),  # next year's plan: created
    ]
    response = post_import(client, URL, xlsx(rows, HEADERS), change_reason="年度清单调整")
    assert response.json() == {"created": 1, "updated": 1}
    existing.refresh_from_db()
    assert existing.name == "新名" and existing.unit == unit  # blank cells leave values as they are
    latest = existing.history.first()
    assert latest.history_type == "~" and latest.history_change_reason == "年度清单调整"
    assert latest.prev_record.name == "旧名"
    assert AnnualPlan.objects.get(project=existing, year=2028).amount == Decimal("900.00")
    # Importing the same file again changes nothing.
    assert post_import(client, URL, xlsx(rows, HEADERS)).json() == {"created": 0, "updated": 0}
    assert existing.history.count() == 2


def test_plan_change_is_an_update(client, drc_user, unit):
    p = make("300.00", year=2027, unit=unit, code="X01")
    client.force_login(drc_user)
    response = post_import(client, URL, xlsx([row(项目类别="续建", **{"年度计划投资(万元)": 350.25})], HEADERS))
    assert response.json() == {"created": 0, "updated": 1}
    plan = AnnualPlan.objects.get(project=p, year=2027)
    assert plan.amount == Decimal("350.25") and plan.history.first().prev_record.amount == Decimal("300.00")


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({"责任单位": "不存在的局"}, "责任单位", "不存在"),
        ({"联系县领导": "无名氏"}, "联系县领导", "不存在"),
        ({"行业领域": "航天"}, "行业领域", "交通"),
        ({"项目类别": "someday"}, "项目类别", "续建"),
        ({"项目类别": None}, "项目类别", "续建"),
        ({"年度计划投资(万元)": -1}, "年度计划投资(万元)", "负数"),
        ({"年度计划投资(万元)": "很多"}, "年度计划投资(万元)", "不是数字"),
        ({"年": 1999}, "年", "2000—2100"),
        ({"计划开工日期": "明年春天"}, "计划开工日期", "日期"),
        ({"项目名称": None}, "项目名称", "新项目"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_saved(client, drc_user, unit, cells, column, words):
    client.force_login(drc_user)
    before = state()
    good = row(项目编号="G01", 项目名称="好项目", 责任单位=unit.name)
    bad = row(**{"项目名称": "坏项目", "责任单位": unit.name, **cells})
    errors = errors_of(post_import(client, URL, xlsx([good, bad], HEADERS)))
    assert [(e["row"], e["column"]) for e in errors] == [(3, column)]
    assert words in errors[0]["message"]
    assert state() == before


def test_duplicate_rows_and_conflicting_rows(client, drc_user, unit):
    client.force_login(drc_user)
    rows = [
        row(项目名称="甲", 责任单位=unit.name),
        row(项目名称="甲", 责任单位=unit.name),  # same project and year
        row(项目名称="乙", 责任单位=unit.name, 年=2028),  # same project, another name
    ]
    errors = errors_of(post_import(client, URL, xlsx(rows, HEADERS)))
    assert [(e["row"], e["column"]) for e in errors] == [(3, "项目编号"), (4, "项目名称")]
    assert not Project.objects.filter(code="X01").exists()


def test_ambiguous_leader_names_need_the_title(client, drc_user, unit):
    LeaderFactory(name="周强", title="副县长")
    second = LeaderFactory(name="周强", title="县委常委")
    client.force_login(drc_user)
    errors = errors_of(
        post_import(client, URL, xlsx([row(项目名称="甲", 责任单位=unit.name, 联系县领导="周强")], HEADERS))
    )
    assert errors[0]["column"] == "联系县领导" and "职务" in errors[0]["message"]
    response = post_import(
        client, URL, xlsx([row(项目名称="甲", 责任单位=unit.name, 联系县领导="周强（县委常委）")], HEADERS)
    )
    assert response.status_code == 200 and Project.objects.get(code="X01").leader == second


def test_only_the_bureau_imports_the_list(client, staff_user, leader_user, unit):
    content = xlsx([row(项目名称="甲", 责任单位=unit.name)], HEADERS)
    assert post_import(client, URL, content).status_code == 401
    for user in (staff_user, leader_user):
        client.force_login(user)
        assert post_import(client, URL, content).status_code == 403
    assert not Project.objects.filter(code="X01").exists()


def test_template_round_trip_to_next_years_list(client, drc_user, unit):
    for i in range(3):
        make("100.00", year=2026, unit=unit, code=f"R{i}")
    client.force_login(drc_user)
    wb = load_workbook(io.BytesIO(body(client.get("/reports/annual-list-template.xlsx", {"year": 2026}))))
    ws = wb.worksheets[0]
    year_col = [c.value for c in ws[1]].index("年") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, year_col).value = 2027
    out = io.BytesIO()
    wb.save(out)
    assert post_import(client, URL, out.getvalue()).json() == {"created": 3, "updated": 0}
    assert AnnualPlan.objects.filter(year=2027).count() == 3
    assert post_import(client, URL, out.getvalue()).json() == {"created": 0, "updated": 0}


def test_list_import_query_count_is_constant(client, drc_user):
    client.force_login(drc_user)
    units = [UnitFactory() for _ in range(3)]
    leaders = [LeaderFactory() for _ in range(3)]

    def content(n, prefix, year, amount):
        return xlsx(
            [
                row(项目编号=f"{prefix}{i:03d}", 项目名称=f"项目{i}", 责任单位=units[i % 3].name,
                    联系县领导=leaders[i % 3].name, 年=year, **{"年度计划投资(万元)": amount})
                for i in range(n)
            ],
            HEADERS,
        )  # fmt: skip

    def run(*args):
        data = content(*args)
        return count_queries(lambda: post_import(client, URL, data))

    assert run(5, "S", 2027, 10) == run(40, "L", 2027, 10)  # new projects and plans
    assert run(5, "S", 2027, 20) == run(40, "L", 2027, 20)  # changed plans
    assert run(5, "S", 2027, 20) == run(40, "L", 2027, 20)  # nothing changes
