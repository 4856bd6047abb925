"""Moderation fixtures: a signed-in moderator and comments in any status."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def mod_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


@pytest.fixture
def make_comment(thread):
    """A comment stored as screening would have left it, with the counts kept right."""
    from tribuna.discussion import services
    from tribuna.discussion.models import Comment
    from tribuna.lib.markup import render_comment

    def make(
        text="A comment worth reading.",
        *,
        status="pending",
        email="reader@example.org",
        name="Reader",
        parent=None,
        ip="203.0.113.7",
        on=None,
    ):
        comment = Comment.objects.create(
            thread=on or thread,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author_name=name,
            author_email=email,
            text=text,
            html=render_comment(text),
            status=status,
            ip_address=ip,
            ip_network="203.0.113.0/24",
            spam_score=0.5,
            spam_reasons=["unsure"] if status != "approved" else [],
        )
        if status == "approved":
            services.count_visible(comment, +1)
        return comment

    return make


@pytest.fixture
def public(api, thread):
    """What readers see: the statement page's HTML and the API's JSON for the thread."""

    class Public:
        def page(self) -> str:
            return api.get(f"/statements/{thread.statement.slug}/").content.decode()

        def api_ids(self) -> list[int]:
            data = api.get(f"/api/v1/comments?thread={thread.key}").json()
            found, stack = [], list(data["comments"])
            while stack:
                node = stack.pop()
                if not node["deleted"]:
                    found.append(node["id"])
                stack.extend(node["replies"])
            return sorted(found)

        def count(self) -> int:
            return api.get(f"/api/v1/comments?thread={thread.key}").json()["thread"]["count"]

    return Public()
