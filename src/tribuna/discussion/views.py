"""Page routes of the discussion that are not a statement page: permalinks and comment feeds."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponseRedirect

from tribuna.discussion.models import Comment
from tribuna.discussion.permalinks import SORT, page_cursor_for


def permalink(request: HttpRequest, comment_id: int) -> HttpResponseRedirect:
    """Redirect to the page of the thread that holds the comment, scrolled to it."""
    comment = Comment.objects.approved().select_related("thread__statement").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    thread = comment.thread
    statement = thread.statement
    if statement is not None:
        if not statement.is_published:
            raise Http404("No such comment.")
        page_url = statement.get_absolute_url()
    elif thread.url.startswith(("https://", "http://")):
        page_url = thread.url  # an embedding page: its widget finds the comment from the fragment
    else:
        raise Http404("No such comment.")
    cursor = page_cursor_for(comment)
    query = "?" + urlencode({"sort": SORT, "cursor": cursor}) if cursor else ""
    return HttpResponseRedirect(f"{page_url}{query}#c{comment.pk}")
