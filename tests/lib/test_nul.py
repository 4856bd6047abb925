"""U+0000 in any request's text gets a precise 400: PostgreSQL cannot store it and used to answer 500."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_json_body_is_refused_before_any_query(api, thread):
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "A\u0000B", "text": "Hello there."}
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"]["request"][0]


def test_an_escaped_backslash_before_u0000_is_ordinary_text(api, thread):
    body = {"thread": thread.key, "name": "Dev", "text": "JSON writes a NUL as \\u0000 in a string."}
    response = api.post(
        "/api/v1/comments", json.dumps(body), content_type="application/json", HTTP_X_TRIBUNA="1"
    )
    assert response.status_code == 201


def test_a_nul_in_a_query_or_a_form_is_refused(client, thread):
    assert client.get("/api/v1/counts?thread=%00").status_code == 400
    akismet = client.post("/1.1/verify-key", {"key": "\x00", "blog": "https://blog.example.org"})
    assert akismet.content == b"invalid" and "NUL" in akismet["X-akismet-debug-help"]
    assert client.get(f"/subscribe/?thread={thread.key}%00").status_code == 400
