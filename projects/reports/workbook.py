"""`progress.xlsx`: the bureau's monthly report workbook (SPEC section 7).

Four sheets: the progress table by pipeline (grand total, pipeline subtotals, projects), the unit
ranking, the leader-linked projects and the warning and lagging projects. Every figure comes
from the progress engine (projects.selectors); this module only lays the figures out. Rates go
into number cells rounded as the pages show them (one decimal, `display_rate`) with a percent
format; amounts are exact Decimals in 万元 with `#,##0.00`.
"""

from decimal import Decimal
from itertools import groupby
from operator import attrgetter, itemgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from ..choices import Pipeline, Status
from ..models import ProgressSettings, Project
from ..selectors.metrics import display_rate
from ..selectors.progress import progress_report
from ..selectors.ranking import order_leaders, rank_units
from ..selectors.rows import iter_project_rows
from .spool import Spool
from .xlsx import CENTER, INT, MONEY, PERCENT, POINTS, WRAP, CellRecorder, Column, SheetWriter, new_workbook

NUMERALS = "一二三四五六七八九十"
HEADER_CAP = 8  # a header widens its column to 4 Chinese characters at most; a longer one wraps (2 lines)
CHUNK = 2000  # project rows fitted at a time

# Column key → (header, kind, width options). Chinese headers in the default language: 序号, 项目名称,
# 责任单位, 联系县领导, 总投资, 年度计划, 本月完成, 1—M月累计完成, 完成率, 序时进度, 进度差, 同比, 状态,
# 节点完成率, 逾期节点, 形象进度, 存在问题. Text columns wrap within narrow caps, and the narrative columns
# fit their values (an empty one stays as narrow as its header), so a sheet prints legibly one A4 page wide.
COLUMNS = {
    "no": (pgettext_lazy("excel", "No."), CENTER, {}),
    "rank": (pgettext_lazy("excel", "Rank"), CENTER, {}),
    "name": (pgettext_lazy("excel", "Project name"), WRAP, {"max_width": 20}),
    "unit": (pgettext_lazy("excel", "Responsible unit"), WRAP, {"max_width": 14}),
    "leader": (pgettext_lazy("excel", "Linked county leader"), WRAP, {"max_width": 12}),
    "pipeline": (pgettext_lazy("excel", "Pipeline"), CENTER, {}),
    "projects": (pgettext_lazy("excel", "Projects"), INT, {}),
    "total_investment": (pgettext_lazy("excel", "Total investment"), MONEY, {}),
    "plan": (pgettext_lazy("excel", "Annual plan"), MONEY, {}),
    "month": (pgettext_lazy("excel", "This month"), MONEY, {}),
    "ytd": (None, MONEY, {}),  # 1—M月累计完成, with the real M
    "rate": (pgettext_lazy("excel", "Completion rate"), PERCENT, {}),
    "schedule": (pgettext_lazy("excel", "Time-elapsed schedule"), PERCENT, {}),
    "gap": (pgettext_lazy("excel", "Gap"), POINTS, {}),
    "yoy": (pgettext_lazy("excel", "Year on year"), POINTS, {}),
    "status": (pgettext_lazy("excel", "Status"), CENTER, {}),
    "node_rate": (pgettext_lazy("excel", "Node completion rate"), PERCENT, {}),
    "overdue": (pgettext_lazy("excel", "Overdue nodes"), INT, {}),
    "progress": (pgettext_lazy("excel", "Physical progress"), WRAP, {"max_width": 20}),
    "problems": (pgettext_lazy("excel", "Problems"), WRAP, {"max_width": 16}),
}
# Status fills: light enough to print in black and white with the status text kept legible.
STATUS_FILLS = {Status.AHEAD: "#C6EFCE", Status.WARNING: "#FFEB9C", Status.LAGGING: "#FFC7CE"}
PROGRESS_KEYS = (
    "no", "name", "unit", "leader", "total_investment", "plan", "month", "ytd", "rate", "schedule", "gap", "yoy",
    "status", "node_rate", "overdue", "progress", "problems",
)  # fmt: skip
RANKING_KEYS = (
    "rank", "unit", "projects", "plan", "month", "ytd", "rate", "gap", "yoy", "status", "node_rate", "overdue",
)  # fmt: skip
LEADER_KEYS = (
    "no", "leader", "name", "unit", "total_investment", "plan", "ytd", "rate", "gap", "status", "node_rate", "overdue",
    "progress",
)  # fmt: skip
BEHIND_KEYS = (
    "no", "name", "unit", "leader", "pipeline", "plan", "ytd", "rate", "schedule", "gap", "status", "progress",
    "problems",
)  # fmt: skip


