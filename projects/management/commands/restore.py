"""`manage.py restore FILE [--force]`: load a backup into an empty database (see projects/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.backups import BackupError, describe, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty, migrated database; all or nothing, "
        "checked against the backup's manifest. Stop the web server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .json.gz file (its .manifest.json must be beside it)")
        parser.add_argument(
            "--force", action="store_true", help="replace everything already in the database with the backup"
        )

    def handle(self, *args, file, force, **options):
        try:
            manifest = restore_backup(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Restored and checked: " + describe(manifest))
