"""Admin for the reporting ledger, and one list of every figure change (imports, forms, locked-month fixes)."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import FigureChange, UnitSubmission


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
