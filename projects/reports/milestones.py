"""The milestone template and its all-or-nothing import for a unit's milestones (SPEC section 10), like the actuals.

`GET /reports/milestones-template.xlsx?year=Y` (staff: their unit's projects; the bureau all, or
`?unit=`) has one header row with `项目编号`, `项目名称`, `年`, `节点名称`, `计划完成日期`,
`实际完成日期`, `备注`, pre-filled with the year's milestones (and one empty line per project
without any). `POST /api/import/milestones/` takes the filled file as multipart field `file` and
answers `{"created": n, "updated": n}` (a milestone is keyed by project, year and name; unchanged
rows count in neither), or 400 `{"errors": [{"row", "column", "message"}]}` with every bad row, and
nothing saved. Rows without a milestone name and planned date are skipped. Reading the file is the
imports' own `read_sheet`; writing is `services.nodeplans.milestones_bulk_set` (history, roles).
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..limits import NARRATIVE_MAX_LENGTH
from ..models import Milestone, Project
from ..models.nodeplans import MILESTONE_NAME_MAX_LENGTH
from ..periods import valid_year
from ..querysets import CHANGE
from ..roles import is_bureau, is_staff, own_unit_id
from ..selectors.sql import plans_in_scope
from ..services.nodeplans import milestones_bulk_set
from . import headers as H
from .api import ImportView, import_schema
from .cells import parse_date
from .importers import Issue, RowReader, read_sheet, year_of
from .imports import ImportResult, service_refusal

MILESTONE = "节点名称"
PLANNED = "计划完成日期"
DONE = "实际完成日期"
NOTE = "备注"
REQUIRED = (H.CODE, H.YEAR, MILESTONE, PLANNED)
OPTIONAL = (H.NAME, DONE, NOTE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_check(user) -> None:
    """The bureau and staff with a unit import milestones; anyone else is refused outright (403)."""
    if is_bureau(user) or own_unit_id(user):
        return
    raise PermissionDenied(_("Your role cannot import milestones."))


# --- the template ---------------------------------------------------------------------------------


def milestones_template(*, year: int, filters: dict | None = None) -> Workbook:
    """The year's projects the filters select with their milestones, one milestone a row (three queries)."""
    plans = plans_in_scope(year=year, filters=filters).select_related("project").order_by("project__code")
    projects = [p.project for p in plans]
    stored = {}
    for m in Milestone.objects.filter(project_id__in=[p.pk for p in projects], year=year).order_by(
        "planned_date", "id"
    ):
        stored.setdefault(m.project_id, []).append(m)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Milestones")
    header = [H.CODE, H.NAME, H.YEAR, MILESTONE, PLANNED, DONE, NOTE]
    ws.append(header)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for project in projects:
        for m in stored.get(project.pk) or [None]:
            ws.append(
                [
                    project.code,
                    project.name,
                    year,
                    m.name if m else None,
                    m.planned_date if m else None,
                    m.done_on if m and m.done_on else None,
                    m.note if m else None,
                ]
            )
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFG", (16, 36, 8, 24, 14, 14, 30), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    return wb


