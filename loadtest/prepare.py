"""Write the load test's plan: who logs in, their API tokens, and which figures each staff user writes.

Run with the server's environment (DATABASE_URL ...): `python loadtest/prepare.py > plan.json`.
Reads the database directly so the load itself does not depend on the API's list shapes.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_plan(*, year: int, month: int, password: str) -> dict:
    """Users of each role with a token; for staff, their unit's figures of the month (and projects without one)."""
    from django.contrib.auth import get_user_model
    from django.urls import Resolver404, resolve
    from knox.models import AuthToken

    from projects.models import AnnualPlan, MonthlyActual, Project
    from projects.querysets import user_role

    try:
        resolve("/api/actuals/")
        api = True
    except Resolver404:
        api = False
    users = []
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        role = user_role(user)
        if role is None:
            continue
        entry = {"username": user.username, "role": role, "token": AuthToken.objects.create(user=user)[1]}
        if role == "staff" and user.unit_id:
            project_ids = list(
                AnnualPlan.objects.filter(year=year, project__unit_id=user.unit_id).values_list("project_id", flat=True)
            )
            actuals = MonthlyActual.objects.filter(project_id__in=project_ids, year=year, month=month)
            entry["rows"] = [
                {"id": a.pk, "project": a.project_id, "version": a.version, "amount": str(a.amount)}
                for a in actuals.order_by("pk")
            ]
            have = {row["project"] for row in entry["rows"]}
            entry["new_projects"] = [pid for pid in project_ids if pid not in have]
        users.append(entry)
    projects = Project.objects.count()
    return {"year": year, "month": month, "password": password, "api": api, "users": users, "projects": projects}


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectreg.settings")
    import django

    django.setup()
    from projects.demo import DEMO_PASSWORD

    year = int(os.environ.get("LOADTEST_YEAR", "2026"))
    month = int(os.environ.get("LOADTEST_MONTH", "10"))
    json.dump(build_plan(year=year, month=month, password=DEMO_PASSWORD), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
