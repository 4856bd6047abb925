"""The spam filter's reasons in words a moderator reads at a glance.

Screening stores its reasons as short technical notes ("model: 0.93 spam-like ('buy', 'now')");
the queue shows them as sentences and keeps the note itself in the tooltip.
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# A fixed, anchored shape with bounded repetition: linear in the note's length.
MODEL_NOTE = re.compile(
    r"model: (?P<p>[01]\.\d\d) (?P<leaning>spam-like|legitimate-looking)(?: \((?P<words>[^()]{0,300})\))?"
)


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _plain(note: str) -> str:
    found = MODEL_NOTE.fullmatch(note.strip())
    if not found:
        return note
    share = percent(float(found["p"]))
    if found["leaning"] == "legitimate-looking":
        return _("the spam filter finds it ordinary (%(share)s spam-like)") % {"share": share}
    words = ", ".join(word.strip(" '\"") for word in (found["words"] or "").split(",") if word.strip(" '\""))
    if words:
        return _("the spam filter finds it %(share)s spam-like, mostly for: %(words)s") % {
            "share": share,
            "words": words,
        }
    return _("the spam filter finds it %(share)s spam-like") % {"share": share}


@register.filter
def plain_reason(reason: str) -> str:
    """One stored reason (possibly several notes joined by "; ") as a sentence."""
    notes = [_plain(note) for note in reason.split("; ") if note.strip()]
    text = "; ".join(notes)
    return text[:1].upper() + text[1:]
