"""Authentication: token and session only, 401 with WWW-Authenticate, the token endpoint, docs."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.clients import api_client

from ..factories import ProjectFactory

pytestmark = pytest.mark.django_db

RESOURCES = ["units", "leaders", "projects", "plans", "actuals", "bottlenecks", "periods"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_gets_401_with_www_authenticate(anon, resource):
    response = anon.get(f"/api/{resource}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "身份认证信息未提供。"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_anonymous_writes_get_401(anon, method):
    response = getattr(anon, method)("/api/projects/1/" if method != "post" else "/api/projects/", {}, format="json")
    assert response.status_code == 401


def test_http_basic_authentication_is_not_accepted(drc_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic YnVyZWF1OnB3LVRlc3QtMjAyNg==")  # bureau:pw-Test-2026
    response = client.get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_is_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = anon.get("/api/projects/")
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。"}


def test_token_endpoint_returns_a_working_token_with_its_expiry(anon, staff_user):
    response = anon.post("/api/auth/token/", {"username": "clerk", "password": "pw-Test-2026"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token", "expiry"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/projects/").status_code == 200
    # asking again gives a second token; both work until they expire or are revoked
    again = anon.post("/api/auth/token/", {"username": "clerk", "password": "pw-Test-2026"}, format="json")
    assert again.json()["token"] != token
    assert client.get("/api/projects/").status_code == 200


def test_token_endpoint_refuses_a_wrong_password_in_chinese(anon, staff_user):
    response = anon.post("/api/auth/token/", {"username": "clerk", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}


def test_token_endpoint_names_a_missing_field(anon):
    response = anon.post("/api/auth/token/", {"username": "clerk"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"password": ["该字段是必填项。"]}


def test_session_authentication_works_and_checks_csrf(staff_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.get("/api/units/").status_code == 200
    response = client.post("/api/units/", {"name": "新单位"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_user_without_a_role_reads_nothing(roleless_user):
    assert api_client(roleless_user).get("/api/projects/").status_code == 403


def test_schema_requires_login_and_is_openapi_3(anon, leader):
    assert anon.get("/api/schema/").status_code == 401
    response = leader.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/{resource}/" in schema["paths"]
        assert f"/api/{resource}/{{id}}/" in schema["paths"]
    for resource in ("actuals", "plans", "projects"):
        assert f"/api/{resource}/{{id}}/history/" in schema["paths"]
    assert "/api/auth/token/" in schema["paths"]
    create = schema["paths"]["/api/actuals/"]["post"]["responses"]
    assert {"201", "400", "401", "403"} <= set(create)


def test_docs_redirect_a_browser_to_login_and_use_no_cdn(client, leader_user):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(leader_user)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), "docs must not load anything from outside"
    assets = re.findall(r"/static/(drf_spectacular_sidecar/[^\"' ]+)", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), asset


def test_unknown_api_path_is_a_json_404(anon, leader):
    assert anon.get("/api/nothing-here/").status_code == 401
    response = leader.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}
    assert leader.get("/api/projects/abc/").status_code == 404
    response = leader.get("/api/projects/a%0Ab/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_throttling_answers_429_with_retry_after(monkeypatch, leader):
    cache.clear()
    rates = {"anon": "2/minute", "user": "3/minute", "token": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    codes = [leader.get("/api/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = leader.get("/api/units/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("请求已被限流")
    anon = APIClient()
    codes = [anon.post("/api/auth/token/", {"username": "x", "password": "y"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    cache.clear()


def test_project_list_as_token_user(drc):
    ProjectFactory()
    assert drc.get("/api/projects/").json()["count"] == 1
