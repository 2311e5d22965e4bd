"""The two imports end to end: read the file, check every row against stored data, then write all or nothing.

`import_actuals` and `import_annual_list` are called by the API endpoints and by the upload
pages alike. Every bad row and column is reported at once (errors block the import, warnings
do not); writes go through the services, which keep history; rows whose values would not
change are left out, so re-importing the same file changes nothing. Queries are constant in
the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from ..lookups import AnyOf
from ..models import AnnualPlan, Leader, MonthlyActual, Project, Unit
from ..querysets import CHANGE
from ..roles import is_bureau, own_unit_id
from ..services.figures import ACTUAL_FIELDS, CREATED, UPDATED, ActualRow, actuals_bulk_set, lock_check, locked_months
from ..services.imports import ListRow, annual_list_bulk_set
from . import headers as H
from .importers import Issue, parse_actual_rows, parse_list_rows, read_sheet

ZERO = Decimal("0.00")


@dataclass
class ImportResult:
    """The answer of an import: counts when it was written, or the errors that stopped it."""

    created: int = 0
    updated: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        """SPEC section 7: {"created", "updated"} or {"errors": [...]}; warnings listed only if any."""
        data = {"created": self.created, "updated": self.updated} if self.ok else {}
        if self.errors:
            data["errors"] = [e.as_dict() for e in _sorted(self.errors)]
        if self.warnings:
            data["warnings"] = [w.as_dict() for w in _sorted(self.warnings)]
        return data


def _sorted(issues: list[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.row is not None, i.row or 0))


def service_refusal(exc: Exception) -> list[Issue]:
    """A refusal by the services after the checks passed (e.g. a month locked meanwhile): whole file."""
    if isinstance(exc, ValidationError):
        messages = [str(m) for m in exc.messages]
    else:
        messages = [str(exc)]
    return [Issue(None, None, m) for m in messages]


# --- monthly actuals ----------------------------------------------------------------------------


def actuals_import_check(user) -> None:
    """Only the bureau and staff with a unit import figures; anyone else is refused outright (403)."""
    if is_bureau(user) or own_unit_id(user):
        return
    raise PermissionDenied(_("Your role cannot import investment figures."))


def _changes(row, stored: tuple | None) -> bool:
    """Whether writing the row would change the stored figure's values (ACTUAL_FIELDS, in order).

    None texts leave the stored ones as they are.
    """
    if stored is None:
        return True
    new = (getattr(row, f) for f in ACTUAL_FIELDS)
    return any(value is not None and value != old for value, old in zip(new, stored, strict=True))


class _Project:
    """What the import needs of a project, read as a row: lighter than 5,000 model instances.

    actuals_bulk_set takes it for an ActualRow's project (it reads pk, code, unit_id and archived).
    """

    __slots__ = ("pk", "code", "name", "unit_id", "archived", "unit_name", "writable")

    def __init__(self, pk, code, name, unit_id, archived, unit_name, writable):
        self.pk, self.code, self.name, self.unit_id = pk, code, name, unit_id
        self.archived, self.unit_name, self.writable = archived, unit_name, writable


def import_actuals(*, user, upload, change_reason: str = "") -> ImportResult:
    """Import a filled monthly template: every row checked first, then one all-or-nothing write."""
    actuals_import_check(user)
    change_reason = (change_reason or "").strip()
    sheet, issues = read_sheet(
        upload, required=H.ACTUALS_REQUIRED, optional=H.ACTUALS_OPTIONAL, change_reason=change_reason
    )
    if sheet is None:
        return ImportResult(errors=issues)
    rows, errors = parse_actual_rows(sheet)
    warnings: list[Issue] = []
    code_label, month_label, amount_label = sheet.label(H.CODE), sheet.label(H.MONTH), sheet.label(H.AMOUNT)

    codes = {r.code for r in rows}
    # One query for the projects, whether the user may write to each, and their unit's name (for messages).
    projects = {
        row[1]: _Project(*row)
        for row in Project.objects.filter(AnyOf("code", codes))
        .order_by()
        .annotate(writable=Exists(Project.objects.restrict(user, CHANGE).filter(pk=OuterRef("pk"))))
        .values_list("pk", "code", "name", "unit_id", "archived", "unit__name", "writable")
    }
    ids = {p.pk for p in projects.values()}
    years, months = {r.year for r in rows}, {r.month for r in rows}
    # The stored figures of the file's months (to leave unchanged rows out) as plain tuples.
    stored = {
        (pid, y, m): values
        for pid, y, m, *values in MonthlyActual.objects.filter(
            AnyOf("project_id", ids), year__in=years, month__in=months
        )
        .order_by()
        .values_list("project_id", "year", "month", *ACTUAL_FIELDS)
    }
    plans = dict(
        ((pid, y), amount)
        for pid, y, amount in AnnualPlan.objects.filter(AnyOf("project_id", ids), year__in=years)
        .order_by()
        .values_list("project_id", "year", "amount")
    )
    locked = locked_months(year_months={(r.year, r.month) for r in rows})

    to_write: list[ActualRow] = []
    written = defaultdict(list)  # (project, year) → [(row, the amount it replaces)] for the rows written
    for r in rows:
        project = projects.get(r.code)
        if project is None:
            errors.append(Issue(r.row, code_label, _('No project has the code "%(code)s".') % {"code": r.code}))
            continue
        if not project.writable:
            errors.append(
                Issue(
                    r.row,
                    code_label,
                    _("Project %(code)s belongs to %(unit)s; you can only report your own unit's projects.")
                    % {"code": r.code, "unit": project.unit_name},
                )
            )
            continue
        if r.name and r.name != project.name:
            warnings.append(
                Issue(
                    r.row,
                    sheet.label(H.NAME),
                    _('The name "%(given)s" differs from %(code)s\'s name "%(name)s": check the project code.')
                    % {"given": r.name, "code": r.code, "name": project.name},
                )
            )
        actual = stored.get((project.pk, r.year, r.month))
        if not _changes(r, actual):
            continue
        try:
            lock_check(
                user=user, year=r.year, month=r.month, locked=(r.year, r.month) in locked, change_reason=change_reason
            )
        except ValidationError as exc:
            errors.extend(Issue(r.row, month_label, str(m)) for m in exc.messages)
            continue
        to_write.append(ActualRow(project, r.year, r.month, r.amount, r.progress, r.problems))
        written[(project.pk, r.year)].append((r, actual[0] if actual else ZERO))  # amount: ACTUAL_FIELDS[0]
    warnings.extend(_actual_warnings(written, plans, code_label, amount_label))
    if errors:
        return ImportResult(errors=errors, warnings=warnings)
    try:
        with transaction.atomic():
            counts = actuals_bulk_set(user=user, rows=to_write, change_reason=change_reason)
    except (PermissionDenied, ValidationError) as exc:
        return ImportResult(errors=service_refusal(exc), warnings=warnings)
    return ImportResult(created=counts[CREATED], updated=counts[UPDATED], warnings=warnings)


def _actual_warnings(written, plans, code_label, amount_label) -> list[Issue]:
    """Figures worth a second look that do not block the import.

    For each project and year written, on its last row written: no plan for the year, or the year
    to that month (stored figures with the file's replacing them) over the plan. The stored part
    is summed in the database, one query whatever the number of rows.
    """
    last = {key: max(entries, key=lambda e: e[0].month)[0] for key, entries in written.items()}
    stored_to_date = _stored_to_date({key: r.month for key, r in last.items() if key in plans})
    warnings = []
    for (pid, year), r in last.items():
        plan = plans.get((pid, year))
        if plan is None:
            warnings.append(
                Issue(
                    r.row,
                    code_label,
                    _("Project %(code)s has no annual plan for %(year)s: the figure is saved but not counted.")
                    % {"code": r.code, "year": year},
                )
            )
            continue
        # Every row written for the project and year is in months up to the last one.
        change = sum((row.amount - before for row, before in written[(pid, year)]), start=ZERO)
        to_date = stored_to_date.get((pid, year), ZERO) + change
        if to_date > plan:
            warnings.append(
                Issue(
                    r.row,
                    amount_label,
                    _("Jan–%(month)s total %(done)s exceeds the annual plan %(plan)s (10k yuan); please check.")
                    % {"month": r.month, "done": f"{to_date:,.2f}", "plan": f"{plan:,.2f}"},
                )
            )
    return warnings


def _stored_to_date(last_month: dict[tuple[int, int], int]) -> dict[tuple[int, int], Decimal]:
    """(project, year) → the sum of its stored figures from January to the given month, in one query."""
    if not last_month:
        return {}
    months = sorted(set(last_month.values()))
    sums = {f"to_{m}": Sum("amount", filter=Q(month__lte=m)) for m in months}
    totals = {}
    for row in (
        MonthlyActual.objects.filter(
            AnyOf("project_id", {pid for pid, _y in last_month}),
            year__in={y for _p, y in last_month},
            month__lte=months[-1],
        )
        .order_by()
        .values("project_id", "year")
        .annotate(**sums)
    ):
        key = (row["project_id"], row["year"])
        if key in last_month:
            totals[key] = row[f"to_{last_month[key]}"] or ZERO
    return totals


# --- annual list --------------------------------------------------------------------------------


def list_import_check(user) -> None:
    """Only the bureau keeps the annual lists (403 for everyone else)."""
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau can import the annual list."))


def import_annual_list(*, user, upload, change_reason: str = "") -> ImportResult:
    """Import an annual list: projects by code (created or updated) and their plan for the year."""
    list_import_check(user)
    sheet, issues = read_sheet(upload, required=H.LIST_REQUIRED, optional=H.LIST_OPTIONAL, change_reason=change_reason)
    if sheet is None:
        return ImportResult(errors=issues)
    rows, errors = parse_list_rows(sheet)
    label = sheet.label

    codes = {r.code for r in rows}
    existing = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    unit_objs = {u.name: u for u in Unit.objects.filter(name__in={r.unit_name for r in rows if r.unit_name})}
    leader_names = {r.leader_name for r in rows if r.leader_name}
    leaders = defaultdict(list)
    for leader in Leader.objects.all() if leader_names else []:
        for spelling in {leader.name, str(leader)}:
            leaders[spelling].append(leader)

    list_rows, first_seen = [], {}
    for r in rows:
        attrs = {
            "name": r.name,
            "sector": r.sector,
            "industry": r.industry,
            "stage": r.stage,
            "level": r.level,
            "total_investment": r.total_investment,
            "planned_start": r.planned_start,
            "content": r.content,
        }
        bad = False
        if r.unit_name:
            if r.unit_name not in unit_objs:
                errors.append(Issue(r.row, label(H.UNIT), _('No unit is named "%(name)s".') % {"name": r.unit_name}))
                bad = True
            attrs["unit"] = unit_objs.get(r.unit_name)
        if r.leader_name:
            found = leaders.get(r.leader_name, [])
            if len(found) != 1:
                message = (
                    _('No county leader is named "%(name)s".')
                    if not found
                    else _('Several county leaders are named "%(name)s"; write the name with the title.')
                )
                errors.append(Issue(r.row, label(H.LEADER), message % {"name": r.leader_name}))
                bad = True
            else:
                attrs["leader"] = found[0]
        if r.code not in existing and r.code not in first_seen:
            for column, value in ((H.NAME, r.name), (H.UNIT, r.unit_name)):
                if not value:
                    errors.append(Issue(r.row, label(column), _("A new project needs this column filled in.")))
                    bad = True
        earlier = first_seen.get(r.code)
        if earlier is not None:
            for name, value in attrs.items():
                if value is not None and earlier[1].get(name) not in (None, value):
                    errors.append(
                        Issue(
                            r.row,
                            label(_LIST_COLUMN[name]),
                            _("Differs from row %(row)s for the same project.") % {"row": earlier[0]},
                        )
                    )
                    bad = True
        else:
            first_seen[r.code] = (r.row, attrs)
        if not bad:
            list_rows.append(ListRow(code=r.code, year=r.year, pipeline=r.pipeline, amount=r.amount, attrs=attrs))
    if errors:
        return ImportResult(errors=errors)
    try:
        with transaction.atomic():
            outcome = annual_list_bulk_set(user=user, rows=list_rows, change_reason=(change_reason or "").strip())
    except (PermissionDenied, ValidationError) as exc:
        return ImportResult(errors=service_refusal(exc))
    counts = outcome.counts
    return ImportResult(created=counts[CREATED], updated=counts[UPDATED])


_LIST_COLUMN = {
    "name": H.NAME,
    "unit": H.UNIT,
    "leader": H.LEADER,
    "sector": H.SECTOR,
    "industry": H.INDUSTRY,
    "stage": H.STAGE,
    "level": H.LEVEL,
    "total_investment": H.TOTAL_INVESTMENT,
    "planned_start": H.PLANNED_START,
    "content": H.CONTENT,
}
