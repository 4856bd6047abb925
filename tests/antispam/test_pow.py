"""The ALTCHA proof of work: solutions verified by the server, spent once, and comments without
one held for a moderator rather than refused."""

from __future__ import annotations

import base64
import json
import time

import altcha
import pytest
from django.test import Client

from tribuna.antispam import pow
from tribuna.antispam.models import SpentChallenge
from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cheap_challenges(settings):
    settings.TRIBUNA_POW = True
    settings.TRIBUNA_POW_COST = 10
    settings.TRIBUNA_POW_MAX_NUMBER = 20


def solve(challenge: dict) -> str:
    """What the widget does in the browser, done here with the library's own solver."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=10)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def fresh_solution(api) -> str:
    response = api.get("/api/v1/pow-challenge")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return solve(response.json())


def test_a_solved_challenge_verifies_once():
    payload = solve(pow.new_challenge())
    assert pow.verify(payload) is pow.Outcome.SOLVED
    assert pow.verify(payload) is pow.Outcome.REPLAYED


def test_an_expired_challenge_is_refused(settings):
    settings.TRIBUNA_POW_MAX_AGE = -10
    assert pow.verify(solve(pow.new_challenge())) is pow.Outcome.EXPIRED
    assert not SpentChallenge.objects.exists()


def test_a_wrong_number_or_a_forged_challenge_is_invalid():
    challenge = pow.new_challenge()
    payload = json.loads(base64.b64decode(solve(challenge)))
    wrong = {**payload, "solution": {**payload["solution"], "derivedKey": "00" * 32}}
    assert pow.verify(base64.b64encode(json.dumps(wrong).encode()).decode()) is pow.Outcome.INVALID
    easier = json.loads(json.dumps(payload))
    easier["challenge"]["parameters"]["cost"] = 1  # cheaper work, same signature
    assert pow.verify(base64.b64encode(json.dumps(easier).encode()).decode()) is pow.Outcome.INVALID
    for garbage in ("", "not base64!", base64.b64encode(b"[1, 2]").decode(), "A" * (pow.MAX_PAYLOAD + 1)):
        assert pow.verify(garbage) is pow.Outcome.INVALID


def test_a_challenge_signed_with_another_key_is_invalid(settings):
    payload = solve(pow.new_challenge())
    settings.SECRET_KEY = "another-secret-key-that-is-at-least-32-characters"
    assert pow.verify(payload) is pow.Outcome.INVALID


def _post(api, thread, **fields):
    return api.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Reader",
            "text": fields.pop("text", "A calm remark on the statement."),
            **fields,
        },
    )


def test_an_anonymous_api_comment_without_a_solution_is_held_with_a_readable_reason(api, thread):
    response = _post(api, thread)
    assert response.status_code == 201 and response.json()["status"] == "pending"
    comment = Comment.objects.get()
    assert (
        "no proof of work: sent without JavaScript, or by a program that does not solve it"
        in comment.spam_reasons
    )


def test_a_comment_with_a_solution_is_published_and_its_solution_cannot_be_reused(api, thread):
    solution = fresh_solution(api)
    assert _post(api, thread, altcha=solution).json()["status"] == "approved"
    replayed = _post(api, thread, altcha=solution, text="A second comment riding on the first one's work.")
    assert replayed.status_code == 201 and replayed.json()["status"] == "spam"
    assert (
        "proof of work used before: a replayed solution"
        in Comment.objects.get(pk=replayed.json()["id"]).spam_reasons
    )


def test_the_page_form_without_javascript_is_held_not_refused(client, statement, thread):
    from django.core import signing

    from tribuna.antispam.screen import FORM_SALT

    shown = signing.dumps(int(time.time()) - 60, salt=FORM_SALT)  # the page was read for a minute
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"name": "Ada", "text": "Posted by hand.", "form_token": shown},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == "pending" and any("proof of work" in reason for reason in comment.spam_reasons)


def test_staff_sessions_skip_the_proof_of_work(api, thread, editor):
    api.force_login(editor)
    assert _post(api, thread, name="Editor").json()["status"] == "approved"


def test_pow_off_means_no_check(api, thread, settings):
    settings.TRIBUNA_POW = False
    assert _post(api, thread).json()["status"] == "approved"


def test_akismet_clients_are_not_asked_for_one(client, db):
    from tribuna.antispam.models import ApiKey

    key = ApiKey.objects.create(key="k" * 32, site="https://blog.example.org")
    response = client.post(
        "/1.1/comment-check",
        {
            "api_key": key.key,
            "blog": "https://blog.example.org",
            "user_ip": "203.0.113.5",
            "comment_content": "A calm remark.",
        },
    )
    assert response.content == b"false"


def test_challenges_are_served_to_allowed_embedding_origins(api, settings):
    settings.TRIBUNA_ALLOWED_ORIGINS = ["https://blog.example.org"]
    response = api.get("/api/v1/pow-challenge", HTTP_ORIGIN="https://blog.example.org")
    assert response["Access-Control-Allow-Origin"] == "https://blog.example.org"
    for name in ("/altcha.js", "/altcha-worker.js"):
        asset = Client().get(name)
        assert asset.status_code == 200 and asset["Access-Control-Allow-Origin"] == "*"
