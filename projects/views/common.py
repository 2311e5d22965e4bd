"""What every dashboard page shares: login and role, the chosen month, the project filters, links.

The filters are the API's own `ProjectFilterSet`, turned into the engine's dict by
`engine_filters`, so a page, /api/progress/ and the Excel export always mean the same projects.
"""

from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from ..filtersets import ProjectFilterSet, engine_filters
from ..models import ProgressSettings, Project
from ..periods import resolve_period, shift_month
from ..querysets import user_role
from ..selectors.dashboard import available_years

EXPORT_PATH = "/reports/progress.xlsx"
# Filter fields shown on the pages (the year is chosen with the month).
FILTER_FIELDS = ("pipeline", "unit", "leader", "sector", "industry", "stage", "level", "search")


def page_check(allowed: bool) -> None:
    """Refuse (403) a page the user's role does not open, with the one message for it."""
    if not allowed:
        raise PermissionDenied(_("This page is not available to your role."))


class DashboardView(LoginRequiredMixin, TemplateView):
    """A read-only page for the three roles; anonymous users go to the login page, no role gets 403."""

    page_title = ""
    export = True  # whether the page links to the Excel workbook

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and user_role(request.user) is None:
            raise PermissionDenied(_("Your account has no role yet; ask the bureau to assign one."))
        return super().dispatch(request, *args, **kwargs)

    def get_filterset(self):
        data = self.request.GET.copy()
        for key in ("year", "month"):
            data.pop(key, None)
        return ProjectFilterSet(data, queryset=Project.objects.none())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, month, period_errors = resolve_period(self.request.GET)
        filterset = self.get_filterset()
        filterset.is_valid()  # invalid fields are left out of cleaned_data and reported below
        filters = engine_filters(filterset.form.cleaned_data)
        filter_errors = [
            f"{filterset.form.fields[name].label}: {error}" if name in filterset.form.fields else str(error)
            for name, errors in filterset.form.errors.items()
            for error in errors
        ]
        filter_qs = urlencode(filters)
        period_qs = urlencode({"year": year, "month": month})
        page_qs = "&".join(q for q in (period_qs, filter_qs) if q)
        years = available_years()
        if year not in years:
            years = sorted({*years, year}, reverse=True)
        settings_row = ProgressSettings.load()
        ctx.update(
            {
                "role": user_role(self.request.user),
                "year": year,
                "month": month,
                "filters": filters,
                "filter_form": filterset.form,
                "filter_fields": [filterset.form[name] for name in FILTER_FIELDS],
                "filters_active": bool(filters),
                "input_errors": period_errors + filter_errors,
                "years": years,
                "months": range(1, 13),
                "period_qs": period_qs,
                "filter_qs": filter_qs,
                "page_qs": page_qs,
                "prev_qs": self.month_link(*shift_month(year, month, -1)),
                "next_qs": self.month_link(*shift_month(year, month, 1)),
                "export_url": f"{EXPORT_PATH}?{page_qs}" if self.export else "",
                "county_name": settings_row.county_name,
                "progress_settings": settings_row,
                "page_title": self.page_title,
            }
        )
        ctx.update(self.get_data(year=year, month=month, filters=filters, ctx=ctx))
        return ctx

    def choice(self, ctx: dict, name: str, label, allowed, default: str = "") -> str:
        """A page option from the query string; an unknown value is reported and replaced by `default`."""
        value = self.request.GET.get(name, "")
        if value in ("", *allowed):
            return value or default
        ctx["input_errors"].append(
            _("%(field)s: “%(value)s” is not one of the choices.") % {"field": label, "value": value}
        )
        return default

    def month_link(self, year: int, month: int) -> str:
        """This page's query string with another month (every other choice kept)."""
        params = self.request.GET.copy()
        params["year"], params["month"] = str(year), str(month)
        return params.urlencode()

    def get_data(self, *, year: int, month: int, filters: dict, ctx: dict) -> dict:
        """The page's own figures; subclasses call the selectors here."""
        return {}


def pace_chart(series: list[dict], *, month: int, scale: int = 1, unit: str = "") -> dict:
    """Chart data for planned pace against cumulative actual; actuals stop at the chosen month."""
    return {
        "kind": "pace",
        "unit": unit,
        "scale": scale,
        "months": [_("Month %(month)s") % {"month": p["month"]} for p in series],
        "planned": [p["planned_cumulative"] for p in series],
        "actual": [p["actual_cumulative"] if p["month"] <= month else None for p in series],
        "monthly": [p["actual_month"] if p["month"] <= month else None for p in series],
        "labels": {
            "planned": _("Planned pace (cumulative)"),
            "actual": _("Completed (cumulative)"),
            "monthly": _("Completed in the month"),
        },
    }
