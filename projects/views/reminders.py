"""Reminder pages: the bureau reminds every late unit at once from the reporting status page, and
every reminder sent is listed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import PeriodChoiceForm
from ..roles import is_bureau
from ..selectors.reminders import reminder_list
from ..services.reminders import reminders_send

PAGE_SIZE = 50


def _bureau(request) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied(_("Only the development and reform bureau sends reminders."))


@login_required
@require_POST
def reminders_send_view(request):
    """Remind every unit that has not reported the month (one POST from the status page)."""
    _bureau(request)
    form = PeriodChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("reporting:status")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    sent = reminders_send(user=request.user, year=year, month=month)
    if sent:
        messages.success(
            request,
            _("Reminded %(n)d units: %(names)s.") % {"n": len(sent), "names": "、".join(r.unit.name for r in sent)},
        )
    else:
        messages.info(request, _("Every unit has reported; nobody to remind."))
    return redirect(f"{reverse('reporting:status')}?year={year}&month={month}")


@login_required
def reminders_page(request):
    """Every reminder sent, newest first, and whether each unit has reported since (two queries a page)."""
    _bureau(request)
    form = PeriodChoiceForm(request.GET or None)
    year = month = None
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    page = Paginator(reminder_list(year, month), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "problems/reminders.html", {"page": page, "year": year, "month": month})
