"""The comments API: posting, reading, editing, deleting, voting, counts, and every error."""

import json

import pytest

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread
from tribuna.lib.errors import NotFound

pytestmark = pytest.mark.django_db


def test_it_posts_a_comment_and_returns_the_inserted_id(api, thread):
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "Ada", "text": "Hello *world*"}
    )
    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get(pk=body["id"])
    assert comment.text == "Hello *world*"
    assert body["status"] == comment.status
    assert body["edit_token"]
    assert "<em>world</em>" in body["html"]


def test_it_lists_a_thread_with_nested_replies(api, thread, post_comment):
    first = post_comment(text="A first comment on the statement.")
    reply = post_comment(text="A reply to the first comment.", parent=first["id"])
    page = api.get(f"/api/v1/comments?thread={thread.key}").json()
    assert page["thread"]["key"] == thread.key
    assert page["thread"]["count"] == 2
    assert [c["id"] for c in page["comments"]] == [first["id"]]
    assert page["comments"][0]["replies"][0]["id"] == reply["id"]
    assert page["next"] is None


def test_the_api_never_returns_email_or_ip(api, thread, post_comment):
    post_comment(email="secret.person@example.org", text="Mail me maybe, but never show my address.")
    raw = api.get(f"/api/v1/comments?thread={thread.key}").content.decode()
    assert "secret.person" not in raw
    assert "127.0.0.1" not in raw


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": ""}, "text", "Write a comment"),
        ({"text": "x" * 10_001}, "text", "at most 10,000"),
        ({"name": ""}, "name", "Enter your name"),
        ({"name": "n" * 101}, "name", "at most 100"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
        ({"url": "ftp://example.org"}, "url", "http:// or https://"),
        ({"notify": "everything"}, "notify", "none, replies, all"),
        ({"notify": "all"}, "notify", "email address"),
        ({"name": "Moderator"}, "name", "reserved"),
    ],
)
def test_invalid_fields_get_precise_errors(api, thread, payload, field, message):
    data = {"thread": thread.key, "name": "Ada", "text": "Fine text", **payload}
    response = api.post_json("/api/v1/comments", data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in m for m in errors[field]), errors
    assert not Comment.objects.exists()


def test_wrong_types_are_400_with_field_names(api, thread):
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "A", "text": "t", "parent": "x"}
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_unknown_thread_is_404(api):
    response = api.post_json("/api/v1/comments", {"thread": "nope", "name": "A", "text": "Hi"})
    assert response.status_code == 404
    assert api.get("/api/v1/comments?thread=nope").status_code == 404


def test_parent_from_another_thread_is_404(api, thread, post_comment):
    other = Thread.objects.create(key="other")
    foreign = Comment.objects.create(
        thread=other, author_name="X", text="t", html="<p>t</p>", status="approved"
    )
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "A", "text": "Hi", "parent": foreign.pk}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("parent", [2**63, 2**64 + 5, 10**30])
def test_a_parent_id_past_what_the_database_holds_is_a_400_not_a_crash(api, thread, parent):
    """Placing a reply hands the id to a written-out query: SQLite raised OverflowError (a 500)."""
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "A", "text": "Hi", "parent": parent}
    )
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_placing_a_reply_under_an_id_no_database_holds_is_not_found(thread):
    with pytest.raises(NotFound):
        services._place_reply(thread, 2**63)


def test_closed_thread_is_403(api, thread):
    thread.is_open = False
    thread.save()
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "A", "text": "Hi"})
    assert response.status_code == 403
    assert "closed" in response.json()["detail"]


def test_oversized_body_is_413_before_parsing(api, thread):
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "A", "text": "x" * 70_000})
    assert response.status_code == 413


