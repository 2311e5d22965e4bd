"""Settings for the test suite: the production settings with a fast password hasher."""

import os

# Not a secret: a key used only by throwaway test databases.
os.environ.setdefault("SECRET_KEY", "test-suite-key-not-used-in-production-0123456789abcdef")
os.environ.setdefault("STATIC_NO_MANIFEST", "1")

from .settings import *  # noqa: E402,F403

# MD5 for speed; PBKDF2 still verifies the demo fixture's passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# Generous API throttles so that no test (nor the schemathesis run) trips them; the throttle
# tests set their own low rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "token": "100000/minute"},
}
