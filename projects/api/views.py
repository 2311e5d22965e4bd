"""API viewsets: thin declarations over the shared filter sets, `restrict()` and the services.

Each list reads its rows with `select_related`, so a page costs the same number of queries
whatever its length; every queryset is narrowed by `restrict(user, "view")`.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from knox.models import AuthToken
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from projects.filtersets import (
    AnnualPlanFilterSet,
    BottleneckFilterSet,
    LeaderFilterSet,
    MonthlyActualFilterSet,
    ProjectFilterSet,
    ReportingPeriodFilterSet,
    UnitFilterSet,
)
from projects.history import history_entries
from projects.models import AnnualPlan, Bottleneck, Leader, MonthlyActual, Project, ReportingPeriod, Unit
from projects.querysets import VIEW
from projects.services.records import record_delete

from .fastlists import FastListMixin
from .parsers import LimitedJSONParser
from .permissions import RolePermission
from .serializers import (
    BottleneckSerializer,
    DeleteQuerySerializer,
    HistoryEntrySerializer,
    LeaderSerializer,
    ProjectSerializer,
    ReportingPeriodSerializer,
    TokenSerializer,
    UnitSerializer,
)
from .serializers_figures import AnnualPlanSerializer, MonthlyActualSerializer

DELETE_REASON = OpenApiParameter(
    "change_reason",
    str,
    description=_("Why the record is deleted; kept in its history (required for a figure of a locked month)."),
)


class RestrictedViewSet(viewsets.ModelViewSet):
    """Rows narrowed by `restrict(user, "view")`; a DELETE hands its `change_reason` to `delete_service`."""

    parser_classes = [LimitedJSONParser]
    delete_service = staticmethod(record_delete)

    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, VIEW)

    @extend_schema(parameters=[DELETE_REASON])
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        query = DeleteQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        reason = query.validated_data.get("change_reason", "")
        self.delete_service(user=self.request.user, obj=instance, change_reason=reason)


class RegistryViewSet(FastListMixin, RestrictedViewSet):
    """List, retrieve, create, update, partial update; delete for the bureau only (lists: `fastlists`)."""

    permission_classes = [RolePermission]


class HistoryMixin:
    """`GET .../{id}/history/`: the record's changes, oldest first."""

    @extend_schema(
        summary=_("Change history"),
        description=_(
            "The record's changes, oldest first: when, who, why, and the changed fields' old and new values."
        ),
        responses=HistoryEntrySerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        return Response(HistoryEntrySerializer(history_entries(self.get_object()), many=True).data)


@extend_schema_view(list=extend_schema(description=_("Responsible units (departments, townships, enterprises).")))
class UnitViewSet(RegistryViewSet):
    """Responsible units; the bureau keeps them."""

    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet


@extend_schema_view(list=extend_schema(description=_("County leaders to whom projects are linked.")))
class LeaderViewSet(RegistryViewSet):
    """County leaders to whom projects are linked; the bureau keeps them."""

    queryset = Leader.objects.all()
    serializer_class = LeaderSerializer
    filterset_class = LeaderFilterSet


@extend_schema_view(
    list=extend_schema(description=_("Key projects; `year` and `pipeline` select a year's list.")),
    destroy=extend_schema(description=_("Refused (400) for a project with monthly figures: archive it instead.")),
)
class ProjectViewSet(HistoryMixin, RegistryViewSet):
    """Key projects; the bureau keeps them, deleting only those without monthly figures."""

    queryset = Project.objects.select_related("unit", "leader")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet


@extend_schema_view(
    create=extend_schema(description=_("A second plan for the same project and year is refused, naming its `id`.")),
)
class AnnualPlanViewSet(HistoryMixin, RegistryViewSet):
    """Annual plans: a project's pipeline and planned investment for a year; the bureau keeps them."""

    queryset = AnnualPlan.objects.select_related("project__unit")
    serializer_class = AnnualPlanSerializer
    filterset_class = AnnualPlanFilterSet


@extend_schema_view(
    create=extend_schema(
        description=_(
            "A second figure for the same project, year and month is refused, naming its `id`; "
            "change it with PATCH. Staff write only their unit's projects in open months."
        )
    ),
)
class MonthlyActualViewSet(HistoryMixin, RegistryViewSet):
    """Monthly actuals: staff write their unit's projects in open months, the bureau any month."""

    queryset = MonthlyActual.objects.select_related("project__unit")
    serializer_class = MonthlyActualSerializer
    filterset_class = MonthlyActualFilterSet


@extend_schema_view(list=extend_schema(description=_("Bottlenecks (卡点); `open=true` for unresolved ones.")))
class BottleneckViewSet(HistoryMixin, RegistryViewSet):
    """Bottlenecks (卡点): staff raise and update them for their unit's projects, the bureau for any."""

    queryset = Bottleneck.objects.select_related("project", "unit")
    serializer_class = BottleneckSerializer
    filterset_class = BottleneckFilterSet


@extend_schema_view(
    list=extend_schema(description=_("Reporting months; a month without a row is open. The bureau locks a month."))
)
class ReportingPeriodViewSet(RegistryViewSet):
    """Reporting months: the bureau opens and locks them; a month without a row is open."""

    queryset = ReportingPeriod.objects.all()
    serializer_class = ReportingPeriodSerializer
    filterset_class = ReportingPeriodFilterSet


class TokenView(APIView):
    """`POST username, password` → `{"token", "expiry"}`; send the token as `Authorization: Token ...`.

    Each call issues a new token (django-rest-knox: only its hash is stored), valid for
    settings.REST_KNOX["TOKEN_TTL"] (30 days unless API_TOKEN_DAYS says otherwise). Failed
    attempts count towards the login lockout (django-axes) and the endpoint has its own throttle.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer}, auth=[], summary=_("Get a token"))
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # The user's expired tokens go as a new one comes, so scripts that log in every run leave no heap.
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        instance, token = AuthToken.objects.create(user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(KnoxLogoutView):
    """`POST` with `Authorization: Token ...`: revoke the token the request was made with (204)."""

    @extend_schema(request=None, responses={204: None}, summary=_("Revoke this token"))
    def post(self, request, format=None):
        return super().post(request, format)


class NotFoundView(APIView):
    """Any other path under /api/: a JSON 404 (after authentication, like every API answer)."""

    schema = None
    permission_classes = [IsAuthenticated]

    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get
