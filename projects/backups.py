"""Backups the bureau can run: a consistent gzip JSON dump with a manifest, and its restore.

A backup is two files side by side in the backup folder:
  projectreg-YYYYmmdd-HHMMSS.json.gz        Django's `dumpdata` of the registry, history, users
  projectreg-YYYYmmdd-HHMMSS.manifest.json  row counts, money totals, schema, sha256 of the dump
It works on SQLite and PostgreSQL alike. Restoring checks the checksum and the schema, loads the
dump in one transaction and compares every count and total with the manifest before committing.
"""

import gzip
import hashlib
import json
import os
from collections import Counter
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Sum
from django.utils import timezone

FORMAT = "projectreg-backup/1"
SERIALIZER = "exactjson"  # projects/backup_format.py
PREFIX = "projectreg-"
# Rebuilt by `migrate` (content types, permissions) or not worth restoring (sessions, login attempts).
# The data-version token is not data: triggers give the restored database a new one. Nor are the
# per-project sums: triggers rebuild them from the restored actuals.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes", "projects.dataversion", "projects.projectsums"]
# Rows `migrate` (groups) or the first page view (progress settings) create by themselves: a new,
# empty database may already hold them, and the restore replaces them.
NOT_DATA = {"auth.group", "projects.progresssettings", "projects.historicalprogresssettings"}
MONEY = {"projects.monthlyactual": "amount", "projects.annualplan": "amount"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backed_up_apps() -> set[str]:
    """The apps whose tables a backup holds."""
    return {config.label for config in apps.get_app_configs() if config.label not in EXCLUDE}


def applied_migrations(app_labels) -> dict[str, list[str]]:
    """The migrations applied to this database, for those of the given apps that have any."""
    applied = MigrationRecorder(connection).applied_migrations()
    found = {label: sorted(name for app, name in applied if app == label) for label in sorted(app_labels)}
    return {label: names for label, names in found.items() if names}


def _summarise(dump: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts per model and money totals, read back from the dump file itself."""
    with gzip.open(dump, "rt", encoding="utf-8") as f:
        objects = json.load(f)
    counts = Counter(obj["model"] for obj in objects)
    totals = {label: Decimal("0") for label in MONEY if label in counts}
    for obj in objects:
        field = MONEY.get(obj["model"])
        if field:
            totals[obj["model"]] += Decimal(obj["fields"][field])
    return dict(sorted(counts.items())), {label: f"{total:.2f}" for label, total in totals.items()}


def write_backup(directory: Path, *, keep: int = 0) -> tuple[Path, dict]:
    """Dump the database into `directory` as one consistent snapshot; return the dump and manifest.

    On PostgreSQL the dump runs in one REPEATABLE READ, READ ONLY transaction, so figures saved
    while it runs are either wholly in it or wholly not; the app can keep serving meanwhile.
    """
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    dump = directory / f"{PREFIX}{stamp}.json.gz"
    serial = 1
    while dump.exists():  # two backups in one second
        serial += 1
        dump = directory / f"{PREFIX}{stamp}-{serial}.json.gz"
    partial = dump.with_name(dump.name + ".partial")
    serializers.register_serializer(SERIALIZER, "projects.backup_format")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                format=SERIALIZER,
                exclude=EXCLUDE,
                natural_foreign=True,
                natural_primary=True,
                use_base_manager=True,
                stdout=out,
                verbosity=0,
            )
        counts, totals = _summarise(partial)
        migrations = applied_migrations(backed_up_apps())
    os.replace(partial, dump)
    manifest = {
        "format": FORMAT,
        "file": dump.name,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "sha256": _sha256(dump),
        "counts": counts,
        "totals": totals,
        "migrations": migrations,
    }
    manifest_path(dump).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if keep:
        prune(directory, keep=keep)
    return dump, manifest


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name.removesuffix(".json.gz") + ".manifest.json")


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `directory`; return what was deleted."""
    dumps = sorted(directory.glob(f"{PREFIX}*.json.gz"), key=lambda d: (d.stat().st_mtime, d.name))
    removed = dumps[:-keep] if keep else []
    for dump in removed:
        dump.unlink()
        manifest_path(dump).unlink(missing_ok=True)
    return removed


def read_manifest(dump: Path) -> dict:
    """The manifest beside `dump`, after checking that the dump is the file it describes."""
    if not dump.is_file():
        raise BackupError(f"No backup file at {dump}.")
    path = manifest_path(dump)
    if not path.is_file():
        raise BackupError(f"The manifest {path.name} is missing beside {dump.name}; copy both files of a backup.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path.name} is not a registry backup manifest ({FORMAT}).")
    if _sha256(dump) != manifest["sha256"]:
        raise BackupError(f"{dump.name} does not match its manifest (damaged or changed): not restoring it.")
    return manifest


def _model(label: str):
    return apps.get_model(label)


def registry_rows() -> dict[str, int]:
    """Rows already in this database that a restore would replace (empty dict: nothing to lose)."""
    labels = {f"{m._meta.app_label}.{m._meta.model_name}" for m in apps.get_models()}
    skip = {lbl for lbl in labels if lbl.split(".")[0] in EXCLUDE or lbl in EXCLUDE} | NOT_DATA
    found = {}
    for label in sorted(labels - skip):
        count = _model(label)._base_manager.count()
        if count:
            found[label] = count
    return found


def check_restored(manifest: dict) -> None:
    """Compare the database with the manifest: every model's count and every money total."""
    problems = []
    for label, expected in manifest["counts"].items():
        got = _model(label)._base_manager.count()
        if got != expected:
            problems.append(f"{label}: {got} rows, the backup has {expected}")
    for label, expected in manifest["totals"].items():
        got = _model(label)._base_manager.aggregate(total=Sum(MONEY[label]))["total"] or Decimal("0")
        if f"{got:.2f}" != expected:
            problems.append(f"{label}: total {got:.2f}, the backup has {expected}")
    if problems:
        raise BackupError("The restored data differ from the backup: " + "; ".join(problems))


def restore_backup(dump: Path, *, force: bool = False) -> dict:
    """Load `dump` into this database, all or nothing; refuse a database with data unless `force`."""
    manifest = read_manifest(dump)
    here = applied_migrations(backed_up_apps() | set(manifest["migrations"]))
    if here != manifest["migrations"]:
        differ = sorted(
            app
            for app in here.keys() | manifest["migrations"].keys()
            if here.get(app) != manifest["migrations"].get(app)
        )
        raise BackupError(
            "The backup was made with another version of the database schema (apps: "
            + ", ".join(differ)
            + "). Restore it with the release that made it, then upgrade with `manage.py migrate`."
        )
    existing = registry_rows()
    if existing and not force:
        listed = ", ".join(f"{label} {count}" for label, count in existing.items())
        raise BackupError(
            f"This database is not empty ({listed}). Restore into a new, migrated database, "
            "or give --force to replace everything in it with the backup."
        )
    with transaction.atomic():
        # Start from nothing so the counts match exactly (also clears sessions and login attempts).
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(dump), verbosity=0)
        check_restored(manifest)
    return manifest


def default_directory() -> Path:
    """BACKUP_DIR from the environment, else var/backups in the project folder."""
    from django.conf import settings

    return Path(os.environ.get("BACKUP_DIR") or Path(settings.BASE_DIR) / "var" / "backups")


def describe(manifest: dict) -> str:
    """One line for people: what the backup holds."""
    counts = manifest["counts"]
    created = datetime.fromisoformat(manifest["created_at"]).strftime("%Y-%m-%d %H:%M:%S")
    totals = manifest["totals"]
    return (
        f"{manifest['file']} ({created}): {counts.get('projects.project', 0)} projects, "
        f"{counts.get('projects.annualplan', 0)} plans totalling {totals.get('projects.annualplan', '0.00')} 万元, "
        f"{counts.get('projects.monthlyactual', 0)} monthly figures totalling "
        f"{totals.get('projects.monthlyactual', '0.00')} 万元, {counts.get('projects.user', 0)} users, "
        f"{sum(n for label, n in counts.items() if '.historical' in label)} history rows"
    )
