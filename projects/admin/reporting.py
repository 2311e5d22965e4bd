"""Admin for reporting months, the reporting ledger, and one list of every figure change.

A month's lock and deadline are written by `services.reporting.period_set`, from the change form
and the change list's editable columns alike, and a month is deleted by `services.records.record_delete`:
the same bureau-only check, history row (who and why) and refusal message as the periods page and the API.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import FigureChange, ReportingPeriod, UnitSubmission
from ..services.figures import report_publish
from ..services.records import period_write_check, record_delete
from ..services.reporting import period_set
from .base import ServiceAdmin, ServiceAdminForm


class ReportingPeriodAdminForm(ServiceAdminForm):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "month", "locked", "deadline"]

    write_check = staticmethod(period_write_check)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ServiceAdmin):
    """A month is its identity: its lock and deadline change, its year and month do not."""

    form = ReportingPeriodAdminForm
    identity = ("year", "month")
    list_display = ["year", "month", "locked", "deadline"]
    list_filter = ["year", "locked"]
    list_editable = ["locked", "deadline"]
    actions = ["publish"]
    service = staticmethod(period_set)
    service_fields = ("year", "month", "locked", "deadline")

    def delete_model(self, request, obj):
        record_delete(user=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for period in queryset:
            record_delete(user=request.user, obj=period)

    @admin.action(description=_("Publish the selected months' figures (通报)"))
    def publish(self, request, queryset):
        for period in queryset:
            try:
                report = report_publish(user=request.user, year=period.year, month=period.month)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            self.message_user(request, _("Published %(report)s.") % {"report": report})


@admin.register(UnitSubmission)
class UnitSubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "month", "status", "submitted_at", "reviewed_at", "reviewed_by"]
    list_filter = ["year", "month", "status", "unit"]
    search_fields = ["unit__name", "comment"]
    list_select_related = ["unit", "reviewed_by"]
    readonly_fields = ["saved_at", "submitted_at", "first_submitted_at", "submitted_by", "reviewed_at", "reviewed_by"]

    def has_add_permission(self, request):
        # Submissions are created by the entry page; the bureau reviews them on the status page.
        return False


@admin.register(FigureChange)
class FigureChangeAdmin(admin.ModelAdmin):
    """Who changed which figure when, to what, and why — read only."""

    list_display = [
        "history_date",
        "project",
        "year",
        "month",
        "old_amount",
        "amount",
        "history_type",
        "history_user",
        "reason",
    ]
    list_filter = ["year", "month", "history_type", "project__unit"]
    search_fields = ["project__code", "project__name", "history_change_reason", "history_user__username"]
    list_select_related = ["project", "history_user"]
    date_hierarchy = "history_date"
    ordering = ["-history_date", "-history_id"]

    def get_queryset(self, request):
        # The amount before each change, in the same query (no query per row).
        previous = FigureChange.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by(
            "-history_id"
        )
        return super().get_queryset(request).annotate(previous_amount=Subquery(previous.values("amount")[:1]))

    @admin.display(description=_("old amount"))
    def old_amount(self, obj):
        return "—" if obj.previous_amount is None else obj.previous_amount

    @admin.display(description=_("reason"), ordering="history_change_reason")
    def reason(self, obj):
        return obj.history_change_reason or ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
