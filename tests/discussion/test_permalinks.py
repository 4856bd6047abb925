"""A comment's permalink opens the page of its thread that holds it, scrolled to it."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.discussion.services import thread_page

pytestmark = pytest.mark.django_db


def _roots(thread, n):
    start = timezone.now() - timezone.timedelta(days=1)
    comments = []
    for i in range(n):
        c = Comment.objects.create(
            thread=thread, author_name=f"R{i}", text=f"Root {i}", html=f"<p>Root {i}</p>", status="approved"
        )
        Comment.objects.filter(pk=c.pk).update(created=start + timezone.timedelta(minutes=i))
        comments.append(c)
    return comments


def _follow(client, comment_id):
    response = client.get(f"/c/{comment_id}/")
    assert response.status_code == 302
    return urlsplit(response["Location"])


def test_a_comment_on_the_first_page_links_to_the_page_itself(client, statement, thread):
    first = _roots(thread, 3)[0]
    location = _follow(client, first.pk)
    assert location.path == statement.get_absolute_url()
    assert location.query == ""
    assert location.fragment == f"c{first.pk}"


def test_a_reply_past_the_first_page_opens_the_page_that_holds_it(client, statement, thread, settings):
    settings.TRIBUNA_PAGE_SIZE = 5
    roots = _roots(thread, 12)
    target_root = roots[7]  # on the second page of five
    reply = Comment.objects.create(
        thread=thread,
        parent=target_root,
        root=target_root,
        depth=1,
        author_name="Re",
        text="A reply",
        html="<p>A reply</p>",
        status="approved",
    )
    location = _follow(client, reply.pk)
    assert location.fragment == f"c{reply.pk}"
    cursor = parse_qs(location.query)["cursor"][0]
    page = thread_page(thread, sort="oldest", cursor=cursor)
    assert target_root.pk in [c["id"] for c in page["comments"]]
    assert reply.pk in [r["id"] for c in page["comments"] for r in c["replies"]]
    # and the page that holds it is rendered with the comment in it, without JavaScript
    html = client.get(f"{location.path}?{location.query}").content.decode()
    assert f'id="c{reply.pk}"' in html


def test_pinned_comments_come_first_when_locating(client, statement, thread, settings):
    settings.TRIBUNA_PAGE_SIZE = 2
    roots = _roots(thread, 5)
    Comment.objects.filter(pk=roots[4].pk).update(is_pinned=True)
    assert _follow(client, roots[4].pk).query == ""  # pinned: first on the first page
    location = _follow(client, roots[2].pk)  # pinned, r0, | r1, r2 | r3
    page = thread_page(thread, sort="oldest", cursor=parse_qs(location.query)["cursor"][0])
    assert [c["id"] for c in page["comments"]] == [roots[1].pk, roots[2].pk]


def test_held_spam_and_unknown_comments_have_no_permalink(client, thread):
    held = Comment.objects.create(thread=thread, author_name="H", text="h", html="<p>h</p>", status="pending")
    assert client.get(f"/c/{held.pk}/").status_code == 404
    assert client.get("/c/999999/").status_code == 404


def test_a_draft_statements_comments_have_no_permalink(client, statement, thread):
    comment = _roots(thread, 1)[0]
    statement.status = statement.Status.DRAFT
    statement.save()
    assert client.get(f"/c/{comment.pk}/").status_code == 404


def test_comment_times_are_relative_within_a_week_with_the_exact_moment_in_a_tooltip(
    client, statement, thread
):
    recent, old = _roots(thread, 2)
    Comment.objects.filter(pk=recent.pk).update(created=timezone.now() - timezone.timedelta(hours=3))
    Comment.objects.filter(pk=old.pk).update(created=timezone.now() - timezone.timedelta(days=30))
    html = client.get(statement.get_absolute_url()).content.decode()

    def time_of(comment):
        li = html[html.index(f'id="c{comment.pk}"') :]
        return re.search(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', li).groups()

    stamp, tooltip, shown = time_of(recent)
    assert shown.replace("\xa0", " ") == "3 hours ago"
    assert stamp.startswith(str(timezone.localtime().year)) and tooltip
    stamp, tooltip, shown = time_of(old)
    assert "ago" not in shown
    assert str(timezone.localtime(timezone.now() - timezone.timedelta(days=30)).year) in shown
