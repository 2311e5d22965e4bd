"""Monthly reporting pages: the unit's entry sheet, the bureau's status ledger, review and periods.

Views stay thin: figures come from the engine and `selectors.reporting`, writes go through
`services.reporting`, and who may do what is decided by `restrict()` and the services.
"""

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import EntryRowForm, EntrySheetForm, PeriodChangeForm, PeriodOpenForm, ReviewForm
from ..models import REPORTED_STATES, ReportingPeriod, SubmissionStatus, Unit, UnitSubmission
from ..periods import UNFINISHED_MESSAGE, PeriodForm, month_ended, reporting_month, resolve_period, shift_month
from ..querysets import CHANGE
from ..roles import is_bureau, is_leader, is_staff, own_unit_id
from ..selectors.metrics import display_rate
from ..selectors.progress import progress_report
from ..selectors.reporting import (
    EntryLine,
    entry_sheet,
    ledger_states,
    on_time_rates,
    period_for,
    submission_for,
    submission_ledger,
    units_on_list,
)
from ..services.figures import LOCKED_MESSAGE
from ..services.reporting import (
    EntryChange,
    EntryRejected,
    entry_save,
    period_set,
    submission_accept,
    submission_return,
)
from .common import page_check

ROW_KEY = re.compile(r"^p(\d+)-")
FIELDS = ("amount", "progress", "problems")
# A completion rate above this (percent) is shown as "—" on the entry sheet, live and after saving:
# such a figure is a typing slip far more often than a real year.
RATE_SHOWN_LIMIT = 1000


def year_month(request) -> tuple[int, int]:
    """The ?year=&month= asked for, the month being reported filling what is absent or invalid."""
    year, month, _errors = resolve_period(request.GET, default=reporting_month)
    return year, month


@dataclass
class EntryItem:
    """A line of the sheet with its form and what the last save said about it."""

    line: EntryLine
    form: EntryRowForm
    errors: list
    warnings: list

    @property
    def rate_after(self):
        shown = display_rate(self.line.row.completion_rate)
        return None if shown is None or shown > RATE_SHOWN_LIMIT else shown


def _entry_unit(request) -> Unit | None:
    """The unit whose sheet is asked for: staff always their own, the bureau any (or none yet)."""
    user = request.user
    if not (is_bureau(user) or is_staff(user)):
        raise PermissionDenied(_("Your role cannot enter investment figures."))
    unit_id = request.GET.get("unit") or own_unit_id(user)
    if not unit_id:
        if is_staff(user):
            raise PermissionDenied(_("Your account is not attached to a unit; ask the bureau."))
        return None
    if not str(unit_id).isdigit():
        raise Http404
    unit = get_object_or_404(Unit, pk=unit_id)
    if not Unit.objects.restrict(request.user, CHANGE).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You can only report your own unit's projects."))
    return unit


def _row_forms(lines, data=None) -> list[EntryRowForm]:
    return [
        EntryRowForm(
            data,
            prefix=f"p{line.project_id}",
            initial={
                "amount": line.amount,
                "progress": line.progress,
                "problems": line.problems,
                "version": line.version,
            },
        )
        for line in lines
    ]


def _changes(items: list[EntryItem]) -> list[EntryChange]:
    changes = []
    for item in items:
        form, line = item.form, item.line
        if not form.values_changed():
            continue
        data = form.cleaned_data
        version = data.get("version")
        changes.append(
            EntryChange(
                line=line,
                amount=data["amount"],
                progress=data["progress"],
                problems=data["problems"],
                expected_version=line.version if version is None else version,
                reason=data.get("reason") or "",
                changed={f for f in FIELDS if f in form.changed_data},
            )
        )
    return changes


