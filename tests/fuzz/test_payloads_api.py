"""Every payload list in tests/fixtures, in every field of every JSON write endpoint: no 500.

Each field gets each payload while the other fields hold ordinary values, so the payload
meets the field's own validation and, when accepted, screening, storage and rendering.
"""

from __future__ import annotations

import json

import pytest

from tests.fuzz.payloads import JSON_PAYLOADS, TEXT_PAYLOADS, problems

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VALID_COMMENT = {
    "thread": "test-statement",
    "name": "Reader",
    "email": "reader@example.org",
    "url": "https://example.org/",
    "text": "An ordinary comment on the statement.",
    "notify": "none",
    "form_token": None,
    "homepage": "",
    "title": "",
    "page_url": "",
}


def send(api, method: str, path: str, body: dict | None, **headers) -> tuple[int, str]:
    data = json.dumps(body) if body is not None else ""
    response = getattr(api, method)(
        path, data, content_type="application/json", HTTP_X_TRIBUNA="1", **headers
    )
    text = response.content.decode(errors="replace")
    if 400 <= response.status_code < 500 and response["Content-Type"] == "application/json":
        answer = json.loads(text)  # a precise 4xx says what was wrong
        assert answer.get("errors") or answer.get("detail"), text
    return response.status_code, text


def run(api, method, path, valid: dict, field: str, **headers) -> list[str]:
    answers = []
    for payload in JSON_PAYLOADS:
        status, text = send(api, method, path, {**valid, field: payload}, **headers)
        answers.append((payload, status, text))
    return problems(answers)


@pytest.fixture
def posted(post_comment):
    return post_comment(text="A comment to edit, vote on and report.")


@pytest.mark.parametrize("field", [*VALID_COMMENT, "parent", "anchor"])
def test_posting_a_comment(api, thread, field):
    assert run(api, "post", "/api/v1/comments", VALID_COMMENT, field) == []


@pytest.mark.parametrize("field", ["text", "edit_token"])
def test_editing_a_comment(api, posted, field):
    valid = {"text": "An edited comment.", "edit_token": posted["edit_token"]}
    assert run(api, "patch", f"/api/v1/comments/{posted['id']}", valid, field) == []


def test_deleting_with_hostile_edit_tokens_and_ids(api, posted):
    answers = []
    for payload in TEXT_PAYLOADS:
        header = payload.replace("\r", " ").replace("\n", " ")
        status, text = send(api, "delete", f"/api/v1/comments/{posted['id']}", None, HTTP_X_EDIT_TOKEN=header)
        answers.append((payload, status, text))
    assert problems(answers) == []


def test_voting(api, posted):
    assert run(api, "post", f"/api/v1/comments/{posted['id']}/vote", {"value": 1}, "value") == []


@pytest.mark.parametrize("field", ["reason", "note"])
def test_reporting(api, posted, field):
    assert (
        run(api, "post", f"/api/v1/comments/{posted['id']}/report", {"reason": "spam", "note": ""}, field)
        == []
    )


def test_counting(api, thread):
    answers = []
    for payload in JSON_PAYLOADS:
        for body in ({"threads": payload}, {"threads": [payload]}):
            status, text = send(api, "post", "/api/v1/counts", body)
            answers.append((payload, status, text))
    assert problems(answers) == []


@pytest.mark.parametrize("field", ["thread", "email", "mode"])
def test_subscribing(api, thread, field):
    valid = {"thread": thread.key, "email": "reader@example.org", "mode": "all"}
    assert run(api, "post", "/api/v1/subscriptions", valid, field) == []


@pytest.mark.parametrize(
    "path", ["/api/v1/comments/{p}", "/api/v1/comments/{p}/vote", "/api/v1/comments/{p}/report"]
)
def test_hostile_ids_in_the_path(api, posted, path):
    from urllib.parse import quote

    answers = []
    for payload in TEXT_PAYLOADS:
        status, text = send(
            api, "post", path.format(p=quote(payload[:2000], safe="")), {"value": 1, "reason": "spam"}
        )
        answers.append((payload, status, text))
    assert problems(answers) == []
