"""Public statement pages: the latest statements, one statement with its discussion, the feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from tribuna.antispam.ratelimit import RateLimited
from tribuna.antispam.screen import issue_form_token
from tribuna.discussion import services
from tribuna.discussion.api import STATUS_MESSAGES
from tribuna.discussion.forms import CommentForm
from tribuna.statements.models import Statement


def index(request: HttpRequest) -> HttpResponse:
    statements = Statement.objects.published().select_related("body", "thread")[:20]
    return render(request, "statements/index.html", {"statements": statements})


def _published(slug: str) -> Statement:
    statement = get_object_or_404(Statement.objects.select_related("body"), slug=slug)
    if not statement.is_published:
        raise Http404("No such statement.")
    return statement


def detail(request: HttpRequest, slug: str, form: CommentForm | None = None, status: int = 200) -> HttpResponse:
    statement = _published(slug)
    thread = services.thread_for_statement(statement)
    sort = request.GET.get("sort", "oldest")
    if sort not in services.SORTS:
        sort = "oldest"
    cursor = request.GET.get("cursor") or None
    try:
        page = services.thread_page(thread, sort=sort, cursor=cursor)
    except services.InvalidCursor:
        page = services.thread_page(thread, sort=sort)
    reply_to = None
    reply_param = request.GET.get("reply") or (form.data.get("parent") if form is not None else None)
    if reply_param and str(reply_param).isdigit():
        reply_to = services.Comment.objects.approved().filter(pk=int(reply_param), thread=thread).first()
    if form is None:
        form = CommentForm(initial={"parent": reply_to.pk if reply_to else None, "form_token": issue_form_token()})
    context = {
        "statement": statement,
        "thread": thread,
        "page": page,
        "sort": sort,
        "sorts": list(services.SORTS),
        "form": form,
        "reply_to": reply_to,
    }
    return render(request, "statements/detail.html", context, status=status)


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """The no-JavaScript path: validate, post, and redirect to the comment or show errors in place."""
    statement = _published(slug)
    thread = services.thread_for_statement(statement)
    form = CommentForm(request.POST, is_staff=request.user.is_staff)
    if not form.is_valid():
        return detail(request, slug, form=form, status=400)
    try:
        posted = services.post_comment(form.submission(thread, request, token_expected=True))
    except (services.NotFound, services.Forbidden) as exc:
        form.add_error(None, str(exc))
        return detail(request, slug, form=form, status=403 if isinstance(exc, services.Forbidden) else 404)
    except RateLimited as exc:
        form.add_error(None, str(exc))
        response = detail(request, slug, form=form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    comment = posted.comment
    level = messages.SUCCESS if comment.status == "approved" else messages.INFO
    messages.add_message(request, level, STATUS_MESSAGES[comment.status])
    anchor = f"#c{comment.pk}" if comment.status == "approved" else "#discussion"
    return redirect(statement.get_absolute_url() + anchor)


class StatementFeed(Feed):
    feed_type = Atom1Feed
    title = "Latest statements"
    link = "/"
    subtitle = "Statements published on this site."

    def items(self):
        return Statement.objects.published().select_related("body")[:30]

    def item_title(self, item: Statement) -> str:
        return item.title

    def item_description(self, item: Statement) -> str:
        return item.summary or item.plain_text[:400]

    def item_pubdate(self, item: Statement):
        return item.published_at

    def item_updateddate(self, item: Statement):
        return item.updated

    def item_author_name(self, item: Statement) -> str:
        return item.body.name
