"""The answer to a locked-out login: a Chinese page, or JSON under /api/; 429 with Retry-After."""

import math

from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: tell the user how long to wait; never reveal whether the name exists."""
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else None
    if minutes:
        message = _(
            "Too many failed log-in attempts for this user name from your address. "
            "Try again in %(minutes)s minutes, or ask the administrator to unlock the account."
        ) % {"minutes": minutes}
    else:
        message = _("Too many failed log-in attempts. Ask the administrator to unlock the account.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        title = _("Log-in temporarily locked")
        response = render(request, "429.html", {"status": 429, "title": title, "message": message}, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
