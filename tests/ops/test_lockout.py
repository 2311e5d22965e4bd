"""Login lockout: by user name AND address, with a cool-off, a Chinese message and never a 500."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory

PASSWORD = "pw-Test-2026"  # UserFactory's
LOGIN = "/accounts/login/"
LIMIT = 5


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk", role="staff")


def login(client, username, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_production_settings_lock_by_user_and_address_with_a_cool_off():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_login_page_locks_after_repeated_failures_with_a_chinese_page(client, clerk, axes_on, caplog):
    caplog.set_level(logging.INFO, logger="projectreg.security")
    for _attempt in range(LIMIT - 1):
        response = login(client, "clerk", "wrong")
        assert response.status_code == 200  # the form again, with its error
        assert "用户名或密码错误" in response.content.decode() or response.context["form"].errors
    response = login(client, "clerk", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert response["Retry-After"] == "900"
    # Even the right password is refused while locked, and no session is opened.
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    events = [getattr(r, "event", None) for r in caplog.records if r.name == "projectreg.security"]
    assert events.count("login_failed") >= LIMIT and "login_locked_out" in events


def test_lockout_is_per_user_and_address_so_a_colleague_behind_the_same_proxy_still_logs_in(client, clerk, axes_on):
    UserFactory(username="colleague", role="staff")
    for _attempt in range(LIMIT):
        login(client, "clerk", "wrong")
    assert login(client, "clerk", PASSWORD).status_code == 429
    # Another user from the same address (the county's shared proxy) is not affected.
    assert login(client, "colleague", PASSWORD).status_code == 302
    client.logout()
    # The same user from their own office's address is not affected either.
    assert login(client, "clerk", PASSWORD, ip="198.51.100.7").status_code == 302


def test_lock_ends_after_the_cool_off(client, clerk, axes_on):
    for _attempt in range(LIMIT):
        login(client, "clerk", "wrong")
    assert login(client, "clerk", PASSWORD).status_code == 429
    # Let the cool-off pass: the failures are now older than 15 minutes.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    response = login(client, "clerk", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(clerk.pk)
    assert not AccessAttempt.objects.exists()  # a success clears the failures


def test_unknown_user_names_lock_too_and_never_error(client, db, axes_on):
    for _attempt in range(LIMIT + 2):
        response = login(client, "nobody", "wrong")
        assert response.status_code in (200, 429)
    assert response.status_code == 429


def test_token_endpoint_locks_out_with_a_json_chinese_message(client, clerk, axes_on, ops_urls, caplog):
    """The app's own POST /api/auth/token/ (projects.api.views.TokenView, django-rest-knox tokens)."""
    caplog.set_level(logging.INFO, logger="projectreg.security")
    UserFactory(username="colleague", role="staff")
    url = "/api/auth/token/"
    for _attempt in range(LIMIT - 1):
        response = client.post(url, {"username": "clerk", "password": "wrong"}, content_type="application/json")
        assert response.status_code == 400
    response = client.post(url, {"username": "clerk", "password": "wrong"}, content_type="application/json")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    response = client.post(url, {"username": "clerk", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 429 and "token" not in response.json()
    assert response["Retry-After"] == "900"
    response = client.post(url, {"username": "colleague", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200 and response.json()["token"] and response.json()["expiry"]
    assert "login_locked_out" in [getattr(r, "event", None) for r in caplog.records]


def test_the_real_api_token_endpoint_locks_out(client, clerk, axes_on):
    """The API's own POST /api/auth/token/ (lands with projects.api.urls)."""
    pytest.importorskip("projects.api.urls")
    url = "/api/auth/token/"
    for _attempt in range(LIMIT):
        client.post(url, {"username": "clerk", "password": "wrong"}, content_type="application/json")
    response = client.post(url, {"username": "clerk", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]


def test_admin_login_is_locked_too(client, db, axes_on):
    UserFactory(username="boss", role="drc", is_staff=True)
    for _attempt in range(LIMIT):
        client.post("/admin/login/", {"username": "boss", "password": "wrong"}, REMOTE_ADDR="192.0.2.10")
    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
