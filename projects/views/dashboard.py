"""The county dashboards of SPEC section 5: thin views over the progress engine.

No view computes a rate: figures come from `projects.selectors` (directly or through
`projects.selectors.dashboard`), and templates only format them.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import BottleneckCategory, Industry, Pipeline, Sector, Status
from ..forms import RankingForm
from ..models import Leader
from ..periods import month_end
from ..selectors.bottlenecks import open_bottlenecks
from ..selectors.dashboard import (
    NotStarted,
    furthest_behind,
    leader_overview,
    unit_ranking,
)
from ..selectors.metrics import display_rate
from ..selectors.progress import monthly_series, progress_report
from .common import DashboardView, pace_chart
from .pagination import paged_rows

TOP_LAGGING = 10
# The columns of `dashboard/_project_table.html` and of the warning list, each sortable in SQL.
TABLE_SORTS = ("code", "name", "pipeline", "unit", "leader", "plan", "ytd", "rate", "gap", "status")
NOT_STARTED_SORTS = ("name", "unit", "leader", "planned_start", "overdue", "plan", "stage")
WARNING_SORTS = ("name", "unit", "leader", "plan", "ytd", "rate", "gap", "status")
CHOICES = {"sector": Sector, "industry": Industry}
YI = 10000  # 万元 in one 亿元


def overview_data(*, year: int, month: int, filters: dict) -> dict:
    """The county overview's figures: totals, pipelines, status counts, pace chart, worst projects."""
    report, lagging = furthest_behind(
        year=year, month=month, filters=filters, statuses=(Status.LAGGING.value,), limit=TOP_LAGGING, months=True
    )
    series = monthly_series(
        year=year, filters=filters, plan_total=report.totals.annual_plan, actual_to_month=report.actual_to_month
    )
    return {
        "report": report,
        "totals": report.totals,
        "pace_chart": pace_chart(series, month=month, scale=YI, unit=_("100 million yuan")),
        "lagging_top": lagging,
        "lagging_count": report.totals.status_counts[Status.LAGGING.value],
    }


class OverviewView(DashboardView):
    template_name = "dashboard/overview.html"
    page_title = gettext_lazy("County overview")

    def get_data(self, *, year, month, filters, ctx):
        return overview_data(year=year, month=month, filters=filters)


class RankingView(DashboardView):
    template_name = "dashboard/ranking.html"
    page_title = gettext_lazy("Unit ranking")

    def get_data(self, *, year, month, filters, ctx):
        form = RankingForm(self.request.GET)
        form.is_valid()
        for name, errors in form.errors.items():
            ctx["input_errors"] += [f"{form.fields[name].label}: {e}" for e in errors]
        min_plan, kind = form.options(ctx["progress_settings"])
        data = unit_ranking(year=year, month=month, filters=filters, min_plan=min_plan, kind=kind)
        export_url = "&".join(q for q in (ctx["export_url"], form.query()) if q)
        return {
            **data,
            "ranking_form": form,
            "min_plan": min_plan,
            "kind": kind,
            "totals": data["report"].totals,
            "export_url": export_url,
        }


class LeadersView(DashboardView):
    template_name = "dashboard/leaders.html"
    page_title = gettext_lazy("Leaders' linked projects")

    def get_data(self, *, year, month, filters, ctx):
        data = leader_overview(year=year, month=month, filters=filters)
        return {**data, "totals": data["report"].totals}


