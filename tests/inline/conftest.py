"""A statement with room for passages: repeated phrases, several paragraphs."""

from __future__ import annotations

import pytest

TEXT = (
    "We propose a public water fund for every district.\n\n"
    "## Funding\n\n"
    "The fund is paid for by a levy on bottled water sold in the city. "
    "The levy is reviewed every year by the council.\n\n"
    "## Oversight\n\n"
    "An independent board reviews the fund. The levy is reviewed every year by the council, "
    "and the board publishes its accounts."
)


@pytest.fixture
def passage_statement(body):
    from django.utils import timezone

    from tribuna.statements.models import Statement

    statement = Statement(
        slug="water-fund",
        title="A public water fund",
        body=body,
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
        text=TEXT,
    )
    statement.save()
    return statement


@pytest.fixture
def passage_thread(passage_statement):
    from tribuna.discussion.services import thread_for_statement

    return thread_for_statement(passage_statement)


@pytest.fixture
def post_passage(api, passage_thread):
    """Post a passage comment through the API; answers the response."""

    def post(anchor, text="This passage needs a closer look.", name="Reader", **fields):
        payload = {"thread": passage_thread.key, "name": name, "text": text, "anchor": anchor, **fields}
        return api.post_json("/api/v1/comments", payload)

    return post
