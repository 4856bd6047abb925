"""One thread's comments as JSON or CSV, for moderators (linked from the thread's moderation page).

Names, websites and emails are included (moderators see them in the queue); IP addresses and
user agents are not: they are kept for abuse prevention only. The download is audited.
"""

from __future__ import annotations

import csv
import io
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from tribuna.discussion.models import Comment, Thread
from tribuna.moderation.audit import log_action
from tribuna.moderation.roles import moderator_required

FIELDS = (
    "id",
    "parent_id",
    "reply_to_id",
    "created",
    "edited",
    "status",
    "kind",
    "author_name",
    "author_email",
    "author_url",
    "is_moderator",
    "is_pinned",
    "score",
    "upvotes",
    "downvotes",
    "text",
    "anchor",
    "anchor_orphaned",
)
# Spreadsheet programs run cells that start with these as formulas; a leading quote keeps them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@moderator_required
def thread_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in {"json", "csv"}:
        raise Http404("Comments export as .json or .csv.")
    thread = get_object_or_404(Thread, pk=pk)
    rows = Comment.objects.filter(thread=thread).order_by("created", "id").values_list(*FIELDS)
    log_action("imports.thread_exported", user=request.user, obj=thread, after={"format": fmt})
    filename = f"thread-{thread.pk}-comments.{fmt}"
    response: HttpResponse
    # Built whole, not streamed: a streamed body holds the server's thread for as long as a slow client
    # takes to read it, and `tribuna serve` runs one thread by default (core.serving); a body handed
    # over whole is sent by the server while the thread answers the next request.
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(FIELDS)
        writer.writerows([_cell(v) for v in row] for row in rows.iterator(chunk_size=2000))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        comments = [
            {
                field: (value.isoformat() if hasattr(value, "isoformat") else value)
                for field, value in zip(FIELDS, row, strict=True)
            }
            for row in rows.iterator(chunk_size=2000)
        ]
        document = {
            "thread": {"id": thread.pk, "key": thread.key, "title": thread.title, "url": thread.url},
            "comments": comments,
        }
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
