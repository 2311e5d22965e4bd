"""`GET /api/progress/?year=Y&month=M[&group_by=…][&project filters]` (SPEC section 6).

Contract: year (2000–2100) and month (1–12) are required, 400 otherwise; the project filters are
those of /api/projects/ (ProjectFilterSet); `group_by` is pipeline, unit, leader, sector or industry.
Totals and each group carry projects, annual_plan, actual_to_date, completion_rate, gap_points,
status, yoy_points and status_counts; totals also carry prephase_rate. SPEC section 10 adds to
totals and each group node_rate (milestones done among due at the month's end), overdue_milestones,
new_start_rate, and the set's own time_elapsed_rate (with schedule_basis = plan, each set's own
schedule from its projects' monthly plans; gap_points and status follow it). Amounts are two-decimal
strings, rates one-decimal numbers or null. Figures come from projects.selectors.progress_report.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..filtersets import ProjectFilterSet, engine_filters
from ..models import Project
from ..periods import MAX_YEAR, MIN_YEAR
from ..selectors.progress import progress_report
from .permissions import RolePermission

GROUP_BY_CHOICES = ["pipeline", "unit", "leader", "sector", "industry"]


class ProgressQuerySerializer(serializers.Serializer):
    """The query parameters of the progress endpoint."""

    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = serializers.IntegerField(min_value=1, max_value=12)
    group_by = serializers.ChoiceField(choices=GROUP_BY_CHOICES, required=False)


# One component for totals and groups alike (two classes of one name make drf-spectacular warn).
STATUS_COUNTS = inline_serializer(
    name="StatusCounts",
    fields={s: serializers.IntegerField() for s in ("ahead", "normal", "warning", "lagging")},
)


def _figures_serializer(name: str, with_prephase: bool = False):
    fields = {
        "projects": serializers.IntegerField(),
        "annual_plan": serializers.DecimalField(max_digits=18, decimal_places=2),
        "actual_to_date": serializers.DecimalField(max_digits=18, decimal_places=2),
        "completion_rate": serializers.FloatField(allow_null=True),
        "gap_points": serializers.FloatField(allow_null=True),
        "status": serializers.ChoiceField(choices=["ahead", "normal", "warning", "lagging"], allow_null=True),
        "yoy_points": serializers.FloatField(allow_null=True),
        "status_counts": STATUS_COUNTS,
        # SPEC section 10
        "time_elapsed_rate": serializers.FloatField(allow_null=True),
        "node_rate": serializers.FloatField(allow_null=True),
        "overdue_milestones": serializers.IntegerField(),
        "new_start_rate": serializers.FloatField(allow_null=True),
    }
    if with_prephase:
        fields["prephase_rate"] = serializers.FloatField(allow_null=True)
    else:
        fields["key"] = serializers.CharField(allow_null=True)
        fields["label"] = serializers.CharField()
    return inline_serializer(name=name, fields=fields)


PROGRESS_RESPONSE = inline_serializer(
    name="ProgressReport",
    fields={
        "year": serializers.IntegerField(),
        "month": serializers.IntegerField(),
        "time_elapsed_rate": serializers.FloatField(),
        "totals": _figures_serializer("ProgressTotals", with_prephase=True),
        "groups": serializers.ListField(child=_figures_serializer("ProgressGroup")),
    },
)


class ProgressView(APIView):
    """Completion against the time-elapsed schedule for a year and month, optionally grouped."""

    permission_classes = [RolePermission]  # a user without a role reads nothing (SPEC section 6)

    @extend_schema(
        operation_id="progress_retrieve",
        parameters=[
            OpenApiParameter("year", int, required=True, description=f"{MIN_YEAR}–{MAX_YEAR}"),
            OpenApiParameter("month", int, required=True, description="1–12"),
            OpenApiParameter("group_by", str, enum=GROUP_BY_CHOICES),
            OpenApiParameter("pipeline", str, enum=["continuing", "new", "planned"]),
            OpenApiParameter("unit", int),
            OpenApiParameter("leader", int),
            OpenApiParameter("sector", str),
            OpenApiParameter("industry", str),
            OpenApiParameter("stage", str),
            OpenApiParameter("level", str),
            OpenApiParameter("search", str),
        ],
        responses={
            200: PROGRESS_RESPONSE,
            400: OpenApiResponse(description=str(_("Missing or invalid year, month, group_by or filter."))),
            401: OpenApiResponse(description=str(_("Not logged in."))),
        },
    )
    def get(self, request):
        params = ProgressQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filterset = ProjectFilterSet(request.query_params, queryset=Project.objects.none())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        report = progress_report(
            year=params.validated_data["year"],
            month=params.validated_data["month"],
            filters=engine_filters(filterset.form.cleaned_data),
            group_by=params.validated_data.get("group_by"),
        )
        return Response(report.as_api())