def test_flood_from_one_address_gets_429_with_retry_after(api, thread, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_RATE_LIMITS = {**settings.TRIBUNA_RATE_LIMITS, "ip": (3, 60)}
    codes = [
        api.post_json(
            "/api/v1/comments", {"thread": thread.key, "name": "A", "text": f"Flood number {i} here"}
        ).status_code
        for i in range(4)
    ]
    assert codes[:3] == [201, 201, 201]
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "A", "text": "and more"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_blatant_spam_is_screened_out_and_never_shown(api, thread):
    # Sure model and an independent sign (a link shortener): hidden as spam.
    text = "Make $5000 a week from home!!! Click here http://bit.ly/easy-cash-now"
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "Promo4U", "text": text})
    assert response.status_code == 201 and response.json()["status"] == "spam"
    # Spam-like to the model alone: held for a moderator, never shown either.
    promo = "CHECK OUT MY CHANNEL!!! subscribe please, I sub back!!! http://youtube.com/channel/xyz"
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "Promo4U", "text": promo})
    assert response.status_code == 201 and response.json()["status"] in ("pending", "spam")
    shown = api.get(f"/api/v1/comments?thread={thread.key}").content.decode()
    assert "MY CHANNEL" not in shown and "easy-cash" not in shown


def test_a_comment_the_model_is_unsure_of_waits_with_its_reasons(api, thread):
    from tribuna.antispam import classifier

    text = "Nice one, more of my thoughts at http://gardening-notes.example.net"
    page, title = thread.page()
    unsure = classifier.load_shipped_model().predict(
        classifier.Sample(text, name="Reader", page=page, title=title)
    )
    assert classifier.HOLD_THRESHOLD <= unsure.probability < classifier.SPAM_THRESHOLD  # the premise
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "Reader", "text": text})
    assert response.status_code == 201 and response.json()["status"] == "pending"
    comment = Comment.objects.get(pk=response.json()["id"])
    assert "model: " in comment.spam_reasons[-1] and "spam-like" in comment.spam_reasons[-1]
    assert text not in api.get(f"/api/v1/comments?thread={thread.key}").content.decode()


