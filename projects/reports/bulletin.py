"""The monthly bulletin (通报, SPEC section 12) as a Word document and as a preview page.

Every figure comes from one payload: the month's published snapshot when the bureau has published
it (so the bulletin reads the same after later corrections), otherwise the engine's figures now
(`projects.selectors.published.snapshot_payload`, which calls `progress_report`, the unit ranking
and the problem counts). Each section is one function from the payload to a `Section`; the Word
file and the preview page render the same sections, so they carry the same text.

Layout follows the official-document habit (GB/T 9704 in spirit): A4, title in 黑体 (方正小标宋 where
the bureau sets it), body in 仿宋 三号 (16 pt), headings in 黑体, page numbers centred in the footer.
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from ..choices import Pipeline
from ..models import MAX_YEAR, MIN_YEAR, PublishedReport
from ..roles import is_bureau, is_leader
from ..selectors.published import bulletin_payload, ranked_units
from ..selectors.reporting import previous_month

# Fonts present on the county's Windows PCs (WPS ships them too); 方正小标宋简体 is the customary
# title font where installed: set TITLE_FONT to it there.
TITLE_FONT = "黑体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
LATIN_FONT = "Times New Roman"
RED_BLACK = 3  # best and last three units (红黑榜)
YI = Decimal(10000)  # 万元 in one 亿元
TEXT_WIDTH_TWIPS = 8787  # A4 less the 2.8 cm and 2.6 cm margins, in twentieths of a point


@dataclass
class Section:
    """One part of the bulletin: a heading, paragraphs and an optional table (header row first)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)


@dataclass
class Bulletin:
    year: int
    month: int
    title: str
    subtitle: str
    published: PublishedReport | None
    sections: list[Section]

    @property
    def filename(self) -> str:
        return f"bulletin-{self.year}-{self.month:02d}.docx"

    def text(self) -> str:
        """The whole text, as the preview page and the tests read it."""
        lines = [self.title, self.subtitle]
        for s in self.sections:
            lines.append(s.heading)
            lines.extend(s.paragraphs)
            lines.extend(" ".join(row) for row in s.table)
        return "\n".join(lines)


# --- figures ---------------------------------------------------------------------------------------


# The parts of a published snapshot the bulletin reads (not its every-project rows).
# "problems" stays last: a snapshot without it predates the bulletin's figures (see `_published`); one
# without "nodes" (published before the milestone section) still reads, without the milestone list.
PAYLOAD_KEYS = (
    "progress",
    "county_name",
    "min_ranking_plan",
    "units",
    "lagging",
    "prephase",
    "starts",
    "nodes",
    "problems",
)


def _published(year: int, month: int, keys) -> tuple[int | None, dict | None]:
    """The latest published version of the month with only `keys` of its figures read (one query)."""
    row = (
        PublishedReport.objects.filter(year=year, month=month)
        .order_by("-version")
        .values("pk", *(f"data__{k}" for k in keys))
        .first()
    )
    if row is None or row[f"data__{keys[-1]}"] is None:  # published before the bulletin's figures were kept
        return None, None
    return row["pk"], {k: row[f"data__{k}"] for k in keys}


def month_payload(year: int, month: int) -> tuple[dict, PublishedReport | None]:
    """The month's latest published snapshot when it carries the bulletin's figures, else the engine's."""
    pk, payload = _published(year, month, PAYLOAD_KEYS)
    if payload is not None:
        return payload, PublishedReport.objects.defer("data").get(pk=pk)
    return bulletin_payload(year=year, month=month), None


def previous_ranks(year: int, month: int) -> dict[int, int] | None:
    """Each unit's rank in the previous month of the same year (None in January: a new year's list)."""
    if month == 1:
        return None
    y, m = previous_month(year, month)
    _pk, payload = _published(y, m, ("units",))
    units = payload["units"] if payload else ranked_units(year=y, month=m)
    return {u["key"]: u["rank"] for u in units if u["rank"] is not None}


