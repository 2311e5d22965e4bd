"""Serializers for the reference data, projects, bottlenecks, periods, history and tokens.

Field names are SPEC section 6's; `*_name` / `*_display` fields are read-only labels for clients.
Writes call `projects.services.figures.records`, which checks the role and unit and keeps the history.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.limits import CHANGE_REASON_MAX_LENGTH
from projects.models import (
    MONTH_MESSAGE,
    NEGATIVE_MESSAGE,
    YEAR_MESSAGE,
    Bottleneck,
    Leader,
    Project,
    ReportingPeriod,
    Unit,
)
from projects.services.bottlenecks import bottleneck_save
from projects.services.records import period_save, record_save

# The models' own messages ("the month must be between 1 and 12"), which DRF would replace with
# generic ones when it turns the models' validators into min_value / max_value.
FIGURE_FIELDS = {
    "amount": {"error_messages": {"min_value": NEGATIVE_MESSAGE}},
    "year": {"error_messages": {"min_value": YEAR_MESSAGE, "max_value": YEAR_MESSAGE}},
    "month": {"error_messages": {"min_value": MONTH_MESSAGE, "max_value": MONTH_MESSAGE}},
}


REASON_HELP = _("Why the record is changed; kept in its history.")


def change_reason_field():
    """The optional, write-only reason kept in the history of the change."""
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=CHANGE_REASON_MAX_LENGTH,
        help_text=REASON_HELP,
    )


class DeleteQuerySerializer(serializers.Serializer):
    """The query string of a DELETE: the reason kept in the deleted record's history."""

    change_reason = change_reason_field()


class RecordSerializer(serializers.ModelSerializer):
    """Saves through `record_save`, so the role check and history are the service's."""

    def create(self, validated_data):
        reason = validated_data.pop("change_reason", "")
        obj = self.Meta.model(**validated_data)
        return record_save(user=self.context["request"].user, obj=obj, change_reason=reason)

    def update(self, instance, validated_data):
        reason = validated_data.pop("change_reason", "")
        for field, value in validated_data.items():
            setattr(instance, field, value)
        user = self.context["request"].user
        return record_save(user=user, obj=instance, change_reason=reason, fields=set(validated_data))


class UnitSerializer(RecordSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "kind", "contact_person", "contact_phone", "kind_display"]


class LeaderSerializer(RecordSerializer):
    class Meta:
        model = Leader
        fields = ["id", "name", "title", "rank"]


class ProjectSerializer(RecordSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True, allow_null=True)
    change_reason = change_reason_field()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "sector",
            "industry",
            "stage",
            "total_investment",
            "unit",
            "leader",
            "level",
            "opening_balance",
            "owner",
            "location",
            "content",
            "planned_start",
            "actual_start",
            "completion_date",
            "archived",
            "unit_name",
            "leader_name",
            "created_at",
            "updated_at",
            "change_reason",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "total_investment": {"error_messages": {"min_value": NEGATIVE_MESSAGE}},
            "opening_balance": {"error_messages": {"min_value": NEGATIVE_MESSAGE}},
        }


class ReportingPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "year", "month", "locked", "deadline"]
        extra_kwargs = {"year": FIGURE_FIELDS["year"], "month": FIGURE_FIELDS["month"]}
        # A second row for a month is refused by the service, naming the existing row's id.
        validators = []

    def create(self, validated_data):
        return period_save(user=self.context["request"].user, period=ReportingPeriod(**validated_data))

    def update(self, instance, validated_data):
        for field, value in validated_data.items():
            setattr(instance, field, value)
        return period_save(user=self.context["request"].user, period=instance)


class BottleneckSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Bottleneck
        fields = [
            "id",
            "project",
            "category",
            "description",
            "unit",
            "raised",
            "due",
            "resolved",
            "resolution",
            "owner",
            "leader",
            "level",
            "measures",
            "project_code",
            "project_name",
            "category_display",
            "unit_name",
            "is_open",
        ]

    def create(self, validated_data):
        return bottleneck_save(user=self.context["request"].user, bottleneck=Bottleneck(**validated_data))

    def update(self, instance, validated_data):
        original_project_id = instance.project_id
        for field, value in validated_data.items():
            setattr(instance, field, value)
        return bottleneck_save(
            user=self.context["request"].user, bottleneck=instance, original_project_id=original_project_id
        )


class HistoryEntrySerializer(serializers.Serializer):
    """One change of a record (projects.history.history_entries)."""

    changed_at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text=_("Username of whoever made the change."))
    user_display = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    change_reason = serializers.CharField(allow_blank=True)
    old = serializers.DictField(help_text=_("Changed fields' values before the change."))
    new = serializers.DictField(help_text=_("Changed fields' values after the change."))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField(help_text=_("When the token stops working (ISO 8601)."))
