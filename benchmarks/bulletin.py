"""Time the monthly bulletin against the overview page on a big registry (issue 17: under 2×).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bulletin.py [--projects 20000] [--runs 5]

Creates a throw-away database beside the configured one (as `manage.py benchmark` does), loads a
synthetic registry with generate_demo and the demo problems, then times, as the bureau user,
`GET /overview/`, `GET /reports/bulletin.docx` and `GET /reports/bulletin/` for the same month:
medians with the figure cache emptied before each run (cold) and kept (warm). Query counts are
checked by the tests (tests/problems), at 10 and many rows.
"""

import argparse
import gc
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectreg.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

YEAR, MONTH = 2026, 9  # the demo's latest locked month


def median_ms(fn, runs: int, *, cold: bool) -> float:
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        gc.collect()
        start = time.perf_counter()
        response = fn()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return round(statistics.median(times), 1)


def measure(projects: int, runs: int) -> list[dict]:
    from projects import demo_problems
    from projects.models import User

    call_command("generate_demo", "--projects", str(projects), "--years", "2", "--seed", "1", "--no-history",
                 verbosity=0)  # fmt: skip
    demo_problems.populate(rng=random.Random(1), year=2026, month=10)
    demo_problems.publish_previous(year=YEAR, month=MONTH)
    client = Client()
    client.force_login(User.objects.get(username="fgj"))
    period = {"year": YEAR, "month": MONTH}
    paths = {
        "GET /overview/": lambda: client.get("/overview/", period),
        "GET /reports/bulletin.docx": lambda: client.get("/reports/bulletin.docx", period),
        "GET /reports/bulletin/": lambda: client.get("/reports/bulletin/", period),
    }
    results = []
    for path, fn in paths.items():
        fn()
        results.append(
            {
                "projects": projects,
                "path": path,
                "cold_ms": median_ms(fn, runs, cold=True),
                "warm_ms": median_ms(fn, runs, cold=False),
            }
        )
    overview = results[0]
    for r in results:
        r["cold_vs_overview"] = round(r["cold_ms"] / overview["cold_ms"], 2)
        r["warm_vs_overview"] = round(r["warm_ms"] / overview["warm_ms"], 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, nargs="+", default=[20000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", default="benchmarks/bulletin.json")
    args = parser.parse_args()
    settings.DEBUG = False
    logging.getLogger("projectreg.request").setLevel(logging.WARNING)
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    all_results = []
    for n in args.projects:
        with tempfile.TemporaryDirectory() as tmp:
            if connection.vendor == "sqlite":
                connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
            old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                all_results.extend(measure(n, args.runs))
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
    for r in all_results:
        print(
            f"{r['projects']:>6} {r['path']:<28} cold {r['cold_ms']:>8.1f} ms ({r['cold_vs_overview']}×) "
            f"warm {r['warm_ms']:>8.1f} ms ({r['warm_vs_overview']}×)"
        )
    Path(args.json).write_text(json.dumps({"database": connection.vendor, "results": all_results}, indent=2))


if __name__ == "__main__":
    main()
