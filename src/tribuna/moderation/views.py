"""The moderation pages at /moderation/: staff only, every change a CSRF-protected POST.

Views parse the request and call moderation.services; the services do the work and write the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tribuna.antispam.models import Ban
from tribuna.discussion.forms import EditForm
from tribuna.discussion.models import Comment, Thread
from tribuna.lib.errors import DomainError, NotFound
from tribuna.lib.http import client_ip
from tribuna.lib.text import is_row_id
from tribuna.moderation import queue, services
from tribuna.moderation.audit import log_action
from tribuna.moderation.forms import BanForm, ReplyForm, SettingsForm
from tribuna.moderation.models import AuditEntry, ModerationSettings
from tribuna.moderation.roles import moderator_required

DONE = {
    "approve": "approved",
    "approve_author": "approved with every other waiting comment of its author",
    "spam": "marked as spam",
    "not_spam": "approved as not spam",
    "trash": "moved to the trash",
    "restore": "restored",
    "delete": "deleted permanently",
    "pin": "pinned",
    "unpin": "unpinned",
}
ONE_COMMENT = {
    "approve": services.approve,
    "spam": services.mark_spam,
    "not_spam": services.mark_not_spam,
    "trash": services.trash,
    "restore": services.restore,
    "delete": services.delete_permanently,
    "approve_author": services.approve_author,
    "pin": lambda comment, user: services.pin(comment, True, user),
    "unpin": lambda comment, user: services.pin(comment, False, user),
}


def _back(request: HttpRequest, fallback: str = "moderation:queue") -> HttpResponse:
    """Return to where the moderator was: a local address only."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@moderator_required
def queue_view(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pending")
    thread_key = request.GET.get("thread", "").strip()
    search = request.GET.get("q", "")
    found = queue.load(tab=tab, thread_key=thread_key, search=search, page=request.GET.get("page", 1))
    tabs = [(name, label, found.counts[name]) for name, (label, _) in queue.TABS.items()]
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": found,
            "tabs": tabs,
            "thread_key": thread_key,
            "search": search,
            "bulk_actions": services.BULK_ACTIONS,
            "page_query": urlencode({"tab": found.tab, "thread": thread_key, "q": search}) + "&",
        },
    )


@require_POST
@moderator_required
def act(request: HttpRequest) -> HttpResponse:
    """One button per row ("do" = "approve:12") or the bulk form (action + checked ids)."""
    one = request.POST.get("do", "")
    if one:
        name, _, pk = one.partition(":")
        if name not in ONE_COMMENT or not is_row_id(pk):
            messages.error(request, "Unknown action.")
            return _back(request)
        comment = get_object_or_404(Comment, pk=int(pk))
        try:
            ONE_COMMENT[name](comment, request.user)
        except services.CannotRestore as exc:
            messages.error(request, str(exc))
            return _back(request)
        messages.success(request, f"Comment #{pk} {DONE[name]}.")
        return _back(request)
    action = request.POST.get("action", "")
    ids = [pk for pk in request.POST.getlist("ids") if is_row_id(pk)]
    if action not in services.BULK_ACTIONS or not ids:
        messages.error(request, "Choose an action and at least one comment.")
        return _back(request)
    changed = services.bulk(action, ids, request.user)
    messages.success(
        request, f"{services.BULK_ACTIONS[action].label}: {changed} of {len(ids)} comments changed."
    )
    return _back(request)


@moderator_required
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    if comment.status == Comment.Status.DELETED:
        messages.error(request, "Restore the comment before editing it.")
        return redirect("moderation:queue")
    form = EditForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        services.edit(comment, form.cleaned_data["text"], request.user)
        messages.success(request, f"Comment #{pk} edited; the earlier text is kept in its history.")
        return _back(request)
    return render(
        request,
        "moderation/edit.html",
        {
            "comment": comment,
            "form": form,
            "reply_form": ReplyForm(),
            "history": comment.history.all()[:20],
        },
    )


