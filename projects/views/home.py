"""Pages. Views stay thin: figures come from selectors, writes go through services."""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from ..periods import reporting_month
from ..roles import is_bureau, is_leader, is_staff, own_leader_id, own_unit_id
from ..selectors.bottlenecks import instructions_for_unit, overdue_for_unit, problems_for_leader
from ..selectors.nodeplans import overdue_milestones_for
from ..selectors.progress import progress_report
from ..selectors.reminders import pending_reminders
from ..selectors.reporting import submission_ledger
from .common import DashboardView
from .dashboard import TABLE_SORTS, overview_data
from .pagination import paged_rows

HOME_PAGE_SIZE = 20  # the first rows of one's own projects; the pager and sort links page through the rest


class HomeView(DashboardView):
    """The landing page of each role: leaders their linked projects first, staff their unit, the bureau all."""

    template_name = "projects/home.html"
    page_title = gettext_lazy("Home")

    def get_data(self, *, year, month, filters, ctx):
        user = self.request.user
        unit_id, leader_id = own_unit_id(user), own_leader_id(user)
        data = {**problem_panels(user), **milestone_panel(user)}
        if leader_id:
            own = {**filters, "leader": leader_id}
            page = self.own_page(ctx, year=year, month=month, filters=own)
            data["mine"] = {"totals": progress_report(year=year, month=month, filters=own).totals, **page}
            data["mine_qs"] = f"{ctx['page_qs']}&leader={leader_id}"
        if is_bureau(user) or is_staff(user):
            # The month being reported and each unit's state, as the reporting pages define them.
            report_year, report_month = reporting_month()
            ledger, summary = submission_ledger(year=report_year, month=report_month)
            reporting = {"year": report_year, "month": report_month, "summary": summary}
            if is_bureau(user):
                reporting["missing"] = [row for row in ledger if not row.reported]
                data["reporting"] = reporting
            elif unit_id:
                own = {**filters, "unit": unit_id}
                report = progress_report(year=year, month=month, filters=own)
                reporting["mine"] = next((row for row in ledger if row.unit.pk == unit_id), None)
                data.update(
                    {
                        "report": report,
                        "unit_qs": f"{ctx['page_qs']}&unit={unit_id}",
                        "reporting": reporting,
                        "unit": {
                            "unit": user.unit,
                            "totals": report.totals,
                            **self.own_page(ctx, year=year, month=month, filters=own),
                        },
                    }
                )
        if is_bureau(user) or is_leader(user):
            data.update(overview_data(year=year, month=month, filters=filters))
        return data

    def own_page(self, ctx, *, year, month, filters) -> dict:
        """One page of the user's own projects (rows, pager, totals), not every row of them."""
        return paged_rows(
            self, ctx, year=year, month=month, filters=filters, sorts=TABLE_SORTS, default_sort="code",
            default_page_size=HOME_PAGE_SIZE,
        )  # fmt: skip


def problem_panels(user) -> dict:
    """The home page's problem-loop parts: a leader's own problems (overdue first), and for staff the
    reminders their unit has not yet answered and its overdue problems. Constant queries."""
    today = timezone.localdate()
    if leader_id := own_leader_id(user):
        return {"my_problems": problems_for_leader(leader_id, today)}
    if unit_id := own_unit_id(user):
        return {
            "reminders": pending_reminders(unit_id),
            "overdue_problems": overdue_for_unit(unit_id, today),
            "instructions": instructions_for_unit(unit_id),
        }
    return {}


def milestone_panel(user) -> dict:
    """The home page's overdue milestones (SPEC section 12): for staff their unit's projects', for a
    leader with a linked leader record their linked projects'. Two queries."""
    today = timezone.localdate()
    if leader_id := own_leader_id(user):
        rows, total = overdue_milestones_for(leader_id=leader_id, day=today)
    elif unit_id := own_unit_id(user):
        rows, total = overdue_milestones_for(unit_id=unit_id, day=today)
    else:
        return {}
    return {"overdue_milestones": {"rows": rows, "total": total}}


home = HomeView.as_view()


@never_cache
def healthz(request):
    """For a load balancer: 200 when the database answers, 503 otherwise. Reveals nothing else.

    On PostgreSQL each probe opens its own connection, so a hung server shows as 503 after the
    connect timeout (DB_CONNECT_TIMEOUT) instead of a probe waiting on a pooled connection.
    """
    probe = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else connection
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "unavailable"}, status=503)
    finally:
        if probe is not connection:
            probe.close()
    return JsonResponse({"status": "ok"})
