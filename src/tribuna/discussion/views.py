"""Posting on a statement's page without JavaScript: a plain form, answered by a redirect or the page again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tribuna.discussion import services
from tribuna.discussion.forms import CommentForm
from tribuna.discussion.models import Comment
from tribuna.lib.errors import DomainError, answers_domain_errors
from tribuna.statements.views import detail, published_or_404


def _page_with_error(request: HttpRequest, exc: DomainError, slug: str) -> HttpResponse:
    """The statement page again, the refusal above the reader's words (the decorator sets the status)."""
    form = CommentForm(request.POST, is_staff=request.user.is_staff)
    form.is_valid()
    form.add_error(None, exc.message)
    return detail(request, slug, extra_context={"comment_form": form})


@require_POST
@answers_domain_errors(_page_with_error)
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """Validate, post, and redirect to the comment; or show the errors in place."""
    statement = published_or_404(slug)
    thread = services.thread_for_statement(statement)
    form = CommentForm(request.POST, is_staff=request.user.is_staff)
    if not form.is_valid():
        return detail(request, slug, extra_context={"comment_form": form}, status=400)
    comment = services.post_comment(form.submission(thread, request, token_expected=True)).comment
    published = comment.status == Comment.Status.APPROVED
    messages.add_message(request, messages.SUCCESS if published else messages.INFO,
                         services.STATUS_MESSAGES[comment.status])
    return redirect(statement.get_absolute_url() + (f"#c{comment.pk}" if published else "#discussion"))
