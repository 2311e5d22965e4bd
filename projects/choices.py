"""Codes of SPEC section 2; the codes are the API contract, the labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The three roles; each is a Django group named by its code."""

    DRC = "drc", _("Development and reform bureau")
    STAFF = "staff", _("Unit staff")
    LEADER = "leader", _("County leader")


class Pipeline(models.TextChoices):
    """Which list a project is on in a year (a property of the annual plan)."""

    CONTINUING = "continuing", _("Continuing")
    NEW = "new", _("New-build")
    PLANNED = "planned", _("Planned")


class Stage(models.TextChoices):
    """Where the project stands physically."""

    PREPHASE = "prephase", _("Pre-phase")
    READY = "ready", _("Ready to start")
    CONSTRUCTION = "construction", _("Under construction")
    COMPLETED = "completed", _("Completed")


class Industry(models.TextChoices):
    """Industry tier."""

    PRIMARY = "primary", _("Primary industry")
    SECONDARY = "secondary", _("Secondary industry")
    TERTIARY = "tertiary", _("Tertiary industry")


class Sector(models.TextChoices):
    """Sector of the investment."""

    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water")
    ENERGY = "energy", _("Energy")
    URBAN = "urban", _("Urban construction")
    INDUSTRY = "industry", _("Industry")
    AGRICULTURE = "agriculture", _("Agriculture")
    SOCIAL = "social", _("Social programmes")
    ECOLOGY = "ecology", _("Ecology and environment")
    OTHER = "other", _("Other")


class UnitKind(models.TextChoices):
    """Kind of responsible unit."""

    DEPARTMENT = "department", _("Department")
    TOWNSHIP = "township", _("Township")
    ENTERPRISE = "enterprise", _("Enterprise")


class Level(models.TextChoices):
    """Whose key project it is."""

    COUNTY = "county", _("County key project")
    CITY = "city", _("City key project")
    PROVINCE = "province", _("Province key project")


class BottleneckCategory(models.TextChoices):
    """Kinds of problems that hold a project up."""

    LAND_ACQUISITION = "land_acquisition", _("Land acquisition")
    FUNDING = "funding", _("Funding")
    LAND_QUOTA = "land_quota", _("Land quota")
    APPROVALS = "approvals", _("Approvals")
    OTHER = "other", _("Other")


class ProblemLevel(models.TextChoices):
    """Where a problem is being handled: escalated from the unit to a leader to a special meeting."""

    UNIT = "unit", _("Unit")
    LEADER = "leader", _("County leader")
    MEETING = "meeting", _("Special coordination meeting")


class Status(models.TextChoices):
    """Status of a project or group by its gap against the time-elapsed schedule."""

    AHEAD = "ahead", _("Ahead")
    NORMAL = "normal", _("Normal")
    WARNING = "warning", _("Warning")
    LAGGING = "lagging", _("Lagging")


class ScheduleBasis(models.TextChoices):
    """How the time-elapsed schedule is measured."""

    MONTHS = "months", _("Months elapsed (M / 12)")
    DAYS = "days", _("Days elapsed to month end")
    PLAN = "plan", _("Each project's own monthly plan (M / 12 without one)")


class PrephaseKind(models.TextChoices):
    """The pre-phase approvals (前期手续) of SPEC section 10, in the order they are usually obtained."""

    PROPOSAL = "proposal", _("Project proposal / approval")
    FEASIBILITY = "feasibility", _("Feasibility study")
    LAND = "land", _("Land pre-review and site selection")
    PLANNING = "planning", _("Planning permit")
    ENVIRONMENT = "environment", _("Environmental impact assessment")
    ENERGY = "energy", _("Energy-saving review")
    DESIGN = "design", _("Preliminary design")
    PERMIT = "permit", _("Construction permit")
