"""A moderator on the public statement page: posts as themselves and moderates each comment in place."""

import pytest

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def shown(thread):
    thread.comment_count = 1
    thread.save(update_fields=["comment_count"])
    return Comment.objects.create(
        thread=thread, author_name="Reader", text="Hello", html="<p>Hello</p>", status="approved"
    )


def test_readers_see_no_moderator_controls(client, statement, shown, editor):
    for who in (None, editor):
        if who:
            client.force_login(who)
        html = client.get(statement.get_absolute_url()).content.decode()
        assert 'class="moderator-actions"' not in html
        assert 'name="email"' in html  # readers are asked who they are


def test_a_moderator_posts_without_name_or_email_and_with_the_badge(client, statement, thread, moderator):
    client.force_login(moderator)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert 'data-moderator="1"' in html and 'name="email"' not in html
    response = client.post(
        f"/moderation/threads/{thread.pk}/post/",
        {"text": "Thank you all; the board will answer on Monday.", "next": statement.get_absolute_url()},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/c/{comment.pk}/"
    assert comment.is_moderator and comment.status == "approved"
    assert comment.author_name == (moderator.get_full_name() or moderator.get_username())


def test_a_moderator_marks_spam_pins_and_locks_from_the_page(client, statement, thread, shown, moderator):
    client.force_login(moderator)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert (
        f'value="spam:{shown.pk}"' in html
        and f'value="pin:{shown.pk}"' in html
        and 'name="open" value="0"' in html
    )
    back = client.post("/moderation/act/", {"do": f"pin:{shown.pk}", "next": statement.get_absolute_url()})
    assert back["Location"] == statement.get_absolute_url()
    assert Comment.objects.get(pk=shown.pk).is_pinned
    client.post("/moderation/act/", {"do": f"spam:{shown.pk}", "next": statement.get_absolute_url()})
    assert Comment.objects.get(pk=shown.pk).status == "spam"
    client.post(f"/moderation/threads/{thread.pk}/open/", {"open": "0", "next": statement.get_absolute_url()})
    thread.refresh_from_db()
    assert not thread.is_open


def test_only_moderators_may_post_as_one(client, thread, editor):
    client.force_login(editor)
    assert client.post(f"/moderation/threads/{thread.pk}/post/", {"text": "Pretending"}).status_code == 403
    assert not Comment.objects.exists()
