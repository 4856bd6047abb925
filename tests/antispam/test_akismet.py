"""The Akismet-compatible service, driven by the real `akismet` client from PyPI.

The client talks to https://rest.akismet.com; an httpx transport hands its requests to Django's
WSGI application in this process instead, inside the test's transaction, so everything above the
socket is the real client's code.
"""

import akismet
import httpx
import pytest
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

from tribuna.antispam.models import ApiKey, TrainingLabel

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(db):
    return ApiKey.objects.create(key="k" * 32, site="https://blog.example.org")


@pytest.fixture
def client_for(api_key, connection_kept_open):
    application = get_wsgi_application()

    def make(key: str) -> akismet.SyncClient:
        def rewrite(request: httpx.Request) -> None:
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1")
            request.headers["Host"] = "127.0.0.1"

        http = httpx.Client(
            transport=httpx.WSGITransport(app=application), event_hooks={"request": [rewrite]}
        )
        return akismet.SyncClient(
            config=akismet.Config(key=key, url="https://blog.example.org"), http_client=http
        )

    return make


def test_verify_key_accepts_a_known_key_and_refuses_others(client_for, api_key):
    assert client_for(api_key.key).verify_key() is True
    assert client_for("not-a-key").verify_key() is False


def test_documented_test_author_is_always_spam(client_for, api_key):
    result = client_for(api_key.key).comment_check(
        user_ip="203.0.113.5", comment_author="viagra-test-123", comment_content="anything", is_test=True
    )
    assert result in {akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD}


def test_administrator_role_is_always_ham(client_for, api_key):
    result = client_for(api_key.key).comment_check(
        user_ip="203.0.113.5",
        user_role="administrator",
        is_test=True,
        comment_content="BUY CHEAP PILLS http://x.example http://y.example http://z.example",
    )
    assert result == akismet.CheckResponse.HAM


def test_a_legitimate_comment_is_ham(client_for, api_key):
    result = client_for(api_key.key).comment_check(
        user_ip="203.0.113.5",
        comment_author="Jo",
        is_test=True,
        comment_content="Thanks for the write-up; the section on migrations answered my question.",
    )
    assert result == akismet.CheckResponse.HAM


def test_blatant_link_spam_is_discarded(client_for, api_key):
    links = " ".join(f"http://pills{i}.example/buy" for i in range(10))
    result = client_for(api_key.key).comment_check(
        user_ip="203.0.113.5", comment_author="Cheap Pills", comment_content=f"BUY NOW {links}", is_test=True
    )
    assert result in {akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD}


def test_submissions_become_labels_unless_they_are_tests(client_for, api_key):
    client = client_for(api_key.key)
    client.submit_spam(user_ip="203.0.113.5", comment_content="Earn money fast at home")
    client.submit_ham(user_ip="203.0.113.5", comment_content="A real question about the docs")
    client.submit_ham(user_ip="203.0.113.5", comment_content="Just testing", is_test=True)
    labels = {label.text: label.is_spam for label in TrainingLabel.objects.filter(api_key=api_key)}
    assert labels == {"Earn money fast at home": True, "A real question about the docs": False}


def test_the_permalink_is_the_page_a_label_was_under(client_for, api_key):
    page = "https://other.example.org/2024/05/a-post/"
    client_for(api_key.key).submit_spam(
        user_ip="203.0.113.5", comment_content="Earn money fast", permalink=page
    )
    assert TrainingLabel.objects.get(api_key=api_key).page == page


def test_invalid_key_gets_debug_help(client, api_key):
    response = client.post(
        "/1.1/comment-check", {"api_key": "nope", "blog": "https://x", "user_ip": "1.2.3.4"}
    )
    assert response.content == b"invalid"
    assert response["X-akismet-debug-help"]


def test_missing_required_field_is_explained(client, api_key):
    response = client.post("/1.1/comment-check", {"api_key": api_key.key, "blog": api_key.site})
    assert b"user_ip" in response.content
    assert "user_ip" in response["X-akismet-debug-help"]


def test_usage_limit(client, api_key):
    body = client.post("/1.2/usage-limit", {"api_key": api_key.key}).json()
    assert body["limit"] == "none" and body["throttled"] is False


def test_usage_limit_takes_no_key_in_the_query_string(client, api_key):
    """A key in the URL lands in access logs: usage-limit reads it from the body only."""
    assert client.get(f"/1.2/usage-limit?api_key={api_key.key}").status_code == 405
    assert client.post(f"/1.2/usage-limit?api_key={api_key.key}").content == b"invalid"


def test_apikey_create_prints_the_key_last(capsys):
    call_command("apikey", "create", "--site", "https://other.example.org")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiKey.objects.get(key=last_line).site == "https://other.example.org"


def test_comment_check_uses_the_keys_own_model_once_trained(client, api_key, small_corpus):
    from tribuna.antispam import learning, registry

    # A link to a shop is an independent sign of spam: with it, a sure model may answer "true" (hide).
    text = "Our community garden opens the tulip season with a plant swap, bulbs at https://tulip-bulbs.shop"
    params = {"api_key": api_key.key, "blog": api_key.site, "user_ip": "203.0.113.5", "comment_content": text}
    assert client.post("/1.1/comment-check", params).content == b"false"
    for _ in range(30):  # this site's moderators say such texts are spam
        client.post("/1.1/submit-spam", params)
    learning.train_scope(api_key, in_child=False)
    registry.reload()
    assert client.post("/1.1/comment-check", params).content == b"true"
