import pytest
from django.core.cache import cache


@pytest.fixture
def axes_on(settings):
    """The login lockout as in production (the suite runs with it off: see settings_test)."""
    settings.AXES_ENABLED = True
    cache.clear()
    return settings


@pytest.fixture
def ops_urls(settings):
    """The real URL map plus the small API views of tests/ops/urls.py."""
    settings.ROOT_URLCONF = "tests.ops.urls"
    return settings
