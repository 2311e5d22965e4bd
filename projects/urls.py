from django.urls import include, path

from .reports.milestones import milestones_template_xlsx
from .views import dashboard as views_dashboard
from .views import home as views
from .views import nodeplans as views_nodeplans
from .views import project as views_project
from .views import wallchart as views_wallchart

breakdown = views_dashboard.BreakdownView.as_view()

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("overview/", views_dashboard.OverviewView.as_view(), name="overview"),
    path("ranking/units/", views_dashboard.RankingView.as_view(), name="ranking-units"),
    path("leaders/", views_dashboard.LeadersView.as_view(), name="leaders"),
    path("leaders/<int:pk>/", views_dashboard.LeaderDetailView.as_view(), name="leader-detail"),
    path("breakdown/sector/", breakdown, {"dimension": "sector"}, name="breakdown-sector"),
    path("breakdown/industry/", breakdown, {"dimension": "industry"}, name="breakdown-industry"),
    path("lists/warning/", views_dashboard.WarningListView.as_view(), name="list-warning"),
    path("lists/not-started/", views_dashboard.NotStartedView.as_view(), name="list-not-started"),
    path("lists/bottlenecks/", views_dashboard.BottleneckListView.as_view(), name="list-bottlenecks"),
    path("projects/", views_dashboard.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:pk>/", views_project.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:pk>/nodes/", views_nodeplans.ProjectNodesView.as_view(), name="project-nodes"),
    path("lists/prephase/", views_nodeplans.PrephaseListView.as_view(), name="list-prephase"),
    path("reports/milestones-template.xlsx", milestones_template_xlsx, name="milestones-template"),
    path("wallchart/", views_wallchart.WallChartView.as_view(), name="wallchart"),
    path("wallchart/unit/<int:pk>/", views_wallchart.WallChartView.as_view(scope="unit"), name="wallchart-unit"),
    path("wallchart/leader/<int:pk>/", views_wallchart.WallChartView.as_view(scope="leader"), name="wallchart-leader"),
    path("", include("projects.urls_reporting")),
]
