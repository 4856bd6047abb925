"""{% discussion statement %}: a statement page's discussion, owned by the discussion app.

The statement page only says where its discussion goes; the thread, the page of comments,
the sort and the comment form are read here. After a failed post the view hands its bound
form over as `comment_form`, so the errors show beside what the reader wrote.
"""

from __future__ import annotations

from django import template

from tribuna.antispam.screen import issue_form_token
from tribuna.discussion import services
from tribuna.discussion.forms import CommentForm
from tribuna.discussion.models import Comment
from tribuna.lib.text import is_row_id

register = template.Library()


@register.inclusion_tag("discussion/thread.html", takes_context=True)
def discussion(context: template.Context, statement) -> dict:
    request = context["request"]
    thread = services.thread_for_statement(statement)
    sort = request.GET.get("sort", "oldest")
    if sort not in services.SORTS:
        sort = "oldest"
    try:
        page = services.thread_page(thread, sort=sort, cursor=request.GET.get("cursor") or None)
    except services.InvalidCursor:
        page = services.thread_page(thread, sort=sort)
    form = context.get("comment_form")
    reply_param = request.GET.get("reply") or (
        (form.data or form.initial).get("parent") if form is not None else None
    )
    reply_to = None
    if reply_param and is_row_id(reply_param):
        reply_to = Comment.objects.approved().filter(pk=int(reply_param), thread=thread).first()
    if form is None:
        form = CommentForm(
            initial={"parent": reply_to.pk if reply_to else None, "form_token": issue_form_token()}
        )
    return {
        "statement": statement,
        "thread": thread,
        "page": page,
        "sort": sort,
        "sort_labels": list(services.SORT_LABELS.items()),
        "form": form,
        "reply_to": reply_to,
        "messages": context.get("messages"),
        "request": request,
        "preview": context.get("comment_preview"),
        "can_moderate": context.get("can_moderate"),
        "user": request.user,
    }
