import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient


def token_client(user) -> APIClient:
    """A client that authenticates the way scripts do: `Authorization: Token <key>`."""
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def drc(drc_user):
    return token_client(drc_user)


@pytest.fixture
def staff(staff_user):
    return token_client(staff_user)


@pytest.fixture
def other_staff(other_staff_user):
    return token_client(other_staff_user)


@pytest.fixture
def leader(leader_user):
    return token_client(leader_user)
