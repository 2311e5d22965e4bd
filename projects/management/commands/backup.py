"""`manage.py backup [--dir DIR] [--keep N]`: a consistent snapshot of the registry (see projects/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.backups import BackupError, default_directory, describe, write_backup


class Command(BaseCommand):
    help = "Write a consistent backup of the registry (data, history, users) as gzip JSON with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="backup folder (default: $BACKUP_DIR or var/backups)")
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N backups in the folder")

    def handle(self, *args, dir, keep, **options):
        if keep < 0:
            raise CommandError("--keep must be 0 (keep all) or more.")
        try:
            dump, manifest = write_backup(dir or default_directory(), keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {dump}")
        self.stdout.write(describe(manifest))
