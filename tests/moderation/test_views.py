"""The moderation pages: each action shows at once on the public page and in the API, and is audited."""

from __future__ import annotations

import pytest

from tribuna.discussion.models import Comment, Thread
from tribuna.moderation.models import AuditEntry, CommentHistory

pytestmark = pytest.mark.django_db


def act(client, action: str, comment) -> None:
    response = client.post(
        "/moderation/act/", {"do": f"{action}:{comment.pk}", "next": "/moderation/?tab=all"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/moderation/?tab=all"
    comment.refresh_from_db()


def test_the_queue_lists_pending_comments_newest_first_with_counts(mod_client, make_comment):
    older = make_comment("The older pending comment.")
    newer = make_comment("The newer pending comment.")
    make_comment("Some spam here.", status="spam")
    page = mod_client.get("/moderation/").content.decode()
    assert page.index(newer.text) < page.index(older.text)
    assert "Some spam here." not in page
    assert 'Pending <span class="count">2</span>' in page
    assert 'Spam <span class="count">1</span>' in page


def test_the_queue_shows_score_reasons_history_and_reports(mod_client, make_comment, moderator):
    from tribuna.moderation.models import Report

    make_comment("Earlier and fine.", status="approved", email="known@example.org")
    held = make_comment("Held for a reason.", email="known@example.org")
    Report.objects.create(comment=held, visitor="v1", reason="abuse", note="rude <b>words</b>")
    page = mod_client.get("/moderation/?tab=reported").content.decode()
    assert "Held for a reason." in page
    assert "The spam filter rates it 50% spam-like." in page and "unsure" in page
    assert "This author: 1 approved, 0 spam" in page
    assert "rude &lt;b&gt;words&lt;/b&gt;" in page


def test_the_queue_is_a_bounded_number_of_queries(mod_client, make_comment, django_assert_max_num_queries):
    for n in range(60):
        make_comment(f"Pending number {n}.", email=f"author{n}@example.org")
    with django_assert_max_num_queries(12):
        assert mod_client.get("/moderation/?tab=pending").status_code == 200


def test_the_queue_filters_by_thread_and_searches(mod_client, make_comment, body):
    other = Thread.objects.create(key="elsewhere", title="Elsewhere")
    make_comment("On the statement, about bicycles.")
    make_comment("On the other page.", on=other, email="someone@example.net")
    assert "bicycles" not in mod_client.get("/moderation/?thread=elsewhere").content.decode()
    assert "On the other page." in mod_client.get("/moderation/?q=someone@example").content.decode()
    assert "On the other page." not in mod_client.get("/moderation/?q=bicycles").content.decode()


def test_approving_publishes_on_the_page_and_in_the_api(mod_client, make_comment, public):
    comment = make_comment("Worth publishing after review.")
    assert comment.pk not in public.api_ids()
    act(mod_client, "approve", comment)
    assert comment.status == "approved"
    assert comment.pk in public.api_ids() and public.count() == 1
    assert "Worth publishing after review." in public.page()
    entry = AuditEntry.objects.get(action="discussion.comment.approved")
    assert (entry.username, entry.object_id) == ("moderator", str(comment.pk))
    assert (entry.before, entry.after) == ({"status": "pending"}, {"status": "approved"})


def test_marking_spam_hides_it_at_once(mod_client, make_comment, public):
    comment = make_comment("Published, then found out.", status="approved")
    assert comment.pk in public.api_ids()
    act(mod_client, "spam", comment)
    assert comment.status == "spam"
    assert public.api_ids() == [] and public.count() == 0
    assert "found out" not in public.page()
    assert AuditEntry.objects.filter(action="discussion.comment.spam", object_id=str(comment.pk)).exists()


def test_not_spam_approves_and_is_audited_as_such(mod_client, make_comment, public):
    comment = make_comment("A false positive.", status="spam")
    act(mod_client, "not_spam", comment)
    assert comment.status == "approved" and comment.pk in public.api_ids()
    assert AuditEntry.objects.filter(action="discussion.comment.not_spam").count() == 1


def test_trash_and_restore_bring_the_words_back(mod_client, make_comment, public):
    comment = make_comment("Trash me, then think again.", status="approved")
    act(mod_client, "trash", comment)
    assert comment.status == "deleted" and comment.text == ""
    assert public.api_ids() == [] and "think again" not in public.page()
    assert 'Trash <span class="count">1</span>' in mod_client.get("/moderation/?tab=trash").content.decode()
    act(mod_client, "restore", comment)
    assert comment.status == "approved" and comment.text == "Trash me, then think again."
    assert "think again" in public.page() and public.count() == 1


def test_a_trashed_comment_cannot_be_approved_without_its_words(mod_client, make_comment):
    comment = make_comment("Soon in the bin.")
    act(mod_client, "trash", comment)
    act(mod_client, "approve", comment)
    assert comment.status == "deleted"


def test_deleting_permanently_removes_the_row_and_its_history(mod_client, make_comment, public):
    comment = make_comment("Gone for good.", status="approved")
    act(mod_client, "trash", comment)
    act_response = mod_client.post("/moderation/act/", {"do": f"delete:{comment.pk}"})
    assert act_response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not CommentHistory.objects.exists()
    assert public.count() == 0
    assert AuditEntry.objects.filter(action="discussion.comment.deleted", object_id=str(comment.pk)).exists()


def test_deleting_a_comment_with_replies_leaves_a_placeholder(mod_client, make_comment, public):
    parent = make_comment("The parent.", status="approved")
    child = make_comment("The reply.", status="approved", parent=parent)
    mod_client.post("/moderation/act/", {"do": f"delete:{parent.pk}"})
    parent.refresh_from_db()
    assert parent.status == "deleted" and parent.text == ""
    assert public.api_ids() == [child.pk]
    assert "[deleted]" in public.page()


def test_editing_keeps_the_original_text(mod_client, make_comment, public):
    comment = make_comment("Contains a typo in teh text.", status="approved")
    response = mod_client.post(
        f"/moderation/comments/{comment.pk}/", {"text": "Contains no typo in the text."}
    )
    assert response.status_code == 302
    assert "no typo" in public.page()
    history = CommentHistory.objects.get(comment=comment)
    assert (history.kind, history.text) == ("edit", "Contains a typo in teh text.")
    assert (
        "Contains a typo in teh text."
        in mod_client.get(f"/moderation/comments/{comment.pk}/").content.decode()
    )
    assert AuditEntry.objects.filter(action="discussion.comment.edited").exists()


def test_a_moderator_reply_is_published_with_the_badge(mod_client, make_comment, public, settings):
    settings.TRIBUNA_PREMODERATION = {"all"}
    comment = make_comment("A question for the board.", status="approved")
    response = mod_client.post(f"/moderation/comments/{comment.pk}/reply/", {"text": "Here is our answer."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=comment)
    assert reply.is_moderator and reply.status == "approved"
    assert reply.pk in public.api_ids()
    assert '<span class="badge">moderator</span>' in public.page()


def test_pinning_puts_a_comment_first(mod_client, make_comment, api, thread):
    first = make_comment("First in time.", status="approved")
    second = make_comment("Second in time.", status="approved")
    act(mod_client, "pin", second)
    data = api.get(f"/api/v1/comments?thread={thread.key}").json()
    assert [c["id"] for c in data["comments"]] == [second.pk, first.pk]
    assert data["comments"][0]["pinned"] is True
    act(mod_client, "unpin", second)
    data = api.get(f"/api/v1/comments?thread={thread.key}").json()
    assert [c["id"] for c in data["comments"]] == [first.pk, second.pk]


def test_closing_a_thread_refuses_new_comments(mod_client, thread, api):
    response = mod_client.post(f"/moderation/threads/{thread.pk}/open/", {"open": "0"})
    assert response.status_code == 302
    assert api.get(f"/api/v1/comments?thread={thread.key}").json()["thread"]["open"] is False
    refused = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "Late", "text": "Too late?"})
    assert refused.status_code == 403
    mod_client.post(f"/moderation/threads/{thread.pk}/open/", {"open": "1"})
    assert api.get(f"/api/v1/comments?thread={thread.key}").json()["thread"]["open"] is True
    assert AuditEntry.objects.filter(action="discussion.thread.closed").exists()


def test_bulk_actions_from_the_page(mod_client, make_comment, public):
    comments = [make_comment(f"Bulk number {n}.") for n in range(3)]
    response = mod_client.post("/moderation/act/", {"action": "approve", "ids": [c.pk for c in comments]})
    assert response.status_code == 302
    assert public.api_ids() == sorted(c.pk for c in comments) and public.count() == 3


def test_actions_need_post_and_csrf(make_comment, moderator):
    from django.test import Client

    comment = make_comment()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.get(f"/moderation/act/?do=approve:{comment.pk}").status_code == 405
    assert client.post("/moderation/act/", {"do": f"approve:{comment.pk}"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_the_next_address_must_be_local(mod_client, make_comment):
    comment = make_comment()
    response = mod_client.post(
        "/moderation/act/", {"do": f"approve:{comment.pk}", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/moderation/"


def test_per_thread_rules_are_editable(mod_client, thread):
    response = mod_client.post(
        f"/moderation/threads/{thread.pk}/",
        {"hold_links": "on", "suspect_words": "casino\nlottery", "auto_approve_after": "3"},
    )
    assert response.status_code == 302
    assert thread.moderation.words == ["casino", "lottery"]
    assert AuditEntry.objects.filter(action="moderation.settings.changed").exists()


def test_the_audit_page_lists_actions(mod_client, make_comment):
    comment = make_comment()
    act(mod_client, "approve", comment)
    page = mod_client.get("/moderation/audit/?action=discussion.comment").content.decode()
    assert "discussion.comment.approved" in page and f"#{comment.pk}" in page


def test_the_nav_links_to_personal_data(mod_client):
    assert 'href="/moderation/personal-data/"' in mod_client.get("/moderation/").content.decode()
