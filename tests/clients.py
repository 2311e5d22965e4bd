"""Clients logged in as a user, for the tests: the pages' session, the API's token, or the API forced."""

from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient


def client_for(user, **kwargs) -> Client:
    """A browser session of `user` (`kwargs` for the Client, e.g. `enforce_csrf_checks=True`)."""
    client = Client(**kwargs)
    client.force_login(user)
    return client


def token_client(user) -> APIClient:
    """A client that authenticates the way scripts do: `Authorization: Token <key>`."""
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def api_client(user) -> APIClient:
    """An API client authenticated as `user` without a token."""
    client = APIClient()
    client.force_authenticate(user)
    return client
