"""Bans from the moderation pages refuse the author's next comment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tribuna.antispam.models import Ban
from tribuna.discussion.models import Comment
from tribuna.moderation.models import AuditEntry

pytestmark = pytest.mark.django_db


def post(api, thread, ip="203.0.113.7", email="banned@example.org"):
    return api.post_json(
        "/api/v1/comments",
        {"thread": thread.key, "name": "Someone", "email": email, "text": "Another comment from me."},
        REMOTE_ADDR=ip,
    )


def test_banning_an_address_from_a_comment_row_refuses_new_comments(mod_client, make_comment, api, thread):
    comment = make_comment(email="banned@example.org")
    form = mod_client.get(f"/moderation/bans/?comment={comment.pk}&kind=email").content.decode()
    assert 'value="banned@example.org"' in form
    response = mod_client.post(
        "/moderation/bans/", {"kind": "email", "value": "banned@example.org", "reason": "x"}
    )
    assert response.status_code == 302
    refused = post(api, thread)
    assert refused.status_code == 201 and refused.json()["status"] == "spam"
    assert Comment.objects.get(pk=refused.json()["id"]).spam_reasons == ["the author is banned"]
    entry = AuditEntry.objects.get(action="antispam.ban.created")
    assert "banned@example.org" not in str(entry.after)


def test_banning_a_network_refuses_its_addresses(mod_client, make_comment, api, thread):
    comment = make_comment()
    form = mod_client.get(f"/moderation/bans/?comment={comment.pk}&kind=ip").content.decode()
    assert 'value="203.0.113.0/24"' in form
    mod_client.post("/moderation/bans/", {"kind": "ip", "value": "203.0.113.0/24"})
    assert post(api, thread, ip="203.0.113.99", email="other@example.org").json()["status"] == "spam"
    assert post(api, thread, ip="198.51.100.1", email="other@example.org").status_code == 201


def _shape(response) -> tuple:
    body = response.json()
    return response.status_code, body["status"], body["message"], sorted(body)


def test_a_ban_answers_like_any_comment_the_filter_refuses(api, thread, moderator):
    """The review's finding: a ban's own answer told anyone typing an address whether it was banned."""
    Ban.objects.create(kind="email", value="banned@example.org", created_by=moderator)
    banned = post(api, thread, ip="198.51.100.20")
    refused = api.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Bot",
            "email": "bot@example.org",
            "text": "Another comment from me.",
            "homepage": "http://x.example",
        },
        REMOTE_ADDR="198.51.100.21",
    )
    assert _shape(banned) == _shape(refused)
    assert "ban" not in banned.content.decode().lower()


def test_a_ban_answers_the_page_form_like_any_refusal(api, thread, moderator, client):
    Ban.objects.create(kind="email", value="banned@example.org", created_by=moderator)
    response = client.post(
        f"/statements/{thread.key}/comment",
        {"name": "Someone", "email": "banned@example.org", "text": "Another comment from me."},
    )
    assert response.status_code == 302
    assert "ban" not in client.get(response["Location"]).content.decode().lower().replace("banner", "")


def test_an_expired_ban_refuses_nothing(api, thread, moderator):
    Ban.objects.create(
        kind="email", value="banned@example.org", expires=timezone.now() - timezone.timedelta(hours=1)
    )
    assert post(api, thread).status_code == 201


def test_a_bad_network_is_a_form_error(mod_client):
    response = mod_client.post("/moderation/bans/", {"kind": "ip", "value": "not-a-network"})
    assert response.status_code == 200 and "Enter an IP address" in response.content.decode()
    assert not Ban.objects.exists()


def test_removing_a_ban_lets_the_author_post_again(mod_client, api, thread, moderator):
    ban = Ban.objects.create(kind="email", value="banned@example.org", created_by=moderator)
    assert post(api, thread).json()["status"] == "spam"
    assert mod_client.post(f"/moderation/bans/{ban.pk}/remove/").status_code == 302
    assert post(api, thread).json()["status"] != "spam"  # held only as a repeat of the text
    assert AuditEntry.objects.filter(action="antispam.ban.removed").exists()


def test_bans_are_in_the_admin(administrator):
    from django.test import Client

    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/antispam/ban/add/").status_code == 200


def banned(response) -> bool:
    return (
        response.status_code == 201
        and "the author is banned" in Comment.objects.get(pk=response.json()["id"]).spam_reasons
    )


def test_ban_network_on_a_dual_stack_ipv4_client_bans_its_slash_24_not_every_ipv4_client(
    mod_client, api, thread
):
    """The attack: on `--bind [::]:PORT` IPv4 clients arrive as ::ffff:a.b.c.d, all in ::/64."""
    mapped = "::ffff:203.0.113.7"
    assert post(api, thread, ip=mapped, email="first@example.org").status_code == 201
    comment = Comment.objects.get(author_email="first@example.org")
    assert (comment.ip_address, comment.ip_network) == ("203.0.113.7", "203.0.113.0/24")
    form = mod_client.get(f"/moderation/bans/?comment={comment.pk}&kind=ip").content.decode()
    assert 'value="203.0.113.0/24"' in form
    mod_client.post("/moderation/bans/", {"kind": "ip", "value": "203.0.113.0/24"})
    assert banned(post(api, thread, ip="::ffff:203.0.113.99", email="other@example.org"))
    assert not banned(post(api, thread, ip="::ffff:198.51.100.1", email="another@example.org"))


def test_a_network_ban_given_as_mapped_ipv6_is_kept_as_ipv4_and_matches(mod_client, api, thread):
    mod_client.post("/moderation/bans/", {"kind": "ip", "value": "::ffff:203.0.113.0/120"})
    assert Ban.objects.get().value == "203.0.113.0/24"
    assert banned(post(api, thread, ip="203.0.113.5", email="other@example.org"))
