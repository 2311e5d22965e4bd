"""Import inputs that used to be skipped or to end in a 500: formulas with no result, errors, NUL, long texts."""

import datetime as dt

import pytest

from projects.limits import NARRATIVE_MAX_LENGTH
from projects.models import MonthlyActual, Project

from ..factories import ReportingPeriodFactory
from . import hostile
from .helpers import make, post_import, upload_file, xlsx

pytestmark = pytest.mark.django_db
URL = "/api/import/actuals/"
LIST_URL = "/api/import/annual-list/"
PAGE = "/reports/import/actuals/"
AMOUNT = "本月完成投资(万元)"


@pytest.fixture
def mine(unit):
    return make("1000.00", [(1, "100.00")], unit=unit, code="JT01", name="交通一号")


def errors_of(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def test_a_formula_with_no_saved_result_is_a_row_error_not_a_skipped_row(client, staff_user, mine):
    client.force_login(staff_user)
    # openpyxl saves a formula without its result, as a script or an unsaved-calculation file does.
    content = xlsx([["JT01", "", 2026, 2, "=10+5", ""]])
    errors = errors_of(post_import(client, URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, AMOUNT)]
    assert "公式" in errors[0]["message"]
    assert not MonthlyActual.objects.filter(month=2).exists()


def test_a_formula_with_a_saved_result_is_read_as_its_result(client, staff_user, mine):
    client.force_login(staff_user)
    content = xlsx([["JT01", "", 2026, 2, "=10+5", ""]])
    sheet = hostile.sheet_xml(
        hostile.header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>JT01</t></is></c><c r="C2"><v>2026</v></c>'
        '<c r="D2"><v>2</v></c><c r="E2"><f>10+5</f><v>15</v></c></row>'
    )
    content = hostile.replace_part(content, "xl/worksheets/sheet1.xml", sheet)
    assert post_import(client, URL, content).json() == {"created": 1, "updated": 0}
    assert MonthlyActual.objects.get(month=2).amount == 15


def test_an_error_value_is_a_row_error_naming_it(client, staff_user, mine):
    client.force_login(staff_user)
    sheet = hostile.sheet_xml(
        hostile.header_row() + '<row r="2"><c r="A2" t="inlineStr"><is><t>JT01</t></is></c><c r="C2"><v>2026</v></c>'
        '<c r="D2"><v>2</v></c><c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    )
    content = hostile.replace_part(xlsx([]), "xl/worksheets/sheet1.xml", sheet)
    errors = errors_of(post_import(client, URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, AMOUNT)] and "#DIV/0!" in errors[0]["message"]


def test_nul_in_change_reason_is_a_400_naming_the_field(client, drc_user, mine):
    ReportingPeriodFactory(year=2026, month=1, locked=True)
    client.force_login(drc_user)
    content = xlsx([["JT01", "", 2026, 1, 150, "改"]])
    errors = errors_of(post_import(client, URL, content, change_reason="更正\x00"))
    assert errors[0]["row"] is None and "change_reason" in errors[0]["message"]
    assert MonthlyActual.objects.get(month=1).amount == 100
    errors = errors_of(post_import(client, LIST_URL, content, change_reason="\x00"))
    assert "change_reason" in errors[0]["message"]
    # The upload page refuses it as a form error, in Chinese, with nothing saved.
    page = client.post(PAGE, {"file": upload_file(content), "change_reason": "更正\x00"})
    assert page.status_code == 200 and "空字符" in page.content.decode()
    assert MonthlyActual.objects.get(month=1).amount == 100


def nul_cell(column_letter: str, text_before: str = "进度") -> bytes:
    """A template row whose one text cell holds a NUL (written as Excel escapes it: _x0000_)."""
    cells = {"A": "JT01", "B": "交通一号", "F": "进度"}
    cells[column_letter] = f"{text_before}_x0000_"
    row = "".join(f'<c r="{c}2" t="inlineStr"><is><t>{t}</t></is></c>' for c, t in sorted(cells.items()))
    row += '<c r="C2"><v>2026</v></c><c r="D2"><v>2</v></c><c r="E2"><v>10</v></c>'
    return hostile.replace_part(
        xlsx([]), "xl/worksheets/sheet1.xml", hostile.sheet_xml(hostile.header_row() + f'<row r="2">{row}</row>')
    )


@pytest.mark.parametrize("letter, column", [("F", "形象进度"), ("A", "项目编号"), ("B", "项目名称")])
def test_nul_in_a_text_cell_is_a_row_error(client, staff_user, mine, letter, column):
    client.force_login(staff_user)
    errors = errors_of(post_import(client, URL, nul_cell(letter)))
    assert [(e["row"], e["column"]) for e in errors] == [(2, column)] and "空字符" in errors[0]["message"]
    assert not MonthlyActual.objects.filter(month=2).exists()


def test_nul_in_the_annual_list_is_a_row_error(client, drc_user, unit):
    client.force_login(drc_user)
    headers = ["项目编号", "项目名称", "责任单位", "年", "项目类别", "年度计划投资(万元)", "建设内容"]
    content = xlsx([["N1", "新项目", unit.name, 2027, "新建", 100, "内容PLACEHOLDER"]], headers)
    content = hostile.replace_part(
        content,
        "xl/worksheets/sheet1.xml",
        hostile.read_part(content, "xl/worksheets/sheet1.xml").replace(b"PLACEHOLDER", b"_x0000_"),
    )
    errors = errors_of(post_import(client, LIST_URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "建设内容")]
    assert not Project.objects.filter(code="N1").exists()


def test_a_narrative_over_the_limit_is_a_row_error(client, staff_user, mine):
    client.force_login(staff_user)
    ok = "进" * NARRATIVE_MAX_LENGTH
    content = xlsx([["JT01", "", 2026, 2, 10, ok + "度"], ["JT01", "", 2026, 3, 10, ok]], [*hostile.ACTUAL_HEADERS])
    errors = errors_of(post_import(client, URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "形象进度")]
    assert "2,000" in errors[0]["message"]
    headers = [*hostile.ACTUAL_HEADERS, "存在问题"]
    content = xlsx([["JT01", "", 2026, 2, 10, "", "问" * (NARRATIVE_MAX_LENGTH + 1)]], headers)
    assert [(e["row"], e["column"]) for e in errors_of(post_import(client, URL, content))] == [(2, "存在问题")]
    content = xlsx([["JT01", "", 2026, 2, None, ok + "度"]])  # no amount: read, not skipped, and the amount missing
    errors = errors_of(post_import(client, URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "形象进度"), (2, AMOUNT)]
    assert not MonthlyActual.objects.filter(month__in=(2, 3)).exists()


def test_a_duration_in_a_number_cell_is_a_row_error(client, staff_user, mine):
    client.force_login(staff_user)
    content = xlsx([["JT01", "", 2026, dt.timedelta(hours=5), dt.timedelta(days=2), "ok"]])
    errors = errors_of(post_import(client, URL, content))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "月"), (2, AMOUNT)]