@login_required
def entry(request):
    """One page with all of a unit's projects for a month: amount, physical progress, problems."""
    unit = _entry_unit(request)
    year, month = year_month(request)
    bureau = is_bureau(request.user)
    if unit is None:
        units = units_on_list(year)
        return render(request, "reporting/entry_pick.html", {"units": units, "year": year, "month": month})
    lines = entry_sheet(unit_id=unit.pk, year=year, month=month)
    period = period_for(year, month)
    locked = bool(period and period.locked)
    ended = month_ended(year, month)
    editable = ended and (not locked or bureau)
    status = 200
    data = request.POST if request.method == "POST" else None
    sheet_form = EntrySheetForm(data)
    items = [EntryItem(line, form, [], []) for line, form in zip(lines, _row_forms(lines, data), strict=True)]
    if request.method == "POST":
        posted = {int(m.group(1)) for key in request.POST if (m := ROW_KEY.match(key))}
        if posted - {line.project_id for line in lines}:
            raise PermissionDenied(_("The form contains projects that are not on this unit's sheet."))
        if not ended:
            messages.error(request, UNFINISHED_MESSAGE % {"year": year, "month": month})
            status = 400
        elif not editable:
            messages.error(request, LOCKED_MESSAGE % {"year": year, "month": month})
            status = 403
        elif all([*(item.form.is_valid() for item in items), sheet_form.is_valid()]):
            submit = "submit" in request.POST
            try:
                result = entry_save(
                    user=request.user,
                    unit=unit,
                    year=year,
                    month=month,
                    lines=lines,
                    changes=_changes(items),
                    submit=submit,
                    change_reason=sheet_form.cleaned_data["change_reason"],
                    starts=[i.line.project_id for i in items if i.form.cleaned_data.get("started")],
                )
            except EntryRejected as rejected:
                status = _show_rejection(request, rejected, items, lines, sheet_form)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                _saved_message(request, result, submit, locked, year, month)
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Nothing was saved: correct the figures marked below."))
            status = 400
    for item in items:
        if item.form.is_bound and item.form.errors:
            item.errors += [f"{item.form.fields[f].label}: {m}" for f, ms in item.form.errors.items() for m in ms]
    context = {
        "unit": unit,
        "year": year,
        "month": month,
        "items": items,
        "period": period,
        "locked": locked,
        "ended": ended,
        "editable": editable,
        "rate_limit": RATE_SHOWN_LIMIT,
        "is_bureau": bureau,
        "submission": submission_for(unit_id=unit.pk, year=year, month=month),
        "report": progress_report(year=year, month=month, filters={"unit": unit.pk}),
        "sheet_form": sheet_form,
        "prev": shift_month(year, month, -1),
        "next": shift_month(year, month, 1),
        "unit_query": urlencode({"unit": unit.pk}) if bureau else "",
    }
    return render(request, "reporting/entry.html", context, status=status)


def _show_rejection(request, rejected: EntryRejected, items, lines, sheet_form) -> int:
    """Put the service's per-row errors, warnings and conflicts beside the rows; nothing was saved."""
    by_id = {item.line.project_id: item for item in items}
    for pid, errors in rejected.errors.items():
        by_id[pid].errors += errors
    for pid, warnings in rejected.warnings.items():
        by_id[pid].warnings += warnings
    if rejected.conflicts:
        # Rebind with the stored versions: saving again knowingly replaces the other person's figure.
        data = request.POST.copy()
        for pid, errors in rejected.conflicts.items():
            line = by_id[pid].line
            data[f"p{pid}-version"] = str(line.version)
            stored = "—" if line.amount is None else f"{line.amount:.2f}"
            by_id[pid].errors += [*errors, _("Stored now: %(amount)s. Save again to replace it.") % {"amount": stored}]
        for item, form in zip(items, _row_forms(lines, data), strict=True):
            form.is_valid()
            item.form = form
    if rejected.errors or rejected.conflicts:
        messages.error(request, _("Nothing was saved: correct the figures marked below."))
        return 409 if rejected.conflicts and not rejected.errors else 400
    messages.warning(request, _("Nothing was saved yet: check the figures marked below and give a reason to confirm."))
    return 200


def _saved_message(request, result, submit: bool, locked: bool, year: int, month: int) -> None:
    """Say what was saved or submitted, in the words of the sheet: the month and its projects."""
    values = {"year": year, "month": month, "projects": result.projects, "changed": result.changed}
    if locked:
        messages.success(request, _("Saved %(year)s, month %(month)s: %(changed)s projects changed.") % values)
    elif submit and result.submission.status == SubmissionStatus.SUBMITTED:
        messages.success(request, _("Submitted %(year)s, month %(month)s: %(projects)s projects.") % values)
    elif submit:
        messages.info(request, _("%(year)s, month %(month)s was already submitted; nothing changed.") % values)
    elif result.changed:
        messages.success(request, _("Draft of %(year)s, month %(month)s saved: %(changed)s projects changed.") % values)
    else:
        messages.info(request, _("Draft of %(year)s, month %(month)s: nothing changed.") % values)
    if result.started:
        messages.success(request, _("%(started)s projects marked under construction.") % {"started": result.started})


