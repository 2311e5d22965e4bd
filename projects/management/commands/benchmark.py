"""`manage.py benchmark [--projects 300 3000 20000] [--runs 5] [--json PATH] [--upload-memory]`.

For each size it creates a throw-away database beside the configured one (test_<name>, or a
temporary SQLite file), loads a synthetic registry with generate_demo, runs the measured paths
against their floors and prints a table; the results also go to a JSON file. `--upload-memory`
measures instead the peak memory of reading hostile, worst-legal and template uploads, each in a
fresh process (benchmarks/upload_memory.py), and writes them to benchmarks/upload_memory.json.
"""

import importlib.util
import json as json_module
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from projects.benchmark import format_table, measure


class Command(BaseCommand):
    help = "Time the progress API, overview page, API list, export and import against their floors."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, nargs="+", default=[300, 3000, 20000])
        parser.add_argument("--runs", type=int, default=5, help="warm runs per path (median reported)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", default="benchmarks/results.json")
        parser.add_argument(
            "--upload-memory", action="store_true", help="peak memory of reading uploads (no database needed)"
        )

    def handle(self, *args, projects, runs, seed, json: str, upload_memory: bool = False, **options):
        if upload_memory:
            return self.upload_memory()
        settings.DEBUG = False
        logging.getLogger("projectreg.request").setLevel(logging.WARNING)  # one log line per timed request
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        vendor = connection.vendor
        all_results = []
        for n in projects:
            with tempfile.TemporaryDirectory() as tmp:
                if vendor == "sqlite":
                    connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(tmp) / "bench.sqlite3")
                old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                try:
                    call_command("generate_demo", "--projects", str(n), "--years", "2", "--seed", str(seed),
                                 "--no-history", verbosity=0)  # fmt: skip
                    results = measure(projects=n, year=2026, month=10, runs=runs)
                finally:
                    connection.creation.destroy_test_db(old_name, verbosity=0)
            self.stdout.write(format_table(results, vendor))
            all_results.extend(results)
        self.stdout.write("\n" + format_table(all_results, vendor))
        path = Path(json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            __import__("json").dumps(
                {"database": vendor, "results": [r.as_dict() for r in all_results]}, indent=2, ensure_ascii=False
            )
        )
        self.stdout.write(f"written to {path}")

    def upload_memory(self) -> None:
        script = Path(settings.BASE_DIR) / "benchmarks" / "upload_memory.py"
        spec = importlib.util.spec_from_file_location("upload_memory", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results = module.measure()
        self.stdout.write(module.format_table(results))
        path = script.with_suffix(".json")
        path.write_text(json_module.dumps({"results": results}, indent=2, ensure_ascii=False))
        self.stdout.write(f"written to {path}")
