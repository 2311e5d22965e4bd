"""A URL map for tests/ops: the real one plus small views that refuse, throttle and issue tokens.

The token view is DRF's own `obtain_auth_token`, mounted where SPEC section 6 puts it, so the
lockout is proven on the same code path the API's `POST /api/auth/token/` uses.
"""

from django.core.exceptions import PermissionDenied
from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


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


urlpatterns = [
    path("api/auth/token/", obtain_auth_token),
    path("api/ping/", PingView.as_view()),
    path("api/public-ping/", PublicPingView.as_view()),
    path("forbidden/", forbidden),
    path("", include("projectreg.urls")),
]
