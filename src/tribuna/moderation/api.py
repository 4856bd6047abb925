"""Readers' reports: POST /api/v1/comments/{id}/report.

Answered 202 whether or not this visitor had reported before, so the answer says nothing
about what others did; one visitor (a keyed hash of the address) counts once per comment.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tribuna.discussion.api import published_comment_or_404
from tribuna.lib.api_errors import ApiError, require_json_write
from tribuna.lib.http import client_ip, keyed_hash, rate_key_of
from tribuna.lib.text import clean_text
from tribuna.moderation import services
from tribuna.moderation.models import Report

router = Router(tags=["moderation"])


class ReportIn(Schema):
    reason: str = Field(description="spam, abuse, off-topic or other")
    note: str = Field("", description="Optional, at most 500 characters.")


class ReportOut(Schema):
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


@router.post(
    "/comments/{comment_id}/report",
    response={202: ReportOut, 400: ErrorsOut, 403: ReportOut, 404: ReportOut, 415: ReportOut, 429: ReportOut},
)
def report_comment(request: HttpRequest, comment_id: int, payload: ReportIn):
    """Report a published comment to the moderators."""
    require_json_write(request)
    if payload.reason not in Report.Reason.values:
        raise ApiError(400, errors={"reason": [f"reason must be one of {', '.join(Report.Reason.values)}."]})
    if len(payload.note) > 500:
        raise ApiError(400, errors={"note": [_("A note may have at most 500 characters.")]})
    comment = published_comment_or_404(comment_id)
    visitor = keyed_hash(rate_key_of(client_ip(request)), "report")
    services.report(comment, visitor, payload.reason, clean_text(payload.note))
    return Status(202, {"detail": "Thank you; the moderators will review this comment."})
