"""Monthly reporting and bottleneck pages (included from projects/urls.py at the site root)."""

from django.urls import path

from .views import bottlenecks as views_bottlenecks
from .views import problems as views_problems
from .views import reminders as views_reminders
from .views import reporting as views_reporting

app_name = "reporting"

urlpatterns = [
    path("reporting/entry/", views_reporting.entry, name="entry"),
    path("reporting/status/", views_reporting.status, name="status"),
    path("reporting/submissions/<int:pk>/review/", views_reporting.review, name="review"),
    path("reporting/periods/", views_reporting.periods, name="periods"),
    path("reporting/periods/<int:pk>/", views_reporting.period_change, name="period_change"),
    path("reporting/reminders/", views_reminders.reminders_page, name="reminders"),
    path("reporting/reminders/send/", views_reminders.reminders_send_view, name="reminders_send"),
    path("bottlenecks/", views_bottlenecks.bottleneck_index, name="bottlenecks"),
    path("bottlenecks/new/", views_bottlenecks.bottleneck_new, name="bottleneck_new"),
    path("bottlenecks/<int:pk>/resolve/", views_bottlenecks.bottleneck_close, name="bottleneck_resolve"),
    path("bottlenecks/<int:pk>/", views_problems.problem_page, name="problem"),
    path("bottlenecks/<int:pk>/notes/", views_problems.problem_note, name="problem_note"),
    path("bottlenecks/<int:pk>/instructions/", views_problems.problem_instruction, name="problem_instruction"),
    path("bottlenecks/<int:pk>/handling/", views_problems.problem_handling, name="problem_handling"),
    path("bottlenecks/by/<str:by>/", views_problems.problem_groups_page, name="problem_groups"),
]
