"""The discussion's page routes: posting on a statement's page without JavaScript, and permalinks."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tribuna.discussion import services
from tribuna.discussion.forms import MAX_TEXT, CommentForm
from tribuna.discussion.models import Comment
from tribuna.discussion.permalinks import SORT, page_cursor_for
from tribuna.lib.errors import DomainError, answers_domain_errors
from tribuna.lib.http import is_staff_session
from tribuna.lib.markup import render_comment
from tribuna.statements.models import Statement
from tribuna.statements.views import detail, published_or_404


def _page_with_error(request: HttpRequest, exc: DomainError, slug: str) -> HttpResponse:
    """The statement page again, the refusal above the reader's words (the decorator sets the status)."""
    form = CommentForm(request.POST, is_staff=is_staff_session(request))
    form.is_valid()
    form.add_error(None, exc.message)
    return detail(request, slug, extra_context={"comment_form": form})


@require_POST
@answers_domain_errors(_page_with_error)
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """Validate, post, and redirect to the comment (on the page that holds it); or show the errors in place."""
    statement = published_or_404(slug)
    thread = services.thread_for_statement(statement)
    if request.POST.get(
        "preview"
    ):  # the text as it would be published; the form keeps what was typed, unjudged
        kept = CommentForm(initial=request.POST.dict(), is_staff=is_staff_session(request))
        preview = render_comment(request.POST.get("text", "")[:MAX_TEXT])
        return detail(request, slug, extra_context={"comment_form": kept, "comment_preview": preview})
    form = CommentForm(request.POST, is_staff=is_staff_session(request))
    if not form.is_valid():
        return detail(request, slug, extra_context={"comment_form": form}, status=400)
    submission = form.submission(thread, request, token_expected=True, language=statement.language)
    comment = services.post_comment(submission).comment
    published = comment.status == Comment.Status.APPROVED
    messages.add_message(
        request,
        messages.SUCCESS if published else messages.INFO,
        str(services.STATUS_MESSAGES[comment.status]),
    )
    if published:
        return redirect("discussion:permalink", comment_id=comment.pk)
    return redirect(statement.get_absolute_url() + "#discussion")


def permalink(request: HttpRequest, comment_id: int) -> HttpResponseRedirect:
    """Redirect to the page of the thread that holds the comment, scrolled to it."""
    comment = Comment.objects.approved().select_related("thread").filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No such comment.")
    thread = comment.thread
    if thread.statement_id is not None:
        statement = Statement.objects.published().filter(pk=thread.statement_id).first()
        if statement is None:
            raise Http404("No such comment.")
        page_url = statement.get_absolute_url()
    elif thread.url.startswith(("https://", "http://")):
        page_url = thread.url  # an embedding page: its widget finds the comment from the fragment
    else:
        raise Http404("No such comment.")
    cursor = page_cursor_for(comment)
    query = "?" + urlencode({"sort": SORT, "cursor": cursor}) if cursor else ""
    return HttpResponseRedirect(f"{page_url}{query}#c{comment.pk}")
