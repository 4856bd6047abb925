"""A statement's passage comments exported as W3C Web Annotations (JSON-LD)."""

from __future__ import annotations

import json

from django.conf import settings

from tribuna.inline.models import InlineQuestion
from tribuna.inline.services import question_selectors

QUOTE = "TextQuoteSelector"


def test_passage_comments_export_as_a_web_annotation_collection(
    api, passage_statement, passage_thread, post_passage
):
    posted = post_passage(
        [{"type": QUOTE, "exact": "independent board"}],
        text="Who sits on *the board*?",
        email="reader@example.org",
        url="https://reader.example/",
    )
    assert posted.status_code == 201
    post_passage([{"type": QUOTE, "exact": "the board publishes its accounts"}], text="Yearly, I hope.")
    api.post_json(
        "/api/v1/comments", {"thread": passage_thread.key, "name": "Other", "text": "Not on a passage."}
    )
    passage_statement.text = passage_statement.text.replace(", and the board publishes its accounts", "")
    passage_statement.save()
    InlineQuestion.objects.create(
        statement=passage_statement,
        question="Is a levy fair?",
        selectors=question_selectors(passage_statement, "a levy on bottled water"),
    )

    response = api.get("/statements/water-fund/annotations.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(response.content)
    source = settings.BASE_URL + "/statements/water-fund/"
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["first"]["type"] == "AnnotationPage"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 2  # the question and the comment whose passage still exists
    question, comment = items
    assert question["motivation"] == "questioning"
    assert question["body"] == {"type": "TextualBody", "value": "Is a levy fair?", "format": "text/plain"}
    assert comment == {
        "id": f"{source}#c{posted.json()['id']}",
        "type": "Annotation",
        "motivation": "commenting",
        "created": comment["created"],
        "creator": {"type": "Person", "name": "Reader", "homepage": "https://reader.example/"},
        "body": {
            "type": "TextualBody",
            "value": "<p>Who sits on <em>the board</em>?</p>\n",
            "format": "text/html",
            "language": "en",
        },
        "target": {"source": source, "selector": posted.json()["comment"]["anchor"]},
    }
    assert "reader@example.org" not in response.content.decode()
    assert "127.0.0.1" not in json.dumps(comment["creator"])

    same = api.get("/api/v1/annotations", {"thread": passage_thread.key})
    assert json.loads(same.content) == data


def test_an_unknown_statement_has_no_annotations(api, db):
    assert api.get("/statements/nothing-here/annotations.jsonld").status_code == 404
