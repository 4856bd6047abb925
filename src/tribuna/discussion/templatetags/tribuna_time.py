"""Comment times as readers expect them: "3 hours ago" for the past week, a date beyond it.

The exact date and time are always in the `<time datetime>` attribute and its tooltip. The
relative form goes through Django's humanize, so it follows the active language.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

RELATIVE_FOR = timedelta(days=7)


def _as_datetime(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


@register.filter
def relative_time(value: datetime | str | None) -> SafeString | str:
    """A `<time>` element: relative within a week, the date after it; the exact moment in the tooltip."""
    if not value:
        return ""
    moment = timezone.localtime(_as_datetime(value))
    exact = date_format(moment, "DATETIME_FORMAT")
    shown = (
        naturaltime(moment) if timezone.now() - moment < RELATIVE_FOR else date_format(moment, "DATE_FORMAT")
    )
    return format_html('<time datetime="{}" title="{}">{}</time>', moment.isoformat(), exact, shown)
