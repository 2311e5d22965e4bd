"""Fixtures of the problems-loop, bulletin and reminder tests: in Chinese, on the dashboard tests' county."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


from tests.dashboard.conftest import county  # noqa: E402,F401  (the hand-worked county of the dashboard tests)
