"""Tokens expire and are stored hashed (SPEC section 6): 30 days by default, revoked by a password
change, a deactivation and POST /api/auth/logout/; the admin shows no token."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-2026"  # UserFactory's


def get_token(username="clerk", password=PASSWORD) -> dict:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def reads(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/units/").status_code


def test_a_token_expires_after_30_days_by_default(staff_user):
    before = timezone.now()
    answer = get_token()
    expiry = parse_datetime(answer["expiry"])
    assert expiry.utcoffset() == dt.timedelta(hours=8)  # ISO 8601 in the county's time zone
    assert before + dt.timedelta(days=30) <= expiry <= timezone.now() + dt.timedelta(days=30)
    assert reads(answer["token"]) == 200
    # A day after the expiry the same token is refused and its row is gone.
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(days=1))
    assert reads(answer["token"]) == 401
    assert not AuthToken.objects.exists()


def test_the_lifetime_is_a_setting(settings, staff_user):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(days=7)}
    expiry = parse_datetime(get_token()["expiry"])
    assert dt.timedelta(days=6, hours=23) < expiry - timezone.now() <= dt.timedelta(days=7)


def test_only_a_hash_of_the_token_is_stored(staff_user):
    token = get_token()["token"]
    stored = AuthToken.objects.get()
    assert token not in (stored.digest, str(stored))
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()


def test_a_password_change_revokes_the_users_tokens_but_not_others(staff_user, drc_user):
    token, other = get_token()["token"], get_token("bureau")["token"]
    staff_user.set_password("a-New-pw-2026")
    staff_user.save()
    assert reads(token) == 401
    assert reads(other) == 200
    assert reads(get_token(password="a-New-pw-2026")["token"]) == 200


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(staff_user):
    token = get_token()["token"]
    staff_user.first_name = "张三"
    staff_user.save()
    staff_user.save(update_fields=["last_login"])
    assert reads(token) == 200


def test_deactivation_revokes_the_users_tokens(staff_user):
    token = get_token()["token"]
    staff_user.is_active = False
    staff_user.save()
    assert not AuthToken.objects.filter(user=staff_user).exists()
    staff_user.is_active = True
    staff_user.save()
    assert reads(token) == 401  # reactivating does not bring the old token back


def test_logout_revokes_the_token_used_and_only_that_one(staff_user):
    first, second = get_token()["token"], get_token()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    response = client.post("/api/auth/logout/")
    assert response.status_code == 204
    assert reads(first) == 401
    assert reads(second) == 200
    assert client.post("/api/auth/logout/").status_code == 401


def test_logout_without_a_token_is_401(anon):
    assert anon.post("/api/auth/logout/").status_code == 401


def test_drfs_old_authtoken_app_is_gone():
    from django.apps import apps

    assert not apps.is_installed("rest_framework.authtoken")


def test_admin_shows_no_token_and_creates_none(client, drc_user, db):
    token = get_token("bureau")["token"]
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    for user in (drc_user, superuser):
        user.is_staff = True
        user.save()
        client.force_login(user)
        listing = client.get("/admin/knox/authtoken/")
        assert listing.status_code == 200
        page = listing.content.decode()
        assert "bureau" in page
        stored = AuthToken.objects.get(user=drc_user)
        # Neither the token nor the part of it knox keeps in clear to look it up (token_key);
        # the digest (the row's key, in its links) is a one-way hash that authenticates nothing.
        assert token not in page and stored.token_key not in page
        assert client.get("/admin/knox/authtoken/add/").status_code == 403
    # Revoking from the admin works (bulk delete).
    response = client.post(
        "/admin/knox/authtoken/",
        {"action": "delete_selected", "_selected_action": [stored.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert reads(token) == 401
