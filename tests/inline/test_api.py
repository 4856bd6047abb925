"""Posting passage comments through the API, and reading them back for the page's markers."""

from __future__ import annotations

from django.utils import timezone

from tribuna.discussion.models import Comment, Thread
from tribuna.inline.models import InlineQuestion
from tribuna.inline.services import question_selectors

QUOTE = "TextQuoteSelector"
POSITION = "TextPositionSelector"


def test_a_quote_alone_gets_its_position_and_context_filled_in(passage_statement, post_passage):
    response = post_passage([{"type": QUOTE, "exact": "independent board"}])
    assert response.status_code == 201, response.content
    anchor = response.json()["comment"]["anchor"]
    text = passage_statement.plain_text
    start = text.index("independent board")
    assert anchor == [
        {
            "type": QUOTE,
            "exact": "independent board",
            "prefix": text[start - 32 : start],
            "suffix": text[start + 17 : start + 49],
        },
        {"type": POSITION, "start": start, "end": start + 17},
    ]
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.anchor_revision == passage_statement.current_revision
    assert comment.original_anchor == anchor and not comment.anchor_orphaned


def test_prefix_and_suffix_pick_which_repeated_passage_is_meant(passage_statement, post_passage):
    text = passage_statement.plain_text
    second = text.index("The levy is reviewed every year", text.index("Oversight"))
    response = post_passage(
        [
            {
                "type": QUOTE,
                "exact": "The levy is reviewed every year",
                "prefix": "An independent board reviews the fund. ",
            }
        ]
    )
    assert response.json()["comment"]["anchor"][1] == {"type": POSITION, "start": second, "end": second + 31}


def test_a_passage_not_in_the_statement_is_refused(post_passage):
    response = post_passage([{"type": QUOTE, "exact": "a passage that was never written"}])
    assert response.status_code == 400
    assert response.json() == {"errors": {"anchor": ["The passage was not found in the statement."]}}
    assert not Comment.objects.exists()


def test_an_overlong_passage_is_refused(post_passage):
    response = post_passage([{"type": QUOTE, "exact": "levy " * 401}])
    assert response.status_code == 400
    assert "at most 2000" in response.json()["errors"]["anchor"][0]


def test_passages_are_only_for_statement_threads(api):
    thread = Thread.objects.create(key="/blog/post/", title="A blog post")
    response = api.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Reader",
            "text": "On this bit.",
            "anchor": [{"type": QUOTE, "exact": "bit"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["anchor"] == ["Passage comments can only be made on statements."]


def test_passage_comments_show_in_the_thread_and_its_passage_filter(
    api, passage_thread, post_passage, post_comment
):
    post_passage([{"type": QUOTE, "exact": "independent board"}])
    page = api.get("/api/v1/comments", {"thread": passage_thread.key, "passages": "true"}).json()
    assert [c["anchor"][0]["exact"] for c in page["comments"]] == ["independent board"]


def test_the_page_gets_passage_comments_orphans_and_questions_in_one_request(
    api, passage_statement, passage_thread, post_passage, editor
):
    post_passage([{"type": QUOTE, "exact": "independent board"}])
    orphan_id = post_passage(
        [{"type": QUOTE, "exact": "the board publishes its accounts"}], text="Which accounts, and how often?"
    ).json()["id"]
    InlineQuestion.objects.create(
        statement=passage_statement,
        question="Who appoints the board?",
        selectors=question_selectors(passage_statement, "independent board"),
    )
    passage_statement.text = passage_statement.text.replace(", and the board publishes its accounts", "")
    passage_statement.save()

    response = api.get("/api/v1/passages", {"thread": passage_thread.key})
    assert response.status_code == 200
    data = response.json()
    assert [(c["anchor"][0]["exact"], c["orphaned"]) for c in data["comments"]] == [
        ("independent board", False),
        ("the board publishes its accounts", True),
    ]
    orphan = next(c for c in data["comments"] if c["id"] == orphan_id)
    assert orphan["original_quote"] == "the board publishes its accounts"
    assert [q["question"] for q in data["questions"]] == ["Who appoints the board?"]
    assert "email" not in response.content.decode()

    again = api.get("/api/v1/passages", {"thread": passage_thread.key}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_passages_of_unpublished_statements_are_not_shown(api, passage_statement, passage_thread):
    passage_statement.published_at = timezone.now() + timezone.timedelta(days=1)
    passage_statement.save()
    assert api.get("/api/v1/passages", {"thread": passage_thread.key}).status_code == 404
    assert api.get("/api/v1/annotations", {"thread": passage_thread.key}).status_code == 404
