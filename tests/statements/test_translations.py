"""A statement published in several languages: linked pages, alternates, and their discussions."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.discussion.services import thread_for_statement
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(statement, body):
    s = Statement(
        slug="une-declaration",
        title="Une déclaration",
        body=body,
        language="fr",
        text="Texte.",
        status=Statement.Status.PUBLISHED,
        published_at=statement.published_at,
        translation_of=statement,
    )
    s.save()
    return s


def test_each_version_links_the_others_with_hreflang(client, statement, french, body, settings):
    draft = Statement(
        slug="ein-entwurf", title="Entwurf", body=body, language="de", text="x", translation_of=statement
    )
    draft.save()
    html = client.get(statement.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" hreflang="fr" href="{settings.BASE_URL}{french.get_absolute_url()}">' in html
    )
    assert f'href="{french.get_absolute_url()}" hreflang="fr" lang="fr">Français</a>' in html
    assert "ein-entwurf" not in html  # drafts are not offered
    french_html = client.get(french.get_absolute_url()).content.decode()
    assert f'href="{statement.get_absolute_url()}" hreflang="en" lang="en">English</a>' in french_html
    assert (
        '<article class="statement" id="statement" data-slug="une-declaration" lang="fr" dir="ltr">'
        in french_html
    )


def test_each_translation_has_its_own_discussion_by_default(statement, french):
    assert thread_for_statement(french).pk != thread_for_statement(statement).pk


def test_a_shared_discussion_shows_each_comments_language(client, statement, french):
    statement.shared_discussion = True
    statement.save()
    french.refresh_from_db()
    thread = thread_for_statement(french)
    assert thread.pk == thread_for_statement(statement).pk
    response = client.post(
        f"/statements/{french.slug}/comment",
        {"name": "Claire", "text": "Un commentaire en français.", "notify": "none"},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.thread_id == thread.pk and comment.language == "fr"
    Comment.objects.filter(pk=comment.pk).update(status="approved")
    html = client.get(statement.get_absolute_url()).content.decode()
    assert '<span class="comment-language" lang="fr" title="fr">FR</span>' in html


def test_a_translation_must_point_to_an_original_in_another_language(statement, french, body):
    again = Statement(slug="x", title="x", body=body, language="de", text="x", translation_of=french)
    with pytest.raises(ValidationError):
        again.clean()
    same = Statement(slug="y", title="y", body=body, language="en", text="x", translation_of=statement)
    with pytest.raises(ValidationError):
        same.clean()


def test_the_home_page_lists_a_statement_once_in_the_readers_language(client, statement, french):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert statement.title in english and french.title not in english
    in_french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert french.title in in_french and statement.title not in in_french


def test_the_feed_marks_each_entrys_language(client, statement, french):
    feed = client.get("/feed/").content.decode()
    assert 'xml:lang="fr"' in feed and 'xml:lang="en"' in feed


def test_published_at_of_a_translation_is_its_own(statement, french):
    assert french.published_at <= timezone.now()


def test_a_translation_sharing_the_discussion_takes_no_passage_comments(client, statement, french):
    statement.shared_discussion = True
    statement.save()
    french_page = client.get(french.get_absolute_url()).content.decode()
    assert 'data-passages="off"' in french_page
    assert 'data-passages="off"' not in client.get(statement.get_absolute_url()).content.decode()


def test_a_statement_keeps_its_own_direction_inside_a_right_to_left_interface(client, statement):
    html = client.get(statement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="en" dir="ltr"' in html
