"""Template helpers of the reporting pages."""

from django import template

from ..querysets import user_role

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_role(context) -> str:
    """The current user's role code ("drc", "staff", "leader") or "" for the page's links."""
    request = context.get("request")
    return user_role(request.user) or "" if request else ""
