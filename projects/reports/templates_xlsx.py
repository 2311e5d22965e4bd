"""Fill-in templates: the monthly actuals template and the annual list template (SPEC section 7).

Both have one header row whose names the imports read back (projects.reports.headers). The
monthly template is pre-filled with the projects of the year's list (a staff user's own unit's),
the figures already stored for the month, and shaded read-only context from the progress
engine (plan, year to date) that the import ignores. The annual list template is pre-filled
with the year's list. A second sheet explains how to fill them in.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..choices import Industry, Level, Pipeline, Sector, Stage
from ..models import MonthlyActual, Unit
from ..periods import MAX_YEAR, MIN_YEAR
from ..selectors.rows import project_rows
from ..selectors.sql import plans_in_scope
from . import headers as H
from .importers import MAX_UPLOAD_LABEL
from .xlsx import CENTER, DATE, INT, MONEY, TEXT, WRAP, Column, SheetWriter, new_workbook

SPARE_ROWS = 500  # validations reach this far below the pre-filled rows, for rows typed in


def _validation(sheet, cells: str, **options) -> None:
    """A data validation on a range such as "E2:E500" (XlsxWriter's options); blanks allowed, errors stop."""
    sheet.ws.data_validation(cells, {"ignore_blank": True, "show_error": True, "error_type": "stop", **options})


def _instructions(wb, title: str, lines: list[str]) -> None:
    sheet = SheetWriter(wb, pgettext("excel", "How to fill in"), [Column(title, WRAP, width=110)])
    sheet.begin()
    for line in lines:
        sheet.row([line])


def actuals_template(*, year: int, month: int, filters: dict | None = None):
    """The monthly template for the projects the filters select (the view fixes a staff user's unit)."""
    filters = dict(filters or {})
    rows = project_rows(year=year, month=month, filters=filters)
    before = {}
    if month > 1:
        before = {r.project_id: r.actual_to_date for r in project_rows(year=year, month=month - 1, filters=filters)}
    stored = {
        a.project_id: a
        for a in MonthlyActual.objects.filter(
            year=year, month=month, project_id__in=plans_in_scope(year=year, filters=filters).values("project_id")
        )
    }
    columns = [
        Column(H.CODE, TEXT, max_width=20),
        Column(H.NAME, WRAP, max_width=36),
        Column(H.YEAR, INT),
        Column(H.MONTH, INT),
        Column(H.AMOUNT, MONEY, width=16),
        Column(H.PROGRESS, WRAP, width=40),
        Column(H.PROBLEMS, WRAP, width=30),
        Column(H.CONTEXT_UNIT, TEXT, max_width=24, context=True),
        Column(H.CONTEXT_PIPELINE, CENTER, context=True),
        Column(H.CONTEXT_PLAN, MONEY, context=True),
    ]
    if month > 1:
        columns.append(Column(H.context_cumulative(month - 1), MONEY, context=True))
    lines = []
    for r in rows:
        actual = stored.get(r.project_id)
        values = [
            r.code,
            r.name,
            year,
            month,
            actual.amount if actual else None,
            actual.progress if actual else "",
            actual.problems if actual else "",
            r.unit_name,
            H.zh_label(Pipeline(r.pipeline)),
            r.plan,
        ]
        if month > 1:
            values.append(before.get(r.project_id))
        lines.append(values)
    wb = new_workbook()
    sheet = SheetWriter(wb, pgettext("excel", "Monthly figures"), columns, freeze_cols=2)
    for values in lines:
        sheet.fit(values)
    last = len(lines) + 1 + SPARE_ROWS
    _validation(
        sheet, f"E2:E{last}", validate="decimal", criteria=">=", value=0,
        error_message=_("Enter an amount in 10k yuan, at least 0, with at most two decimals."),
    )  # fmt: skip
    _validation(sheet, f"C2:C{last}", validate="integer", criteria="between", minimum=MIN_YEAR, maximum=MAX_YEAR)
    _validation(sheet, f"D2:D{last}", validate="integer", criteria="between", minimum=1, maximum=12)
    sheet.begin()
    for values in lines:
        sheet.row(values)
    _instructions(
        wb,
        _("Monthly investment template, %(year)s-%(month)02d") % {"year": year, "month": month},
        [
            _("1. Fill in %(amount)s (investment completed in the month, 10k yuan, at most two decimals; 0 if none)"
              " and %(progress)s for each project; %(problems)s is optional.")
            % {"amount": H.AMOUNT, "progress": H.PROGRESS, "problems": H.PROBLEMS},
            _("2. Do not change %(code)s, %(year)s or %(month)s; the import finds each project by %(code)s.")
            % {"code": H.CODE, "year": H.YEAR, "month": H.MONTH},
            _("3. Shaded columns are for reference only and are not imported."),
            _("4. Rows with neither an amount nor a narrative are skipped; a blank narrative keeps the stored one."),
            _("5. Only your own unit's projects can be imported; a locked month can only be changed by the bureau."),
            _("6. If any row is wrong nothing is saved: the page lists every row and column to correct."),
            _("7. Save as .xlsx (at most %(limit)s); importing the same file again changes nothing.")
            % {"limit": MAX_UPLOAD_LABEL},
        ],
    )  # fmt: skip
    return wb


def annual_list_template(*, year: int, filters: dict | None = None):
    """The annual list template, pre-filled with the year's list and drop-downs for the choice columns."""
    plans = list(
        plans_in_scope(year=year, filters=filters)
        .select_related("project__unit", "project__leader")
        .order_by("project__code")
    )
    units = list(Unit.objects.order_by("name").values_list("name", flat=True))
    choice_sets = [
        (H.SECTOR, Sector),
        (H.INDUSTRY, Industry),
        (H.STAGE, Stage),
        (H.LEVEL, Level),
        (H.PIPELINE, Pipeline),
    ]
    columns = [
        Column(H.CODE, TEXT, max_width=20),
        Column(H.NAME, WRAP, max_width=36),
        Column(H.UNIT, TEXT, max_width=24),
        Column(H.LEADER, TEXT, max_width=16),
        Column(H.SECTOR, CENTER),
        Column(H.INDUSTRY, CENTER),
        Column(H.STAGE, CENTER),
        Column(H.LEVEL, CENTER),
        Column(H.TOTAL_INVESTMENT, MONEY, width=16),
        Column(H.PLANNED_START, DATE, width=14),
        Column(H.CONTENT, WRAP, width=40),
        Column(H.YEAR, INT),
        Column(H.PIPELINE, CENTER),
        Column(H.PLAN_AMOUNT, MONEY, width=18),
    ]
    lines = []
    for plan in plans:
        p = plan.project
        lines.append(
            [
                p.code, p.name, p.unit.name, p.leader.name if p.leader else "", H.zh_label(Sector(p.sector)),
                H.zh_label(Industry(p.industry)), H.zh_label(Stage(p.stage)), H.zh_label(Level(p.level)),
                p.total_investment, p.planned_start, p.content, year, H.zh_label(Pipeline(plan.pipeline)), plan.amount,
            ]
        )  # fmt: skip
    wb = new_workbook()
    sheet = SheetWriter(wb, pgettext("excel", "Annual list"), columns, freeze_cols=2)
    for values in lines:
        sheet.fit(values)
    last = len(lines) + 1 + SPARE_ROWS
    letters = {H.SECTOR: "E", H.INDUSTRY: "F", H.STAGE: "G", H.LEVEL: "H", H.PIPELINE: "M"}
    for header, choices in choice_sets:
        labels = [H.zh_label(c) for c in choices]
        _validation(sheet, f"{letters[header]}2:{letters[header]}{last}", validate="list", source=labels)
    if units:
        options = pgettext("excel", "Units")
        _validation(sheet, f"C2:C{last}", validate="list", source=f"='{options}'!$A$2:$A${len(units) + 1}")
    for col in ("I", "N"):
        _validation(sheet, f"{col}2:{col}{last}", validate="decimal", criteria=">=", value=0)
    _validation(sheet, f"L2:L{last}", validate="integer", criteria="between", minimum=MIN_YEAR, maximum=MAX_YEAR)
    sheet.begin()
    for values in lines:
        sheet.row(values)
    unit_sheet = SheetWriter(wb, pgettext("excel", "Units"), [Column(H.UNIT, TEXT, max_width=40)])
    for name in units:
        unit_sheet.fit([name])
    for name in units:
        unit_sheet.row([name])
    _instructions(
        wb,
        _("Annual key-project list template, %(year)s") % {"year": year},
        [
            _("1. One row per project and year; %(code)s identifies the project: a new code creates a project.")
            % {"code": H.CODE},
            _("2. Required: %(code)s, %(year)s, %(pipeline)s (续建, 新建 or 谋划) and %(plan)s (10k yuan, 0 if none);"
              " a new project also needs %(name)s and %(unit)s.")
            % {"code": H.CODE, "year": H.YEAR, "pipeline": H.PIPELINE, "plan": H.PLAN_AMOUNT, "name": H.NAME,
               "unit": H.UNIT},
            _("3. %(unit)s and %(leader)s must be names already in the registry; choice columns take the listed"
              " labels or their codes.") % {"unit": H.UNIT, "leader": H.LEADER},
            _("4. A blank cell leaves the stored value unchanged."),
            _("5. If any row is wrong nothing is saved: the page lists every row and column to correct."),
            _("6. Save as .xlsx (at most %(limit)s); importing the same file again changes nothing.")
            % {"limit": MAX_UPLOAD_LABEL},
        ],
    )  # fmt: skip
    return wb
