"""`progress.xlsx`: the bureau's monthly report workbook (SPEC section 7).

Four sheets: the progress table by pipeline (grand total, pipeline subtotals, projects), the unit
ranking, the leader-linked projects and the warning and lagging projects. Every figure comes
from the progress engine (projects.selectors); this module only lays the figures out. Rates go
into number cells rounded as the pages show them (one decimal, `display_rate`) with a percent
format; amounts are exact Decimals in 万元 with `#,##0.00`.
"""

from decimal import Decimal
from itertools import chain
from operator import attrgetter

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from ..choices import Pipeline, Status
from ..models import Leader, ProgressSettings, Project
from ..selectors import display_rate, progress_report, project_rows
from .xlsx import CENTER, INT, MONEY, PERCENT, POINTS, TEXT, WRAP, CellRecorder, Column, SheetWriter, new_workbook

NUMERALS = "一二三四五六七八九十"

# Column key → (header, kind, width options). Chinese headers in the default language: 序号, 项目名称,
# 责任单位, 联系县领导, 总投资, 年度计划, 1—M月累计完成, 完成率, 序时进度, 进度差, 状态, 形象进度, 存在问题.
COLUMNS = {
    "no": (pgettext_lazy("excel", "No."), CENTER, {}),
    "rank": (pgettext_lazy("excel", "Rank"), CENTER, {}),
    "name": (pgettext_lazy("excel", "Project name"), WRAP, {"max_width": 36}),
    "unit": (pgettext_lazy("excel", "Responsible unit"), TEXT, {"max_width": 28}),
    "leader": (pgettext_lazy("excel", "Linked county leader"), TEXT, {"max_width": 24}),
    "pipeline": (pgettext_lazy("excel", "Pipeline"), CENTER, {}),
    "projects": (pgettext_lazy("excel", "Projects"), INT, {}),
    "total_investment": (pgettext_lazy("excel", "Total investment"), MONEY, {}),
    "plan": (pgettext_lazy("excel", "Annual plan"), MONEY, {}),
    "ytd": (None, MONEY, {}),  # 1—M月累计完成, with the real M
    "rate": (pgettext_lazy("excel", "Completion rate"), PERCENT, {}),
    "schedule": (pgettext_lazy("excel", "Time-elapsed schedule"), PERCENT, {}),
    "gap": (pgettext_lazy("excel", "Gap"), POINTS, {}),
    "status": (pgettext_lazy("excel", "Status"), CENTER, {}),
    "progress": (pgettext_lazy("excel", "Physical progress"), WRAP, {"width": 40}),
    "problems": (pgettext_lazy("excel", "Problems"), WRAP, {"width": 30}),
}
PROGRESS_KEYS = (
    "no", "name", "unit", "leader", "total_investment", "plan", "ytd", "rate", "schedule", "gap", "status",
    "progress", "problems",
)  # fmt: skip
RANKING_KEYS = ("rank", "unit", "projects", "plan", "ytd", "rate", "gap", "status")
LEADER_KEYS = (
    "no", "leader", "name", "unit", "total_investment", "plan", "ytd", "rate", "gap", "status", "progress",
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


class ProjectLines:
    """Writes project rows to a sheet: one cell function per column, the row's number in the "no" column."""

    def __init__(self, sheet, cells: list, no: int):
        self.sheet, self.cells, self.no = sheet, cells, no

    def write(self, rows, prefix: str = "") -> None:
        """Number the rows 1, 2, … (or `prefix`1, `prefix`2, …) and write them."""
        sheet, cells, no = self.sheet, self.cells, self.no
        for n, r in enumerate(rows, start=1):
            values = [cell(r) if cell is not None else None for cell in cells]
            values[no] = f"{prefix}{n}" if prefix else n
            sheet.row(values)


class ProgressWorkbook:
    """Collects the engine's figures for a year, month and project filters, then writes the sheets."""

    def __init__(self, *, year: int, month: int, filters: dict | None = None, scope: str = "", min_plan=None):
        self.year, self.month = year, month
        self.filters = dict(filters or {})
        self.scope = scope
        settings_row = ProgressSettings.load()
        self.county = settings_row.county_name
        self.min_plan = settings_row.min_ranking_plan if min_plan is None else min_plan
        self.by_pipeline = progress_report(year=year, month=month, filters=self.filters, group_by="pipeline")
        self.by_unit = progress_report(year=year, month=month, filters=self.filters, group_by="unit")
        linked = {**self.filters, "project_ids": Project.objects.filter(leader__isnull=False).values("pk")}
        self.by_leader = progress_report(year=year, month=month, filters=linked, group_by="leader")
        self.rows = project_rows(year=year, month=month, filters=self.filters)
        keys = [g.key for g in self.by_leader.groups if g.key is not None]
        self.leaders = {
            pk: (rank, str(Leader(name=name, title=title)))
            for pk, rank, name, title in Leader.objects.filter(pk__in=keys).values_list("pk", "rank", "name", "title")
        }
        self.schedule = rate_value(self.by_pipeline.exact_schedule)
        self.status_labels = {s.value: str(s.label) for s in Status}  # translated once, not once a row
        self.pipeline_labels = {p.value: str(p.label) for p in Pipeline}

    # --- cells ------------------------------------------------------------------------------------

    def columns(self, keys) -> list[Column]:
        out = []
        for key in keys:
            header, kind, options = COLUMNS[key]
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
            "ytd": attrgetter("actual_to_date"),
            "rate": lambda r: rate_value(r.exact_rate),
            "schedule": lambda r: schedule,
            "gap": lambda r: points_value(r.exact_gap),
            "status": lambda r: status.get(r.status, ""),
            "progress": attrgetter("progress"),
            "problems": attrgetter("problems"),
        }

    def project_lines(self, sheet, keys, runs: list[list], numbers) -> "ProjectLines":
        """Fit the sheet's columns to the projects' cells, column by column; then write them with the result.

        `runs` are the sheet's runs of projects (by pipeline, by leader, or one), `numbers` the widest
        values of the "no" column (each run's last number). No cell is kept: each row is made as it
        is written.
        """
        cells = self.project_cells()
        for i, key in enumerate(keys):
            sheet.fit_column(i, numbers if key == "no" else map(cells[key], chain.from_iterable(runs)))
        return ProjectLines(sheet, [cells.get(k) for k in keys], keys.index("no"))

    def figure_values(self, f, keys, **given) -> list:
        """A group's or total's cells for the columns `keys` (`Figures` from the engine)."""
        values = {
            "projects": f.projects, "total_investment": f.total_investment, "plan": f.annual_plan,
            "ytd": f.actual_to_date, "rate": rate_value(f.exact_rate), "schedule": self.schedule,
            "gap": points_value(f.exact_gap), "status": status_label(f.status), **given,
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
        return [title, "    ".join(p for p in (line, extra, self.scope) if p)]

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

    def progress_sheet(self, new_sheet) -> None:
        """序号 … 存在问题 for every project, by pipeline with subtotals, the grand total first."""
        keys = PROGRESS_KEYS
        totals = self.by_pipeline.totals
        titles = self.titles(_("progress by pipeline"), self.counts(totals.status_counts))
        sheet = new_sheet(pgettext("excel", "Progress"), self.columns(keys), titles=titles, freeze_cols=2)
        total = self.figure_values(totals, keys, name=_("Total (%(n)s projects)") % {"n": totals.projects})
        by_pipeline: dict[str, list] = {}
        for r in self.rows:
            by_pipeline.setdefault(r.pipeline, []).append(r)
        groups = []
        for i, group in enumerate(self.by_pipeline.groups):
            name = _("%(pipeline)s projects (%(n)s)") % {"pipeline": group.label, "n": group.projects}
            groups.append(
                (self.figure_values(group, keys, no=NUMERALS[i % 10], name=name), by_pipeline.get(group.key, []))
            )
        for values in (total, *(values for values, _rows in groups)):
            sheet.fit(values)
        runs = [rows for _values, rows in groups]
        lines = self.project_lines(sheet, keys, runs, [len(rows) for rows in runs if rows])
        sheet.begin()
        sheet.row(total, total=True)
        for values, rows in groups:
            sheet.row(values, total=True)
            lines.write(rows)

    def unit_sheet(self, new_sheet) -> None:
        """Units ranked by completion rate; units under the minimum plan (or with none) listed unranked."""
        keys = (*RANKING_KEYS, *(s.value for s in Status))
        columns = [*self.columns(RANKING_KEYS), *(Column(str(s.label), INT) for s in Status)]

        def values(f, **given):
            return self.figure_values(f, keys, **given, **f.status_counts)

        ranked = [g for g in self.by_unit.groups if g.exact_rate is not None and g.annual_plan >= self.min_plan]
        ranked.sort(key=lambda g: (-g.exact_rate, g.label))
        ranked_keys = {g.key for g in ranked}
        others = sorted((g for g in self.by_unit.groups if g.key not in ranked_keys), key=lambda g: g.label)
        lines = [(values(g, rank=n, unit=g.label), False) for n, g in enumerate(ranked, start=1)]
        if others:
            note = _("Units with an annual plan under %(min)s (10k yuan) or none: not ranked")
            lines.append((note % {"min": f"{self.min_plan:,.2f}"}, True))
            lines.extend((values(g, unit=g.label), False) for g in others)
        lines.append((values(self.by_unit.totals, unit=_("Total")), True))
        titles = self.titles(_("unit ranking"))
        self.write(new_sheet(pgettext("excel", "Unit ranking"), columns, titles=titles, freeze_cols=2), lines)

    def leader_sheet(self, new_sheet) -> None:
        """Each county leader's linked projects with the leader's subtotal; all linked projects first."""
        keys = LEADER_KEYS
        totals = self.by_leader.totals
        titles = self.titles(_("projects linked to county leaders"), self.counts(totals.status_counts))
        sheet = new_sheet(_("Leader-linked projects"), self.columns(keys), titles=titles, freeze_cols=3)
        total_name = _("Total (%(n)s projects)") % {"n": totals.projects}
        total = self.figure_values(totals, keys, leader=_("All linked projects"), name=total_name)
        by_leader: dict[int, list] = {}
        for r in self.rows:
            if r.leader_id is not None:
                by_leader.setdefault(r.leader_id, []).append(r)
        groups = [g for g in self.by_leader.groups if g.key is not None]
        groups.sort(key=lambda g: (self.leaders.get(g.key, (999, ""))[0], g.label))
        subtotals = []
        for i, g in enumerate(groups, start=1):
            leader = self.leaders.get(g.key, (0, g.label))[1]
            name = _("Subtotal (%(n)s projects)") % {"n": g.projects}
            subtotals.append((i, self.figure_values(g, keys, no=i, leader=leader, name=name), by_leader.get(g.key, [])))
        for values in (total, *(values for _i, values, _rows in subtotals)):
            sheet.fit(values)
        numbers = [f"{i}.{len(rows)}" for i, _values, rows in subtotals if rows]
        lines = self.project_lines(sheet, keys, [rows for _i, _values, rows in subtotals], numbers)
        sheet.begin()
        sheet.row(total, total=True)
        for i, values, rows in subtotals:
            sheet.row(values, total=True)
            lines.write(rows, prefix=f"{i}.")

    def behind_sheet(self, new_sheet) -> None:
        """Lagging then warning projects, the furthest behind schedule first."""
        keys = BEHIND_KEYS
        order = {Status.LAGGING.value: 0, Status.WARNING.value: 1}
        behind = sorted((r for r in self.rows if r.status in order), key=lambda r: (order[r.status], r.exact_gap))
        extra = _("Lagging %(lagging)s, warning %(warning)s") % self.by_pipeline.totals.status_counts
        titles = self.titles(_("warning and lagging projects"), extra)
        sheet = new_sheet(pgettext("excel", "Warning and lagging"), self.columns(keys), titles=titles, freeze_cols=2)
        if not behind:
            self.write(sheet, [(_("No project is behind schedule."), False)])
            return
        lines = self.project_lines(sheet, keys, [behind], [len(behind)])
        sheet.begin()
        lines.write(behind)

    def write_sheets(self, new_sheet) -> None:
        """Lay out the four sheets; `new_sheet(title, columns, titles=, freeze_cols=)` makes each writer."""
        self.progress_sheet(new_sheet)
        self.unit_sheet(new_sheet)
        self.leader_sheet(new_sheet)
        self.behind_sheet(new_sheet)

    def build(self):
        """The workbook, ready to save."""
        wb = new_workbook()
        self.write_sheets(lambda *args, **kwargs: SheetWriter(wb, *args, **kwargs))
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
