"""Figures (monthly actuals, annual plans) in the admin go through the services the API uses.

So an edit in the admin obeys the same rules and leaves the same trace as one through the API:
a locked month takes a change only from the bureau and only with a reason, `version` goes up,
and the history row carries who and why. Deleting a figure is left to the API (with a reason).
"""

from django.contrib import admin

from ..models import AnnualPlan, MonthlyActual
from ..services.figures import actual_set, actual_write_check, locked_months, plan_set, plan_write_check
from .base import ServiceAdmin, ServiceAdminForm


class MonthlyActualAdminForm(ServiceAdminForm):
    class Meta:
        model = MonthlyActual
        fields = ["project", "year", "month", "amount", "progress", "problems"]

    def clean(self):
        cleaned = super().clean()
        project, year, month = self.value("project"), self.value("year"), self.value("month")
        if project is not None and year and month and not self.errors:
            self.service_check(
                actual_write_check,
                user=self.user,
                project=project,
                year=year,
                month=month,
                locked=bool(locked_months(year_months=[(year, month)])),
                change_reason=cleaned.get("change_reason", ""),
            )
        return cleaned


class AnnualPlanAdminForm(ServiceAdminForm):
    class Meta:
        model = AnnualPlan
        fields = ["project", "year", "pipeline", "amount"]

    write_check = staticmethod(plan_write_check)


class FigureAdmin(ServiceAdmin):
    """A figure's project and period are its identity: fixed once it exists (as in the API)."""

    identity = ("project", "year", "month")
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def has_delete_permission(self, request, obj=None):
        return False  # DELETE /api/…/{id}/?change_reason=… keeps the reason in the history


@admin.register(MonthlyActual)
class MonthlyActualAdmin(FigureAdmin):
    form = MonthlyActualAdminForm
    list_display = ["project", "year", "month", "amount", "version"]
    list_filter = ["year", "month", "project__unit", "project__leader"]
    service = staticmethod(actual_set)
    service_fields = ("project", "year", "month", "amount", "progress", "problems")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(FigureAdmin):
    form = AnnualPlanAdminForm
    identity = ("project", "year")
    list_display = ["project", "year", "pipeline", "amount"]
    list_filter = ["year", "pipeline", "project__unit", "project__leader"]
    service = staticmethod(plan_set)
    service_fields = ("project", "year", "pipeline", "amount")
