"""A URL map for tests/ops: the real one (with the app's own POST /api/auth/token/) plus small
views that refuse and throttle."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from projectreg.urls import handler400, handler403, handler404, handler500  # noqa: F401 - same error pages


class PingView(APIView):
    """An API view with the project's default authentication, permissions and throttles."""

    def get(self, request):
        return Response({"user": request.user.username})


class PublicPingView(APIView):
    """An API view open to anonymous callers (like a public schema), throttled per address."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


def forbidden(request):
    raise PermissionDenied("not yours")


def boom(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    path("api/ping/", PingView.as_view()),
    path("api/public-ping/", PublicPingView.as_view()),
    path("forbidden/", forbidden),
    path("boom/", boom),
    path("database-down/", database_down),
    path("", include("projectreg.urls")),
]
