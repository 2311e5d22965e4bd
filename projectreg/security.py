"""Signal receivers: log every login, failure and lockout; start the session clock at login."""

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import SESSION_SEEN, SESSION_STARTED
from .netutil import client_ip

security_log = logging.getLogger("projectreg.security")


def _fields(request, username) -> dict:
    if request is None:
        return {"user": (username or "")[:150], "ip": "", "path": ""}
    return {"user": (username or "")[:150], "ip": client_ip(request) or "", "path": request.path}


@receiver(user_logged_in, dispatch_uid="ops_logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None:
        return
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
    fields = _fields(request, user.get_username())
    security_log.info("login: user=%s ip=%s", fields["user"], fields["ip"], extra={"event": "login", **fields})


@receiver(user_logged_out, dispatch_uid="ops_logged_out")
def on_logged_out(sender, request, user, **kwargs):
    fields = _fields(request, user.get_username() if user else "")
    security_log.info("logout: user=%s ip=%s", fields["user"], fields["ip"], extra={"event": "logout", **fields})


@receiver(user_login_failed, dispatch_uid="ops_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    fields = _fields(request, credentials.get("username"))
    security_log.warning(
        "login failed: user=%s ip=%s path=%s",
        fields["user"],
        fields["ip"],
        fields["path"],
        extra={"event": "login_failed", **fields},
    )


@receiver(user_locked_out, dispatch_uid="ops_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    """Log the lockout, and mark the Django request so AxesMiddleware answers with the lockout page.

    DRF views (POST /api/auth/token/) pass their own Request wrapper to authenticate(); axes marks
    that wrapper, which the middleware never sees, so the mark is copied to the wrapped request.
    """
    inner = getattr(request, "_request", None)
    if inner is not None:
        inner.axes_locked_out = True
        inner.axes_credentials = getattr(request, "axes_credentials", None)
    fields = _fields(request, username)
    security_log.warning(
        "login locked out: user=%s ip=%s path=%s",
        fields["user"],
        fields["ip"],
        fields["path"],
        extra={"event": "login_locked_out", **fields},
    )
