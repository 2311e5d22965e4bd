"""`/api/milestones/` and `/api/prephase-items/` (SPEC section 10).

Contract: milestones carry `id`, `project`, `year`, `name`, `planned_date`, `done_on` (null until
done), `note`; pre-phase items `id`, `project`, `kind` (proposal, feasibility, land, planning,
environment, energy, design, permit), `planned_date`, `done_on`, `document_no` (文号), `note`.
Both filter by `project`, `year` and `unit` (the project's); milestones also by `overdue` at a
`year`/`month` is left to /api/progress/. Everyone with a role reads; staff write the rows of their
own unit's projects, leaders nothing, the bureau all (`services.nodeplans`). Lists are paginated,
ordered in SQL, and cost the same queries whatever their length. `GET …/{id}/history/` lists changes.
"""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from projects.choices import PrephaseKind
from projects.models import YEAR_MESSAGE, AnnualPlan, Milestone, PrephaseItem, Project, Unit
from projects.periods import MAX_YEAR, MIN_YEAR
from projects.querysets import user_role
from projects.roles import is_bureau, is_staff
from projects.selectors.nodeplans import kind_order
from projects.services.nodeplans import node_delete, node_save, node_write_check

from .serializers import change_reason_field
from .serializers_figures import PROJECT_LABELS, ProjectLabelsMixin
from .views import HistoryMixin, RestrictedViewSet


class MilestoneFilterSet(django_filters.FilterSet):
    """Milestones by `project`, `year` and `unit` (the project's)."""

    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"), field_name="project__unit", queryset=Unit.objects.all()
    )
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=Project.objects.all())
    year = django_filters.NumberFilter(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    class Meta:
        model = Milestone
        fields = ["project", "year", "unit"]


class PrephaseItemFilterSet(django_filters.FilterSet):
    """Pre-phase items by `project`, `unit` (the project's), `kind` and `year` (projects on that year's list)."""

    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"), field_name="project__unit", queryset=Unit.objects.all()
    )
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=Project.objects.all())
    year = django_filters.NumberFilter(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR, method="filter_year")
    kind = django_filters.ChoiceFilter(label=_("pre-phase item"), choices=PrephaseKind.choices)

    class Meta:
        model = PrephaseItem
        fields = ["project", "year", "unit", "kind"]

    def filter_year(self, queryset, name, value):
        on_list = AnnualPlan.objects.filter(project_id=OuterRef("project_id"), year=value)
        return queryset.filter(Exists(on_list))


class NodePermission(BasePermission):
    """Everyone with a role reads; staff write their own unit's projects' rows, the bureau any."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated) or user_role(user) is None:
            return False
        if request.method in SAFE_METHODS:
            return True
        if not (is_bureau(user) or is_staff(user)):
            node_write_check(user=user, project_ids=set())  # raises the role's 403
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        node_write_check(user=request.user, project_ids={obj.project_id})
        return True


class NodeSerializer(ProjectLabelsMixin, serializers.ModelSerializer):
    """Saves through `services.nodeplans.node_save` (role, unit, validation, history)."""

    change_reason = change_reason_field()

    def create(self, validated_data):
        reason = validated_data.pop("change_reason", "")
        obj = self.Meta.model(**validated_data)
        return node_save(user=self.context["request"].user, obj=obj, change_reason=reason)

    def update(self, instance, validated_data):
        reason = validated_data.pop("change_reason", "")
        original = instance.project_id
        for field, value in validated_data.items():
            setattr(instance, field, value)
        node_save(user=self.context["request"].user, obj=instance, original_project_id=original, change_reason=reason)
        instance.project = Project.objects.select_related("unit").get(pk=instance.project_id)
        return instance


class MilestoneSerializer(NodeSerializer):
    """A node of a project's year (节点): planned date, done date (null until done), note."""

    class Meta:
        model = Milestone
        fields = ["id", "project", "year", "name", "planned_date", "done_on", "note", "change_reason", *PROJECT_LABELS]
        extra_kwargs = {"year": {"error_messages": {"min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE}}}


class PrephaseItemSerializer(NodeSerializer):
    """A pre-phase approval (前期手续) of a project: planned date, date obtained and document number (文号)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PrephaseItem
        fields = [
            "id", "project", "kind", "planned_date", "done_on", "document_no", "note", "change_reason",
            "kind_display", *PROJECT_LABELS,
        ]  # fmt: skip


class NodeViewSet(HistoryMixin, RestrictedViewSet):
    """List, retrieve, create, update and delete (staff of the project's unit, or the bureau)."""

    permission_classes = [NodePermission]
    delete_service = staticmethod(node_delete)


@extend_schema_view(
    list=extend_schema(description=_("Milestones (节点) by project and year, in planned order; filter by unit."))
)
class MilestoneViewSet(NodeViewSet):
    """Milestones worked back from each project's target (倒排节点)."""

    queryset = Milestone.objects.select_related("project__unit").order_by("year", "project__code", "planned_date", "id")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet


@extend_schema_view(list=extend_schema(description=_("Pre-phase items (前期手续) of projects, with document numbers.")))
class PrephaseItemViewSet(NodeViewSet):
    """Pre-phase approvals of projects, the measure of reserve projects."""

    queryset = PrephaseItem.objects.select_related("project__unit").order_by("project__code", kind_order(), "id")
    serializer_class = PrephaseItemSerializer
    filterset_class = PrephaseItemFilterSet
