"""Production settings from the environment: `check --deploy` is clean, HTTPS and proxy switches."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]
OURS = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "HTTPS", "BEHIND_PROXY", "STATIC_NO_MANIFEST"}
OURS |= {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS", "AXES_ENABLED", "LOG_FORMAT"}


def run(args, **env):
    """Run manage.py with production settings and only the given environment of ours."""
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    clean.update(DJANGO_SETTINGS_MODULE="projectreg.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def production_env(**extra):
    return {"SECRET_KEY": get_random_secret_key(), "ALLOWED_HOSTS": "reg.county.local", **extra}


PROBE = (
    "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k, None) for k in ["
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS',"
    "'SECURE_PROXY_SSL_HEADER', 'REST_FRAMEWORK', 'LOG_FORMAT', 'AUTH_PASSWORD_VALIDATORS', 'CACHES']}))"
)


def probe(**env):
    out = run(["shell", "-c", PROBE], **env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_under_production_settings():
    out = run(["check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_warns_when_https_is_deliberately_off():
    out = run(["check", "--deploy", "--fail-level", "WARNING"], **production_env(HTTPS="0"))
    assert out.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016", "security.W004"):
        assert warning in out.stderr + out.stdout


def test_https_defaults_on_in_production_and_off_for_the_demo():
    prod = probe(**production_env())
    assert prod["DEBUG"] is False
    assert prod["SECURE_SSL_REDIRECT"] and prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_PROXY_SSL_HEADER"] is None  # only when told it is behind a proxy
    assert prod["LOG_FORMAT"] == "json"
    demo = probe(DEBUG="1")
    assert not demo["SECURE_SSL_REDIRECT"] and not demo["SESSION_COOKIE_SECURE"] and demo["SECURE_HSTS_SECONDS"] == 0


def test_each_switch_is_its_own():
    intranet = probe(**production_env(SECURE_SSL_REDIRECT="0"))
    assert intranet["SECURE_SSL_REDIRECT"] is False and intranet["SESSION_COOKIE_SECURE"] is True
    proxied = probe(**production_env(BEHIND_PROXY="1"))
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert proxied["REST_FRAMEWORK"]["NUM_PROXIES"] == 1


def test_throttling_password_rules_and_a_cache_shared_by_workers():
    prod = probe(**production_env())
    drf = prod["REST_FRAMEWORK"]
    assert drf["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]
    assert drf["DEFAULT_THROTTLE_RATES"] == {"anon": "60/minute", "user": "10000/hour", "token": "20/minute"}
    assert len(prod["AUTH_PASSWORD_VALIDATORS"]) == 4
    assert prod["CACHES"]["default"]["BACKEND"].endswith("FileBasedCache")


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz"])
def test_security_headers(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_behind_a_tls_proxy_http_is_redirected_https_gets_hsts_and_healthz_stays_plain(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/accounts/login/", HTTP_HOST="localhost")
    assert plain.status_code == 301 and plain["Location"] == "https://localhost/accounts/login/"
    secure = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert client.get("/healthz").status_code == 200  # load balancers probe over plain HTTP


def test_add_user_enforces_the_password_rules(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="too short|太短"):
        call_command("add_user", "weak", "--role", "drc", "--password", "Ab-1")
    with pytest.raises(CommandError, match="common|常见"):
        call_command("add_user", "weak", "--role", "drc", "--password", "password123")
    call_command("add_user", "strong", "--role", "drc", "--password", "County-Reg-2026")