def yi(amount: str) -> str:
    """An amount in 万元 (the payload's two-decimal string) in 亿元, two decimals."""
    return str((Decimal(amount) / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pct(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def against_schedule(gap) -> str:
    """ "高于/低于序时进度 x 个百分点" for a gap in points."""
    if gap is None:
        return _("no completion rate yet")
    if gap >= 0:
        return _("%(points).1f percentage points above the time-elapsed schedule") % {"points": gap}
    return _("%(points).1f percentage points below the time-elapsed schedule") % {"points": -gap}


def against_last_year(points) -> str:
    if points is None:
        return _("no comparable figure for the same period last year")
    if points >= 0:
        return _("%(points).1f percentage points higher than the same period last year") % {"points": points}
    return _("%(points).1f percentage points lower than the same period last year") % {"points": -points}


def rank_change(rank: int | None, before: int | None, known: bool) -> str:
    if rank is None or not known:
        return "—"
    if before is None:
        return _("new")
    if before > rank:
        return _("up %(n)d") % {"n": before - rank}
    if before < rank:
        return _("down %(n)d") % {"n": rank - before}
    return _("unchanged")


# --- sections: one function each ----------------------------------------------------------------------


def overall_section(payload: dict, year: int, month: int) -> Section:
    totals = payload["progress"]["totals"]
    text = _(
        "By the end of %(month)d/%(year)d the county has %(projects)d key projects with an annual planned "
        "investment of %(plan)s hundred million yuan; investment completed January to %(month)d is "
        "%(actual)s hundred million yuan, a completion rate of %(rate)s%%, against a time-elapsed schedule "
        "of %(schedule)s%%: %(gap)s; %(yoy)s."
    ) % {
        "year": year,
        "month": month,
        "projects": totals["projects"],
        "plan": yi(totals["annual_plan"]),
        "actual": yi(totals["actual_to_date"]),
        "rate": pct(totals["completion_rate"]),
        "schedule": pct(payload["progress"]["time_elapsed_rate"]),
        "gap": against_schedule(totals["gap_points"]),
        "yoy": against_last_year(totals["yoy_points"]),
    }
    return Section(_("I. Overall progress"), [text])


def pipeline_section(payload: dict) -> Section:
    labels = dict(Pipeline.choices)
    paragraphs = []
    for g in payload["progress"]["groups"]:
        if g["completion_rate"] is None:  # a list without investment plan (reserve projects): by stage
            paragraphs.append(
                _("%(pipeline)s projects: %(projects)d, tracked by their pre-phase work (section VI).")
                % {"pipeline": labels.get(g["key"], g["label"]), "projects": g["projects"]}
            )
            continue
        paragraphs.append(
            _(
                "%(pipeline)s projects: %(projects)d, annual plan %(plan)s hundred million yuan, completed "
                "%(actual)s hundred million yuan, completion rate %(rate)s%%, %(gap)s."
            )
            % {
                "pipeline": labels.get(g["key"], g["label"]),
                "projects": g["projects"],
                "plan": yi(g["annual_plan"]),
                "actual": yi(g["actual_to_date"]),
                "rate": pct(g["completion_rate"]),
                "gap": against_schedule(g["gap_points"]),
            }
        )
    return Section(_("II. By pipeline"), paragraphs)


def ranking_section(payload: dict, before: dict[int, int] | None) -> Section:
    ranked = [u for u in payload["units"] if u["rank"] is not None]
    names = lambda units: "、".join(u["label"] for u in units) or "—"  # noqa: E731
    paragraphs = [
        _("Units with an annual plan of at least %(min)s ten thousand yuan are ranked by completion rate.")
        % {"min": payload["min_ranking_plan"]},
        _("Red list (best three): %(names)s.") % {"names": names(ranked[:RED_BLACK])},
        _("Black list (last three): %(names)s.")
        % {"names": names(ranked[-RED_BLACK:][::-1] if len(ranked) > RED_BLACK else [])},
    ]
    table = [[_("Rank"), _("Unit"), _("Completion rate (%)"), _("Against schedule (points)"), _("Since last month")]]
    for u in ranked:
        change = rank_change(u["rank"], (before or {}).get(u["key"]), before is not None)
        table.append([str(u["rank"]), u["label"], pct(u["completion_rate"]), pct(u["gap_points"]), change])
    return Section(_("III. Unit ranking"), paragraphs, table)


def lagging_section(payload: dict) -> Section:
    lagging = payload["lagging"]
    paragraphs = [_("%(n)d projects are lagging (20 or more points behind schedule).") % {"n": lagging["count"]}]
    table = []
    if lagging["furthest"]:
        paragraphs.append(_("The %(n)d furthest behind:") % {"n": len(lagging["furthest"])})
        table = [[_("Project"), _("Unit"), _("Completion rate (%)"), _("Against schedule (points)")]]
        table += [
            [p["name"], p["unit"] or "—", pct(p["completion_rate"]), pct(p["gap_points"])] for p in lagging["furthest"]
        ]
    return Section(_("IV. Lagging projects"), paragraphs, table)


def starts_section(payload: dict) -> Section:
    starts = payload["starts"]
    text = _(
        "%(new)d new-build projects are on the list; %(late)d had passed their planned start without starting."
    ) % {"new": starts["new_projects"], "late": starts["not_started"]}
    rate = payload["progress"]["totals"].get("new_start_rate")
    paragraphs = [text, _("New-build start rate: %(rate)s%%.") % {"rate": pct(rate)}]
    if starts["furthest"]:
        paragraphs.append(_("Not started: %(names)s.") % {"names": "、".join(p["name"] for p in starts["furthest"])})
    return Section(_("V. Starts of new-build projects"), paragraphs)


def prephase_section(payload: dict) -> Section:
    p = payload["prephase"]
    text = _(
        "%(planned)d planned projects, of which %(started)d have finished pre-phase work: a pre-phase "
        "conversion rate of %(rate)s%%."
    ) % {"planned": p["planned_projects"], "started": p["planned_started"], "rate": pct(p["prephase_rate"])}
    return Section(_("VI. Pre-phase work"), [text])


def milestones_section(payload: dict) -> Section:
    """The milestones (节点) due by the month's end: the engine's node rate and overdue count, and the
    most overdue (a snapshot published before this section was kept has no list)."""
    totals = payload["progress"]["totals"]
    nodes = payload.get("nodes") or {}
    text = _(
        "Milestone completion rate %(rate)s%%; %(overdue)d milestones were due by the month's end and not done."
    ) % {"rate": pct(totals.get("node_rate")), "overdue": totals.get("overdue_milestones", 0)}
    paragraphs, table = [text], []
    if nodes.get("furthest"):
        paragraphs.append(_("The %(n)d most overdue:") % {"n": len(nodes["furthest"])})
        table = [[_("Project"), _("Milestone"), _("Planned date"), _("Days late")]]
        table += [[n["project"], n["node"], n["planned"], str(n["days"])] for n in nodes["furthest"]]
    return Section(_("VII. Overdue milestones"), paragraphs, table)


def problems_section(payload: dict) -> Section:
    problems = payload["problems"]
    text = _("%(open)d problems are open, %(overdue)d of them past their due date.") % {
        "open": problems["open"],
        "overdue": problems["overdue"],
    }
    table = [[_("Category"), _("Unresolved"), _("Overdue")]]
    table += [[c["label"], str(c["open"]), str(c["overdue"])] for c in problems["categories"]]
    return Section(_("VIII. Open and overdue problems"), [text], table)


def next_steps_section() -> Section:
    """Left empty: the bureau writes the next steps (下步工作) before signing."""
    return Section(_("IX. Next steps"))


def build_bulletin(*, year: int, month: int) -> Bulletin:
    """The month's bulletin from its published snapshot (or the engine when unpublished)."""
    payload, published = month_payload(year, month)
    sections = [
        overall_section(payload, year, month),
        pipeline_section(payload),
        ranking_section(payload, previous_ranks(year, month)),
        lagging_section(payload),
        starts_section(payload),
        prephase_section(payload),
        milestones_section(payload),
        problems_section(payload),
        next_steps_section(),
    ]
    county = payload.get("county_name", "")
    title = _("%(county)s key projects: progress bulletin") % {"county": county}
    subtitle = _("(%(year)d, month %(month)d)") % {"year": year, "month": month}
    return Bulletin(year, month, title, subtitle, published, sections)


# --- the Word document --------------------------------------------------------------------------------


def _fonts(style, east_asian: str, size: int, bold: bool = False) -> None:
    """Set a style's fonts: Chinese text in `east_asian`, Latin and digits in Times New Roman."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _page_number(paragraph) -> None:
    """A PAGE field (begin, instruction, separator, "1", end), which Word, WPS and LibreOffice fill in."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run.element.append(element)
    paragraph.add_run(" —")


def _table(doc, rows: list[list[str]]) -> None:
    """A bordered table (the template's Table Grid) in the Normal style (12 pt), header row bold.

    Written as one piece of WordprocessingML and parsed once: python-docx's row and cell objects
    cost time per cell and per row already there, which a 200-unit ranking would feel.
    """
    cols = len(rows[0])
    width = TEXT_WIDTH_TWIPS // cols
    cell = (
        '<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>'
        '<w:p><w:r>%s<w:t xml:space="preserve">%s</w:t></w:r></w:p></w:tc>'
    )
    parts = [
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{doc.styles["Table Grid"].style_id}"/>'
        '<w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>',
        f'<w:gridCol w:w="{width}"/>' * cols,
        "</w:tblGrid>",
    ]
    for i, values in enumerate(rows):
        bold = "<w:rPr><w:b/></w:rPr>" if i == 0 else ""
        header = "<w:trPr><w:tblHeader/></w:trPr>" if i == 0 else ""
        parts.append(f"<w:tr>{header}" + "".join(cell % (width, bold, escape(v)) for v in values) + "</w:tr>")
    parts.append("</w:tbl>")
    body = doc.element.body
    last = body[len(body) - 1]
    position = len(body) - 1 if last.tag == qn("w:sectPr") else len(body)
    body.insert(position, parse_xml("".join(parts)))


def _paragraph_style(doc, name: str, east_asian: str, size: int, line: int):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _fonts(style, east_asian, size)
    style.paragraph_format.line_spacing = Pt(line)
    return style


def bulletin_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as a .docx file: A4, 仿宋 三号 body, 黑体 title and headings, page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _fonts(doc.styles["Normal"], BODY_FONT, 12)  # tables and the footer
    doc.styles["Normal"].paragraph_format.line_spacing = Pt(20)
    body = _paragraph_style(doc, "BulletinBody", BODY_FONT, 16, 28)
    body.paragraph_format.first_line_indent = Pt(32)  # two characters of 16 pt
    title = _paragraph_style(doc, "BulletinTitle", TITLE_FONT, 22, 36)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = _paragraph_style(doc, "BulletinSubtitle", BODY_FONT, 16, 28)
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = _paragraph_style(doc, "BulletinHeading", HEADING_FONT, 16, 28)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.keep_with_next = True

    doc.add_paragraph(bulletin.title, style=title)
    doc.add_paragraph(bulletin.subtitle, style=subtitle)
    for s in bulletin.sections:
        doc.add_paragraph(s.heading, style=heading)
        for text in s.paragraphs:
            doc.add_paragraph(text, style=body)
        if s.table:
            _table(doc, s.table)
        if not s.paragraphs and not s.table:
            doc.add_paragraph("", style=body)  # room for the bureau's text
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- pages ----------------------------------------------------------------------------------------------


def _period(request):
    """(year, month) from ?year=&month= (both required), or the form with its errors."""
    form = BulletinPeriodForm(request.GET)
    if not form.is_valid():
        return None, form
    return (form.cleaned_data["year"], form.cleaned_data["month"]), form


class BulletinPeriodForm(forms.Form):
    year = forms.IntegerField(label=_lazy("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(label=_lazy("Month"), min_value=1, max_value=12)


def _bulletin_request(request):
    if not (is_bureau(request.user) or is_leader(request.user)):
        raise PermissionDenied(_("The bulletin is for the bureau and county leaders."))
    period, form = _period(request)
    if period is None:
        errors = [f"{form.fields[name].label}：{m}" for name, messages in form.errors.items() for m in messages]
        return None, render(request, "reports/bad_request.html", {"errors": errors}, status=400)
    return build_bulletin(year=period[0], month=period[1]), None


@login_required
@require_GET
def bulletin_docx_view(request):
    """`GET /reports/bulletin.docx?year=Y&month=M`: the month's 通报 (bureau and leaders)."""
    bulletin, error = _bulletin_request(request)
    if error is not None:
        return error
    response = HttpResponse(bulletin_docx(bulletin), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{bulletin.filename}"'
    return response


@login_required
@require_GET
def bulletin_preview(request):
    """`GET /reports/bulletin/?year=Y&month=M`: the same text on a page, with the download link."""
    bulletin, error = _bulletin_request(request)
    if error is not None:
        return error
    return render(request, "problems/bulletin.html", {"bulletin": bulletin})


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
