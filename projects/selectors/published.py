"""Published reports (通报): the figures a publication freezes, and what moved since."""

from django.utils import timezone

from ..cache import cached
from ..choices import Pipeline, Status
from ..models import Bottleneck, ProgressSettings
from .bottlenecks import bottleneck_summary
from .dashboard import furthest_behind, not_started, unit_ranking
from .metrics import display_rate
from .nodeplans import overdue_milestones_at
from .progress import progress_report
from .rows import project_rows

# --- published reports (通报) -----------------------------------------------------------------


# The bulletin lists this many of the projects furthest behind, and of the late starts (with the counts).
LISTED = 10


def ranked_units(*, year: int, month: int, min_plan=None) -> list[dict]:
    """The unit ranking (the dashboard's rule) in the API's shape; unranked units last, rank None."""
    if min_plan is None:
        min_plan = ProgressSettings.load().min_ranking_plan
    ranking = unit_ranking(year=year, month=month, min_plan=min_plan)
    return [
        {"key": g.figures.key, "label": g.figures.label, "rank": g.rank, **g.figures.as_api()}
        for g in (*ranking["ranked"], *ranking["unranked"])
    ]


def bulletin_payload(*, year: int, month: int) -> dict:
    """`month_bulletin_figures`, cached under the data version (every table it reads is tracked) and
    the day (problems turn overdue overnight)."""
    return cached(
        "bulletin_payload",
        lambda: month_bulletin_figures(year=year, month=month),
        year=year,
        month=month,
        today=timezone.localdate().isoformat(),
    )


def month_bulletin_figures(*, year: int, month: int) -> dict:
    """The month's figures the monthly bulletin (通报) reads: progress by pipeline, the unit ranking
    (红黑榜), the lagging projects furthest behind, pre-phase and starts, the overdue milestones (the
    engine's count and the most overdue), open and overdue problems.

    Frozen with the month's publication (inside `snapshot_payload`), so a published month's
    bulletin reads the same after later corrections. Every figure is the engine's, in the API's
    shape (amounts as two-decimal strings, rates as one-decimal numbers).
    """
    settings = ProgressSettings.load()
    lagging_status = Status.LAGGING.value
    report, lagging = furthest_behind(year=year, month=month, filters={}, statuses=(lagging_status,), limit=LISTED)
    late_starts = not_started(year=year, month=month)
    summary, total = bottleneck_summary(Bottleneck.objects.filter(project__archived=False))
    late_nodes, _count = overdue_milestones_at(year=year, month=month, limit=LISTED)
    return {
        "progress": report.as_api(),
        "county_name": settings.county_name,
        "min_ranking_plan": f"{settings.min_ranking_plan:.2f}",
        "units": ranked_units(year=year, month=month, min_plan=settings.min_ranking_plan),
        "lagging": {
            "count": report.totals.status_counts[lagging_status],
            "furthest": [
                {
                    "code": r.code,
                    "name": r.name,
                    "unit": r.unit_name,
                    "completion_rate": display_rate(r.exact_rate),
                    "gap_points": display_rate(r.exact_gap),
                }
                for r in lagging
            ],
        },
        "prephase": {
            "planned_projects": report.totals.planned_projects,
            "planned_started": report.totals.planned_started,
            "prephase_rate": display_rate(report.totals.prephase_rate),
        },
        "starts": {
            "new_projects": next((g.projects for g in report.groups if g.key == Pipeline.NEW.value), 0),
            "not_started": len(late_starts),
            "furthest": [
                {"code": n.row.code, "name": n.row.name, "days": n.days_overdue} for n in late_starts[:LISTED]
            ],
        },
        "nodes": {
            "node_rate": display_rate(report.totals.node_rate),
            "overdue": report.totals.overdue_milestones,
            "furthest": [
                {
                    "code": o.project.code,
                    "project": o.project.name,
                    "node": o.milestone.name,
                    "planned": o.milestone.planned_date.isoformat(),
                    "days": o.days_late,
                }
                for o in late_nodes
            ],
        },
        "problems": {
            "categories": [
                {"category": c.category, "label": c.label, "open": c.open, "overdue": c.overdue} for c in summary
            ],
            "open": total.open,
            "overdue": total.overdue,
        },
    }


def snapshot_payload(*, year: int, month: int, bulletin: bool = True) -> dict:
    """The figures a published report freezes: totals by pipeline, every project's row and, with
    `bulletin`, what the monthly bulletin reads besides (`bulletin_payload`)."""
    report = progress_report(year=year, month=month, group_by="pipeline")
    rows = project_rows(year=year, month=month)
    extra = bulletin_payload(year=year, month=month) if bulletin else {}
    return {
        **extra,
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
    current = snapshot_payload(year=published.year, month=published.month, bulletin=False)
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
