"""Structured request log, every refused access logged, DRF throttling, the health endpoint."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import UserRateThrottle

from projectreg.logformat import JsonFormatter
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def records(caplog, logger):
    return [r for r in caplog.records if r.name == logger]


def test_each_request_is_one_structured_line(client, db, caplog):
    caplog.set_level(logging.INFO)
    user = UserFactory(username="clerk", role="staff")
    client.force_login(user)
    response = client.get("/?year=2026", HTTP_X_REQUEST_ID="lb-abc-123")
    assert response["X-Request-ID"] == "lb-abc-123"
    (record,) = records(caplog, "projectreg.request")
    assert (record.method, record.path, record.status, record.user) == ("GET", "/", 200, "clerk")
    assert record.query == "year=2026" and record.request_id == "lb-abc-123" and record.ms >= 0
    line = json.loads(JsonFormatter().format(record))
    assert line["logger"] == "projectreg.request" and line["level"] == "INFO"
    assert line["status"] == 200 and line["user"] == "clerk" and line["path"] == "/"
    assert line["message"].startswith("GET / 200 ")


def test_a_forged_request_id_is_replaced(client, db, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline" and len(response["X-Request-ID"]) == 16


def test_json_lines_keep_chinese_readable_and_carry_exceptions():
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "项目 %s", ("甲",), sys.exc_info())
    text = JsonFormatter().format(record)
    assert "项目 甲" in text
    assert "ValueError" in json.loads(text)["exc"]


def test_health_probes_are_not_logged_line_by_line(client, db, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert not records(caplog, "projectreg.request")


def test_health_endpoint_answers_503_when_the_database_is_unreachable():
    """A real unreachable database (a closed port), through the real view, in a subprocess."""
    script = (
        "import django; django.setup(); from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL="postgres://nobody@127.0.0.1:9/none",
        DJANGO_SETTINGS_MODULE="projectreg.settings_test",
        ALLOWED_HOSTS="testserver",
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == '503 {"status": "unavailable"}'


def refused(caplog):
    return [(r.status, r.event, r.path, r.user) for r in records(caplog, "projectreg.security") if hasattr(r, "status")]


def test_api_without_credentials_is_logged_as_refused(client, db, ops_urls, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/api/ping/").status_code == 401
    assert refused(caplog) == [(401, "unauthenticated", "/api/ping/", "")]


def test_a_forbidden_page_is_logged_with_the_user(client, db, ops_urls, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(UserFactory(username="clerk", role="staff"))
    assert client.get("/forbidden/").status_code == 403
    assert refused(caplog) == [(403, "forbidden", "/forbidden/", "clerk")]


def test_a_csrf_failure_is_logged(db, caplog):
    caplog.set_level(logging.INFO)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="192.0.2.5")
    assert response.status_code == 403
    assert [(s, e, p) for s, e, p, _u in refused(caplog)] == [(403, "forbidden", "/accounts/login/")]
    assert records(caplog, "projectreg.security")[-1].ip == "192.0.2.5"


def test_anonymous_visits_are_sent_to_log_in_and_noted(client, db, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/")
    assert response.status_code == 302
    assert [getattr(r, "event", None) for r in records(caplog, "projectreg.security")] == ["login_required"]


def test_a_failed_login_is_logged_without_the_password(client, db, caplog):
    caplog.set_level(logging.INFO)
    client.post("/accounts/login/", {"username": "clerk", "password": "s3cret-guess"})
    (record,) = [r for r in records(caplog, "projectreg.security") if getattr(r, "event", "") == "login_failed"]
    assert record.user == "clerk" and record.ip == "127.0.0.1"
    assert "s3cret-guess" not in JsonFormatter().format(record)


def test_behind_the_proxy_the_logged_address_is_the_one_the_proxy_saw(client, db, settings, caplog):
    settings.BEHIND_PROXY = True
    caplog.set_level(logging.INFO)
    client.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert records(caplog, "projectreg.security")[-1].ip == "203.0.113.9"


def test_throttle_refuses_one_user_over_the_rate_but_not_the_others(client, db, ops_urls, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    greedy, other = UserFactory(username="greedy"), UserFactory(username="other")
    client.force_login(greedy)
    statuses = [client.get("/api/ping/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/ping/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("请求已被限流")  # DRF's own Chinese message
    polite = Client()
    polite.force_login(other)
    assert polite.get("/api/ping/").status_code == 200
    assert (429, "too_many_requests", "/api/ping/", "greedy") in refused(caplog)


def test_anonymous_api_calls_are_throttled_per_address(client, db, ops_urls, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/minute", raising=False)
    statuses = [client.get("/api/public-ping/", REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/public-ping/", REMOTE_ADDR="192.0.2.2").status_code == 200
