"""Monthly reporting and bottleneck pages (included from projects/urls.py at the site root)."""

from django.urls import path

from .views import bottlenecks as views_bottlenecks
from .views import reporting as views_reporting

app_name = "reporting"

urlpatterns = [
    path("reporting/entry/", views_reporting.entry, name="entry"),
    path("reporting/status/", views_reporting.status, name="status"),
    path("reporting/submissions/<int:pk>/review/", views_reporting.review, name="review"),
    path("reporting/periods/", views_reporting.periods, name="periods"),
    path("reporting/periods/<int:pk>/", views_reporting.period_change, name="period_change"),
    path("bottlenecks/", views_bottlenecks.bottleneck_index, name="bottlenecks"),
    path("bottlenecks/new/", views_bottlenecks.bottleneck_new, name="bottleneck_new"),
    path("bottlenecks/<int:pk>/resolve/", views_bottlenecks.bottleneck_close, name="bottleneck_resolve"),
]
