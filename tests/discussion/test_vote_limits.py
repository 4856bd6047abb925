"""Votes are limited per client, per comment, and per client and comment."""

from __future__ import annotations

import pytest

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


def vote(api, comment_id: int, ip: str, value: int = 1):
    return api.post_json(f"/api/v1/comments/{comment_id}/vote", {"value": value}, REMOTE_ADDR=ip)


@pytest.fixture
def limits_on(settings):
    settings.TRIBUNA_RATE_LIMIT = True
    return settings


def test_many_addresses_cannot_pile_votes_on_one_comment(api, post_comment, limits_on):
    """The attack: 40 source addresses gave a comment +40."""
    comment_id = post_comment()["id"]
    codes = [vote(api, comment_id, f"198.51.{n}.1").status_code for n in range(40)]
    limit = limits_on.TRIBUNA_VOTE_LIMITS["vote-comment"][0]
    assert codes == [200] * limit + [429] * (40 - limit)
    assert Comment.objects.get(pk=comment_id).score == limit


def test_one_address_cannot_toggle_a_vote_endlessly(api, post_comment, limits_on):
    """The attack: one address toggled a vote 60 times in 0.26 s."""
    comment_id = post_comment()["id"]
    codes = [vote(api, comment_id, "203.0.113.5").status_code for _ in range(60)]
    changes = limits_on.TRIBUNA_VOTE_LIMITS["vote-change"][0]
    assert codes == [200] * (changes + 1) + [429] * (60 - changes - 1)
    response = vote(api, comment_id, "203.0.113.5")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_one_client_cannot_vote_on_everything(api, post_comment, limits_on):
    limits_on.TRIBUNA_VOTE_LIMITS = {**limits_on.TRIBUNA_VOTE_LIMITS, "vote-client": (5, 600)}
    ids = [post_comment(text=f"Comment number {n} worth a vote.")["id"] for n in range(6)]
    assert [vote(api, pk, "203.0.113.5").status_code for pk in ids] == [200] * 5 + [429]


def test_ipv4_clients_on_a_dual_stack_bind_vote_separately(api, post_comment):
    """The attack: every IPv4 reader arrived as ::ffff:a.b.c.d, grouped in ::/64, and shared one vote."""
    comment_id = post_comment()["id"]
    vote(api, comment_id, "::ffff:198.51.100.1")
    assert vote(api, comment_id, "::ffff:203.0.113.9").json()["score"] == 2