@login_required
@require_GET
def milestones_template_xlsx(request):
    """Download the template: staff get their own unit's projects; the bureau all, or `?unit=`."""
    import_check(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        if not valid_year(year):
            raise ValueError
    except ValueError:
        return HttpResponseBadRequest(_("The year must be a whole number between 2000 and 2100."))
    filters = {}
    if is_staff(request.user):
        filters["unit"] = request.user.unit_id
    elif (request.GET.get("unit") or "").isdigit():
        filters["unit"] = int(request.GET["unit"])
    buffer = io.BytesIO()
    milestones_template(year=year, filters=filters).save(buffer)
    buffer.seek(0)
    name = _("Milestone template %(year)s.xlsx") % {"year": year}
    response = FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the import -----------------------------------------------------------------------------------


@dataclass(slots=True)
class ParsedMilestone:
    row: int
    code: str
    year: int
    name: str
    planned_date: dt.date
    done_on: dt.date | None
    note: str


def parse_milestone_rows(sheet, today: dt.date) -> tuple[list[ParsedMilestone], list[Issue]]:
    """Every row as a milestone, or the issues naming its row and column (no database access)."""
    out, issues = [], []
    for number, values in sheet.rows:
        reader = RowReader(sheet, number, values, issues)
        name = reader.text(MILESTONE)
        planned_raw, done_raw = reader.raw(PLANNED), reader.raw(DONE)
        if not name and planned_raw in (None, "") and done_raw in (None, ""):
            continue  # a project's empty line in the template
        code = reader.text(H.CODE)
        if not code:
            reader.error(H.CODE, _("Fill in the project code."))
        year = year_of(reader)
        if not name:
            reader.error(MILESTONE, _("Fill in the milestone's name."))
        elif len(name) > MILESTONE_NAME_MAX_LENGTH:
            reader.error(MILESTONE, _("At most %(n)s characters.") % {"n": MILESTONE_NAME_MAX_LENGTH})
        planned = reader.read(PLANNED, parse_date, required_message=_("Fill in the planned date."))
        done = reader.read(DONE, parse_date)
        note = reader.text(NOTE)
        if len(note) > NARRATIVE_MAX_LENGTH:
            reader.error(NOTE, _("At most %(n)s characters.") % {"n": NARRATIVE_MAX_LENGTH})
        for field, value in ((PLANNED, planned), (DONE, done)):
            if value is not None and not valid_year(value.year):
                reader.error(field, _("The date must fall between 2000 and 2100."))
        if done is not None and done > today:
            reader.error(DONE, _("The date done cannot be in the future."))
        if reader.ok:
            out.append(ParsedMilestone(number, code, year, name, planned, done, note))
    return out, issues


def import_milestones(*, user, upload, change_reason: str = "") -> ImportResult:
    """Import a filled milestone template: every row checked first, then one all-or-nothing write.

    Queries: the projects named by code (one), the role check and the write (constant in the rows).
    """
    import_check(user)
    sheet, issues = read_sheet(upload, required=REQUIRED, optional=OPTIONAL, change_reason=change_reason)
    if sheet is None:
        return ImportResult(errors=issues)
    rows, errors = parse_milestone_rows(sheet, timezone.localdate())
    codes = {r.code for r in rows}
    writable = set(Project.objects.restrict(user, CHANGE).filter(code__in=codes).values_list("code", flat=True))
    projects = dict(Project.objects.filter(code__in=codes).values_list("code", "pk"))
    seen, milestones = {}, []
    for r in rows:
        if r.code not in projects:
            errors.append(Issue(r.row, sheet.label(H.CODE), _("No project has the code %(code)s.") % {"code": r.code}))
            continue
        if r.code not in writable:
            errors.append(
                Issue(
                    r.row,
                    sheet.label(H.CODE),
                    _("Project %(code)s belongs to another unit; you can only import your own unit's projects.")
                    % {"code": r.code},
                )
            )
            continue
        key = (r.code, r.year, r.name)
        if key in seen:
            errors.append(
                Issue(
                    r.row,
                    sheet.label(MILESTONE),
                    _("The same milestone is already on row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = r.row
        milestones.append(
            Milestone(
                project_id=projects[r.code], year=r.year, name=r.name, planned_date=r.planned_date,
                done_on=r.done_on, note=r.note,
            )
        )  # fmt: skip
    if errors:
        return ImportResult(errors=errors)
    try:
        with transaction.atomic():
            counts = milestones_bulk_set(user=user, rows=milestones, change_reason=change_reason)
    except (ValidationError, PermissionDenied) as exc:
        return ImportResult(errors=service_refusal(exc))
    return ImportResult(created=counts["created"], updated=counts["updated"])


class MilestonesImportView(ImportView):
    """`POST /api/import/milestones/`: a filled milestone template, all or nothing."""

    check = staticmethod(import_check)
    importer = staticmethod(import_milestones)

    @import_schema(
        "Import a filled milestone template (bureau: any project; staff: their unit's).",
        refused="The role may not import (leaders).",
    )
    def post(self, request):
        return super().post(request)
