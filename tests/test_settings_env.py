"""Settings come from the environment (SPEC section 9); DEBUG is off unless set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'debug': settings.DEBUG, 'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'lang': settings.LANGUAGE_CODE, 'tz': settings.TIME_ZONE, 'hosts': settings.ALLOWED_HOSTS}))"
)


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="projectreg.settings")
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_debug_is_off_unless_set_and_sqlite_is_the_default():
    out = probe(SECRET_KEY="x" * 50)
    assert out.returncode == 0, out.stderr
    values = json.loads(out.stdout)
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["lang"] == "zh-hans" and values["tz"] == "Asia/Shanghai"


def test_postgres_through_database_url_and_hosts_from_env():
    out = probe(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", ALLOWED_HOSTS="reg.example,a.b"
    )
    values = json.loads(out.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "x"
    assert values["hosts"] == ["reg.example", "a.b"]


@pytest.mark.parametrize("flag, expected", [("1", True), ("true", True), ("0", False), ("", False)])
def test_debug_flag(flag, expected):
    values = json.loads(probe(SECRET_KEY="x" * 50, DEBUG=flag).stdout)
    assert values["debug"] is expected


def test_missing_secret_key_in_production_is_an_error_not_a_default():
    out = probe()
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr
