"""The Excel pages: Chinese, role-aware, CSRF-protected uploads that list every error in a table."""

import io

import pytest
from django.test import Client

from projects.models import MonthlyActual, Project

from .helpers import make, upload_file, xlsx

pytestmark = pytest.mark.django_db
ACTUALS_PAGE = "/reports/import/actuals/"
LIST_PAGE = "/reports/import/annual-list/"


def test_index_offers_what_each_role_may_use(client, drc_user, staff_user, leader_user):
    assert client.get("/reports/").status_code == 302
    client.force_login(leader_user)
    page = client.get("/reports/").content.decode()
    assert "下载推进情况表" in page and "下载月度填报模板" not in page and "导入年度项目清单" not in page
    client.force_login(staff_user)
    page = client.get("/reports/").content.decode()
    assert "下载月度填报模板" in page and "导入年度项目清单" not in page
    client.force_login(drc_user)
    page = client.get("/reports/").content.decode()
    assert "下载年度清单模板" in page and "导入年度项目清单" in page


def test_upload_pages_are_role_checked(client, staff_user, leader_user):
    assert client.get(ACTUALS_PAGE).status_code == 302
    client.force_login(leader_user)
    assert client.get(ACTUALS_PAGE).status_code == 403
    assert client.get(LIST_PAGE).status_code == 403
    client.force_login(staff_user)
    assert client.get(LIST_PAGE).status_code == 403
    page = client.get(ACTUALS_PAGE).content.decode()
    assert "导入月度完成投资" in page and "5 MB" in page and "修改原因" in page


def test_a_bad_file_lists_every_error_in_a_table_and_saves_nothing(client, staff_user, unit):
    make("100.00", unit=unit, code="JT01")
    client.force_login(staff_user)
    content = xlsx([["JT01", "", 2026, 13, -1, ""], ["NOPE", "", 2026, 2, 5, ""]])
    response = client.post(ACTUALS_PAGE, {"file": upload_file(content)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "发现 3 处问题，未保存任何数据" in page
    assert "<th>行号</th>" in page and "<th>列</th>" in page
    for text in ("月份应为 1—12 之间的整数", "金额不能为负数", "项目编号“NOPE”不存在"):
        assert text in page
    assert not MonthlyActual.objects.exists()


def test_a_good_file_is_imported_and_counted(client, staff_user, unit):
    make("100.00", unit=unit, code="JT01")
    client.force_login(staff_user)
    response = client.post(ACTUALS_PAGE, {"file": upload_file(xlsx([["JT01", "", 2026, 2, 12.5, "开工"]]))})
    assert "导入成功：新增 1 条，更新 0 条" in response.content.decode()
    assert MonthlyActual.objects.get().progress == "开工"


def test_not_a_workbook_on_the_page(client, drc_user):
    client.force_login(drc_user)
    response = client.post(LIST_PAGE, {"file": upload_file(b"hello", "list.xlsx")})
    page = response.content.decode()
    assert "整个文件" in page and "不是 Excel 工作簿" in page


def test_the_list_page_imports_for_the_bureau(client, drc_user, unit):
    client.force_login(drc_user)
    headers = ["项目编号", "项目名称", "责任单位", "年", "项目类别", "年度计划投资(万元)"]
    content = xlsx([["N1", "新项目", unit.name, 2027, "新建", 100]], headers)
    response = client.post(LIST_PAGE, {"file": upload_file(content)})
    assert "导入成功：新增 1 条" in response.content.decode()
    assert Project.objects.filter(code="N1").exists()


def test_upload_forms_carry_and_require_the_csrf_token(staff_user, unit):
    make("100.00", unit=unit, code="JT01")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(staff_user)
    page = csrf_client.get(ACTUALS_PAGE).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'enctype="multipart/form-data"' in page
    content = io.BytesIO(xlsx([["JT01", "", 2026, 2, 1, ""]]))
    assert csrf_client.post(ACTUALS_PAGE, {"file": content}).status_code == 403
    assert not MonthlyActual.objects.exists()


def test_pages_can_link_the_workbook_with_their_filters(rf, leader_user):
    from django.template.loader import render_to_string

    request = rf.get("/overview/", {"year": 2026, "month": 5, "unit": 3})
    request.user = leader_user
    html = render_to_string("reports/_progress_link.html", request=request)
    assert 'href="/reports/progress.xlsx?year=2026&amp;month=5&amp;unit=3"' in html and "下载推进情况表" in html
