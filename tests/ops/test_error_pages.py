"""Errors are Chinese pages inside the site frame that say what happened and where to go next
(SPEC section 5), `{"detail"}` under /api/; the 500 and 503 pages never touch the database."""

import json

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from projectreg.errors import bad_request, page_not_found, permission_denied, server_error
from tests.factories import UserFactory

FRAME = 'class="topbar"'
HOME_LINK = 'href="/"'


def page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk", role="staff")


def test_404_is_a_chinese_page_in_the_frame_with_the_user_menu(client, clerk):
    client.force_login(clerk)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert "页面不存在" in html and "返回首页" in html and "在项目列表中查找项目" in html
    assert FRAME in html and "退出" in html  # the frame, with the logged-in user's menu
    assert "Not Found" not in html


def test_a_missing_record_is_the_same_page(client, clerk):
    client.force_login(clerk)
    response = client.get("/projects/987654/")
    assert response.status_code == 404 and "页面不存在" in page(response)


def test_403_says_why_and_whom_to_ask(client, clerk):
    client.force_login(clerk)
    response = client.get("/reporting/status/")  # the bureau's page
    assert response.status_code == 403
    html = page(response)
    assert "无权访问" in html and "县发改局" in html and FRAME in html
    assert "403 Forbidden" not in html


def test_403_carries_the_refusals_own_message(client, db, ops_urls):
    response = client.get("/forbidden/")
    assert response.status_code == 403 and "not yours" in page(response)


def test_400_for_a_bad_host_header(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    html = page(response)
    assert "请求有误" in html and "返回首页" in html and FRAME in html


def test_a_failed_csrf_check_is_a_chinese_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = page(response)
    assert "表单已过期" in html and FRAME in html
    assert "CSRF verification failed" not in html


def test_a_form_over_2_mb_is_a_chinese_413(db):
    for client in (Client(), Client(enforce_csrf_checks=True)):
        client.get("/accounts/login/")  # the CSRF cookie, so the check reads the (too large) form
        token = client.cookies["csrftoken"].value
        data = {"csrfmiddlewaretoken": token, "username": "x", "password": "y" * (3 * 1024 * 1024)}
        response = client.post("/accounts/login/", data)
        assert response.status_code == 413
        html = page(response)
        assert "提交的数据过大" in html and "2 MB" in html and FRAME in html


def test_500_is_a_chinese_page_with_the_request_id(db, ops_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-12345")
    assert response.status_code == 500
    html = page(response)
    assert "服务器出错" in html and "req-12345" in html and FRAME in html
    assert "Server Error (500)" not in html


def test_database_errors_are_503_with_retry_after(db, ops_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = page(response)
    assert "系统暂时无法使用" in html and "数据库" in html and FRAME in html


@pytest.mark.parametrize("status", [500, 503])
def test_the_500_and_503_pages_render_without_the_database(status):
    """No `db` fixture: any query in here would fail the test (pytest-django blocks the database)."""
    request = RequestFactory().get("/overview/")
    if status == 503:
        try:
            raise OperationalError("down")
        except OperationalError:
            response = server_error(request)
    else:
        response = server_error(request)
    assert response.status_code == status
    html = response.content.decode()
    assert FRAME in html and HOME_LINK in html


@pytest.mark.parametrize(
    "handler, status", [(bad_request, 400), (permission_denied, 403), (page_not_found, 404), (server_error, 500)]
)
def test_under_api_the_same_errors_are_json(handler, status):
    response = handler(RequestFactory().get("/api/units/x"), *([] if status == 500 else [None]))
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"detail"}
