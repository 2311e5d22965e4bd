"""The import endpoints, mounted at /api/import/ (before any generic /api/ include)."""

from django.urls import path

from .api import ActualsImportView, AnnualListImportView

urlpatterns = [
    path("actuals/", ActualsImportView.as_view(), name="api-import-actuals"),
    path("annual-list/", AnnualListImportView.as_view(), name="api-import-annual-list"),
]
