"""URL map: pages, the REST API under /api/, Excel under /reports/, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from projects.api.progress import ProgressView

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/progress/", ProgressView.as_view(), name="api-progress"),
    path("", include("projects.urls")),
]
