"""Statement pages, the no-JavaScript comment form, the feed and the security headers."""

import re
from pathlib import Path

import pytest

from tribuna.discussion.models import Comment
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db


def test_home_lists_published_statements_only(client, statement, body):
    Statement(slug="draft", title="A draft nobody sees", body=body, text="x").save()
    html = client.get("/").content.decode()
    assert statement.title in html
    assert "A draft nobody sees" not in html


def test_a_draft_is_404(client, body):
    Statement(slug="draft", title="Draft", body=body, text="x").save()
    assert client.get("/statements/draft/").status_code == 404


def test_statement_page_has_sections_contents_and_discussion(client, statement):
    html = client.get(statement.get_absolute_url()).content.decode()
    assert '<h2 id="first-section">' in html
    assert 'href="#first-section"' in html
    assert 'id="reply-form"' in html
    assert "Learn how your comment data is processed" in html


def test_posting_without_javascript_redirects_to_the_comment(client, statement, thread):
    page = client.get(statement.get_absolute_url()).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"name": "Ada", "text": "Posted without any script at all.", "form_token": token, "notify": "none"},
    )
    # A form sent in under two seconds is a bot's: held as spam, and the reader is told.
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status in {"approved", "pending", "spam"}


def test_a_reply_without_javascript(client, statement, thread):
    parent = Comment.objects.create(
        thread=thread, author_name="P", text="Parent", html="<p>Parent</p>", status="approved"
    )
    page = client.get(f"{statement.get_absolute_url()}?reply={parent.pk}").content.decode()
    assert f'name="parent" value="{parent.pk}"' in page
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"name": "Bo", "text": "Replying without script.", "parent": parent.pk},
    )
    assert response.status_code == 302
    assert Comment.objects.get(author_name="Bo").parent_id == parent.pk


def test_invalid_form_shows_errors_beside_fields_and_keeps_the_text(client, statement):
    response = client.post(
        f"/statements/{statement.slug}/comment", {"name": "", "text": "Keep me", "url": "javascript:x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter your name." in html
    assert "http:// or https://" in html
    assert "Keep me" in html
    assert not Comment.objects.exists()


def _post_page(client, statement, **fields):
    return client.post(
        f"/statements/{statement.slug}/comment", {"name": "Ada", "text": "Posted by hand.", **fields}
    )


def test_a_closed_discussion_refuses_the_form_with_403_and_keeps_the_words(client, statement, thread):
    thread.is_open = False
    thread.save()
    response = _post_page(client, statement, text="Words I do not want to lose.")
    assert response.status_code == 403
    assert "This discussion is closed to new comments." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_flood_from_the_form_gets_429_with_retry_after_and_the_message(client, statement, thread, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_RATE_LIMITS = {**settings.TRIBUNA_RATE_LIMITS, "ip": (1, 60)}
    assert _post_page(client, statement, text="The first one goes through.").status_code == 302
    response = _post_page(client, statement, text="The second one is one too many.")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Too many requests" in html and "The second one is one too many." in html
    assert Comment.objects.count() == 1


def test_a_banned_author_is_answered_like_any_refused_comment(client, statement, thread):
    """No answer of its own: that would tell anyone typing an address whether it is banned."""
    from tribuna.antispam.models import Ban

    Ban.objects.create(kind=Ban.Kind.EMAIL, value="troll@example.org")
    banned = _post_page(client, statement, email="troll@example.org")
    refused = _post_page(
        client,
        statement,
        email="bot@example.org",
        homepage="http://bot.example",
        text="Something else entirely, from a bot.",
    )
    assert banned.status_code == refused.status_code == 302
    assert banned["Location"].split("#")[0] == refused["Location"].split("#")[0]
    assert "banned" not in client.get(banned["Location"]).content.decode().lower()
    assert set(Comment.objects.values_list("status", flat=True)) == {"spam"}


def test_form_post_without_csrf_token_is_refused(statement):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/statements/{statement.slug}/comment", {"name": "A", "text": "B"})
    assert response.status_code == 403


def test_hostile_comment_renders_escaped_in_the_page(client, statement, thread):
    Comment.objects.create(
        thread=thread,
        author_name='<script>alert("n")</script>',
        author_url="https://ok.example/",
        text="x",
        html="<p>x</p>",
        status="approved",
    )
    html = client.get(statement.get_absolute_url()).content.decode()
    assert '<script>alert("n")</script>' not in html
    assert "&lt;script&gt;" in html


def test_every_response_has_a_strict_csp(client, statement):
    csp = client.get(statement.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "frame-ancestors 'none'" in csp


def test_atom_feed_lists_statements(client, statement):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert statement.title in response.content.decode()


def test_every_edit_keeps_a_revision(statement):
    statement.text += "\n\nA new paragraph."
    statement.save()
    statement.save()  # no change, no new revision
    assert list(statement.revisions.values_list("number", flat=True)) == [2, 1]


def test_no_template_marks_text_safe():
    templates = Path(__file__).resolve().parents[2] / "src" / "tribuna"
    offenders = [
        p for p in templates.rglob("*.html") if "|safe" in p.read_text() or "autoescape off" in p.read_text()
    ]
    assert offenders == []


def test_statement_page_describes_itself_to_search_engines_and_feed_readers(client, statement):
    html = client.get(statement.get_absolute_url()).content.decode()
    assert '<meta name="description" content="An opening paragraph.' in html
    assert (
        f'<link rel="canonical" href="http://testserver{statement.get_absolute_url()}"' in html
        or 'rel="canonical" href="' in html
        and statement.get_absolute_url() in html
    )
    assert '<meta property="og:title" content="A test statement">' in html
    assert f'href="/statements/{statement.slug}/feed/"' in html


def test_robots_and_sitemap_list_published_statements_only(client, statement, body):
    Statement(slug="draft", title="Draft", body=body, text="x").save()
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: " in robots.content.decode() and "Disallow: /moderation/" in robots.content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert statement.get_absolute_url() in sitemap
    assert "/statements/draft/" not in sitemap


def test_a_held_comment_without_javascript_is_told_beside_the_discussion(client, statement, thread, settings):
    settings.TRIBUNA_PREMODERATION = {"all"}
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"name": "Bo", "text": "Waiting for a moderator.", "notify": "none"},
        follow=True,
    )
    comment = Comment.objects.get()
    assert comment.status != "approved"
    message = "a moderator" if comment.status == "spam" else "awaiting moderation"
    html = response.content.decode()
    discussion = html[html.index('id="discussion"') :]
    assert message in discussion
    assert message not in html[: html.index('id="discussion"')]


def test_a_preview_without_javascript_shows_the_text_and_keeps_the_form(client, statement):
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"text": "A *careful* draft.", "name": "", "email": "me@example.org", "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section class="comment-preview"' in html and "<em>careful</em>" in html
    assert "A *careful* draft.</textarea>" in html and 'value="me@example.org"' in html
    assert "Enter your name." not in html  # a preview judges nothing
    assert Comment.objects.count() == 0
