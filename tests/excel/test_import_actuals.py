"""POST /api/import/actuals/: round trip, every bad input of SPEC section 8, all-or-nothing, idempotence."""

import io
import os
import zipfile
from decimal import Decimal

import pytest
from knox.models import AuthToken
from openpyxl import load_workbook

from projects.models import MonthlyActual

from ..factories import ReportingPeriodFactory, UnitFactory
from .helpers import body, count_queries, make, post_import, xlsx

pytestmark = pytest.mark.django_db
URL = "/api/import/actuals/"
AMOUNT = "本月完成投资(万元)"


@pytest.fixture
def mine(unit):
    return make("1000.00", [(1, "100.00")], unit=unit, code="JT01", name="交通一号")


@pytest.fixture
def mine2(unit):
    return make("500.00", unit=unit, code="JT02", name="交通二号")


@pytest.fixture
def theirs(other_unit):
    return make("800.00", [(1, "80.00")], unit=other_unit, code="SL01", name="水利一号")


def stored():
    """Every stored figure, to show that a refused import changed nothing."""
    return sorted(MonthlyActual.objects.values_list("project__code", "year", "month", "amount", "progress"))


def errors_of(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def test_round_trip_template_fill_import_and_read_back(client, staff_user, mine, mine2, theirs):
    client.force_login(staff_user)
    template = body(client.get("/reports/actuals-template.xlsx", {"year": 2026, "month": 2}))
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    for r in range(2, ws.max_row + 1):
        code = ws.cell(r, col["项目编号"]).value
        ws.cell(r, col[AMOUNT]).value = {"JT01": 250.5, "JT02": 0}[code]
        ws.cell(r, col["形象进度"]).value = {"JT01": "桥梁下部结构完成", "JT02": "完成招标"}[code]
    out = io.BytesIO()
    wb.save(out)
    filled = out.getvalue()

    response = post_import(client, URL, filled)
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    a = MonthlyActual.objects.get(project=mine, year=2026, month=2)
    assert (a.amount, a.progress) == (Decimal("250.50"), "桥梁下部结构完成")
    assert MonthlyActual.objects.get(project=mine2, year=2026, month=2).amount == Decimal("0.00")
    assert a.history.count() == 1 and a.history.first().history_user == staff_user

    # Importing the same file again changes nothing and writes no history.
    assert post_import(client, URL, filled).json() == {"created": 0, "updated": 0}
    assert a.history.count() == 1

    # A corrected figure replaces the stored one, with old and new in the history.
    ws.cell(2, col[AMOUNT]).value = 260
    out = io.BytesIO()
    wb.save(out)
    assert post_import(client, URL, out.getvalue()).json() == {"created": 0, "updated": 1}
    a.refresh_from_db()
    assert a.amount == Decimal("260.00") and a.version == 2
    latest = a.history.first()
    assert latest.history_type == "~" and latest.prev_record.amount == Decimal("250.50")


def test_token_authentication_and_change_counts(client, drc_user, mine, theirs):
    _instance, token = AuthToken.objects.create(user=drc_user)
    content = xlsx([["JT01", "", 2026, 1, 100, ""], ["SL01", "", 2026, 1, 90, "完工"]])
    response = client.post(URL, {"file": io.BytesIO(content)}, HTTP_AUTHORIZATION=f"Token {token}")
    # JT01's January figure is unchanged (100.00); SL01's changes from 80 to 90.
    assert response.status_code == 200 and response.json() == {"created": 0, "updated": 1}


def test_anonymous_gets_401_and_leaders_403(client, leader_user, mine):
    assert post_import(client, URL, xlsx([["JT01", "", 2026, 2, 1, ""]])).status_code == 401
    client.force_login(leader_user)
    assert post_import(client, URL, xlsx([["JT01", "", 2026, 2, 1, ""]])).status_code == 403
    assert not MonthlyActual.objects.filter(month=2).exists()


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({AMOUNT: -5}, AMOUNT, "负数"),
        ({AMOUNT: "一百"}, AMOUNT, "不是数字"),
        ({AMOUNT: "100"}, AMOUNT, "文本"),
        ({AMOUNT: 1.234}, AMOUNT, "两位小数"),
        ({"月": 13}, "月", "1—12"),
        ({"月": 0}, "月", "1—12"),
        ({"月": 2.5}, "月", "1—12"),
        ({"年": 1999}, "年", "2000—2100"),
        ({"年": 2101}, "年", "2000—2100"),
        ({"年": "2026年"}, "年", "文字"),
        ({"项目编号": "NOPE"}, "项目编号", "不存在"),
        ({"项目编号": ""}, "项目编号", "项目编号"),
        ({AMOUNT: None}, AMOUNT, "填 0"),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column_and_nothing_is_saved(client, staff_user, mine, cells, column, words):
    client.force_login(staff_user)
    good = {"项目编号": "JT02", "项目名称": "", "年": 2026, "月": 2, AMOUNT: 10, "形象进度": "ok"}
    make("500.00", unit=staff_user.unit, code="JT02")
    bad = {"项目编号": "JT01", "项目名称": "", "年": 2026, "月": 2, AMOUNT: 10, "形象进度": "ok", **cells}
    before = stored()
    rows = [list(good.values()), list(bad.values())]
    errors = errors_of(post_import(client, URL, xlsx(rows)))
    assert len(errors) == 1, errors
    assert (errors[0]["row"], errors[0]["column"]) == (3, column)
    assert words in errors[0]["message"]
    assert stored() == before  # the good row 2 was not saved either


def test_every_bad_row_and_column_is_reported_at_once(client, drc_user, mine):
    client.force_login(drc_user)
    rows = [
        ["JT01", "", 2026, 2, 10, ""],
        ["JT01", "", 1999, 14, -1, ""],  # row 3: year, month and amount
        [None, None, None, None, None, None],  # row 4: blank, skipped
        ["JT01", "", 2026, 2, 20, ""],  # row 5: duplicate of row 2
        ["ZZ99", "", 2026, 2, 5, ""],  # row 6: unknown project
    ]
    errors = errors_of(post_import(client, URL, xlsx(rows)))
    assert [(e["row"], e["column"]) for e in errors] == [
        (3, "年"),
        (3, "月"),
        (3, AMOUNT),
        (5, "项目编号"),
        (6, "项目编号"),
    ]
    assert "第 2 行" in errors[3]["message"]
    assert not MonthlyActual.objects.filter(month=2).exists()


def test_a_row_for_another_units_project_is_a_row_error_and_nothing_is_saved(client, staff_user, mine, theirs):
    client.force_login(staff_user)
    before = stored()
    errors = errors_of(post_import(client, URL, xlsx([["JT01", "", 2026, 2, 10, "ok"], ["SL01", "", 2026, 2, 99, ""]])))
    assert errors == [{"row": 3, "column": "项目编号", "message": "项目 SL01 属于县水利局，只能填报本单位的项目。"}]
    assert stored() == before


def test_locked_month_refused_for_staff_and_needs_a_reason_from_the_bureau(client, staff_user, drc_user, mine):
    ReportingPeriodFactory(year=2026, month=1, locked=True)
    content = xlsx([["JT01", "", 2026, 1, 120, "改"]])
    client.force_login(staff_user)
    errors = errors_of(post_import(client, URL, content))
    assert (errors[0]["row"], errors[0]["column"]) == (2, "月") and "锁定" in errors[0]["message"]
    client.force_login(drc_user)
    errors = errors_of(post_import(client, URL, content))
    assert "原因" in errors[0]["message"]
    assert MonthlyActual.objects.get(project=mine, month=1).amount == Decimal("100.00")
    response = post_import(client, URL, content, change_reason="统计局核定数调整")
    assert response.json() == {"created": 0, "updated": 1}
    actual = MonthlyActual.objects.get(project=mine, month=1)
    assert actual.amount == Decimal("120.00")
    assert actual.history.first().history_change_reason == "统计局核定数调整"


def test_unchanged_rows_of_a_locked_month_do_not_block(client, staff_user, mine):
    ReportingPeriodFactory(year=2026, month=1, locked=True)
    client.force_login(staff_user)
    response = post_import(client, URL, xlsx([["JT01", "", 2026, 1, 100, ""], ["JT01", "", 2026, 2, 30, ""]]))
    assert response.json() == {"created": 1, "updated": 0}


@pytest.mark.parametrize(
    "content, words",
    [
        (b"not a workbook at all", "不是 Excel 工作簿"),
        ("项目编号,年,月\nJT01,2026,2\n".encode(), "不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 damaged", "损坏"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_a_whole_file_error(client, staff_user, mine, content, words):
    client.force_login(staff_user)
    errors = errors_of(post_import(client, URL, content))
    assert errors[0]["row"] is None and words in errors[0]["message"]


def test_a_zip_that_is_not_a_workbook(client, staff_user):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    client.force_login(staff_user)
    errors = errors_of(post_import(client, URL, out.getvalue()))
    assert errors[0]["row"] is None


def test_too_large_a_file_is_refused_with_the_limit(client, staff_user):
    client.force_login(staff_user)
    for size in (5 * 1024 * 1024 + 10, 6 * 1024 * 1024):
        errors = errors_of(post_import(client, URL, b"PK" + os.urandom(size)))
        assert errors[0]["row"] is None and "5 MB" in errors[0]["message"]


def test_missing_file_and_missing_columns(client, staff_user):
    client.force_login(staff_user)
    errors = errors_of(client.post(URL, {}))
    assert "file" in errors[0]["message"]
    errors = errors_of(post_import(client, URL, xlsx([["JT01", 2026, 2]], headers=["项目编号", "年", "月"])))
    assert errors == [{"row": None, "column": AMOUNT, "message": "缺少“本月完成投资(万元)”列。"}]


def test_blank_rows_are_skipped_and_row_numbers_follow_the_sheet(client, staff_user, mine, mine2):
    client.force_login(staff_user)
    rows = [
        ["JT01", "交通一号", 2026, 2, None, None],  # pre-filled, nothing entered: skipped
        [None] * 6,
        ["JT02", "", 2026, 2, 5, ""],
        ["JT02", "", 2026, 3, None, "只写了进度"],  # narrative without amount
    ]
    errors = errors_of(post_import(client, URL, xlsx(rows, title_rows=["2026年2月填报表"])))
    # Title row 1, header row 2: the rows are 3, 4, 5 and 6.
    assert [(e["row"], e["column"]) for e in errors] == [(6, AMOUNT)]
    response = post_import(client, URL, xlsx(rows[:3], title_rows=["2026年2月填报表"]))
    assert response.json() == {"created": 1, "updated": 0}


def test_header_spellings_and_floating_point_noise(client, staff_user, mine):
    client.force_login(staff_user)
    headers = ["项目编号", "年度", "月份", "本月完成投资（万元）", "形象 进度"]
    response = post_import(client, URL, xlsx([["JT01", 2026.0, 2, 0.1 + 0.2, "x"]], headers=headers))
    assert response.json() == {"created": 1, "updated": 0}
    assert MonthlyActual.objects.get(project=mine, month=2).amount == Decimal("0.30")


def test_warnings_do_not_block(client, staff_user, mine, unit):
    make("100.00", year=2025, unit=unit, code="JT09")  # no 2026 plan
    client.force_login(staff_user)
    response = post_import(client, URL, xlsx([["JT01", "", 2026, 2, 950, ""], ["JT09", "", 2026, 2, 1, ""]]))
    assert response.status_code == 200
    data = response.json()
    assert (data["created"], data["updated"]) == (2, 0)
    assert [(w["row"], w["column"]) for w in data["warnings"]] == [(2, AMOUNT), (3, "项目编号")]
    assert "1,050.00" in data["warnings"][0]["message"]  # Jan 100 + Feb 950 over the plan of 1,000


def test_import_query_count_is_constant(client, drc_user):
    client.force_login(drc_user)
    units = [UnitFactory() for _ in range(3)]
    codes = [make("100.00", unit=units[i % 3], code=f"Q{i:03d}").code for i in range(40)]

    def run(some, month, base):
        content = xlsx([[c, "", 2026, month, base + i, "进度"] for i, c in enumerate(some)])
        return count_queries(lambda: post_import(client, URL, content))

    assert run(codes[:5], 1, 10) == run(codes, 2, 10)  # 5 created vs 40 created
    run(codes, 3, 10)
    assert run(codes[:5], 3, 20) == run(codes, 3, 30)  # 5 updated vs 40 updated
    assert run(codes[:5], 3, 30) == run(codes, 3, 30)  # nothing changes


def test_an_xml_bomb_is_refused_as_a_damaged_file(client, staff_user):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    source = zipfile.ZipFile(io.BytesIO(xlsx([["JT01", "", 2026, 2, 1, ""]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item.filename)
            z.writestr(item, bomb if item.filename == "xl/worksheets/sheet1.xml" else data)
    client.force_login(staff_user)
    errors = errors_of(post_import(client, URL, out.getvalue()))
    assert errors[0]["row"] is None and "损坏" in errors[0]["message"]


def test_a_wrong_declared_sheet_size_does_not_hide_rows(client, staff_user, mine, mine2):
    source = zipfile.ZipFile(io.BytesIO(xlsx([["JT01", "", 2026, 2, 1, ""], ["JT02", "", 2026, 2, 2, ""]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:F3"/>', b'<dimension ref="A1:C2"/>')
                assert b'ref="A1:C2"' in data
            z.writestr(item, data)
    client.force_login(staff_user)
    assert post_import(client, URL, out.getvalue()).json() == {"created": 2, "updated": 0}


def test_a_name_that_differs_from_the_registry_is_a_warning(client, staff_user, mine):
    client.force_login(staff_user)
    response = post_import(
        client, URL, xlsx([["JT01", "交通二号", 2026, 2, 5, ""], ["JT01", "交通一号", 2026, 3, 5, ""]])
    )
    data = response.json()
    assert response.status_code == 200 and (data["created"], data["updated"]) == (2, 0)
    assert [(w["row"], w["column"]) for w in data["warnings"]] == [(2, "项目名称")]
    assert "交通一号" in data["warnings"][0]["message"]


def test_the_over_plan_warning_adds_the_stored_months_with_the_files_replacing_them(client, drc_user, unit):
    # Plan 1,000; stored Jan 100, Feb 300, Apr 900 (after the file's last month: not counted).
    make("1000.00", [(1, "100.00"), (2, "300.00"), (4, "900.00")], unit=unit, code="JT05")
    client.force_login(drc_user)
    # Feb 300 → 50 and a new Mar 600: Jan–Mar 750, under the plan.
    response = post_import(client, URL, xlsx([["JT05", "", 2026, 2, 50, ""], ["JT05", "", 2026, 3, 600, ""]]))
    assert response.json() == {"created": 1, "updated": 1}
    # Jan unchanged, Mar 600 → 650, Feb 50 → 450: Jan–Mar 1,200, over the plan, on the last month written.
    rows = [["JT05", "", 2026, 1, 100, ""], ["JT05", "", 2026, 3, 650, ""], ["JT05", "", 2026, 2, 450, ""]]
    data = post_import(client, URL, xlsx(rows)).json()
    assert (data["created"], data["updated"]) == (0, 2)
    assert [(w["row"], w["column"]) for w in data["warnings"]] == [(3, AMOUNT)]
    assert "1,200.00" in data["warnings"][0]["message"] and "1—3月" in data["warnings"][0]["message"]
    # Only Feb written (450 → 700): counted to February only, 800, under the plan.
    assert post_import(client, URL, xlsx([["JT05", "", 2026, 2, 700, ""]])).json() == {"created": 0, "updated": 1}
