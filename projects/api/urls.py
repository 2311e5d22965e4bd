"""Routes of the REST API, mounted at /api/ (SPEC section 6)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from projects.reports.milestones import MilestonesImportView

from . import bottlenecks, nodeplans, views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("units", views.UnitViewSet, basename="unit")
router.register("leaders", views.LeaderViewSet, basename="leader")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("plans", views.AnnualPlanViewSet, basename="plan")
router.register("actuals", views.MonthlyActualViewSet, basename="actual")
router.register("bottlenecks", views.BottleneckViewSet, basename="bottleneck")
router.register("periods", views.ReportingPeriodViewSet, basename="period")
router.register("milestones", nodeplans.MilestoneViewSet, basename="milestone")
router.register("prephase-items", nodeplans.PrephaseItemViewSet, basename="prephase-item")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    # A person opens the docs in a browser: without a session, send them to the login page.
    path(
        "docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[IsAuthenticated])),
        name="docs",
    ),
    # /api/progress/ is routed in projectreg/urls.py, above this include.
    # /api/import/actuals/ goes here (the Excel import), above the catch-all below.
    path("bottlenecks/<int:pk>/updates/", bottlenecks.BottleneckUpdateList.as_view(), name="bottleneck-updates"),
    path(
        "bottlenecks/<int:pk>/instructions/",
        bottlenecks.BottleneckInstructionList.as_view(),
        name="bottleneck-instructions",
    ),
    # The milestone import (SPEC section 10), beside the other imports under /api/import/.
    path("import/milestones/", MilestonesImportView.as_view(), name="api-import-milestones"),
    path("", include(router.urls)),
    # Keep last: any other path under /api/ answers a JSON 404 instead of an HTML page.
    re_path(r"^[\s\S]*/$", views.NotFoundView.as_view()),
]
