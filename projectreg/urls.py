"""URL map: pages, the REST API under /api/, Excel under /reports/, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from projects.api.progress import ProgressView

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Before the API's include: its last route answers a JSON 404 for any other /api/ path.
    path("api/import/", include("projects.reports.api_urls")),
    path("api/progress/", ProgressView.as_view(), name="api-progress"),
    path("api/", include("projects.api.urls")),
    path("reports/", include("projects.reports.urls")),
    path("", include("projects.urls")),
]

# Chinese pages inside the site frame, or {"detail"} under /api/ (projectreg/errors.py).
handler400 = "projectreg.errors.bad_request"
handler403 = "projectreg.errors.permission_denied"
handler404 = "projectreg.errors.page_not_found"
handler500 = "projectreg.errors.server_error"
