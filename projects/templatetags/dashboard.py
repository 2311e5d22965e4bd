"""Formatting for the dashboards: rates, points, 万元/亿元, status badges and the schedule bar.

These only format what the progress engine computed (rounding through `display_rate`); they
never derive a rate themselves.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from projects.choices import Industry, Level, Pipeline, Sector, Stage, Status
from projects.querysets import user_role
from projects.selectors.metrics import display_rate

register = template.Library()

DASH = "—"
STATUS_ICONS = {"ahead": "▲", "normal": "●", "warning": "◆", "lagging": "▼"}
YI = Decimal(10000)


@register.filter
def rate(value) -> str:
    """A rate as "35.6%" (one decimal, as the API gives it), or a dash when there is none."""
    shown = display_rate(value)
    return DASH if shown is None else f"{shown:.1f}%"


@register.filter
def num1(value) -> str:
    """A rate or gap as a bare one-decimal number ("" when there is none), for data attributes."""
    shown = display_rate(value)
    return "" if shown is None else f"{shown:.1f}"


@register.filter
def points(value) -> str:
    """A gap in points with its sign: "+3.1", "-6.1", "0.0"; a dash when there is none."""
    shown = display_rate(value)
    if shown is None:
        return DASH
    return f"{shown:+.1f}" if shown != 0 else "0.0"


@register.filter
def wan(value) -> str:
    """An amount in 万元 with thousands separators and two decimals."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(value):,.2f}"


@register.filter
def yi(value) -> str:
    """An amount in 万元 shown in 亿元 (÷ 10,000) with two decimals."""
    if value is None or value == "":
        return DASH
    return f"{(Decimal(value) / YI).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


LABELS = {"stage": Stage, "sector": Sector, "industry": Industry, "level": Level, "pipeline": Pipeline}


@register.filter
def label_of(code, kind: str) -> str:
    """The translated label of a choice code, e.g. `{{ row.stage|label_of:"stage" }}`."""
    try:
        return str(LABELS[kind](code).label)
    except (KeyError, ValueError):
        return code or DASH


@register.simple_tag
def status_badge(status) -> str:
    """The status as a coloured badge that always carries its text label and a shape."""
    if not status:
        return format_html('<span class="st st-none">{}</span>', DASH)
    label = Status(status).label
    return format_html(
        '<span class="st st-{}" data-status="{}"><span class="st-icon" aria-hidden="true">{}</span>{}</span>',
        status,
        status,
        STATUS_ICONS.get(status, ""),
        label,
    )


@register.simple_tag
def schedule_bar(completion, schedule, status=None) -> str:
    """An SVG bar: completion filled, a mark at the time-elapsed schedule (prints without colour too)."""
    done, due = display_rate(completion), display_rate(schedule)
    fill = 0 if done is None else max(0.0, min(done, 100.0))
    mark = 0 if due is None else max(0.0, min(due, 100.0))
    label = _("Completed %(done)s, schedule %(due)s") % {"done": rate(completion), "due": rate(schedule)}
    return format_html(
        '<svg class="pbar" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" aria-label="{}">'
        '<rect class="pbar-track" x="0" y="3" width="100" height="8"></rect>'
        '<rect class="pbar-fill pbar-{}" x="0" y="3" width="{}" height="8"></rect>'
        '<line class="pbar-mark" x1="{}" x2="{}" y1="0" y2="14" vector-effect="non-scaling-stroke"></line>'
        "</svg>",
        label,
        status or "none",
        f"{fill:.1f}",
        f"{mark:.1f}",
        f"{mark:.1f}",
    )


@register.simple_tag
def period_label(year, month) -> str:
    """ "2026年1—10月" for a year-to-date period, "2026年1月" for January."""
    if int(month) == 1:
        return _("%(year)s, month 1") % {"year": year}
    return _("%(year)s, months 1–%(month)s") % {"year": year, "month": month}


@register.simple_tag
def role_of(user) -> str:
    """The user's role code (`drc`, `staff`, `leader`) or ""."""
    return user_role(user) or ""


@register.simple_tag
@functools.cache
def vendor_static(path: str) -> str:
    """The URL of a vendored asset, or "" when it is not installed (pages then show tables only).

    Looked up once per process: finding a file walks every static folder, and the installed assets
    change only with a new release (and a restart).
    """
    if not finders.find(path):
        return ""
    try:
        return static(path)
    except ValueError:
        return ""
