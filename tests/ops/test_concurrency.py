"""Two users saving the same monthly figure at once never lose a write silently.

`actual_set(expected_version=...)` is optimistic locking: the caller says which version it
showed the user; the row is locked (SELECT ... FOR UPDATE) and the version compared before the
write. Convention: expected_version=0 means "I saw no figure for that month".
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import translation

from projects.models import MonthlyActual
from projects.services.figures import CREATED, UPDATED, actual_set
from tests.factories import MonthlyActualFactory, ProjectFactory, UserFactory


@pytest.fixture
def two_clerks(unit):
    """Two staff users of the same unit (both may write its projects) and one of its projects."""
    first = UserFactory(username="clerk_a", role="staff", unit=unit)
    second = UserFactory(username="clerk_b", role="staff", unit=unit)
    return first, second, ProjectFactory(unit=unit)


def save(user, project, amount, expected_version, month=10):
    return actual_set(
        user=user, project=project, year=2026, month=month, amount=Decimal(amount), expected_version=expected_version
    )


def updates(project, month=10):
    return list(
        MonthlyActual.history.filter(project_id=project.pk, year=2026, month=month, history_type="~")
        .order_by("history_id")
        .values_list("history_user__username", "amount", "version")
    )


@pytest.mark.django_db
def test_the_second_of_two_editors_who_opened_the_same_version_is_told_not_overwritten(two_clerks):
    a, b, project = two_clerks
    MonthlyActualFactory(project=project, year=2026, month=10, amount=Decimal("100.00"))  # version 1
    # Both opened the entry page at version 1; A saves first.
    assert save(a, project, "200.00", expected_version=1).outcome == UPDATED
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        save(b, project, "300.00", expected_version=1)
    assert refused.value.message_dict["version"] == ["您打开后此数据已被他人修改,请刷新核对后再保存。"]
    stored = MonthlyActual.objects.get(project=project, year=2026, month=10)
    assert (stored.amount, stored.version) == (Decimal("200.00"), 2)
    assert updates(project) == [("clerk_a", Decimal("200.00"), 2)]
    # B reloads (sees version 2 and A's figure) and saves deliberately.
    assert save(b, project, "300.00", expected_version=2).outcome == UPDATED
    assert updates(project)[-1] == ("clerk_b", Decimal("300.00"), 3)


@pytest.mark.django_db
def test_two_editors_entering_a_new_figure_the_second_is_told(two_clerks):
    a, b, project = two_clerks
    assert save(a, project, "50.00", expected_version=0).outcome == CREATED
    with pytest.raises(ValidationError) as refused:
        save(b, project, "60.00", expected_version=0)
    assert "version" in refused.value.message_dict
    assert MonthlyActual.objects.get(project=project, year=2026, month=10).amount == Decimal("50.00")


# --- Real concurrency: two database connections in two threads (PostgreSQL) -------------------


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections that lock rows: PostgreSQL (SQLite serialises whole-database writes)")


def _wait_until_blocked_on_a_lock(timeout=10.0) -> bool:
    """Poll pg_stat_activity until some other session of this database waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def run_concurrently(first_write, second_write):
    """Run `first_write` in a transaction held open until `second_write` (another connection) is
    blocked waiting for it, then commit; return each one's result or exception."""
    results, first_done, release = {}, threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                results["first"] = first_write()
                first_done.set()
                release.wait(15)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["first"] = exc
        finally:
            first_done.set()
            connections.close_all()

    def second():
        first_done.wait(15)
        try:
            results["second"] = second_write()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_done.wait(15)
    blocked = _wait_until_blocked_on_a_lock()
    release.set()
    for thread in threads:
        thread.join(30)
    results["second_was_blocked"] = blocked
    return results


@pytest.mark.django_db(transaction=True)
def test_two_connections_saving_the_same_version_at_once(two_clerks):
    _needs_postgres()
    a, b, project = two_clerks
    MonthlyActualFactory(project=project, year=2026, month=10, amount=Decimal("100.00"))
    results = run_concurrently(
        lambda: save(a, project, "200.00", expected_version=1),
        lambda: save(b, project, "300.00", expected_version=1),
    )
    assert results["second_was_blocked"], "the second save should wait for the first one's row lock"
    assert results["first"].outcome == UPDATED
    assert isinstance(results["second"], ValidationError) and "version" in results["second"].message_dict
    stored = MonthlyActual.objects.get(project=project, year=2026, month=10)
    assert (stored.amount, stored.version) == (Decimal("200.00"), 2)
    assert updates(project) == [("clerk_a", Decimal("200.00"), 2)]


@pytest.mark.django_db(transaction=True)
def test_two_connections_replacing_without_a_version_are_serialised_and_both_kept_in_history(two_clerks):
    """Replace semantics (imports, callers without a version): no lost update, the history shows both."""
    _needs_postgres()
    a, b, project = two_clerks
    MonthlyActualFactory(project=project, year=2026, month=10, amount=Decimal("100.00"))
    results = run_concurrently(
        lambda: save(a, project, "200.00", expected_version=None),
        lambda: save(b, project, "300.00", expected_version=None),
    )
    assert results["second_was_blocked"]
    assert results["first"].outcome == results["second"].outcome == UPDATED
    stored = MonthlyActual.objects.get(project=project, year=2026, month=10)
    assert (stored.amount, stored.version) == (Decimal("300.00"), 3)
    assert updates(project) == [("clerk_a", Decimal("200.00"), 2), ("clerk_b", Decimal("300.00"), 3)]


@pytest.mark.django_db(transaction=True)
def test_two_connections_creating_the_same_new_figure_at_once(two_clerks):
    """Both saw no figure: the second insert waits on the unique index, then is told."""
    _needs_postgres()
    a, b, project = two_clerks
    results = run_concurrently(
        lambda: save(a, project, "50.00", expected_version=0),
        lambda: save(b, project, "60.00", expected_version=0),
    )
    assert results["second_was_blocked"]
    assert results["first"].outcome == CREATED
    assert isinstance(results["second"], ValidationError) and "version" in results["second"].message_dict
    stored = MonthlyActual.objects.get(project=project, year=2026, month=10)
    assert (stored.amount, stored.version) == (Decimal("50.00"), 1)
    assert MonthlyActual.history.filter(project_id=project.pk).count() == 1
