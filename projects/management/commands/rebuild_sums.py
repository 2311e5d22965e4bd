"""`manage.py rebuild_sums`: recompute the per-project sums the engine reads from the monthly actuals.

The triggers keep them exact on every write; run this after loading data with the triggers
disabled (e.g. `pg_restore --disable-triggers`) or to check a database.
"""

from django.core.management.base import BaseCommand

from projects.sums import rebuild


class Command(BaseCommand):
    help = "Recompute the per-project, per-year monthly sums from the monthly actuals."

    def handle(self, *args, **options):
        rows = rebuild()
        self.stdout.write(f"{rows} project-year rows rebuilt")
