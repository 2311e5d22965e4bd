"""Sessions end after 30 idle minutes and after a working day (OWASP ASVS 3.3.2, level 2)."""

import logging
import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY

from projectreg.middleware import SESSION_SEEN, SESSION_STARTED
from tests.factories import UserFactory

PASSWORD = "pw-Test-2026"


@pytest.fixture
def logged_in(client, db):
    user = UserFactory(username="clerk", role="staff")
    response = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    return user


def shift(client, **seconds_ago):
    """Move the session's clocks back, as if that much time had passed."""
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"started": SESSION_STARTED, "seen": SESSION_SEEN}[key]] = now - ago
    session.save()


def test_limits_are_a_working_day_and_thirty_idle_minutes():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert 9 * 3600 <= settings.SESSION_ABSOLUTE_TIMEOUT <= 10 * 3600
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_login_starts_the_clock(client, logged_in):
    now = time.time()
    assert abs(client.session[SESSION_STARTED] - now) < 5
    assert abs(client.session[SESSION_SEEN] - now) < 5
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # ends when the browser closes
    assert client.session.get_expiry_age() == settings.SESSION_ABSOLUTE_TIMEOUT


def test_activity_within_thirty_minutes_keeps_the_session_and_moves_the_clock(client, logged_in):
    shift(client, seen=29 * 60)
    response = client.get("/")
    assert response.status_code == 200
    assert abs(client.session[SESSION_SEEN] - time.time()) < 5


def test_thirty_idle_minutes_end_the_session_with_a_chinese_message(client, logged_in, caplog):
    caplog.set_level(logging.INFO, logger="projectreg.security")
    shift(client, seen=30 * 60 + 1)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "您已 30 分钟无操作，会话已结束，请重新登录。" in page
    assert any(getattr(r, "event", None) == "session_idle_timeout" for r in caplog.records)


def test_a_working_day_ends_the_session_even_when_active(client, logged_in):
    shift(client, started=settings.SESSION_ABSOLUTE_TIMEOUT + 1, seen=10)
    response = client.get("/")
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert "会话已结束" in client.get("/accounts/login/").content.decode()


def test_the_api_answers_401_after_the_idle_timeout(client, logged_in):
    # the real API (SPEC section 6: 401 without credentials), not a test-only view
    assert client.get("/api/projects/").status_code == 200
    shift(client, seen=31 * 60)
    response = client.get("/api/projects/")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


def test_a_session_from_before_the_clock_gets_one_and_goes_on(client, logged_in):
    session = client.session
    del session[SESSION_STARTED], session[SESSION_SEEN]
    session.save()
    assert client.get("/").status_code == 200
    assert SESSION_STARTED in client.session
