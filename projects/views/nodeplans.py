"""Pages of SPEC section 10 besides the wall chart: the pre-phase grid and a project's milestone and
pre-phase form for the staff of its unit (and the bureau).

Thin: reads through `selectors.nodeplans`, writes through `services.nodeplans` (role, unit, history).
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import PrephaseKind
from ..models import Milestone, PrephaseItem, Project
from ..selectors.nodeplans import milestones_of, prephase_of, prephase_page
from ..services.nodeplans import can_change_nodes, node_delete, node_save
from .common import DashboardView

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.ModelForm):
    """A milestone of the project (name, year, planned date, done on, note)."""

    class Meta:
        model = Milestone
        fields = ["year", "name", "planned_date", "done_on", "note"]
        widgets = {"planned_date": DATE_WIDGET, "done_on": DATE_WIDGET, "note": forms.TextInput()}


class PrephaseItemForm(forms.ModelForm):
    """A pre-phase item of the project: one per kind; saving a kind again changes it."""

    class Meta:
        model = PrephaseItem
        fields = ["kind", "planned_date", "done_on", "document_no", "note"]
        widgets = {"planned_date": DATE_WIDGET, "done_on": DATE_WIDGET, "note": forms.TextInput()}


class PrephaseListView(DashboardView):
    """The year's reserve projects, each with its eight pre-phase items as a row of ticks and overdue marks."""

    template_name = "nodeplans/prephase.html"
    page_title = gettext_lazy("Pre-phase work of reserve projects")

    def get_data(self, *, year, month, filters, ctx):
        data = prephase_page(year=year, month=month, filters=filters, number=self.request.GET.get("page"))
        return {"page_obj": data["page"], "rows": data["rows"], "kinds": data["kinds"]}


class ProjectNodesView(DashboardView):
    """`/projects/<id>/nodes/`: the project's milestones and pre-phase items, with forms for those who may keep them."""

    template_name = "nodeplans/project_nodes.html"
    export = False

    def project(self):
        return get_object_or_404(
            Project.objects.restrict(self.request.user, "view").select_related("unit"), pk=self.kwargs["pk"]
        )

    def get_data(self, *, year, month, filters, ctx):
        project = self.project()
        editing = self.editing(project)
        return {
            "project": project,
            "page_title": _("Milestones and pre-phase items: %(name)s") % {"name": project.name},
            "can_edit": can_change_nodes(self.request.user, project),
            "milestones": milestones_of([project.pk], year=year, month=month).get(project.pk, []),
            "items": prephase_of([project.pk], year=year, month=month).get(project.pk, {}),
            "kinds": PrephaseKind.choices,
            "milestone_form": ctx.get("milestone_form") or MilestoneForm(instance=editing, initial={"year": year}),
            "item_form": ctx.get("item_form") or PrephaseItemForm(),
            "editing": editing,
        }

    def editing(self, project):
        pk = self.request.GET.get("edit") or self.request.POST.get("milestone_id")
        if pk and str(pk).isdigit():
            return Milestone.objects.filter(project=project, pk=pk).first()
        return None

    def post(self, request, *args, **kwargs):
        project = self.project()
        if not can_change_nodes(request.user, project):
            raise PermissionDenied(_("Only the staff of the project's unit and the bureau keep its milestones."))
        action = request.POST.get("action")
        extra = {}
        try:
            if action == "milestone":
                instance = self.editing(project) or Milestone(project=project)
                form = MilestoneForm(request.POST, instance=instance)
                extra["milestone_form"] = form
                if form.is_valid():
                    node_save(user=request.user, obj=form.instance, original_project_id=project.pk)
                    return redirect(request.get_full_path().split("?")[0] + f"?year={form.instance.year}")
            elif action == "item":
                kind = request.POST.get("kind")
                instance = PrephaseItem.objects.filter(project=project, kind=kind).first() or PrephaseItem(
                    project=project
                )
                form = PrephaseItemForm(request.POST, instance=instance)
                extra["item_form"] = form
                if form.is_valid():
                    node_save(user=request.user, obj=form.instance, original_project_id=project.pk)
                    return redirect(request.get_full_path())
            elif action in ("delete-milestone", "delete-item"):
                model = Milestone if action == "delete-milestone" else PrephaseItem
                obj = get_object_or_404(model, project=project, pk=request.POST.get("id"))
                node_delete(user=request.user, obj=obj)
                return redirect(request.get_full_path())
        except ValidationError as exc:
            form = extra.get("milestone_form") or extra.get("item_form")
            if form is not None:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
        context = self.get_context_data(**kwargs)
        context.update(extra)
        context.update(self.get_data(year=context["year"], month=context["month"], filters={}, ctx=extra))
        return self.render_to_response(context, status=400)
