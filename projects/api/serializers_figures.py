"""Serializers for the figures: monthly actuals and annual plans.

Every write goes through `services.actual_set` / `plan_set` (and their create-only wrappers in
`services.records`), so role, unit, locked-period and history rules are the services'. A figure's
project, year and month are its identity: a PATCH changes its values, never which month it is.
"""

from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import NEGATIVE_MESSAGE, ZERO, AnnualPlan, MonthlyActual
from projects.services.figures import actual_set, plan_set
from projects.services.records import actual_create, plan_create

from .serializers import FIGURE_FIELDS, change_reason_field

IDENTITY_MESSAGE = _("This cannot be changed on an existing row; create a row for the other project or month instead.")


def refuse_identity_change(instance, validated_data: dict, fields: tuple[str, ...]) -> None:
    """A 400 naming each identity field that an update tries to change."""
    errors = {}
    for field in fields:
        if field in validated_data:
            new = validated_data[field]
            new = getattr(new, "pk", new)
            if new != getattr(instance, f"{field}_id" if field == "project" else field):
                errors[field] = [IDENTITY_MESSAGE]
    if errors:
        raise serializers.ValidationError(errors)


# The read-only labels `ProjectLabelsMixin` adds, for a serializer's `fields`.
PROJECT_LABELS = ["project_code", "project_name", "unit", "unit_name"]


class ProjectLabelsMixin(serializers.Serializer):
    """Read-only labels of the figure's project, so a client needs no second request."""

    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    unit = serializers.IntegerField(source="project.unit_id", read_only=True, help_text=_("The project's unit."))
    unit_name = serializers.CharField(source="project.unit.name", read_only=True)


class FigureSerializer(ProjectLabelsMixin, serializers.ModelSerializer):
    """A figure written through its service; `identity` (project and period) is fixed once it exists."""

    identity: tuple[str, ...] = ("project", "year")
    change_reason = change_reason_field()

    class Meta:
        read_only_fields = ["updated_at"]
        extra_kwargs = FIGURE_FIELDS
        # A second row for a period is refused by the service, naming the existing row's id.
        validators = []

    def write(self, service, validated_data: dict, instance=None, **values):
        """Call `service` with who, the figure's identity (the stored one on an update), amount and reason."""
        if instance is None:
            identity = {field: validated_data[field] for field in self.identity}
            amount = validated_data.get("amount", ZERO)
        else:
            refuse_identity_change(instance, validated_data, self.identity)
            identity = {field: getattr(instance, field) for field in self.identity}
            amount = validated_data.get("amount", instance.amount)
        reason = validated_data.get("change_reason", "")
        result = service(user=self.context["request"].user, **identity, amount=amount, change_reason=reason, **values)
        if instance is not None:
            result.obj.project = instance.project  # already loaded with its unit
        return result.obj


class MonthlyActualSerializer(FigureSerializer):
    """Investment completed in one month of one project (万元), with its narrative."""

    identity = ("project", "year", "month")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Incremented on every change. Send the version you read with a change to have it refused "
            "if someone else changed the figure meanwhile."
        ),
    )

    class Meta(FigureSerializer.Meta):
        model = MonthlyActual
        fields = [
            "id",
            "project",
            "year",
            "month",
            "amount",
            "progress",
            "problems",
            "version",
            "change_reason",
            *PROJECT_LABELS,
            "updated_at",
        ]

    def create(self, validated_data):
        texts = {"progress": validated_data.get("progress"), "problems": validated_data.get("problems")}
        return self.write(actual_create, validated_data, **texts)

    def update(self, instance, validated_data):
        texts = {"progress": validated_data.get("progress"), "problems": validated_data.get("problems")}
        return self.write(actual_set, validated_data, instance, **texts, expected_version=validated_data.get("version"))


class AnnualPlanSerializer(FigureSerializer):
    """A project's place on one year's list: pipeline and planned investment (万元)."""

    pipeline_display = serializers.CharField(source="get_pipeline_display", read_only=True)
    monthly_amounts = serializers.ListField(
        child=serializers.DecimalField(
            max_digits=14, decimal_places=2, min_value=ZERO, error_messages={"min_value": NEGATIVE_MESSAGE}
        ),
        min_length=12,
        max_length=12,
        allow_null=True,
        required=False,
        help_text=_(
            "The monthly plan (分月计划): twelve amounts, January first, adding up to `amount`; null for none "
            "(the schedule is then M / 12)."
        ),
    )

    class Meta(FigureSerializer.Meta):
        model = AnnualPlan
        fields = [
            "id",
            "project",
            "year",
            "pipeline",
            "amount",
            "monthly_amounts",
            "change_reason",
            "pipeline_display",
            *PROJECT_LABELS,
            "updated_at",
        ]

    def create(self, validated_data):
        return self.write(
            plan_create,
            validated_data,
            pipeline=validated_data["pipeline"],
            monthly_amounts=validated_data.get("monthly_amounts"),
        )

    def update(self, instance, validated_data):
        return self.write(
            plan_set,
            validated_data,
            instance,
            pipeline=validated_data.get("pipeline", instance.pipeline),
            monthly_amounts=validated_data.get("monthly_amounts", empty),
        )