class LeaderDetailView(DashboardView):
    template_name = "dashboard/leader_detail.html"

    def get_data(self, *, year, month, filters, ctx):
        leader = get_object_or_404(Leader.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
        own = {**filters, "leader": leader.pk}
        report = progress_report(year=year, month=month, filters=own)
        return {
            "counts_qs": f"{ctx['page_qs']}&leader={leader.pk}",
            "leader": leader,
            "page_title": str(leader),
            "totals": report.totals,
            "report": report,
            **paged_rows(self, ctx, year=year, month=month, filters=own, sorts=TABLE_SORTS, default_sort="code"),
        }


class BreakdownView(DashboardView):
    """Sector or industry breakdown with each group's share of the list's projects."""

    template_name = "dashboard/breakdown.html"
    dimensions = {"sector": gettext_lazy("By sector"), "industry": gettext_lazy("By industry")}

    def get_data(self, *, year, month, filters, ctx):
        dimension = self.kwargs["dimension"]
        if dimension not in self.dimensions:
            raise Http404
        report = progress_report(year=year, month=month, filters=filters, group_by=dimension)
        order = {code: i for i, code in enumerate(CHOICES[dimension].values)}
        report.groups.sort(key=lambda g: order.get(g.key, len(order)))  # the SPEC's order of the choices
        chart = {
            "kind": "groups",
            "labels": [g.label for g in report.groups],
            "rates": [display_rate(g.exact_rate) for g in report.groups],
            "statuses": [g.status for g in report.groups],
            "status_labels": [str(Status(g.status).label) if g.status else "" for g in report.groups],
            "schedule": display_rate(report.exact_schedule),
            "names": {"rate": _("Completion rate (%)"), "schedule": _("Time-elapsed schedule")},
        }
        return {
            "report": report,
            "totals": report.totals,
            "dimension": dimension,
            "page_title": self.dimensions[dimension],
            "groups_chart": chart,
        }


class WarningListView(DashboardView):
    template_name = "dashboard/warning_list.html"
    page_title = gettext_lazy("Warning and lagging projects")

    def get_data(self, *, year, month, filters, ctx):
        wanted = self.choice(ctx, "status", _("Status"), (Status.WARNING.value, Status.LAGGING.value))
        statuses = (wanted,) if wanted else (Status.WARNING.value, Status.LAGGING.value)
        # Furthest behind schedule first (the exact rate, then code) unless another column is chosen.
        page = paged_rows(
            self, ctx, year=year, month=month, filters=filters, sorts=WARNING_SORTS, default_sort="rate",
            statuses=statuses,
        )  # fmt: skip
        # The heading's schedule and status counts come from the same statement as the rows.
        return {**page, "status_filter": wanted, "report": page["list_totals"], "totals": page["list_totals"]}


class NotStartedView(DashboardView):
    template_name = "dashboard/not_started.html"
    page_title = gettext_lazy("New-build projects not started")

    def get_data(self, *, year, month, filters, ctx):
        if filters.get("pipeline") not in (None, "", Pipeline.NEW):
            return {"items": [], "count": 0}  # only new-build projects have a start to miss
        end = month_end(year, month)
        page = paged_rows(
            self, ctx, year=year, month=month, filters={**filters, "pipeline": Pipeline.NEW.value},
            sorts=NOT_STARTED_SORTS, default_sort="-overdue", not_started_by=end,
        )  # fmt: skip
        items = [NotStarted(r, (end - r.planned_start).days) for r in page["rows"]]
        return {**page, "items": items, "count": page["pager"].count}


class BottleneckListView(DashboardView):
    template_name = "dashboard/bottlenecks.html"
    page_title = gettext_lazy("Open bottlenecks by category")
    export = False

    def get_data(self, *, year, month, filters, ctx):
        category = self.choice(ctx, "category", _("Category"), BottleneckCategory.values)
        data = open_bottlenecks(year=year, filters=filters, category=category)
        return {**data, "category": category, "category_choices": BottleneckCategory.choices}


class ProjectListView(DashboardView):
    """The year's key-project list with each project's figures, filterable, sorted and paged in SQL."""

    template_name = "projects/project_list.html"
    page_title = gettext_lazy("Key projects")

    def get_data(self, *, year, month, filters, ctx):
        status = self.choice(ctx, "status", _("Status"), (*Status.values, "none"))
        options = {}
        if status == "none":
            options["unrated"] = True
        elif status:
            options["statuses"] = (status,)
        page = paged_rows(
            self, ctx, year=year, month=month, filters=filters, sorts=TABLE_SORTS, default_sort="code", **options
        )
        return {**page, "status_filter": status, "status_choices": Status.choices}
