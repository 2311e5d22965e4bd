"""The registry's data (SPEC section 3): the registry itself, and the monthly reporting ledger."""

from .nodeplans import Milestone, PrephaseItem
from .problems import BottleneckInstruction, BottleneckUpdate, Reminder
from .registry import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_MESSAGE,
    MONTHLY_PLAN_FIELDS,
    NEGATIVE_MESSAGE,
    YEAR_MESSAGE,
    ZERO,
    AnnualPlan,
    Bottleneck,
    DataVersion,
    Leader,
    MonthlyActual,
    ProgressSettings,
    Project,
    PublishedReport,
    ReportingPeriod,
    Unit,
    User,
)
from .reporting import REPORTED_STATES, FigureChange, SubmissionStatus, UnitSubmission
from .sums import ProjectSums

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTH_MESSAGE",
    "NEGATIVE_MESSAGE",
    "YEAR_MESSAGE",
    "ZERO",
    "MONTHLY_PLAN_FIELDS",
    "REPORTED_STATES",
    "AnnualPlan",
    "Bottleneck",
    "BottleneckInstruction",
    "BottleneckUpdate",
    "DataVersion",
    "FigureChange",
    "Leader",
    "Milestone",
    "MonthlyActual",
    "PrephaseItem",
    "ProgressSettings",
    "Project",
    "ProjectSums",
    "PublishedReport",
    "Reminder",
    "ReportingPeriod",
    "SubmissionStatus",
    "Unit",
    "UnitSubmission",
    "User",
]
