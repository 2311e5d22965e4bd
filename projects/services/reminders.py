"""Reminders (催报, SPEC section 12): the bureau reminds every unit that has not reported a month,
in one action; each reminder is recorded, and mailed to the unit's staff when email is configured."""

import logging
import smtplib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Role
from ..models import Reminder, User
from ..roles import is_bureau
from ..selectors.reporting import submission_ledger

logger = logging.getLogger(__name__)


def email_configured() -> bool:
    """Mail goes out only when the deployment names a mail server (`EMAIL_HOST`)."""
    return bool(getattr(settings, "EMAIL_HOST_CONFIGURED", False))


@transaction.atomic
def reminders_send(*, user, year: int, month: int) -> list[Reminder]:
    """Remind every unit with projects on the year's list that has not reported (year, month)."""
    if not is_bureau(user):
        raise PermissionDenied(_("Only the development and reform bureau sends reminders."))
    rows, summary = submission_ledger(year=year, month=month)
    late = [row.unit for row in rows if not row.reported]
    now = timezone.now()
    reminders = [Reminder(year=year, month=month, unit=unit, sent_at=now, sent_by=user) for unit in late]
    if email_configured() and late:
        recipients = {}
        for unit_id, email in (
            User.objects.filter(unit__in=late, is_active=True, groups__name=Role.STAFF.value)
            .exclude(email="")
            .values_list("unit_id", "email")
        ):
            recipients.setdefault(unit_id, []).append(email)
        deadline = summary["deadline"]
        messages = []
        for reminder in reminders:
            to = recipients.get(reminder.unit.pk, [])
            if to:
                reminder.emailed = len(to)
                messages.append(
                    (_reminder_subject(year, month), _reminder_body(reminder.unit, year, month, deadline), None, to)
                )
        try:
            send_mass_mail(messages, fail_silently=False)
        except (OSError, smtplib.SMTPException):
            logger.exception("reminder mail for %s-%s failed", year, month)
            for reminder in reminders:
                reminder.emailed = 0  # recorded all the same: the notice shows on the unit's home page
    for reminder in reminders:
        reminder.full_clean()
        reminder._history_user = user
        reminder.save()
    return reminders


def _reminder_subject(year: int, month: int) -> str:
    return _("Please report the key projects' figures for %(year)d-%(month)02d") % {"year": year, "month": month}


def _reminder_body(unit, year: int, month: int, deadline) -> str:
    text = _(
        "%(unit)s has not yet submitted the key projects' figures for %(year)d-%(month)02d. "
        "Please enter and submit them in the registry."
    ) % {"unit": unit.name, "year": year, "month": month}
    if deadline:
        text += " " + _("The deadline is %(date)s.") % {"date": deadline.isoformat()}
    return text