@require_POST
@moderator_required
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("text", ["Write a reply."])))
        return redirect("moderation:edit", pk=pk)
    try:
        posted = services.reply(comment, form.cleaned_data["text"], request.user, ip=client_ip(request))
    except NotFound:
        messages.error(request, "Only a published comment can be answered; approve it first.")
        return redirect("moderation:edit", pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("moderation:edit", pk=pk)
    messages.success(request, f"Reply #{posted.pk} published.")
    return redirect("moderation:queue")


@moderator_required
def threads_view(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    threads = Thread.objects.order_by("-created", "-id")
    if search:
        threads = threads.filter(title__icontains=search) | threads.filter(key__icontains=search)
    page = Paginator(threads, queue.PAGE_SIZE).get_page(request.GET.get("page", 1))
    return render(
        request,
        "moderation/threads.html",
        {"page": page, "search": search, "page_query": urlencode({"q": search}) + "&"},
    )


@moderator_required
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    current = ModerationSettings.objects.filter(thread=thread).first() or ModerationSettings(thread=thread)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        before = {"saved": current.pk is not None}
        saved = form.save()
        log_action(
            "moderation.settings.changed",
            user=request.user,
            obj=thread,
            before=before,
            after={field: form.cleaned_data[field] for field in form.changed_data},
        )
        messages.success(request, f"Moderation rules for {thread} saved ({saved}).")
        return redirect("moderation:thread", pk=pk)
    return render(request, "moderation/thread.html", {"thread": thread, "form": form})


@require_POST
@moderator_required
def thread_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator posting from the public page: just the text (and the comment answered)."""
    thread = get_object_or_404(Thread, pk=pk)
    form = ReplyForm(request.POST)
    parent = request.POST.get("parent", "")
    if not form.is_valid():
        messages.error(
            request, " ".join(str(error) for error in form.errors.get("text", [_("Write a comment.")]))
        )
        return _back(request)
    try:
        comment = services.post_as_moderator(
            thread,
            form.cleaned_data["text"],
            request.user,
            parent_id=int(parent) if is_row_id(parent) else None,
            ip=client_ip(request),
            language=request.POST.get("language", "")[:12],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request)
    messages.success(request, _("Your comment is published."))
    return redirect("discussion:permalink", comment_id=comment.pk)


@require_POST
@moderator_required
def thread_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread, pk=pk)
    is_open = request.POST.get("open") == "1"
    services.set_open(thread, is_open, request.user)
    messages.success(request, f"{thread} is {'open' if is_open else 'closed'} for comments.")
    return _back(request, "moderation:threads")


@moderator_required
def bans_view(request: HttpRequest) -> HttpResponse:
    initial = {}
    comment_id = request.GET.get("comment", "")
    kind = request.GET.get("kind", "")
    if comment_id.isdigit() and kind in (Ban.Kind.EMAIL, Ban.Kind.IP):
        # "Ban this author" from a queue row: the value comes from the comment, not the URL.
        comment = get_object_or_404(Comment, pk=int(comment_id))
        initial = {
            "kind": kind,
            "value": services.ban_value_for(comment, kind),
            "reason": f"comment #{comment.pk}",
        }
    form = BanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.ban(
            data["kind"], data["value"], request.user, reason=data["reason"], expires=data["expires"]
        )
        messages.success(request, "Ban added.")
        return redirect("moderation:bans")
    bans = Paginator(Ban.objects.select_related("created_by").order_by("-created", "-id"), queue.PAGE_SIZE)
    return render(
        request, "moderation/bans.html", {"form": form, "page": bans.get_page(request.GET.get("page", 1))}
    )


@require_POST
@moderator_required
def ban_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    services.unban(get_object_or_404(Ban, pk=pk), request.user)
    messages.success(request, "Ban removed.")
    return redirect("moderation:bans")


@moderator_required
def audit_view(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 100).get_page(request.GET.get("page", 1))
    return render(
        request,
        "moderation/audit.html",
        {"page": page, "action": action, "action_query": urlencode({"action": action}) + "&"},
    )
