"""Editors place questions on passages in the admin."""

from __future__ import annotations

from tribuna.inline.models import InlineQuestion
from tribuna.moderation.models import AuditEntry


def test_an_editor_places_a_question_on_a_passage_copied_from_the_page(
    client, administrator, passage_statement
):
    client.force_login(administrator)
    response = client.post(
        "/admin/inline/inlinequestion/add/",
        {
            "statement": passage_statement.pk,
            "passage": "An independent board\n reviews the fund.",  # whitespace as copied from a page
            "question": "Who should sit on the board?",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    question = InlineQuestion.objects.get()
    assert question.created_by == administrator
    assert question.exact == "An independent board reviews the fund."
    assert question.selectors[1]["type"] == "TextPositionSelector"
    assert AuditEntry.objects.filter(action="inline.question.placed").exists()
    listing = client.get("/admin/inline/inlinequestion/")
    assert "An independent board reviews the fund." in listing.content.decode()


def test_a_passage_not_in_the_statement_is_refused(client, administrator, passage_statement):
    client.force_login(administrator)
    response = client.post(
        "/admin/inline/inlinequestion/add/",
        {
            "statement": passage_statement.pk,
            "passage": "Words the statement never had.",
            "question": "Why?",
        },
    )
    assert response.status_code == 200
    assert "The passage was not found in the statement." in response.content.decode()
    assert not InlineQuestion.objects.exists()
