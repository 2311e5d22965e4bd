"""Problem-loop pages (问题清单, SPEC section 11): one problem with its notes and instructions, and
the lists by category, unit, leader and level. Reads from selectors.bottlenecks, writes through
services.bottlenecks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ..forms import BottleneckResolveForm, ProblemHandlingForm, ProblemTextForm
from ..models import Bottleneck
from ..querysets import CHANGE, VIEW, user_role
from ..roles import is_leader
from ..selectors.bottlenecks import (
    DEFAULT_PAGE_SIZE,
    GROUP_SORTS,
    GROUPS,
    PAGE_SIZES,
    days,
    group_label,
    problem_detail,
    problem_groups,
)
from ..services.bottlenecks import bottleneck_instruct, bottleneck_note_add, bottleneck_update
from .common import page_check


def _visible(request):
    page_check(user_role(request.user) is not None)
    return Bottleneck.objects.restrict(request.user, VIEW)


@login_required
def problem_page(request, pk: int, handling_form=None, status: int = 200):
    """One problem: its handling, progress notes, leader instructions, and the forms its writers use."""
    today = timezone.localdate()
    try:
        bottleneck = problem_detail(_visible(request), pk, today)
    except Bottleneck.DoesNotExist:
        raise Http404 from None
    can_write = Bottleneck.objects.restrict(request.user, CHANGE).filter(pk=pk).exists()
    context = {
        "b": bottleneck,
        "can_write": can_write,
        "can_instruct": is_leader(request.user),
        "note_form": ProblemTextForm(),
        "handling_form": handling_form or ProblemHandlingForm(instance=bottleneck),
        "resolve_form": BottleneckResolveForm(),
    }
    return render(request, "problems/detail.html", context, status=status)


def _write(request, pk: int, action) -> None:
    """Run one write from the problem page, reporting its outcome as a message."""
    bottleneck = get_object_or_404(_visible(request), pk=pk)
    form = ProblemTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return
    try:
        action(user=request.user, bottleneck=bottleneck, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))


@login_required
@require_POST
def problem_note(request, pk: int):
    """Add a progress note (the project's unit and the bureau)."""
    _write(request, pk, bottleneck_note_add)
    return redirect(reverse("reporting:problem", args=[pk]) + "#notes")


@login_required
@require_POST
def problem_instruction(request, pk: int):
    """Add a leader's instruction (批示)."""
    _write(request, pk, bottleneck_instruct)
    return redirect(reverse("reporting:problem", args=[pk]) + "#instructions")


@login_required
@require_POST
def problem_handling(request, pk: int):
    """Change owner, coordinating leader, level, measures and due date."""
    bottleneck = get_object_or_404(_visible(request), pk=pk)
    if not Bottleneck.objects.restrict(request.user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("Only the bureau or the project's unit can change this problem."))
    form = ProblemHandlingForm(request.POST, instance=bottleneck)
    if form.is_valid():
        try:
            bottleneck_update(user=request.user, bottleneck=bottleneck, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("reporting:problem", pk=pk)
    return problem_page(request, pk, handling_form=form, status=400)


def _int_choice(value, allowed, default):
    try:
        value = int(value)
    except (TypeError, ValueError):
        return default
    return value if value in allowed else default


@login_required
def problem_groups_page(request, by: str):
    """Problems by category, unit, leader or level: all, open, overdue, average days to resolve.

    Counted, sorted and paginated in the database: two queries for the page whatever its size.
    """
    if by not in GROUPS:
        raise Http404
    today = timezone.localdate()
    sort = request.GET.get("sort", "open")
    sort = sort if sort in GROUP_SORTS else "open"
    descending = request.GET.get("dir", "desc") != "asc"
    page_size = _int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    groups = problem_groups(_visible(request), by=by, today=today, sort=sort, descending=descending)
    page = Paginator(groups, page_size).get_page(request.GET.get("page"))
    rows = [
        {**row, "label": group_label(by, row), "avg": days(row["avg_days"]), "filter": GROUPS[by][0]}
        for row in page.object_list
    ]
    context = {
        "by": by,
        "groups": [(key, GROUP_TITLES[key]) for key in GROUPS],
        "rows": rows,
        "page": page,
        "sort": sort,
        "dir": "desc" if descending else "asc",
        "page_size": page_size,
        "page_sizes": PAGE_SIZES,
        "sorts": GROUP_SORTS,
        "today": today,
    }
    return render(request, "problems/groups.html", context)


GROUP_TITLES = {
    "category": _lazy("By category"),
    "unit": _lazy("By unit"),
    "leader": _lazy("By coordinating leader"),
    "level": _lazy("By level"),
}
