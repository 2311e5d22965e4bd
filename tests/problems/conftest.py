"""Fixtures of the problems-loop, bulletin and reminder tests: logged-in clients in Chinese."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff_user):
    return client_for(staff_user)


@pytest.fixture
def drc_client(drc_user):
    return client_for(drc_user)


@pytest.fixture
def leader_client(leader_user):
    return client_for(leader_user)


from tests.dashboard.conftest import county  # noqa: E402,F401  (the hand-worked county of the dashboard tests)
