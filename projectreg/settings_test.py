"""Settings for the test suite: the production settings with a fast password hasher."""

import os

# Not a secret: a key used only by throwaway test databases.
os.environ.setdefault("SECRET_KEY", "test-suite-key-not-used-in-production-0123456789abcdef")
os.environ.setdefault("STATIC_NO_MANIFEST", "1")
# The test client speaks plain HTTP: behave like an intranet without TLS (no redirect to https,
# cookies without the Secure flag). tests/ops checks the HTTPS defaults in a subprocess.
os.environ.setdefault("HTTPS", "0")

from .settings import *  # noqa: E402,F403

# MD5 for speed; PBKDF2 still verifies the demo fixture's passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# Generous API throttles so that no test (nor the schemathesis run) trips them; the throttle
# tests set their own low rates.
# One in-process cache per test run; the throttle is far above anything a test does, so counts
# left by one test never refuse another (tests/ops lowers it where it checks throttling).
# The figure cache shares the same store (one LOCATION), so emptying `cache` empties the figures too.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "token": "100000/minute"},
}
# django-axes needs the request in every authenticate() call, which tests calling
# authenticate(username=..., password=...) or client.login() do not pass; tests/ops turns it on.
AXES_ENABLED = False
