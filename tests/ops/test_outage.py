"""While the database is down or hung, pages, the API and downloads answer 503 (not 500), /healthz
answers 503 within seconds, and the app recovers by itself once the database is back.

The first tests force OperationalError on every query (any database); the last ones point the real
PostgreSQL connection at a closed port (down) and at a socket that accepts and never answers (hung).
"""

import contextlib
import socket
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.utils import CursorWrapper
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

DOWN = "server closed the connection unexpectedly"


@contextlib.contextmanager
def database_down(monkeypatch):
    """Every query fails as it does when PostgreSQL has gone away."""

    def fail(self, *args, **kwargs):
        raise OperationalError(DOWN)

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", fail)
        patch.setattr(CursorWrapper, "executemany", fail)
        yield


@pytest.fixture
def bureau(db):
    return UserFactory(username="bureau", role="drc", is_staff=True)


PAGES = ["/", "/overview/?year=2026&month=3", "/projects/", "/reporting/status/", "/reports/"]


@pytest.mark.parametrize("path", PAGES + ["/reports/progress.xlsx?year=2026&month=3"])
def test_pages_and_downloads_answer_a_chinese_503(client, bureau, monkeypatch, path):
    client.force_login(bureau)
    client.raise_request_exception = False
    with database_down(monkeypatch):
        response = client.get(path)
    assert response.status_code == 503, path
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "系统暂时无法使用" in html and 'class="topbar"' in html


@pytest.mark.parametrize("path", ["/api/projects/", "/api/progress/?year=2026&month=3", "/api/units/1/"])
def test_the_api_answers_503_with_detail(bureau, monkeypatch, path):
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=bureau)[1]}")
    with database_down(monkeypatch):
        response = client.get(path)
        write = client.post("/api/units/", {"name": "新单位"}, format="json")
    for answer in (response, write):
        assert answer.status_code == 503
        assert answer.json() == {"detail": "项目库数据库暂时无法连接,请几分钟后再试。"}


def test_a_session_user_on_the_api_gets_json_503_too(bureau, monkeypatch):
    client = APIClient(raise_request_exception=False)
    client.force_login(bureau)
    with database_down(monkeypatch):
        response = client.get("/api/projects/")
    assert response.status_code == 503 and "detail" in response.json()


def test_token_requests_get_503(db, monkeypatch):
    client = APIClient(raise_request_exception=False)
    with database_down(monkeypatch):
        response = client.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")
    assert response.status_code == 503


def test_healthz_is_503_and_recovers(client, db, monkeypatch):
    with database_down(monkeypatch):
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200


def test_the_postgresql_settings_time_out():
    """A connect timeout and a statement timeout, from the environment (defaults 5 s and 30 s)."""
    assert settings.DB_CONNECT_TIMEOUT == 5 and settings.DB_STATEMENT_TIMEOUT == 30
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["connect_timeout"] == 5
        assert "-c statement_timeout=30000" in options["options"]


# --- Real outages on PostgreSQL ---------------------------------------------------------------

postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="needs PostgreSQL"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def pointed_at(host: str, port: int, connect_timeout: int = 2):
    """Reconnect the default connection to host:port for the block, then back to the real database."""
    saved = dict(connection.settings_dict)
    saved_options = dict(saved.get("OPTIONS", {}))
    connection.close()
    connection.settings_dict.update(HOST=host, PORT=str(port))
    connection.settings_dict["OPTIONS"] = {**saved_options, "connect_timeout": connect_timeout}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options


@pytest.fixture
def logged_in(client, transactional_db):
    user = UserFactory(username="bureau", role="drc", is_staff=True)
    client.force_login(user)
    client.raise_request_exception = False
    token = AuthToken.objects.create(user=user)[1]
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client, api


@postgresql
def test_postgresql_down_gives_503_everywhere_and_recovery_needs_no_restart(logged_in):
    client, api = logged_in
    with pointed_at("127.0.0.1", free_port()):  # nothing listens there: connection refused
        started = time.monotonic()
        assert client.get("/healthz").status_code == 503
        assert client.get("/overview/").status_code == 503
        assert client.get("/reports/progress.xlsx?year=2026&month=3").status_code == 503
        assert api.get("/api/projects/").status_code == 503
        assert time.monotonic() - started < 5
    # The database is back: the same process answers again, no restart.
    assert client.get("/healthz").status_code == 200
    assert client.get("/overview/").status_code == 200
    assert api.get("/api/projects/").status_code == 200


@postgresql
def test_postgresql_hung_gives_503_within_the_connect_timeout(logged_in):
    """A socket that accepts connections and never answers: PostgreSQL frozen, or a dead proxy."""
    client, api = logged_in
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(16)
        with pointed_at("127.0.0.1", hung.getsockname()[1], connect_timeout=2):
            for get, path in ((client.get, "/healthz"), (client.get, "/projects/"), (api.get, "/api/units/")):
                started = time.monotonic()
                response = get(path)
                elapsed = time.monotonic() - started
                assert response.status_code == 503, path
                assert elapsed < 4.5, (path, elapsed)
    assert client.get("/healthz").status_code == 200
    assert api.get("/api/units/").status_code == 200


@postgresql
def test_a_statement_over_the_timeout_is_cancelled_as_an_operational_error(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SET LOCAL statement_timeout = '200ms'")
        started = time.monotonic()
        with pytest.raises(OperationalError):
            cursor.execute("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 2