def test_writes_without_the_custom_header_are_403(api, thread):
    response = api.post(
        "/api/v1/comments",
        json.dumps({"thread": thread.key, "name": "A", "text": "Hi"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_form_and_text_bodies_are_refused(api, thread):
    response = api.post(
        "/api/v1/comments",
        f"thread={thread.key}&name=A&text=Hi",
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TRIBUNA="1",
    )
    assert response.status_code in {400, 415}
    assert not Comment.objects.exists()


def test_cross_origin_writes_from_unknown_origins_are_403(api, thread):
    response = api.post_json(
        "/api/v1/comments",
        {"thread": thread.key, "name": "A", "text": "Hi"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403


def test_author_can_edit_with_token_and_the_comment_says_edited(api, post_comment):
    posted = post_comment(text="Original words of mine.")
    response = api.patch_json(
        f"/api/v1/comments/{posted['id']}", {"text": "Better words", "edit_token": posted["edit_token"]}
    )
    assert response.status_code == 200
    assert response.json()["edited"] is not None
    assert "Better words" in response.json()["html"]


def test_edit_without_or_with_a_wrong_token_is_403(api, post_comment):
    first = post_comment(text="Mine and only mine.")
    second = post_comment(text="Someone else's comment.")
    assert api.patch_json(f"/api/v1/comments/{first['id']}", {"text": "x"}).status_code == 403
    response = api.patch_json(
        f"/api/v1/comments/{first['id']}", {"text": "x", "edit_token": second["edit_token"]}
    )
    assert response.status_code == 403
    assert Comment.objects.get(pk=first["id"]).text == "Mine and only mine."


def test_edits_count_against_the_same_limits_as_posts(api, post_comment, settings):
    """The attack: an author re-sent an expensive comment with PATCH for 15 minutes without any limit."""
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_RATE_LIMITS = {**settings.TRIBUNA_RATE_LIMITS, "ip": (3, 60)}
    posted = post_comment(text="Version 0 of my comment.")
    path, token = f"/api/v1/comments/{posted['id']}", posted["edit_token"]
    codes = [
        api.patch_json(path, {"text": f"Version {n} of my comment.", "edit_token": token}).status_code
        for n in range(1, 4)
    ]
    assert codes == [200, 200, 429]
    assert Comment.objects.get(pk=posted["id"]).text == "Version 2 of my comment."
    refused = api.post_json(
        "/api/v1/comments", {"thread": "test-statement", "name": "A", "text": "A new comment after editing."}
    )
    assert refused.status_code == 429


def test_edit_after_the_window_is_403(api, post_comment, settings):
    posted = post_comment(text="Soon too late to change.")
    settings.TRIBUNA_EDIT_WINDOW = -1
    response = api.patch_json(
        f"/api/v1/comments/{posted['id']}", {"text": "x", "edit_token": posted["edit_token"]}
    )
    assert response.status_code == 403
    assert "passed" in response.json()["detail"]


def test_a_closed_thread_refuses_its_authors_edits_and_deletes(api, thread, post_comment):
    """The review's finding: closing a discussion did not stop its authors rewriting or removing comments."""
    posted = post_comment(text="What I said while it was open.")
    Thread.objects.filter(pk=thread.pk).update(is_open=False)
    edit = api.patch_json(
        f"/api/v1/comments/{posted['id']}",
        {"text": "Rewritten after closing.", "edit_token": posted["edit_token"]},
    )
    assert edit.status_code == 403 and "closed" in edit.json()["detail"]
    delete = api.delete_api(f"/api/v1/comments/{posted['id']}", HTTP_X_EDIT_TOKEN=posted["edit_token"])
    assert delete.status_code == 403
    assert Comment.objects.get(pk=posted["id"]).text == "What I said while it was open."


def test_delete_with_token_leaves_a_placeholder_when_there_are_replies(api, thread, post_comment):
    parent = post_comment(text="I will delete this later.")
    post_comment(text="A reply that keeps its place.", parent=parent["id"])
    response = api.delete_api(f"/api/v1/comments/{parent['id']}", HTTP_X_EDIT_TOKEN=parent["edit_token"])
    assert response.status_code == 204
    page = api.get(f"/api/v1/comments?thread={thread.key}").json()
    placeholder = page["comments"][0]
    assert (
        placeholder["deleted"] is True and placeholder["html"] == "" and placeholder["author"]["name"] == ""
    )
    assert len(placeholder["replies"]) == 1
    assert page["thread"]["count"] == 1


def test_delete_without_replies_removes_the_comment(api, thread, post_comment):
    posted = post_comment(text="Short-lived comment.")
    assert (
        api.delete_api(f"/api/v1/comments/{posted['id']}", HTTP_X_EDIT_TOKEN=posted["edit_token"]).status_code
        == 204
    )
    assert not Comment.objects.filter(pk=posted["id"]).exists()
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_one_vote_per_visitor(api, post_comment):
    posted = post_comment(text="The evening hours would help students a lot, thank you.")
    url = f"/api/v1/comments/{posted['id']}/vote"
    assert api.post_json(url, {"value": 1}).json()["score"] == 1
    assert api.post_json(url, {"value": 1}).json()["score"] == 0  # same vote again takes it back
    assert api.post_json(url, {"value": -1}).json()["score"] == -1
    assert api.post_json(url, {"value": 1}, REMOTE_ADDR="198.51.100.1").json()["score"] == 0
    assert api.post_json(url, {"value": 5}).status_code == 400


def test_counts_for_many_threads(api, thread, post_comment):
    post_comment()
    response = api.post_json("/api/v1/counts", {"threads": [thread.key, "unknown"]})
    assert response.json() == {"counts": {thread.key: 1, "unknown": 0}}


@pytest.mark.parametrize("sort", ["oldest", "newest", "best"])
def test_keyset_pages_cover_every_top_level_comment_once(api, thread, post_comment, sort):
    ids = [post_comment(text=f"Comment number {i} in this thread.")["id"] for i in range(7)]
    seen, cursor = [], None
    while True:
        url = f"/api/v1/comments?thread={thread.key}&sort={sort}&limit=3" + (
            f"&cursor={cursor}" if cursor else ""
        )
        page = api.get(url).json()
        seen += [c["id"] for c in page["comments"]]
        cursor = page["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)
    if sort == "newest":
        assert seen == sorted(ids, reverse=True)
    if sort == "oldest":
        assert seen == ids


def test_bad_sort_cursor_and_limit_are_400(api, thread):
    assert api.get(f"/api/v1/comments?thread={thread.key}&sort=id;drop").status_code == 400
    assert api.get(f"/api/v1/comments?thread={thread.key}&cursor=garbage").status_code == 400
    assert api.get(f"/api/v1/comments?thread={thread.key}&limit=0").status_code == 400


def test_pages_carry_etags_and_answer_304(api, thread, post_comment):
    post_comment()
    first = api.get(f"/api/v1/comments?thread={thread.key}")
    again = api.get(f"/api/v1/comments?thread={thread.key}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    from tribuna.discussion.services import Submission
    from tribuna.discussion.services import post_comment as post_directly

    post_directly(
        Submission(thread=thread, text="A new comment changes the page.", name="Board"), is_moderator=True
    )
    changed = api.get(f"/api/v1/comments?thread={thread.key}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_json_is_served_with_nosniff(api, thread):
    response = api.get(f"/api/v1/comments?thread={thread.key}")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_openapi_document_is_published(api):
    doc = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/comments" in doc["paths"]


def test_the_thread_header_has_real_booleans(api, thread):
    assert api.get(f"/api/v1/comments?thread={thread.key}").json()["thread"]["open"] is True


def test_counts_come_from_a_plain_cacheable_get_for_listing_pages(client, thread, post_comment):
    post_comment(text="One comment to count.")
    response = client.get(f"/api/v1/counts?thread={thread.key}&thread=https://elsewhere.example/none/")
    assert response.status_code == 200
    assert response.json() == {"counts": {thread.key: 1, "https://elsewhere.example/none/": 0}}
    assert response["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/counts").status_code == 400
    too_many = "&".join(f"thread=k{i}" for i in range(201))
    assert client.get(f"/api/v1/counts?{too_many}").status_code == 400


def test_a_preview_renders_and_sanitises_without_storing(api, thread):
    response = api.post_json(
        "/api/v1/preview", {"text": "**Bold** <script>alert(1)</script> [a](https://example.org)"}
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert "<strong>Bold</strong>" in html and "<script" not in html and 'href="https://example.org"' in html
    assert Comment.objects.count() == 0
    assert api.post("/api/v1/preview", '{"text": "x"}', content_type="application/json").status_code == 403
    assert api.post_json("/api/v1/preview", {"text": "x" * 10_001}).status_code == 400


def test_an_edit_that_keeps_the_text_is_not_counted_as_a_copy_of_it(api, post_comment):
    """The duplicate rule held an author's comment when they saved it again unchanged (save pressed twice,
    or only the spacing changed): the text's only earlier copy was the comment itself."""
    text = "Who reviews the figures in section two before they are published?"
    posted = post_comment(text=text)
    assert Comment.objects.get(pk=posted["id"]).status == Comment.Status.APPROVED
    path, token = f"/api/v1/comments/{posted['id']}", posted["edit_token"]
    for saved in (f"  {text}\n", text.replace(" ", "  ")):
        response = api.patch_json(path, {"text": saved, "edit_token": token})
        assert response.status_code == 200, response.content
        assert Comment.objects.get(pk=posted["id"]).status == Comment.Status.APPROVED
    changed = api.patch_json(path, {"text": f"{text} And when?", "edit_token": token})
    assert changed.status_code == 200
    copy = post_comment(text=f"{text} and when?")
    assert Comment.objects.get(pk=copy["id"]).status == Comment.Status.PENDING, (
        "an edited text is a copy like any other"
    )
