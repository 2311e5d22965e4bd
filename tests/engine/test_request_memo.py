"""The progress settings are read once per request, and a change within the request is seen."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.memo import RequestMemoMiddleware
from projects.models import ProgressSettings

pytestmark = pytest.mark.django_db


def in_request(view):
    """Run `view` the way a request runs it, inside the memo middleware."""
    return RequestMemoMiddleware(lambda request: view())(None)


def settings_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return sum("projects_progresssettings" in q["sql"] for q in ctx.captured_queries)


def test_read_once_per_request_and_afresh_in_the_next():
    ProgressSettings.load()

    def view():
        return [ProgressSettings.load().warning_threshold for _ in range(5)]

    assert settings_queries(lambda: in_request(view)) == 1
    assert settings_queries(lambda: in_request(view)) == 1  # nothing kept between requests
    assert settings_queries(view) == 5  # outside a request (commands, shell) every call reads


def test_a_copy_changed_in_the_request_does_not_change_what_others_read():
    ProgressSettings.load()

    def view():
        first = ProgressSettings.load()
        first.warning_threshold = Decimal("-1")  # e.g. a form bound to it, left invalid
        return ProgressSettings.load().warning_threshold

    assert in_request(view) == ProgressSettings._meta.get_field("warning_threshold").default


def test_a_save_in_the_request_is_seen_by_the_rest_of_it():
    ProgressSettings.load()

    def view():
        before = ProgressSettings.load().warning_threshold
        row = ProgressSettings.load()
        row.warning_threshold = Decimal("-7")
        row.save()
        after = ProgressSettings.load().warning_threshold
        return before, after

    before, after = in_request(view)
    assert before != Decimal("-7") and after == Decimal("-7")
