"""Everything the project page shows, read in a constant number of queries.

Figures come from the progress engine (`project_rows`, `monthly_series`); history comes from
`projects.history.entries_from_records`, one query per history model for all of the project's
plans, actuals and bottlenecks at once.
"""

from itertools import groupby

from django.db.models import F
from django.utils.translation import gettext as _

from ..choices import BottleneckCategory, Industry, Level, Pipeline, Sector, Stage
from ..history import entries_from_records
from ..models import AnnualPlan, Bottleneck, Leader, MonthlyActual, Unit
from .progress import monthly_series
from .rows import project_rows

# Fields that name the object an entry is about rather than a value that changed.
IDENTITY_FIELDS = {"project", "year", "month"}
CHOICE_FIELDS = {
    "pipeline": Pipeline,
    "sector": Sector,
    "industry": Industry,
    "stage": Stage,
    "level": Level,
    "category": BottleneckCategory,
}


def project_figures(*, project, year: int, month: int) -> dict:
    """The project's engine row at the month (None when it is not on that year's list) and its series."""
    rows = project_rows(year=year, month=month, filters={"project_ids": [project.pk]})
    series = monthly_series(year=year, project_id=project.pk)
    actuals = {a.month: a for a in MonthlyActual.objects.filter(project=project, year=year).order_by("month")}
    months = []
    for point in series:
        actual = actuals.get(point["month"])
        months.append(
            {
                **point,
                "reported": actual is not None,
                "progress": actual.progress if actual else "",
                "problems": actual.problems if actual else "",
                "after_period": point["month"] > month,
            }
        )
    return {"row": rows[0] if rows else None, "months": months}


def _subject(model, record) -> str:
    if model is AnnualPlan:
        return _("Annual plan %(year)s") % {"year": record.year}
    if model is MonthlyActual:
        return _("Figure for %(year)s-%(month)02d") % {"year": record.year, "month": record.month}
    if model is Bottleneck:
        return _("Bottleneck: %(category)s") % {"category": BottleneckCategory(record.category).label}
    return _("Project details")


def _display(field: str, value, names: dict) -> str:
    """A history value as a reader wants it: labels for choices, names for units and leaders."""
    if value is None or value == "":
        return "—"
    if field in names:
        return names[field].get(value, str(value))
    if field in CHOICE_FIELDS:
        try:
            return str(CHOICE_FIELDS[field](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def project_history(project) -> list[dict]:
    """The project's own changes and those of its plans, actuals and bottlenecks, newest first.

    Queries: one per history model, plus one each for unit and leader names when they appear.
    """
    sources = [
        (type(project), project.history.all()),
        (AnnualPlan, AnnualPlan.history.filter(project_id=project.pk)),
        (MonthlyActual, MonthlyActual.history.filter(project_id=project.pk)),
        (Bottleneck, Bottleneck.history.filter(project_id=project.pk)),
    ]
    raw = []
    for model, qs in sources:
        records = list(qs.select_related("history_user").order_by("id", "history_date", "history_id"))
        for _pk, group in groupby(records, key=lambda r: r.id):
            group = list(group)
            subject = _subject(model, group[-1])
            for entry in entries_from_records(group):
                raw.append((model, subject, entry))
    unit_ids, leader_ids = set(), set()
    for _model, _subject_label, entry in raw:
        for side in (entry["old"], entry["new"]):
            if side.get("unit") is not None:
                unit_ids.add(side["unit"])
            if side.get("leader") is not None:
                leader_ids.add(side["leader"])
    names = {
        "unit": dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {},
        "leader": dict(Leader.objects.filter(pk__in=leader_ids).values_list("pk", "name")) if leader_ids else {},
    }
    out = []
    for model, subject, entry in raw:
        labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
        if entry["type"] == "changed":
            fields = list(entry["old"])
        elif model is type(project) and entry["type"] == "created":
            fields = []  # a new project's full record is on the page already
        else:
            side = entry["new"] or entry["old"]
            fields = [f for f, v in side.items() if f not in IDENTITY_FIELDS and v not in (None, "")]
        changes = [
            {
                "field": labels.get(f, f),
                "old": _display(f, entry["old"].get(f), names) if entry["type"] != "created" else "",
                "new": _display(f, entry["new"].get(f), names) if entry["type"] != "deleted" else "",
            }
            for f in fields
        ]
        out.append({**entry, "subject": subject, "changes": changes})
    out.sort(key=lambda e: e["changed_at"], reverse=True)
    return out


def project_bottlenecks(project) -> list:
    """All the project's bottlenecks, open ones first (one query)."""
    return list(project.bottlenecks.select_related("unit").order_by(F("resolved").desc(nulls_first=True), "-raised"))
