"""What the public sees: placeholders keep replies in place, unpublished statements stay hidden,
and edits pass the same rules as new comments."""

import pytest

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread
from tribuna.moderation.models import ModerationSettings
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db


def approved(thread, text, parent=None):
    posted = services.post_comment(
        services.Submission(thread=thread, text=text, name="Board", parent_id=parent.pk if parent else None),
        is_moderator=True,
    )
    return posted.comment


def shown_ids(page):
    ids, stack = [], list(page["comments"])
    while stack:
        node = stack.pop()
        ids.append(node["id"])
        stack.extend(node["replies"])
    return ids


def test_a_chain_of_removed_comments_keeps_the_approved_reply_below_visible(thread):
    a = approved(thread, "Top")
    b = approved(thread, "Middle", parent=a)
    c = approved(thread, "Bottom", parent=b)
    services.set_status(b, Comment.Status.DELETED)
    services.set_status(a, Comment.Status.DELETED)
    page = services.thread_page(Thread.objects.get(pk=thread.pk))
    assert set(shown_ids(page)) == {a.pk, b.pk, c.pk}
    assert page["comments"][0]["deleted"] and page["comments"][0]["html"] == ""


def test_a_held_parent_becomes_an_empty_placeholder_for_its_replies(thread):
    parent = approved(thread, "Parent words that will be hidden")
    reply = approved(thread, "Reply", parent=parent)
    services.set_status(parent, Comment.Status.PENDING)
    page = services.thread_page(Thread.objects.get(pk=thread.pk))
    top = page["comments"][0]
    assert top["id"] == parent.pk and top["deleted"] and top["author"]["name"] == "" and top["html"] == ""
    assert top["replies"][0]["id"] == reply.pk


def test_an_unpublished_statements_thread_is_unknown_to_the_api(api, statement, thread):
    approved(thread, "Visible while published")
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.DRAFT)
    assert api.get(f"/api/v1/comments?thread={thread.key}").status_code == 404
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "A", "text": "Hello"})
    assert response.status_code == 404
    assert api.post_json("/api/v1/counts", {"threads": [thread.key]}).json()["counts"][thread.key] == 0


def test_an_authors_edit_meets_the_threads_suspect_words(api, thread, post_comment):
    ModerationSettings.objects.create(thread=thread, suspect_words="casino")
    posted = post_comment(text="The evening hours would help students who work during the day.")
    assert posted["status"] == "approved"
    response = api.patch_json(
        f"/api/v1/comments/{posted['id']}",
        {"text": "Visit the casino tonight", "edit_token": posted["edit_token"]},
    )
    assert response.status_code == 200
    comment = Comment.objects.get(pk=posted["id"])
    assert comment.status == "pending" and comment.text == "Visit the casino tonight"
    assert any("casino" in reason for reason in comment.spam_reasons)


def test_reply_to_never_names_a_hidden_author(thread, settings):
    top = approved(thread, "Top")
    chain = [top]
    for level in range(settings.TRIBUNA_MAX_DEPTH):
        chain.append(approved(thread, f"Level {level}", parent=chain[-1]))
    Comment.objects.filter(pk=chain[-2].pk).update(author_name="Secret Name")
    services.set_status(Comment.objects.get(pk=chain[-2].pk), Comment.Status.SPAM)
    page = services.thread_page(Thread.objects.get(pk=thread.pk))
    assert "Secret Name" not in str(page)