def rate_value(value) -> Decimal | None:
    """A rate in percent as the fraction a percent-formatted cell holds, rounded as pages show it."""
    shown = display_rate(value)
    return None if shown is None else Decimal(str(shown)) / 100


def points_value(value) -> Decimal | None:
    """Points (a gap) rounded to one decimal as pages show them."""
    shown = display_rate(value)
    return None if shown is None else Decimal(str(shown))


def status_label(status: str | None) -> str:
    return str(Status(status).label) if status else ""


def cumulative_header(month: int) -> str:
    """1—M月累计完成 with the real month."""
    return _("Jan–%(month)s cumulative") % {"month": month}


def write_numbered(sheet, rows, no: int, prefix: str = "", start: int = 1) -> int:
    """Write rows of cell values, numbering them `start`, `start` + 1, … (or `prefix``start`, …) in the
    column `no`; returns the last number written (`start` − 1 for no rows)."""
    n = start - 1
    for n, values in enumerate(rows, start=start):
        values[no] = f"{prefix}{n}" if prefix else n
        sheet.row(values)
    return n


class ProgressWorkbook:
    """Collects the engine's figures for a year, month and project filters, then writes the sheets."""

    def __init__(
        self, *, year: int, month: int, filters: dict | None = None, scope: str = "", min_plan=None, kind: str = ""
    ):
        self.year, self.month = year, month
        self.filters = dict(filters or {})
        self.scope = scope
        self.kind = kind  # the ranking's unit kind, as on the ranking page
        settings_row = ProgressSettings.load()
        self.county = settings_row.county_name
        self.min_plan = settings_row.min_ranking_plan if min_plan is None else min_plan
        self.by_pipeline = progress_report(year=year, month=month, filters=self.filters, group_by="pipeline")
        self.by_unit = progress_report(year=year, month=month, filters=self.filters, group_by="unit")
        linked = {**self.filters, "project_ids": Project.objects.filter(leader__isnull=False).values("pk")}
        self.by_leader = progress_report(year=year, month=month, filters=linked, group_by="leader")
        self.schedule = rate_value(self.by_pipeline.exact_schedule)
        self.status_labels = {s.value: str(s.label) for s in Status}  # translated once, not once a row
        self.pipeline_labels = {p.value: str(p.label) for p in Pipeline}
        self.status_fills = {self.status_labels[s.value]: colour for s, colour in STATUS_FILLS.items()}
        self.issued = timezone.localdate()

    # --- cells ------------------------------------------------------------------------------------

    def columns(self, keys) -> list[Column]:
        out = []
        for key in keys:
            header, kind, options = COLUMNS[key]
            if key == "status":
                options = {**options, "fills": self.status_fills}
            out.append(Column(cumulative_header(self.month) if key == "ytd" else str(header), kind, **options))
        return out

    def project_cells(self) -> dict:
        """Column key → the function giving a project's cell (a `ProjectRow` from the engine); "no" is the caller's."""
        status, pipeline, schedule = self.status_labels, self.pipeline_labels, self.schedule
        return {
            "name": attrgetter("name"),
            "unit": attrgetter("unit_name"),
            "leader": attrgetter("leader_name"),
            "pipeline": lambda r: pipeline[r.pipeline],
            "total_investment": attrgetter("total_investment"),
            "plan": attrgetter("plan"),
            "month": attrgetter("month_actual"),
            "ytd": attrgetter("actual_to_date"),
            "rate": lambda r: rate_value(r.exact_rate),
            "schedule": lambda r: schedule,
            "gap": lambda r: points_value(r.exact_gap),
            "status": lambda r: status.get(r.status, ""),
            "node_rate": lambda r: rate_value(r.node_rate),
            "overdue": attrgetter("overdue_milestones"),
            "progress": attrgetter("progress"),
            "problems": attrgetter("problems"),
        }

    def project_values(self, r, cells: list) -> list:
        """A project's cells (`r` a `ProjectRow` from the engine) for the columns `cells`; "no" left empty."""
        return [cell(r) if cell is not None else None for cell in cells]

    @staticmethod
    def fit_chunk(sheet, keys, chunk: list[list]) -> None:
        """Grow the sheet's project columns (all but "no") to fit a chunk of rows, column by column."""
        for i, key in enumerate(keys):
            if key != "no":
                sheet.fit_column(i, (values[i] for values in chunk))

    def figure_values(self, f, keys, **given) -> list:
        """A group's or total's cells for the columns `keys` (`Figures` from the engine)."""
        values = {
            "projects": f.projects, "total_investment": f.total_investment, "plan": f.annual_plan,
            "month": f.month_actual, "ytd": f.actual_to_date, "rate": rate_value(f.exact_rate),
            "schedule": self.schedule, "gap": points_value(f.exact_gap), "yoy": points_value(f.yoy_points),
            "status": status_label(f.status), "node_rate": rate_value(f.node_rate),
            "overdue": f.overdue_milestones, **given,
        }  # fmt: skip
        return [values.get(k) for k in keys]

    def titles(self, heading: str, extra: str = "") -> list[str]:
        """Title rows: county, year and what the sheet is; then the period, schedule, unit and filters."""
        line = _("Period: %(year)s, Jan–%(month)s    Time-elapsed schedule: %(schedule)s%%    Amounts in 10k yuan") % {
            "year": self.year,
            "month": self.month,
            "schedule": display_rate(self.by_pipeline.exact_schedule),
        }
        title = _("%(county)s %(year)s key projects: %(heading)s") % {
            "county": self.county,
            "year": self.year,
            "heading": heading,
        }
        issued = _("Issued by: %(unit)s    Date of issue: %(date)s") % {
            "unit": self.issuing_unit,
            "date": _("%(year)s-%(month)s-%(day)s") % {"year": self.issued.year, "month": self.issued.month,
                                                        "day": self.issued.day},
        }  # fmt: skip
        return [title, "    ".join(p for p in (line, extra, self.scope) if p), issued]

    @property
    def issuing_unit(self) -> str:
        """The county's development and reform bureau, which issues the report (县发展和改革局)."""
        return _("%(county)s Development and Reform Bureau") % {"county": self.county}

    @staticmethod
    def counts(counts: dict) -> str:
        return _("Ahead %(ahead)s, normal %(normal)s, warning %(warning)s, lagging %(lagging)s") % counts

    @staticmethod
    def write(sheet: SheetWriter, lines: list[tuple[list | str, bool]]) -> None:
        """Fit the widths to every line, then stream them; a plain string is a note across the sheet."""
        for values, _total in lines:
            if not isinstance(values, str):
                sheet.fit(values)
        sheet.begin()
        for values, total in lines:
            if isinstance(values, str):
                sheet.note(values)
            else:
                sheet.row(values, total=total)

    # --- sheets -----------------------------------------------------------------------------------

    def progress_sheet(self, sheet, leader) -> Spool:
        """序号 … 存在问题 for every project, by pipeline with subtotals, the grand total first.

        One pass over the engine's project rows, ordered by pipeline: each chunk of rows fits the
        sheet's columns and is written at once; the leader-linked rows wait in a spool, by leader,
        for the leader sheet (whose columns they fit on the way).
        """
        keys = PROGRESS_KEYS
        totals = self.by_pipeline.totals
        total = self.figure_values(totals, keys, name=_("Total (%(n)s projects)") % {"n": totals.projects})
        subtotals = {}
        for i, group in enumerate(self.by_pipeline.groups):
            name = _("%(pipeline)s projects (%(n)s)") % {"pipeline": group.label, "n": group.projects}
            subtotals[group.key] = self.figure_values(group, keys, no=NUMERALS[i % 10], name=name)
        for values in (total, *subtotals.values()):
            sheet.fit(values)
        no = keys.index("no")
        sheet.begin()
        sheet.row(total, total=True)
        pending = list(subtotals)  # the pipelines whose subtotal row is still to come, in the sheet's order
        numbers = {}  # pipeline → its projects' count so far (they are numbered within their pipeline)
        cells = self.project_cells()
        progress_cells = [cells.get(k) for k in keys]
        leader_index = [keys.index(k) for k in LEADER_KEYS]
        spool = Spool()
        chunk, linked = [], []

        def write():
            self.fit_chunk(sheet, keys, [values for _pipeline, values in chunk])
            self.fit_chunk(leader, LEADER_KEYS, linked)
            for pipeline, run in groupby(chunk, key=itemgetter(0)):
                if pipeline not in numbers:
                    # The subtotals up to this pipeline's (those of pipelines without projects too).
                    while pending:
                        key = pending.pop(0)
                        sheet.row(subtotals[key], total=True)
                        if key == pipeline:
                            break
                    numbers[pipeline] = 0
                values = (values for _pipeline, values in run)
                numbers[pipeline] = write_numbered(sheet, values, no, start=numbers[pipeline] + 1)
            chunk.clear()
            linked.clear()

        rows = iter_project_rows(year=self.year, month=self.month, filters=self.filters, order="pipeline")
        for r in rows:
            values = self.project_values(r, progress_cells)
            chunk.append((r.pipeline, values))
            if r.leader_id is not None:
                leader_values = [values[i] for i in leader_index]
                linked.append(leader_values)
                spool.add(leader_values, r.leader_id)
            if len(chunk) == CHUNK:
                write()
        write()
        for pipeline in pending:
            sheet.row(subtotals[pipeline], total=True)
        sheet.fit_column(no, numbers.values())
        return spool

    def unit_columns(self) -> list[Column]:
        return [*self.columns(RANKING_KEYS), *(Column(str(s.label), INT) for s in Status)]

    def unit_sheet(self, sheet) -> None:
        """Units ranked by completion rate; units under the minimum plan (or with none) listed unranked."""
        keys = (*RANKING_KEYS, *(s.value for s in Status))

        def values(f, **given):
            return self.figure_values(f, keys, **given, **f.status_counts)

        ranked, others = rank_units(self.by_unit, min_plan=self.min_plan, kind=self.kind)
        lines = [(values(r.figures, rank=r.rank, unit=r.figures.label), False) for r in ranked]
        if others:
            note = _("Units with an annual plan under %(min)s (10k yuan) or none: not ranked")
            lines.append((note % {"min": f"{self.min_plan:,.2f}"}, True))
            lines.extend((values(r.figures, unit=r.figures.label), False) for r in others)
        lines.append((values(self.by_unit.totals, unit=_("Total")), True))
        self.write(sheet, lines)

    def leader_sheet(self, sheet, spool: Spool) -> None:
        """Each county leader's linked projects with the leader's subtotal; all linked projects first.

        The projects come from the spool the progress sheet filled (their columns already fitted).
        """
        keys = LEADER_KEYS
        totals = self.by_leader.totals
        total_name = _("Total (%(n)s projects)") % {"n": totals.projects}
        total = self.figure_values(totals, keys, leader=_("All linked projects"), name=total_name)
        subtotals = []
        for i, r in enumerate(order_leaders(self.by_leader, linked_only=True), start=1):
            g = r.figures
            name = _("Subtotal (%(n)s projects)") % {"n": g.projects}
            values = self.figure_values(g, keys, no=i, leader=r.leader_label, name=name)
            subtotals.append((i, values, g.key))
        for values in (total, *(values for _i, values, _group in subtotals)):
            sheet.fit(values)
        no = keys.index("no")
        sheet.fit_column(no, [f"{i}.{spool.count(group)}" for i, _values, group in subtotals if spool.count(group)])
        sheet.begin()
        sheet.row(total, total=True)
        for i, values, group in subtotals:
            sheet.row(values, total=True)
            write_numbered(sheet, spool.rows(group), no, prefix=f"{i}.")

    def behind_sheet(self, sheet) -> None:
        """Lagging then warning projects, the furthest behind schedule first (chosen and ordered in SQL),
        each chunk of rows fitting the columns and written at once."""
        keys = BEHIND_KEYS
        cells = self.project_cells()
        behind_cells = [cells.get(k) for k in keys]
        statuses = (Status.LAGGING.value, Status.WARNING.value)
        no = keys.index("no")
        count, chunk = 0, []

        def write():
            nonlocal count
            self.fit_chunk(sheet, keys, chunk)
            count = write_numbered(sheet, chunk, no, start=count + 1)
            chunk.clear()

        rows = iter_project_rows(
            year=self.year, month=self.month, filters=self.filters, statuses=statuses, order="behind"
        )
        for r in rows:
            chunk.append(self.project_values(r, behind_cells))
            if len(chunk) == CHUNK:
                write()
        write()
        if not count:
            self.write(sheet, [(_("No project is behind schedule."), False)])
            return
        sheet.fit_column(no, [count])

    def write_sheets(self, new_sheet) -> None:
        """Lay out the four sheets; `new_sheet(title, columns, titles=, freeze_cols=)` makes each writer.

        The sheets are made first, in their order, so the one pass over the projects that writes the
        progress sheet can also fit the leader sheet and keep its rows.
        """
        counts = self.by_pipeline.totals.status_counts
        linked_counts = self.counts(self.by_leader.totals.status_counts)
        behind_counts = _("Lagging %(lagging)s, warning %(warning)s") % counts
        progress = new_sheet(
            pgettext("excel", "Progress"),
            self.columns(PROGRESS_KEYS),
            titles=self.titles(_("progress by pipeline"), self.counts(counts)),
            freeze_cols=2,
        )
        unit = new_sheet(
            pgettext("excel", "Unit ranking"),
            self.unit_columns(),
            titles=self.titles(_("unit ranking")),
            freeze_cols=2,
        )
        leader = new_sheet(
            _("Leader-linked projects"),
            self.columns(LEADER_KEYS),
            titles=self.titles(_("projects linked to county leaders"), linked_counts),
            freeze_cols=3,
        )
        behind = new_sheet(
            pgettext("excel", "Warning and lagging"),
            self.columns(BEHIND_KEYS),
            titles=self.titles(_("warning and lagging projects"), behind_counts),
            freeze_cols=2,
        )
        with self.progress_sheet(progress, leader) as spool:
            self.unit_sheet(unit)
            self.leader_sheet(leader, spool)
        self.behind_sheet(behind)

    def build(self):
        """The workbook, ready to save."""
        wb = new_workbook()
        self.write_sheets(lambda *args, **kwargs: SheetWriter(wb, *args, header_cap=HEADER_CAP, **kwargs))
        return wb

    def cell_rows(self) -> list[tuple[str, list[list]]]:
        """Every sheet's title and rows as the bare values `build` writes (titles, header, figures, notes).

        No styles, widths or print setup: what the benchmark's floor writes with bare openpyxl.
        """
        sheets: list[tuple[str, list[list]]] = []
        self.write_sheets(lambda *args, **kwargs: CellRecorder(sheets, *args, **kwargs))
        return sheets

    @property
    def filename(self) -> str:
        return _("%(county)s key projects progress %(year)s-%(month)02d.xlsx") % {
            "county": self.county,
            "year": self.year,
            "month": self.month,
        }