@login_required
def status(request):
    """Which units have reported for the month, who is late (with contacts), and review actions."""
    page_check(is_bureau(request.user) or is_leader(request.user))
    year, month = year_month(request)
    rows, summary = submission_ledger(year=year, month=month)
    if request.GET.get("show") == "pending":
        rows = [r for r in rows if not r.reported]
    rates = on_time_rates(year=year, unit_ids=[r.unit.pk for r in rows])
    for r in rows:
        r.on_time = rates.get(r.unit.pk)
        r.on_time_rate = display_rate(r.on_time.rate) if r.on_time else None
    context = {
        "year": year,
        "month": month,
        "rows": rows,
        "summary": summary,
        "states": ledger_states(),
        "is_bureau": is_bureau(request.user),
        "prev": shift_month(year, month, -1),
        "next": shift_month(year, month, 1),
        "show": request.GET.get("show", ""),
    }
    return render(request, "reporting/status.html", context)


@login_required
@require_POST
def review(request, pk: int):
    """The bureau returns a submission with a comment, or accepts it."""
    page_check(is_bureau(request.user))
    submission = get_object_or_404(UnitSubmission.objects.select_related("unit"), pk=pk)
    form = ReviewForm(request.POST)
    target = reverse("reporting:status") + "?" + urlencode({"year": submission.year, "month": submission.month})
    if not form.is_valid():
        messages.error(request, _("Choose to return or accept the report."))
        return redirect(target)
    service = submission_return if form.cleaned_data["action"] == "return" else submission_accept
    try:
        service(user=request.user, submission=submission, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, f"{submission.unit}: {' '.join(exc.messages)}")
    else:
        done = _("returned") if service is submission_return else _("accepted")
        messages.success(request, _("%(unit)s: report %(done)s.") % {"unit": submission.unit, "done": done})
    return redirect(target)


@login_required
def periods(request):
    """The bureau opens months, sets deadlines and locks them."""
    page_check(is_bureau(request.user))
    picked = PeriodForm(request.GET)
    year = (picked.cleaned_data.get("year") if picked.is_valid() else None) or reporting_month()[0]
    latest = ReportingPeriod.objects.order_by("-year", "-month").values_list("year", "month").first()
    suggested = shift_month(*latest, 1) if latest else reporting_month()
    form = PeriodOpenForm(request.POST or None, initial={"year": suggested[0], "month": suggested[1]})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                period_set(user=request.user, year=d["year"], month=d["month"], locked=False, deadline=d["deadline"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%(year)s-%(month)02d is open for reporting.") % d)
                return redirect(reverse("reporting:periods") + "?" + urlencode({"year": d["year"]}))
    expected = units_on_list(year).count()
    reported = dict(
        UnitSubmission.objects.filter(year=year)
        .order_by()
        .values("month")
        .annotate(n=Count("pk", filter=Q(status__in=REPORTED_STATES)))
        .values_list("month", "n")
    )
    rows = [
        {"period": p, "reported": reported.get(p.month, 0)}
        for p in ReportingPeriod.objects.filter(year=year).order_by("month")
    ]
    context = {"year": year, "rows": rows, "form": form, "expected": expected, "years": (year - 1, year + 1)}
    return render(request, "reporting/periods.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def period_change(request, pk: int):
    """Lock, unlock or set the deadline of a month."""
    page_check(is_bureau(request.user))
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = PeriodChangeForm(request.POST)
    target = reverse("reporting:periods") + "?" + urlencode({"year": period.year})
    if not form.is_valid():
        messages.error(request, _("Choose an action and a valid date."))
        return redirect(target)
    d = form.cleaned_data
    kwargs = {"deadline": d["deadline"]} if d["action"] == "deadline" else {"locked": d["action"] == "lock"}
    try:
        period_set(user=request.user, year=period.year, month=period.month, change_reason=d["reason"], **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(period)s updated.") % {"period": period})
    return redirect(target)
