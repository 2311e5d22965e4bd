"""The admin of SPEC section 10: milestones and pre-phase items (the bureau's view of every project's)."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Milestone, PrephaseItem
from ..services.nodeplans import done_on_check, node_delete, node_save


class NodeForm(forms.ModelForm):
    """The services' checks, on the form, so a refusal is shown beside the field rather than raised."""

    def clean(self):
        data = super().clean()
        done_on_check(data.get("done_on"))
        return data


class NodeAdmin(SimpleHistoryAdmin):
    """Saves and deletes through `services.nodeplans`, like the API and the pages."""

    form = NodeForm
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    search_fields = ["project__code", "project__name"]

    def save_model(self, request, obj, form, change):
        node_save(user=request.user, obj=obj, original_project_id=form.initial.get("project"))

    def delete_model(self, request, obj):
        node_delete(user=request.user, obj=obj)


@admin.register(Milestone)
class MilestoneAdmin(NodeAdmin):
    list_display = ["project", "year", "name", "planned_date", "done_on"]
    list_filter = ["year", ("done_on", admin.EmptyFieldListFilter)]
    search_fields = [*NodeAdmin.search_fields, "name"]
    date_hierarchy = "planned_date"


@admin.register(PrephaseItem)
class PrephaseItemAdmin(NodeAdmin):
    list_display = ["project", "kind", "planned_date", "done_on", "document_no"]
    list_filter = ["kind", ("done_on", admin.EmptyFieldListFilter)]
    search_fields = [*NodeAdmin.search_fields, "document_no"]
