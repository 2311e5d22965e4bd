"""The wall chart (挂图作战): for the county, a unit or a leader, each project's milestones on a time axis.

Thin: the figures come from the engine (`progress_report`, `monthly_series`), the page of projects
and their milestones from `selectors.nodeplans.wallchart_page`. Milestones are judged as of today
while the year runs (a board to act on), as of 31 December for a past year.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Leader, Unit
from ..selectors.nodeplans import wallchart_page
from ..selectors.progress import monthly_series, progress_report
from .common import DashboardView, pace_chart


def as_of_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day a wall chart judges milestones on: today in the current year, else the year's end (or start)."""
    today = today or timezone.localdate()
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def timeline_chart(rows, *, year: int, day: dt.date) -> dict:
    """Chart data: one line per project, its milestones as points coloured by state, the day's line."""
    labels, nodes = [], []
    for index, item in enumerate(rows):
        labels.append(item.row.name)
        for node in item.milestones:
            m = node.obj
            nodes.append(
                {
                    "y": index,
                    "planned": m.planned_date.isoformat(),
                    "done": m.done_on.isoformat() if m.done_on else None,
                    "name": m.name,
                    "state": "done_late" if node.done and node.days_late else node.state,
                    "late": node.days_late,
                }
            )
    return {
        "kind": "wallchart",
        "start": f"{year}-01-01",
        "end": f"{year}-12-31",
        "today": day.isoformat(),
        "projects": labels,
        "nodes": nodes,
        "labels": {
            "today": _("Today") if day == timezone.localdate() else _("As of"),
            "done": _("Done"),
            "done_late": _("Done late"),
            "overdue": _("Overdue"),
            "pending": _("Not yet due"),
            "planned": _("Planned"),
            "done_on": _("Done on"),
            "days_late": _("days late"),
        },
    }


class WallChartView(DashboardView):
    """挂图作战 for the county (no scope), a unit (`unit`) or a leader (`leader`)."""

    template_name = "wallchart/wallchart.html"
    page_title = gettext_lazy("Wall chart")
    scope = ""

    def get_data(self, *, year, month, filters, ctx):
        own, subject, other = dict(filters), _("County"), None
        if self.scope == "unit":
            other = get_object_or_404(Unit.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
            own["unit"] = other.pk
        elif self.scope == "leader":
            other = get_object_or_404(Leader.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
            own["leader"] = other.pk
        elif own.get("unit") or own.get("leader"):  # the county page narrowed with the filters
            model, pk = (Unit, own["unit"]) if own.get("unit") else (Leader, own["leader"])
            other = model.objects.filter(pk=pk).first()
        if other is not None:
            subject = other.name
        day = as_of_day(year)
        report = progress_report(year=year, month=month, filters=own)
        page = wallchart_page(year=year, month=month, filters=own, number=self.request.GET.get("page"), day=day)
        series = monthly_series(year=year, filters=own)
        return {
            "page_title": _("Wall chart: %(subject)s") % {"subject": subject},
            "subject": subject,
            "scope": self.scope,
            "scope_unit": own.get("unit"),
            "scope_leader": own.get("leader"),
            "report": report,
            "totals": report.totals,
            "day": day,
            "page_obj": page["page"],
            "rows": page["rows"],
            "timeline": timeline_chart(page["rows"], year=year, day=day),
            "pace_chart": pace_chart(series, month=month, unit=_("10k yuan")),
            "units": Unit.objects.order_by("name").values_list("pk", "name"),
            "leaders": Leader.objects.order_by("rank", "name").values_list("pk", "name"),
        }
