"""`tribuna demo`: sample statements with discussions that read like real ones."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_dates_comments_after_their_statement(capsys):
    call_command("demo")
    call_command("demo")
    assert "already loaded" in capsys.readouterr().out
    statements = list(Statement.objects.published())
    assert sorted(s.language for s in statements) == ["en", "en", "en", "es", "fr"]
    now = timezone.now()
    for statement in statements:
        comments = list(Comment.objects.filter(thread__statement=statement))
        assert len(comments) >= (6 if statement.translation_of_id is None else 1)
        assert all(statement.published_at <= c.created <= now for c in comments)
        assert len({c.created for c in comments}) == len(comments)  # spread out, not all at one instant
        if len(comments) > 2:
            assert any(c.parent_id for c in comments)  # people reply to each other
        assert statement.thread.comment_count == sum(c.status == "approved" for c in comments)


def test_demo_spam_waits_in_the_queue_and_never_shows_on_a_page(client):
    call_command("demo")
    spam = Comment.objects.filter(status="spam")
    assert spam.exists()
    for comment in spam:
        html = client.get(comment.thread.statement.get_absolute_url()).content.decode()
        assert comment.text[:20] not in html
