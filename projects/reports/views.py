"""Excel pages and downloads: the report workbook, the templates and the upload forms.

Views stay thin: figures come from the progress engine through `ProgressWorkbook` and the
template builders, imports run through `imports.py` exactly as the API's do. The upload forms
post here (with the CSRF token), not to the API.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..filtersets import ProjectFilterSet, engine_filters
from ..models import Project
from ..roles import is_bureau, is_staff, own_unit_id
from .forms import ImportForm, PeriodForm, RankingForm
from .importers import MAX_UPLOAD_LABEL, oversize_issue
from .imports import ImportResult, actuals_import_check, import_actuals, import_annual_list, list_import_check
from .templates_xlsx import actuals_template, annual_list_template
from .workbook import ProgressWorkbook
from .xlsx import xlsx_response


def _bad_request(request, forms):
    """400 page listing every bad parameter (a download link with a wrong year, month or filter)."""
    errors = []
    for form in forms:
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            errors.extend(f"{label}：{m}" for m in messages)
    return render(request, "reports/bad_request.html", {"errors": errors}, status=400)


def _project_filters(request):
    return ProjectFilterSet(request.GET, queryset=Project.objects.none())


def describe_filters(form) -> str:
    """The filters in force, as printed under a report's title (e.g. 责任单位：县水利局)."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "year" or value in (None, ""):
            continue
        if not hasattr(value, "pk") and getattr(field, "choices", None):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}：{value}")
    return "；".join(parts)


@login_required
@require_GET
def index(request):
    """Downloads and uploads for the user's role, with the period and filters to export."""
    period = PeriodForm(request.GET)
    if not period.is_valid():
        period = PeriodForm({})
        period.is_valid()
    year, month = period.period()
    context = {
        "year": year,
        "month": month,
        "query": request.GET.urlencode(),
        "can_template": is_bureau(request.user) or bool(own_unit_id(request.user)),
        "is_bureau": is_bureau(request.user),
        "limit": MAX_UPLOAD_LABEL,
    }
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def progress_xlsx(request):
    """`GET /reports/progress.xlsx?year=Y&month=M[&project filters][&min_plan=]` for any logged-in user."""
    period, ranking, filterset = PeriodForm(request.GET), RankingForm(request.GET), _project_filters(request)
    if not (period.is_valid() & ranking.is_valid() & filterset.is_valid()):
        return _bad_request(request, [period, ranking, filterset.form])
    year, month = period.period()
    book = ProgressWorkbook(
        year=year,
        month=month,
        filters=engine_filters(filterset.form.cleaned_data),
        scope=describe_filters(filterset.form),
        min_plan=ranking.cleaned_data.get("min_plan"),
        kind=ranking.cleaned_data.get("kind") or "",
    )
    return xlsx_response(book.build(), book.filename)


@login_required
@require_GET
def actuals_template_xlsx(request):
    """The monthly template: staff get their own unit's projects; the bureau all, or `?unit=`."""
    actuals_import_check(request.user)
    period, filterset = PeriodForm(request.GET), _project_filters(request)
    if not (period.is_valid() & filterset.is_valid()):
        return _bad_request(request, [period, filterset.form])
    year, month = period.period()
    filters = engine_filters(filterset.form.cleaned_data)
    unit_name = ""
    if is_staff(request.user):
        filters["unit"] = request.user.unit_id
        unit_name = request.user.unit.name
    elif filterset.form.cleaned_data.get("unit"):
        unit_name = filterset.form.cleaned_data["unit"].name
    wb = actuals_template(year=year, month=month, filters=filters)
    name = _("Monthly investment template %(year)s-%(month)02d") % {"year": year, "month": month}
    return xlsx_response(wb, f"{name}{' ' + unit_name if unit_name else ''}.xlsx")


@login_required
@require_GET
def annual_list_template_xlsx(request):
    """The annual list template for the bureau, pre-filled with the year's list."""
    list_import_check(request.user)
    period, filterset = PeriodForm(request.GET), _project_filters(request)
    if not (period.is_valid() & filterset.is_valid()):
        return _bad_request(request, [period, filterset.form])
    year = period.cleaned_data.get("year") or period.period()[0]
    wb = annual_list_template(year=year, filters=engine_filters(filterset.form.cleaned_data))
    return xlsx_response(wb, _("Annual key-project list template %(year)s.xlsx") % {"year": year})


def _import_page(request, *, check, importer, title, template_url, intro):
    check(request.user)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        oversize = oversize_issue(request.META.get("CONTENT_LENGTH"))
        if oversize is not None:
            result = ImportResult(errors=[oversize])
        elif form.is_valid():
            result = importer(
                user=request.user, upload=form.cleaned_data["file"], change_reason=form.cleaned_data["change_reason"]
            )
            if result.ok:
                form = ImportForm()
    else:
        form = ImportForm()
    context = {
        "form": form,
        "result": result,
        "title": title,
        "intro": intro,
        "template_url": template_url,
        "answer": result.as_json() if result else {},
    }
    return render(request, "reports/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_actuals_page(request):
    """Upload a filled monthly template; every bad row and column is listed, nothing half-saved."""
    return _import_page(
        request,
        check=actuals_import_check,
        importer=import_actuals,
        title=_("Import monthly figures"),
        intro=_("Upload the filled monthly template. If any row is wrong, nothing is saved."),
        template_url="reports:actuals-template",
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_annual_list_page(request):
    """Upload the annual key-project list (bureau only)."""
    return _import_page(
        request,
        check=list_import_check,
        importer=import_annual_list,
        title=_("Import the annual list"),
        intro=_("Upload the filled annual list template: projects by code and their plan for the year."),
        template_url="reports:annual-list-template",
    )
