"""Error answers (SPEC section 5): Chinese pages inside the site frame, `{"detail"}` under /api/.

Django calls these for 400, 403, 404 and 500 (handler400 … in projectreg/urls.py) and for a failed
CSRF check. Two causes get their own status wherever they surface, even in a middleware:
a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises RequestDataTooBig, which it would answer
400) is 413, and a database that is down or hung (OperationalError, InterfaceError) is 503.
The 500 and 503 pages render without the request's context, so they never touch the database.
"""

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("projectreg.errors")

# Seconds a client is asked to wait while the database is unreachable.
RETRY_AFTER_OUTAGE = 30

DATABASE_ERRORS = (OperationalError, InterfaceError)


def messages() -> dict[int, tuple[str, str]]:
    """Title and explanation of each status, in the active language."""
    return {
        400: (_("Bad request"), _("The request could not be understood: a damaged link or an incomplete form.")),
        403: (_("No access"), _("Your account may not open this page or make this change.")),
        404: (
            _("Page not found"),
            _("This page or record does not exist; it may have been deleted or the link is wrong."),
        ),
        413: (_("Request too large"), _("The form or data sent is larger than the registry accepts.")),
        429: (_("Too many requests"), _("Too many requests in a short time. Wait a minute and try again.")),
        500: (
            _("Server error"),
            _("Something went wrong on the server and it has been logged. Nothing was half-saved: try again."),
        ),
        503: (
            _("The registry is temporarily unavailable"),
            _(
                "The database cannot be reached at the moment. What you were saving was not saved; "
                "try again in a few minutes."
            ),
        ),
    }


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, *, detail: str | None = None, use_request: bool = True) -> HttpResponse:
    """The answer for `status`: JSON under /api/, else the Chinese page `templates/<status>.html`.

    `use_request=False` renders without context processors (no session, no user, no database).
    """
    title, explanation = messages()[status]
    message = detail or explanation
    if is_api(request):
        response = JsonResponse({"detail": message}, status=status)
    else:
        context = {
            "status": status,
            "title": title,
            "message": message,
            "request_id": getattr(request, "request_id", ""),
        }
        template = f"{status}.html"
        content = None
        if use_request:
            try:
                return _with_headers(render(request, template, context, status=status), status)
            except DatabaseError:
                pass  # the frame's user menu needs the database: show the page without it
        content = loader.get_template(template).render(context)
        response = HttpResponse(content, status=status)
    return _with_headers(response, status)


def _with_headers(response: HttpResponse, status: int) -> HttpResponse:
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_OUTAGE)
    return response


def bad_request(request, exception=None):
    """handler400; a body over the size limit is 413 instead (Django raises it as a 400)."""
    if isinstance(exception, RequestDataTooBig):
        from projects.api.parsers import too_large_message

        return error_response(request, 413, detail=too_large_message())
    return error_response(request, 400)


def permission_denied(request, exception=None):
    """handler403: the refusal's own message when it has one (services say why)."""
    detail = str(exception) if exception is not None and exception.args else None
    return error_response(request, 403, detail=detail)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    """handler500: a database outage is 503; anything else 500. Neither touches the database."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        logger.error("database unavailable: %s", exc, extra={"event": "database_unavailable"})
        return error_response(request, 503, use_request=False)
    return error_response(request, 500, use_request=False)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open past the session's end; reload and send again."""
    return error_response(
        request,
        403,
        detail=_(
            "The form has expired (or was sent from another site) and was not saved. "
            "Reload the page, enter it again and send it."
        ),
    )
