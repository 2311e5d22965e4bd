"""Published reports (通报): the figures a publication freezes, and what moved since."""

from .metrics import display_rate
from .progress import progress_report
from .rows import project_rows

# --- published reports (通报) -----------------------------------------------------------------


def snapshot_payload(*, year: int, month: int) -> dict:
    """The figures a published report freezes: totals by pipeline and every project's row."""
    report = progress_report(year=year, month=month, group_by="pipeline")
    rows = project_rows(year=year, month=month)
    return {
        "progress": report.as_api(),
        "projects": {
            str(r.project_id): {
                "code": r.code,
                "name": r.name,
                "plan": f"{r.plan:.2f}",
                "actual_to_date": f"{r.actual_to_date:.2f}",
                "completion_rate": display_rate(r.exact_rate),
                "status": r.status,
            }
            for r in rows
        },
    }


def published_differences(published) -> dict:
    """What changed since `published` was sent: totals and each project whose figures moved."""
    current = snapshot_payload(year=published.year, month=published.month)
    keys = ("projects", "annual_plan", "actual_to_date", "completion_rate", "gap_points", "status")
    then_totals, now_totals = published.data["progress"]["totals"], current["progress"]["totals"]
    totals = {k: {"published": then_totals.get(k), "current": now_totals.get(k)} for k in keys}
    projects = []
    then_projects, now_projects = published.data["projects"], current["projects"]
    for pid in sorted(set(then_projects) | set(now_projects), key=int):
        before, after = then_projects.get(pid), now_projects.get(pid)
        if before == after:
            continue
        changed = sorted(
            k for k in set(before or {}) | set(after or {}) if (before or {}).get(k) != (after or {}).get(k)
        )
        projects.append(
            {
                "project_id": int(pid),
                "code": (after or before)["code"],
                "name": (after or before)["name"],
                "fields": changed,
                "published": before,
                "current": after,
            }
        )
    return {
        "changed": bool(projects) or any(v["published"] != v["current"] for v in totals.values()),
        "totals": totals,
        "projects": projects,
    }
