"""The project page at /projects/<id>/: data, plans by year, months against plan pace, bottlenecks, history."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..choices import PrephaseKind
from ..models import Project
from ..selectors.nodeplans import milestones_of, prephase_of
from ..selectors.progress import progress_report
from ..selectors.project import project_bottlenecks, project_figures, project_history
from ..services.nodeplans import can_change_nodes
from .common import DashboardView, pace_chart


class ProjectDetailView(DashboardView):
    template_name = "projects/project_detail.html"
    export = False

    def get_data(self, *, year, month, filters, ctx):
        project = get_object_or_404(
            Project.objects.restrict(self.request.user, "view").select_related("unit", "leader"),
            pk=self.kwargs["pk"],
        )
        figures = project_figures(project=project, year=year, month=month)
        report = progress_report(year=year, month=month, filters={"project_ids": [project.pk]})
        return {
            "report": report,
            "project": project,
            "page_title": project.name,
            "plans": list(project.plans.order_by("-year")),
            "row": figures["row"],
            "month_rows": figures["months"],
            "pace_chart": pace_chart(figures["months"], month=month, unit=_("10k yuan")),
            "bottlenecks": project_bottlenecks(project),
            "history": project_history(project),
            **project_nodes(project=project, user=self.request.user, year=year, month=month),
        }


def project_nodes(*, project, user, year: int, month: int) -> dict:
    """The project page's milestones and pre-phase items at the month (two queries)."""
    return {
        "milestones": milestones_of([project.pk], year=year, month=month).get(project.pk, []),
        "items": prephase_of([project.pk], year=year, month=month).get(project.pk, {}),
        "kinds": PrephaseKind.choices,
        "can_edit_nodes": can_change_nodes(user, project),
    }
