"""Bottleneck (卡点) pages: open ones by category and age for everyone, raise and resolve for writers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..filtersets import BottleneckFilterSet
from ..forms import BottleneckRaiseForm, BottleneckResolveForm
from ..models import Bottleneck, Project
from ..querysets import CHANGE, VIEW
from ..selectors.bottlenecks import age_days, bottleneck_list, bottleneck_summary
from ..services.bottlenecks import bottleneck_raise, bottleneck_resolve

PAGE_SIZE = 50


@login_required
def bottleneck_index(request):
    """Bottlenecks (open ones by default) with a summary by category and age; overdue ones flagged."""
    data = request.GET.copy()
    if "open" not in data:
        data["open"] = "true"
    filterset = BottleneckFilterSet(data, queryset=Bottleneck.objects.restrict(request.user, VIEW))
    queryset = filterset.qs if filterset.is_valid() else Bottleneck.objects.none()
    today = timezone.localdate()
    summary, total = bottleneck_summary(queryset, today)
    page = Paginator(bottleneck_list(queryset, today), PAGE_SIZE).get_page(request.GET.get("page"))
    changeable = set(
        Bottleneck.objects.restrict(request.user, CHANGE)
        .filter(pk__in=[b.pk for b in page.object_list])
        .values_list("pk", flat=True)
    )
    for b in page.object_list:
        b.age = age_days(b, today)
        b.can_resolve = b.pk in changeable and b.resolved is None
    query = data.copy()
    query.pop("page", None)
    context = {
        "filterset": filterset,
        "summary": summary,
        "total": total,
        "page": page,
        "query": query.urlencode(),
        "can_raise": Project.objects.restrict(request.user, CHANGE).exists(),
        "resolve_form": BottleneckResolveForm(),
    }
    return render(request, "reporting/bottlenecks.html", context)


@login_required
def bottleneck_new(request):
    """Raise a bottleneck on one of the projects the user may change."""
    projects = Project.objects.restrict(request.user, CHANGE).filter(archived=False).select_related("unit")
    if not projects.exists():
        raise PermissionDenied(_("Your role cannot raise bottlenecks."))
    initial = {}
    if str(request.GET.get("project", "")).isdigit():
        initial["project"] = request.GET["project"]
    posted = request.POST.get("project", "")
    if posted.isdigit() and not projects.filter(pk=posted).exists() and Project.objects.filter(pk=posted).exists():
        raise PermissionDenied(_("You can only raise bottlenecks on your own unit's projects."))
    form = BottleneckRaiseForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            bottleneck = bottleneck_raise(
                user=request.user,
                project=d["project"],
                category=d["category"],
                description=d["description"],
                unit=d["unit"],
                due=d["due"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Bottleneck recorded on %(project)s.") % {"project": bottleneck.project})
            return redirect(reverse("reporting:bottlenecks") + "?" + f"project_unit={bottleneck.project.unit_id}")
    return render(request, "reporting/bottleneck_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def bottleneck_close(request, pk: int):
    """Resolve a bottleneck with what was done."""
    bottleneck = get_object_or_404(Bottleneck.objects.restrict(request.user, VIEW).select_related("project"), pk=pk)
    form = BottleneckResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how the bottleneck was resolved."))
    else:
        try:
            bottleneck_resolve(user=request.user, bottleneck=bottleneck, resolution=form.cleaned_data["resolution"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bottleneck on %(project)s resolved.") % {"project": bottleneck.project})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("reporting:bottlenecks")
    return redirect(target)
