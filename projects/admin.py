"""The bureau's housekeeping in the Django admin, with history on every figure."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AnnualPlan,
    Bottleneck,
    Leader,
    MonthlyActual,
    ProgressSettings,
    Project,
    PublishedReport,
    ReportingPeriod,
    Unit,
    User,
)

admin.site.site_header = _("County key-project registry")
admin.site.site_title = _("Key-project registry administration")
admin.site.index_title = _("Housekeeping")


class PlanYearFilter(admin.SimpleListFilter):
    """Projects on a year's list (those with an annual plan for that year)."""

    title = _("year")
    parameter_name = "plan_year"

    def lookups(self, request, model_admin):
        years = AnnualPlan.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(y, str(y)) for y in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(plans__year=self.value()).distinct()
        return queryset


class PlanPipelineFilter(admin.SimpleListFilter):
    """Projects on a pipeline in any year (combine with the year filter)."""

    title = _("pipeline")
    parameter_name = "plan_pipeline"

    def lookups(self, request, model_admin):
        from .choices import Pipeline

        return Pipeline.choices

    def queryset(self, request, queryset):
        if self.value():
            year = request.GET.get("plan_year")
            lookup = {"plans__pipeline": self.value()}
            if year:
                lookup["plans__year"] = year
            return queryset.filter(**lookup).distinct()
        return queryset


class AnnualPlanInline(admin.TabularInline):
    model = AnnualPlan
    extra = 0
    fields = ["year", "pipeline", "amount"]


class MonthlyActualInline(admin.TabularInline):
    model = MonthlyActual
    extra = 0
    fields = ["year", "month", "amount", "progress", "problems"]
    ordering = ["-year", "-month"]


class BottleneckInline(admin.TabularInline):
    model = Bottleneck
    extra = 0
    fk_name = "project"
    fields = ["category", "description", "unit", "raised", "due", "resolved", "resolution"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_person", "contact_phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_person"]


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "rank"]
    search_fields = ["name", "title"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "leader", "sector", "industry", "stage", "level", "total_investment"]
    list_filter = [
        PlanYearFilter,
        PlanPipelineFilter,
        "unit",
        "leader",
        "sector",
        "industry",
        "stage",
        "level",
        "archived",
    ]
    search_fields = ["code", "name", "owner", "location", "unit__name", "leader__name"]
    list_select_related = ["unit", "leader"]
    autocomplete_fields = ["unit", "leader"]
    inlines = [AnnualPlanInline, MonthlyActualInline, BottleneckInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "unit", "leader", "owner", "location", "content"]}),
        (_("Classification"), {"fields": ["sector", "industry", "stage", "level", "archived"]}),
        (_("Investment"), {"fields": ["total_investment", "opening_balance"]}),
        (_("Dates"), {"fields": ["planned_start", "actual_start", "completion_date"]}),
    ]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "pipeline", "amount"]
    list_filter = ["year", "pipeline", "project__unit", "project__leader"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(MonthlyActual)
class MonthlyActualAdmin(SimpleHistoryAdmin):
    list_display = ["project", "year", "month", "amount"]
    list_filter = ["year", "month", "project__unit", "project__leader"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]


@admin.register(Bottleneck)
class BottleneckAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "unit", "raised", "due", "resolved"]
    list_filter = ["category", "unit", ("resolved", admin.EmptyFieldListFilter)]
    search_fields = ["project__code", "project__name", "description"]
    list_select_related = ["project", "unit"]
    autocomplete_fields = ["project", "unit"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["year", "month", "locked", "deadline"]
    list_filter = ["year", "locked"]
    list_editable = ["locked", "deadline"]
    actions = ["publish"]

    @admin.action(description=_("Publish the selected months' figures (通报)"))
    def publish(self, request, queryset):
        from .services.figures import report_publish

        for period in queryset:
            try:
                report = report_publish(user=request.user, year=period.year, month=period.month)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            self.message_user(request, _("Published %(report)s.") % {"report": report})


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "version", "published_at", "published_by", "changed_since"]
    list_filter = ["year"]
    readonly_fields = ["year", "month", "version", "published_at", "published_by", "differences"]
    fields = ["year", "month", "version", "published_at", "published_by", "note", "differences"]

    def has_add_permission(self, request):
        return False  # publish from the reporting periods list

    @admin.display(description=_("changed since publication"), boolean=True)
    def changed_since(self, obj):
        from .selectors.published import published_differences

        return published_differences(obj)["changed"]

    @admin.display(description=_("differences from the current figures"))
    def differences(self, obj):
        from .selectors.published import published_differences

        diff = published_differences(obj)
        if not diff["changed"]:
            return _("No figure has changed since publication.")
        rows = [
            (
                p["code"],
                p["name"],
                ", ".join(p["fields"]),
                (p["published"] or {}).get("actual_to_date", "—"),
                (p["current"] or {}).get("actual_to_date", "—"),
            )
            for p in diff["projects"]
        ]
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("project code"),
            _("project name"),
            _("changed"),
            _("published"),
            _("current"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )


@admin.register(ProgressSettings)
class ProgressSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["county_name", "ahead_threshold", "warning_threshold", "lagging_threshold", "schedule_basis"]

    def has_add_permission(self, request):
        # One row only: ProgressSettings.load() creates it.
        return not ProgressSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "unit", "leader", "is_active"]
    list_filter = ["groups", "unit", "is_active"]
    list_select_related = ["unit", "leader"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Registry"), {"fields": ["unit", "leader"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Registry"), {"fields": ["unit", "leader", "groups"]}),)


# The admins of other topics register themselves on import (reporting ledger, milestones and pre-phase items).
from . import admin_nodeplans, admin_reporting  # noqa: E402,F401
