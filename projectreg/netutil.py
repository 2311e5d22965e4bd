"""Who is asking: the client address, trusting X-Forwarded-For only behind our own proxy."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's IP address.

    With BEHIND_PROXY=1 the right-most X-Forwarded-For entry is the one our proxy appended (the
    address it saw); entries to its left come from the client and could be forged.
    """
    meta = request.META
    if getattr(settings, "BEHIND_PROXY", False):
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return meta.get("REMOTE_ADDR") or None


def request_user(request):
    """The user a request was served for, without a database query if nobody looked it up."""
    user = request.__dict__.get("user")
    if user is not None and not hasattr(user, "_wrapped"):
        return user  # set directly, e.g. by DRF token authentication
    return getattr(request, "_cached_user", None)


def username_of(request) -> str:
    """The user name for logs ('' for anonymous)."""
    user = request_user(request)
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_username()
