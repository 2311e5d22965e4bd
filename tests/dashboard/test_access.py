"""Who may open which page: anonymous → login, every role reads, no role → 403, unknown ids → 404."""

import re

import pytest

from .helpers import PAGES

pytestmark = pytest.mark.django_db


def pages_with_ids(county):
    return [*PAGES, f"/leaders/{county.wang.pk}/", f"/projects/{county.p1.pk}/"]


def test_anonymous_is_sent_to_login(client, county):
    for path in pages_with_ids(county):
        response = client.get(path, {"year": 2026, "month": 6})
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next="), path


@pytest.mark.parametrize("role_user", ["drc_user", "staff_user", "leader_user"])
def test_every_role_reads_every_page(client, county, role_user, request):
    client.force_login(request.getfixturevalue(role_user))
    for path in pages_with_ids(county):
        response = client.get(path, {"year": 2026, "month": 6})
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html")


def test_a_user_without_a_role_is_refused(client, county, roleless_user):
    client.force_login(roleless_user)
    for path in pages_with_ids(county):
        assert client.get(path).status_code == 403, path


def test_unknown_project_and_leader_are_404(client, county, leader_user):
    client.force_login(leader_user)
    assert client.get("/projects/999999/").status_code == 404
    assert client.get("/leaders/999999/").status_code == 404
    assert client.get("/breakdown/colour/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc", "month": "6"},
        {"year": "2026", "month": "13"},
        {"year": "1999", "month": "0"},
        {"year": "2026", "month": "6", "unit": "999999", "pipeline": "someday"},
    ],
)
def test_bad_input_gives_a_chinese_message_not_an_error(client, county, leader_user, params):
    client.force_login(leader_user)
    paths = PAGES if "unit" in params else [*PAGES, f"/projects/{county.p1.pk}/"]
    for path in paths:
        response = client.get(path, params)
        assert response.status_code == 200, path
        assert "以下查询条件无效" in response.content.decode(), (path, params)


@pytest.mark.parametrize(
    "path, params, field",
    [
        ("/ranking/units/", {"min_plan": "-5"}, "年度计划不低于"),
        ("/ranking/units/", {"min_plan": "lots"}, "年度计划不低于"),
        ("/ranking/units/", {"kind": "castle"}, "类型"),
        ("/lists/warning/", {"status": "sleepy"}, "状态"),
        ("/projects/", {"status": "sleepy"}, "状态"),
        ("/projects/", {"sort": "colour"}, "排序"),
        ("/lists/bottlenecks/", {"category": "weather"}, "类别"),
    ],
)
def test_bad_page_options_are_named_in_the_message(client, county, leader_user, path, params, field):
    client.force_login(leader_user)
    response = client.get(path, {"year": 2026, "month": 6, **params})
    assert response.status_code == 200
    notice = re.search(r'<div class="notice" role="alert">(.*?)</div>', response.content.decode(), re.S)
    assert notice and "以下查询条件无效" in notice.group(1) and field in notice.group(1)


def test_login_page_is_chinese_and_logs_in(client, county, leader_user):
    page = client.get("/accounts/login/").content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page
    response = client.post("/accounts/login/", {"username": "leader", "password": "pw-Test-2026"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
