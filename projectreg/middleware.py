"""Request log, refused-access log, session time limits and security headers."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .netutil import client_ip, username_of

request_log = logging.getLogger("projectreg.request")
security_log = logging.getLogger("projectreg.security")

REFUSED = {401: "unauthenticated", 403: "forbidden", 429: "too_many_requests"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

SESSION_STARTED = "ops_session_started"
SESSION_SEEN = "ops_session_seen"
SEEN_RESOLUTION = 60  # seconds: the last-activity stamp is saved at most once a minute


def request_fields(request) -> dict:
    """The fields that identify a request in every log line about it."""
    return {
        "request_id": getattr(request, "request_id", ""),
        "method": request.method,
        "path": request.path,
        "user": username_of(request),
        "ip": client_ip(request) or "",
    }


class RequestLogMiddleware:
    """Log one structured line per request and a security line for every refused access.

    Outermost middleware, so it times and sees everything, static files and redirects included.
    A proxy's X-Request-ID is kept (else one is made) and returned, to match proxy and app logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        status = response.status_code
        fields = request_fields(request)
        fields.update(status=status, ms=round((time.perf_counter() - started) * 1000, 1))
        query = request.META.get("QUERY_STRING", "")
        if query:
            fields["query"] = query[:300]
        if status in REFUSED:
            security_log.warning(
                "access refused: %s %s %s user=%s ip=%s",
                status,
                request.method,
                request.path,
                fields["user"] or "-",
                fields["ip"],
                extra={"event": REFUSED[status], **fields},
            )
        elif status == 302 and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL)):
            security_log.info(
                "login required: %s %s ip=%s",
                request.method,
                request.path,
                fields["ip"],
                extra={"event": "login_required", **fields},
            )
        if request.path == "/healthz" and status == 200:
            return response  # load-balancer probes every few seconds: not worth a line each
        level = logging.ERROR if status >= 500 else logging.INFO
        request_log.log(
            level,
            "%s %s %s %sms user=%s ip=%s",
            request.method,
            request.path,
            status,
            fields["ms"],
            fields["user"] or "-",
            fields["ip"],
            extra=fields,
        )
        return response


class SessionTimeoutMiddleware:
    """End a logged-in session after SESSION_IDLE_TIMEOUT idle seconds or SESSION_ABSOLUTE_TIMEOUT in all.

    Django's session expiry moves with every save, so it cannot cap a session's whole life by
    itself; this keeps the login time and the last activity in the session. After the logout the
    request goes on as anonymous: pages send the user to the login page, the API answers 401/403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            session[SESSION_STARTED] = started or now
            session[SESSION_SEEN] = now
            return
        if now - started >= settings.SESSION_ABSOLUTE_TIMEOUT:
            reason, message = "absolute", _("Your session has ended after a full working day. Please log in again.")
        elif now - seen >= settings.SESSION_IDLE_TIMEOUT:
            reason = "idle"
            message = _("Your session has ended after %(minutes)s minutes without activity. Please log in again.") % {
                "minutes": settings.SESSION_IDLE_TIMEOUT // 60
            }
        else:
            if now - seen >= SEEN_RESOLUTION:
                session[SESSION_SEEN] = now
            return
        fields = request_fields(request)
        logout(request)
        messages.info(request, message)
        security_log.info(
            "session ended (%s): user=%s ip=%s",
            reason,
            fields["user"],
            fields["ip"],
            extra={"event": f"session_{reason}_timeout", **fields},
        )


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: a content security policy, a permissions policy, and
    no caching of pages and API answers (internal government data on shared office computers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy:
            response.setdefault("Content-Security-Policy", policy)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("Cache-Control", "no-store, private")
        return response
