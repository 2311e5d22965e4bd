"""Read side of reminders: the notice a reminded unit sees until it reports, and the sent list."""

from django.db.models import Exists, OuterRef

from ..models import REPORTED_STATES, Reminder, UnitSubmission


def _reported():
    return UnitSubmission.objects.filter(
        unit_id=OuterRef("unit_id"), year=OuterRef("year"), month=OuterRef("month"), status__in=REPORTED_STATES
    )


def pending_reminders(unit_id: int) -> list[Reminder]:
    """The unit's reminders for months it has still not reported, newest first (one query)."""
    return list(
        Reminder.objects.filter(unit_id=unit_id)
        .exclude(Exists(_reported()))
        .order_by("-year", "-month", "-sent_at")[:12]
    )


def reminder_list(year: int | None = None, month: int | None = None):
    """Every reminder sent, newest first, with unit, sender and whether the unit has reported since."""
    qs = Reminder.objects.select_related("unit", "sent_by").annotate(reported=Exists(_reported()))
    if year:
        qs = qs.filter(year=year)
    if month:
        qs = qs.filter(month=month)
    return qs.order_by("-sent_at", "unit__name", "pk")
