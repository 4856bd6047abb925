"""Pages behind the links in our emails, the subscribe form, and the demo mailbox.

No GET changes anything (mail clients and scanners prefetch links): every link opens a page
whose button POSTs. Only the unsubscribe URL is CSRF-exempt, because RFC 8058 one-click
unsubscribe is a POST from the mail provider without a token; the signed URL is the credential.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tribuna.discussion.models import Comment, Thread
from tribuna.lib.errors import DomainError, answers_domain_errors
from tribuna.lib.http import client_ip, is_loopback
from tribuna.lib.owned_addresses import owns, remember
from tribuna.moderation.roles import is_moderator
from tribuna.moderation.services import approve, mark_spam
from tribuna.notifications import mailbox, services, tokens
from tribuna.notifications.emails import excerpt_of, thread_url
from tribuna.notifications.forms import ACCEPTED, SubscribeForm


def bad_link(request: HttpRequest, exc: tokens.BadToken) -> HttpResponse:
    return render(request, "notifications/bad_link.html", {"reason": str(exc)}, status=400)


def _subscribe_refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    thread = get_object_or_404(Thread, key=request.GET.get("thread", ""))
    form = SubscribeForm(request.POST)
    form.is_valid()
    form.add_error(None, exc.message)
    return render(
        request,
        "notifications/subscribe.html",
        {"thread": thread, "form": form, "thread_url": thread_url(thread)},
    )


@require_http_methods(["GET", "POST"])
@answers_domain_errors(_subscribe_refused)
def subscribe(request: HttpRequest) -> HttpResponse:
    thread = get_object_or_404(Thread, key=request.GET.get("thread", ""))
    form = SubscribeForm(request.POST or None)
    context = {"thread": thread, "form": form, "thread_url": thread_url(thread)}
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        services.check_ip_rate(ip)
        email = form.cleaned_data["email"]
        services.subscribe(thread, email, form.cleaned_data["mode"], ip=ip, owner=owns(request, email))
        return render(request, "notifications/subscribe.html", {**context, "done": ACCEPTED}, status=202)
    return render(request, "notifications/subscribe.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the subscriptions the email named; the browser that does it is remembered as the
    address's owner's (lib.owned_addresses), so its later subscriptions need no new email."""
    try:
        link = tokens.read_confirm_token(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    threads = services.pending_subscriptions(link.email)
    if link.subscription_ids is not None:
        threads = threads.filter(pk__in=link.subscription_ids)
    context = {"email": link.email, "threads": [s.thread for s in threads]}
    if request.method == "POST":
        services.confirm(link.email, link.subscription_ids)
        response = render(request, "notifications/confirm.html", {**context, "done": True})
        remember(request, response, link.email)
        return response
    return render(request, "notifications/confirm.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = tokens.read_unsubscribe_token(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    thread = Thread.objects.filter(pk=target.thread_id).first() if target.thread_id else None
    context = {"email": target.email, "thread": thread}
    if request.method == "POST":
        # One-click (RFC 8058) means "this list": the thread if the email was about one.
        scope = request.POST.get("scope") or ("thread" if thread else "all")
        if scope == "thread" and thread is not None:
            services.unsubscribe_thread(target.email, thread.pk)
        else:
            scope = "all"
            services.unsubscribe_everything(target.email)
        return render(request, "notifications/unsubscribe.html", {**context, "done": scope})
    return render(request, "notifications/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, token: str) -> HttpResponse:
    """Approve or mark spam from a held-comment email, for the moderator it was sent to alone.

    The link proves which email it came from, not who clicks it (mail is forwarded, copied,
    read by others): it acts only in that moderator's own signed-in session, and only on the
    comment as it was when the email went out.
    """
    try:
        link = tokens.read_moderate_token(token)
    except tokens.BadToken as exc:
        return bad_link(request, exc)
    moderator = get_user_model().objects.filter(pk=link.user_id).first()
    if moderator is None or not is_moderator(moderator):
        return bad_link(
            request, tokens.BadToken("This link was sent to someone who is no longer a moderator.")
        )
    if not request.user.is_authenticated or request.user.pk != moderator.pk:
        return redirect_to_login(request.get_full_path(), login_url=settings.LOGIN_URL)
    comment = Comment.objects.select_related("thread__statement").filter(pk=link.comment_id).first()
    if comment is None:
        return bad_link(request, tokens.BadToken("This comment no longer exists."))
    status = Comment.Status.APPROVED if link.action == "approve" else Comment.Status.SPAM
    context = {
        "comment": comment,
        "action": link.action,
        "excerpt": excerpt_of(comment),
        "comment_url": f"{thread_url(comment.thread)}#c{comment.pk}",
    }
    if comment.status != Comment.Status.PENDING:
        return render(
            request, "notifications/moderate.html", {**context, "handled": comment.get_status_display()}
        )
    if not tokens.describes(link, comment):
        return render(request, "notifications/moderate.html", {**context, "changed": True}, status=409)
    if request.method == "POST":
        # The same verb as the queue: row lock, audit entry, reports resolved, a label for the filter.
        decide = approve if status == Comment.Status.APPROVED else mark_spam
        comment = decide(comment, request.user)
        return render(
            request, "notifications/moderate.html", {**context, "done": comment.get_status_display()}
        )
    return render(request, "notifications/moderate.html", context)


def _mailbox_allowed(request: HttpRequest) -> None:
    """The demo's mailbox shows every link the site has mailed (my-data, moderation, confirmation),
    so it exists only with TRIBUNA_DEMO_MAILBOX on, and only for a browser on this machine: not
    through a proxy (a forwarded request is someone else's), not for staff of a real site."""
    if not settings.TRIBUNA_DEMO_MAILBOX:
        raise Http404("No mailbox here.")
    forwarded = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
    if forwarded or not is_loopback(request.META.get("REMOTE_ADDR", "")):
        raise Http404("No mailbox here.")


def mailbox_index(request: HttpRequest) -> HttpResponse:
    """The demo's inbox: every message the file backend wrote, newest first."""
    _mailbox_allowed(request)
    folder = mailbox.directory()
    # Not "messages": that name belongs to Django's messages framework in every template.
    return render(
        request,
        "notifications/mailbox.html",
        {"mails": mailbox.messages(), "folder": folder, "email_url_scheme": settings.EMAIL_BACKEND},
    )


def mailbox_message(request: HttpRequest, name: str, index: int) -> HttpResponse:
    _mailbox_allowed(request)
    found = mailbox.message(name, index)
    if found is None:
        raise Http404("No such message.")
    return render(request, "notifications/mailbox_message.html", {"mail": found})
