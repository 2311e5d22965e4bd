"""The registry's data (SPEC section 3): the registry itself, and the monthly reporting ledger."""

from .problems import BottleneckInstruction, BottleneckUpdate, Reminder
from .registry import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_MESSAGE,
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
    "REPORTED_STATES",
    "AnnualPlan",
    "Bottleneck",
    "BottleneckInstruction",
    "BottleneckUpdate",
    "DataVersion",
    "FigureChange",
    "Leader",
    "MonthlyActual",
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
