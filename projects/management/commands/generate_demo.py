"""`manage.py generate_demo --projects N --years K --seed S [--fixture PATH]`: a synthetic registry."""

import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from projects.demo import DEMO_PASSWORD, generate
from projects.models import Project

# What `loaddata demo` restores: every model of the registry app with its history, users included
# (groups by name: the role groups themselves are created by migrate), so data that a demo
# extension (projects.demo.EXTENSIONS) adds goes into the fixture too. Left out: what the database
# triggers keep themselves (the cache's data-version token and the per-project sums, which loading the
# actuals rebuilds; loading them too would count every figure twice).
FIXTURE_APP = "projects"
FIXTURE_EXCLUDE = ["projects.dataversion", "projects.projectsums"]


class Command(BaseCommand):
    help = "Write a deterministic synthetic registry into an empty database (optionally dump it as a fixture)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=150)
        parser.add_argument("--years", type=int, default=2)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--last-year", type=int, default=2026)
        parser.add_argument("--last-month", type=int, default=10)
        parser.add_argument("--no-history", action="store_true", help="skip history rows (faster, for benchmarks)")
        parser.add_argument("--fixture", help="also write the result as a JSON fixture to this path")

    def handle(self, *args, **opts):
        if Project.objects.exists():
            raise CommandError("The database already holds projects; generate_demo needs an empty registry.")
        if not 1 <= opts["last_month"] <= 12 or opts["projects"] < 1 or opts["years"] < 1:
            raise CommandError("Need --projects >= 1, --years >= 1 and --last-month between 1 and 12.")
        started = time.perf_counter()
        result = generate(
            projects=opts["projects"],
            years=opts["years"],
            seed=opts["seed"],
            last_year=opts["last_year"],
            last_month=opts["last_month"],
            with_history=not opts["no_history"],
        )
        with connection.cursor() as cursor:  # fresh statistics so the planner sees the real sizes
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"{result.projects} projects, {result.plans} plans, {result.actuals} monthly actuals, "
            f"{result.units} units, {result.leaders} leaders in {time.perf_counter() - started:.1f} s "
            f"(password of every demo user: {DEMO_PASSWORD})"
        )
        if opts["fixture"]:
            path = Path(opts["fixture"])
            path.parent.mkdir(parents=True, exist_ok=True)
            call_command(
                "dumpdata", FIXTURE_APP, exclude=FIXTURE_EXCLUDE, indent=None, output=str(path), natural_foreign=True
            )
            self.stdout.write(f"Fixture written to {path}")
