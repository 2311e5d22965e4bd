"""Figures (monthly actuals, annual plans) in the admin go through the services the API uses.

So an edit in the admin obeys the same rules and leaves the same trace as one through the API:
a locked month takes a change only from the bureau and only with a reason, `version` goes up,
and the history row carries who and why. Deleting a figure is left to the API (with a reason).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..limits import CHANGE_REASON_MAX_LENGTH
from ..models import AnnualPlan, MonthlyActual
from ..services.figures import actual_set, actual_write_check, locked_months, plan_set, plan_write_check


class FigureAdminForm(forms.ModelForm):
    """A figure's fields plus the reason kept in its history; the services' checks run in clean()."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=CHANGE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history; required to change a month the bureau has locked."),
    )
    user = None  # set by the ModelAdmin's get_form

    def value(self, field):
        """The submitted value of `field`, or the stored one when the field is read-only here."""
        if field in self.cleaned_data:
            return self.cleaned_data[field]
        return getattr(self.instance, field, None)

    def add_service_error(self, exc: ValidationError | PermissionDenied) -> None:
        """A service's refusal as form errors, on the field it names when the form shows that field."""
        if isinstance(exc, PermissionDenied):
            self.add_error(None, str(exc))
            return
        for field, messages in getattr(exc, "message_dict", {NON_FIELD_ERRORS: exc.messages}).items():
            self.add_error(field if field in self.fields else None, messages)


class MonthlyActualAdminForm(FigureAdminForm):
    class Meta:
        model = MonthlyActual
        fields = ["project", "year", "month", "amount", "progress", "problems"]

    def clean(self):
        cleaned = super().clean()
        project, year, month = self.value("project"), self.value("year"), self.value("month")
        if project is not None and year and month and not self.errors:
            try:
                actual_write_check(
                    user=self.user,
                    project=project,
                    year=year,
                    month=month,
                    locked=bool(locked_months(year_months=[(year, month)])),
                    change_reason=cleaned.get("change_reason", ""),
                )
            except (ValidationError, PermissionDenied) as exc:
                self.add_service_error(exc)
        return cleaned


class AnnualPlanAdminForm(FigureAdminForm):
    class Meta:
        model = AnnualPlan
        fields = ["project", "year", "pipeline", "amount"]

    def clean(self):
        cleaned = super().clean()
        try:
            plan_write_check(user=self.user)
        except PermissionDenied as exc:
            self.add_service_error(exc)
        return cleaned


class FigureAdmin(SimpleHistoryAdmin):
    """A figure's project and period are its identity: fixed once it exists (as in the API)."""

    identity = ("project", "year", "month")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(self.identity if obj else ())]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class on every call
        form.user = request.user
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # DELETE /api/…/{id}/?change_reason=… keeps the reason in the history

    def write(self, request, obj, form):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        result = self.write(request, obj, form)
        obj.pk = result.obj.pk
        for field in ("version",):
            if hasattr(result.obj, field):
                setattr(obj, field, getattr(result.obj, field))


@admin.register(MonthlyActual)
class MonthlyActualAdmin(FigureAdmin):
    form = MonthlyActualAdminForm
    list_display = ["project", "year", "month", "amount", "version"]
    list_filter = ["year", "month", "project__unit", "project__leader"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def write(self, request, obj, form):
        return actual_set(
            user=request.user,
            project=obj.project,
            year=obj.year,
            month=obj.month,
            amount=obj.amount,
            progress=obj.progress,
            problems=obj.problems,
            change_reason=form.cleaned_data.get("change_reason", ""),
        )


@admin.register(AnnualPlan)
class AnnualPlanAdmin(FigureAdmin):
    form = AnnualPlanAdminForm
    identity = ("project", "year")
    list_display = ["project", "year", "pipeline", "amount"]
    list_filter = ["year", "pipeline", "project__unit", "project__leader"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    def write(self, request, obj, form):
        return plan_set(
            user=request.user,
            project=obj.project,
            year=obj.year,
            pipeline=obj.pipeline,
            amount=obj.amount,
            change_reason=form.cleaned_data.get("change_reason", ""),
        )
