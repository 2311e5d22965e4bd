"""Excel pages and downloads, mounted at /reports/."""

from django.urls import path

from . import bulletin, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("progress.xlsx", views.progress_xlsx, name="progress-xlsx"),
    path("actuals-template.xlsx", views.actuals_template_xlsx, name="actuals-template"),
    path("annual-list-template.xlsx", views.annual_list_template_xlsx, name="annual-list-template"),
    path("import/actuals/", views.import_actuals_page, name="import-actuals"),
    path("import/annual-list/", views.import_annual_list_page, name="import-annual-list"),
    path("bulletin.docx", bulletin.bulletin_docx_view, name="bulletin-docx"),
    path("bulletin/", bulletin.bulletin_preview, name="bulletin"),
]
