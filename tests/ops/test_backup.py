"""Backups: the demo county round-trips with every figure and every history row; restores are safe."""

import gzip
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import ForeignKey

from projects.models import DataVersion, MonthlyActual, Project, ProjectSums, User
from projects.services.figures import actual_set
from tests.factories import MonthlyActualFactory, UserFactory

# Real commits (no test transaction around it): the backup runs as it does on a server, in its
# own REPEATABLE READ transaction on PostgreSQL, and the restore truncates committed tables.
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    """Every row of the registry, its history and its users, with user references as user names.

    Written from the models' fields, independently of the backup code: what a person would
    check by hand, table by table.
    """
    usernames = dict(User.objects.values_list("pk", "username"))
    # The data-version token is not data: the restored database gets a new one (a new state).
    models = [m for m in apps.get_app_config("projects").get_models() if m is not DataVersion] + [Group]
    result = {}
    for model in models:
        user_fields = {
            f.attname for f in model._meta.concrete_fields if isinstance(f, ForeignKey) and f.related_model is User
        }
        rows = []
        for row in model._base_manager.values():
            for name in user_fields:
                row[name] = usernames.get(row[name])
            if model is User:
                row.pop("id")
            if model is Group or model is ProjectSums:  # the sums are rebuilt by triggers, under new ids
                row.pop("id")
            rows.append(tuple(sorted((k, str(v)) for k, v in row.items())))
        result[model._meta.label_lower] = sorted(rows)
    result["user_groups"] = sorted(User.groups.through.objects.values_list("user__username", "group__name"))
    result["group_permissions"] = sorted(
        Group.permissions.through.objects.values_list("group__name", "permission__codename")
    )
    return result


@pytest.fixture
def demo(transactional_db):
    call_command("loaddata", "demo", verbosity=0)
    # One more change made through the service, so history has a change with a reason too.
    actual = MonthlyActual.objects.filter(year=2026, month=10).select_related("project").first()
    bureau = User.objects.get(username="fgj")
    actual_set(
        user=bureau,
        project=actual.project,
        year=2026,
        month=10,
        amount=actual.amount + Decimal("1.25"),
        change_reason="核对后更正",
    )


def test_demo_county_round_trips_with_every_figure_and_history_row(demo, tmp_path):
    before = snapshot()
    assert len(before["projects.monthlyactual"]) > 1000
    assert len(before["projects.historicalmonthlyactual"]) == len(before["projects.monthlyactual"]) + 1
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))
    (dump,) = tmp_path.glob("*.json.gz")
    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    assert not Project.objects.exists() and not User.objects.exists()

    call_command("restore", str(dump), stdout=open("/dev/null", "w"))

    after = snapshot()
    assert after.keys() == before.keys()
    for label in before:
        assert after[label] == before[label], label
    reason = MonthlyActual.history.filter(history_change_reason="核对后更正").get()
    assert reason.history_user.username == "fgj"
    assert User.objects.get(username="jtj").check_password("Demo@2026")


def test_manifest_counts_and_totals_match_the_database(demo, tmp_path):
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))
    (manifest_file,) = tmp_path.glob("*.manifest.json")
    manifest = json.loads(manifest_file.read_text())
    assert manifest["counts"]["projects.monthlyactual"] == MonthlyActual.objects.count()
    assert manifest["counts"]["projects.historicalmonthlyactual"] == MonthlyActual.history.count()
    assert manifest["counts"]["projects.user"] == User.objects.count()
    expected_total = sum(MonthlyActual.objects.values_list("amount", flat=True))
    assert Decimal(manifest["totals"]["projects.monthlyactual"]) == expected_total
    assert "0001_initial" in manifest["migrations"]["projects"]
    # Sessions, login attempts and content types are not in the dump.
    (dump,) = tmp_path.glob("*.json.gz")
    models = {obj["model"] for obj in json.load(gzip.open(dump, "rt"))}
    assert not {m for m in models if m.startswith(("sessions.", "axes.", "contenttypes.", "auth.permission"))}


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path):
    kept = MonthlyActualFactory(amount=Decimal("7.00"))
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))
    (dump,) = tmp_path.glob("*.json.gz")
    MonthlyActual.objects.filter(pk=kept.pk).update(amount=Decimal("8.00"))  # data changed after the backup
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump))
    assert MonthlyActual.objects.get(pk=kept.pk).amount == Decimal("8.00")  # untouched
    call_command("restore", str(dump), force=True, stdout=open("/dev/null", "w"))
    assert MonthlyActual.objects.get(pk=kept.pk).amount == Decimal("7.00")


def test_restore_refuses_a_damaged_file_or_a_missing_manifest(tmp_path):
    UserFactory(username="someone")
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))
    (dump,) = tmp_path.glob("*.json.gz")
    call_command("flush", interactive=False, verbosity=0)
    original = dump.read_bytes()
    dump.write_bytes(original[:-10] + b"0123456789")
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("restore", str(dump))
    dump.write_bytes(original)
    next(tmp_path.glob("*.manifest.json")).unlink()
    with pytest.raises(CommandError, match="manifest .* is missing"):
        call_command("restore", str(dump))
    assert not User.objects.exists()


def test_restore_refuses_a_backup_of_another_schema(tmp_path):
    call_command("backup", dir=tmp_path, stdout=open("/dev/null", "w"))
    (dump,) = tmp_path.glob("*.json.gz")
    manifest_file = next(tmp_path.glob("*.manifest.json"))
    manifest = json.loads(manifest_file.read_text())
    manifest["migrations"]["projects"].append("0099_from_the_future")
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="another version of the database schema"):
        call_command("restore", str(dump), force=True)


def test_keep_prunes_old_backups(tmp_path):
    for _ in range(3):
        call_command("backup", dir=tmp_path, keep=2, stdout=open("/dev/null", "w"))
    assert len(list(tmp_path.glob("*.json.gz"))) == 2
    assert len(list(tmp_path.glob("*.manifest.json"))) == 2
