"""One FilterSet per model, shared by the web lists, the API viewsets, the exports and the engine.

The project filters of SPEC section 6 are written once, in `project_q`, so that a list page, an
API list, an Excel export and the progress figures always mean the same set of projects.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Industry, Level, Pipeline, Sector, Stage
from .models import AnnualPlan, Bottleneck, Leader, MonthlyActual, Project, ReportingPeriod, Unit
from .periods import MAX_YEAR, MIN_YEAR
from .widgets import PlainSelect

# Project attributes a filter may narrow by (the project's current values).
PROJECT_FILTER_FIELDS = ("unit", "leader", "sector", "industry", "stage", "level")


def project_q(filters: dict, prefix: str = "") -> Q:
    """A Q narrowing projects (reached through `prefix`, e.g. "project__") by their attributes."""
    q = Q()
    for field in PROJECT_FILTER_FIELDS:
        value = filters.get(field)
        if value not in (None, ""):
            q &= Q(**{f"{prefix}{field}": value})
    search = (filters.get("search") or "").strip()
    if search:
        q &= Q(**{f"{prefix}code__icontains": search}) | Q(**{f"{prefix}name__icontains": search})
    return q


class ProjectFilterSet(django_filters.FilterSet):
    """Projects by year (on that year's list), pipeline, unit, leader, sector, industry, stage, level, search."""

    year = django_filters.NumberFilter(label=_("year"), method="filter_noop", min_value=MIN_YEAR, max_value=MAX_YEAR)
    pipeline = django_filters.ChoiceFilter(
        label=_("pipeline"), choices=Pipeline.choices, method="filter_noop", widget=PlainSelect
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"), queryset=Unit.objects.all(), method="filter_noop", widget=PlainSelect
    )
    leader = django_filters.ModelChoiceFilter(
        label=_("linked leader"), queryset=Leader.objects.all(), method="filter_noop", widget=PlainSelect
    )
    sector = django_filters.ChoiceFilter(
        label=_("sector"), choices=Sector.choices, method="filter_noop", widget=PlainSelect
    )
    industry = django_filters.ChoiceFilter(
        label=_("industry"), choices=Industry.choices, method="filter_noop", widget=PlainSelect
    )
    stage = django_filters.ChoiceFilter(
        label=_("stage"), choices=Stage.choices, method="filter_noop", widget=PlainSelect
    )
    level = django_filters.ChoiceFilter(
        label=_("level"), choices=Level.choices, method="filter_noop", widget=PlainSelect
    )
    search = django_filters.CharFilter(label=_("search"), method="filter_noop")

    class Meta:
        model = Project
        fields = ["year", "pipeline", "unit", "leader", "sector", "industry", "stage", "level", "search"]

    def filter_noop(self, queryset, name, value):
        # All filters are applied together in filter_queryset (year and pipeline meet on one plan row).
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        queryset = queryset.filter(project_q(engine_filters(data)))
        year, pipeline = data.get("year"), data.get("pipeline")
        if year is not None or pipeline:
            plan = {}
            if year is not None:
                plan["plans__year"] = int(year)
            if pipeline:
                plan["plans__pipeline"] = pipeline
            queryset = queryset.filter(**plan).distinct()
        return queryset


def engine_filters(cleaned: dict) -> dict:
    """Turn a FilterSet's cleaned data into the plain dict the progress engine takes (ids, codes)."""
    out = {}
    for key in (*PROJECT_FILTER_FIELDS, "pipeline", "search"):
        value = cleaned.get(key)
        if value in (None, ""):
            continue
        out[key] = value.pk if hasattr(value, "pk") else value
    return out


class AnnualPlanFilterSet(django_filters.FilterSet):
    """Plans by `year`, `pipeline`, `unit` (the project's) and `project`."""

    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"), field_name="project__unit", queryset=Unit.objects.all()
    )
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=Project.objects.all())
    year = django_filters.NumberFilter(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    pipeline = django_filters.ChoiceFilter(label=_("pipeline"), choices=Pipeline.choices)

    class Meta:
        model = AnnualPlan
        fields = ["year", "pipeline", "unit", "project"]


class MonthlyActualFilterSet(django_filters.FilterSet):
    """Actuals by `year`, `month`, `project` and `unit` (the project's)."""

    unit = django_filters.ModelChoiceFilter(
        label=_("responsible unit"), field_name="project__unit", queryset=Unit.objects.all()
    )
    project = django_filters.ModelChoiceFilter(label=_("project"), queryset=Project.objects.all())
    year = django_filters.NumberFilter(label=_("year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = django_filters.NumberFilter(label=_("month"), min_value=1, max_value=12)

    class Meta:
        model = MonthlyActual
        fields = ["year", "month", "project", "unit"]


class BottleneckFilterSet(django_filters.FilterSet):
    """Bottlenecks by category, project, unit (responsible for solving) and whether open."""

    open = django_filters.BooleanFilter(label=_("open"), field_name="resolved", lookup_expr="isnull")
    project_unit = django_filters.ModelChoiceFilter(
        label=_("project's unit"), field_name="project__unit", queryset=Unit.objects.all()
    )

    class Meta:
        model = Bottleneck
        fields = ["category", "project", "unit", "leader", "level", "open", "project_unit"]


class ReportingPeriodFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "month", "locked"]


class UnitFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["kind", "search"]


class LeaderFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("search"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Leader
        fields = ["search"]
