"""The bureau's housekeeping in the Django admin, with history on every figure."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..filtersets import PROJECT_FILTER_FIELDS
from ..models import (
    AnnualPlan,
    Bottleneck,
    Leader,
    MonthlyActual,
    ProgressSettings,
    Project,
    PublishedReport,
    Unit,
    User,
)
from ..services.bottlenecks import bottleneck_save

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
        from ..choices import Pipeline

        return Pipeline.choices

    def queryset(self, request, queryset):
        if self.value():
            year = request.GET.get("plan_year")
            lookup = {"plans__pipeline": self.value()}
            if year:
                lookup["plans__year"] = year
            return queryset.filter(**lookup).distinct()
        return queryset


class ReadOnlyInline(admin.TabularInline):
    """Figures shown on their project; they are changed in their own admin, through the services."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AnnualPlanInline(ReadOnlyInline):
    model = AnnualPlan
    fields = ["year", "pipeline", "amount"]
    readonly_fields = fields


class MonthlyActualInline(ReadOnlyInline):
    model = MonthlyActual
    fields = ["year", "month", "amount", "progress", "problems", "version"]
    readonly_fields = fields
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
    list_filter = [PlanYearFilter, PlanPipelineFilter, *PROJECT_FILTER_FIELDS, "archived"]
    search_fields = ["code", "name", "owner", "location", "unit__name", "leader__name"]
    list_select_related = ["unit", "leader"]
    autocomplete_fields = ["unit", "leader"]
    inlines = [AnnualPlanInline, MonthlyActualInline, BottleneckInline]

    def save_formset(self, request, form, formset, change):
        """Bottlenecks edited inline are saved by the same service as the pages and the API."""
        if formset.model is not Bottleneck:
            return super().save_formset(request, form, formset, change)
        for bottleneck in formset.save(commit=False):
            bottleneck_save(user=request.user, bottleneck=bottleneck)
        for bottleneck in formset.deleted_objects:
            bottleneck.delete()

    fieldsets = [
        (None, {"fields": ["code", "name", "unit", "leader", "owner", "location", "content"]}),
        (_("Classification"), {"fields": ["sector", "industry", "stage", "level", "archived"]}),
        (_("Investment"), {"fields": ["total_investment", "opening_balance"]}),
        (_("Dates"), {"fields": ["planned_start", "actual_start", "completion_date"]}),
    ]


@admin.register(Bottleneck)
class BottleneckAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "unit", "raised", "due", "resolved"]
    list_filter = ["category", "unit", ("resolved", admin.EmptyFieldListFilter)]
    search_fields = ["project__code", "project__name", "description"]
    list_select_related = ["project", "unit"]
    autocomplete_fields = ["project", "unit"]

    def save_model(self, request, obj, form, change):
        """Saved by the same service as the pages and the API (role check, validation, history)."""
        bottleneck_save(user=request.user, bottleneck=obj, original_project_id=form.initial.get("project"))


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["year", "month", "version", "published_at", "published_by", "changed_since"]
    list_filter = ["year"]
    readonly_fields = ["year", "month", "version", "published_at", "published_by", "differences"]
    fields = ["year", "month", "version", "published_at", "published_by", "note", "differences"]

    def has_add_permission(self, request):
        return False  # publish from the reporting periods list (admin/reporting.py)

    @admin.display(description=_("changed since publication"), boolean=True)
    def changed_since(self, obj):
        from ..selectors.published import published_differences

        return published_differences(obj)["changed"]

    @admin.display(description=_("differences from the current figures"))
    def differences(self, obj):
        from ..selectors.published import published_differences

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

    # Only a superuser grants what reaches beyond the registry's own data: the admin's flags,
    # roles (groups) and permissions. The bureau's staff keep users' names, units and passwords.
    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [f for f in self.PRIVILEGE_FIELDS if f not in readonly]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and not request.user.is_superuser:
            # The add form cannot show read-only fields that do not exist yet: leave groups out.
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f not in self.PRIVILEGE_FIELDS]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password above all) is changed by superusers only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
