"""My data: a signed link by email, then a page to see, download and erase; staff do the same."""

import json
import re
import time

import pytest
from django.core import signing

from tribuna.discussion.models import Comment
from tribuna.moderation.models import AuditEntry
from tribuna.privacy import services

pytestmark = pytest.mark.django_db


def link_path(message) -> str:
    return re.search(r"https://comments\.example\.org(/my-data/\S+/)", message.body).group(1)


@pytest.fixture
def base_url(settings):
    settings.BASE_URL = "https://comments.example.org"


def test_it_emails_a_link_built_from_the_base_url(client, mailbox, base_url, alice_thread, settings):
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    response = client.post("/my-data/", {"email": "Alice@Example.org"}, HTTP_HOST="evil.example")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert len(mailbox) == 1 and mailbox[0].to == ["alice@example.org"]
    assert "evil.example" not in mailbox[0].body
    page = client.get(link_path(mailbox[0]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "first thoughts on the statement" in html and "Alice replies to Bob" in html
    assert "Bob answers with a view" not in html
    assert page["Cache-Control"] == "private, no-store" and page["Referrer-Policy"] == "same-origin"


def test_it_answers_the_same_for_known_and_unknown_addresses(client, mailbox, alice_thread):
    known = client.post("/my-data/", {"email": "alice@example.org"})
    unknown = client.post("/my-data/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def page(response, address):  # CSRF tokens are masked afresh in every response, by design
        html = response.content.decode().replace(address, "X@")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert page(known, "alice@") == page(unknown, "nobody@")
    assert [m.to for m in mailbox] == [["alice@example.org"], ["nobody@example.org"]]


def test_it_limits_requests_per_address_and_per_client(client, mailbox, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_MY_DATA_LIMITS = {"mydata-email": (2, 3600), "mydata-ip": (4, 3600)}
    codes = [client.post("/my-data/", {"email": "a@example.org"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.post("/my-data/", {"email": "b@example.org"}).status_code == 200
    limited = client.post("/my-data/", {"email": "c@example.org"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert len(mailbox) == 3


def test_an_invalid_address_is_an_error_and_sends_nothing(client, mailbox):
    response = client.post("/my-data/", {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailbox == []


def test_a_forged_or_expired_link_shows_nothing(client, settings):
    assert client.get("/my-data/forged-token/").status_code == 400

    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 25 * 3600)

    settings.TRIBUNA_MY_DATA_LINK_HOURS = 24
    old = PastSigner(salt=services.LINK_SALT).sign_object({"e": "alice@example.org"})
    response = client.get(f"/my-data/{old}/")
    assert response.status_code == 400 and "expired" in response.content.decode()
    settings.TRIBUNA_MY_DATA_LINK_HOURS = 48
    assert client.get(f"/my-data/{old}/").status_code == 200


def test_opening_the_link_changes_nothing_and_acting_needs_post(client, alice_thread):
    token = services.make_link_token("alice@example.org")
    client.get(f"/my-data/{token}/")
    assert client.get(f"/my-data/{token}/erase").status_code == 405
    assert client.get(f"/my-data/{token}/export").status_code == 405
    assert Comment.objects.filter(author_email="alice@example.org").count() == 3


def test_the_export_is_a_json_download_of_everything(client, alice_thread):
    token = services.make_link_token("alice@example.org")
    response = client.post(f"/my-data/{token}/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["format"] == services.EXPORT_FORMAT
    assert len(data["sections"]["comments"]) == 3


def test_erasure_needs_confirmation_and_then_removes_the_data(client, alice_thread):
    token = services.make_link_token("alice@example.org")
    refused = client.post(f"/my-data/{token}/erase", {})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert Comment.objects.filter(author_email="alice@example.org").count() == 3
    done = client.post(f"/my-data/{token}/erase", {"confirm": "on"})
    assert done.status_code == 200 and "Your data is erased" in done.content.decode()
    assert not Comment.objects.filter(author_email="alice@example.org").exists()


def test_staff_pages_need_a_moderator(client, outsider, editor):
    assert client.get("/moderation/personal-data/")["Location"].startswith("/admin/login/")
    client.force_login(outsider)
    assert client.get("/moderation/personal-data/").status_code in (302, 403)
    client.force_login(editor)
    assert client.get("/moderation/personal-data/").status_code == 403
    assert (
        client.post(
            "/moderation/personal-data/", {"email": "a@example.org", "action": "erase", "confirm": "on"}
        ).status_code
        == 403
    )


def test_a_moderator_exports_and_erases_and_both_are_audited(client, moderator, alice_thread):
    client.force_login(moderator)
    shown = client.post("/moderation/personal-data/", {"email": "alice@example.org", "action": "show"})
    assert "first thoughts on the statement" in shown.content.decode()
    exported = client.post("/moderation/personal-data/", {"email": "alice@example.org", "action": "export"})
    assert len(json.loads(exported.content)["sections"]["comments"]) == 3
    unconfirmed = client.post("/moderation/personal-data/", {"email": "alice@example.org", "action": "erase"})
    assert unconfirmed.status_code == 400
    erased = client.post(
        "/moderation/personal-data/", {"email": "alice@example.org", "action": "erase", "confirm": "on"}
    )
    assert erased.status_code == 200
    assert not Comment.objects.filter(author_email="alice@example.org").exists()
    entries = list(AuditEntry.objects.filter(action__startswith="privacy.").order_by("id"))
    assert [e.action for e in entries] == ["privacy.export", "privacy.erase"]
    assert all(e.user == moderator and e.note == services.audit_note("alice@example.org") for e in entries)
    assert not any("alice" in json.dumps([e.note, e.before, e.after]).lower() for e in entries)


def test_the_my_data_link_lets_its_owner_be_known_on_this_browser(
    client, mailbox, base_url, alice_thread, settings, thread
):
    """Following the emailed link and pressing "remember" proves owning the address: the first-comment
    rule then knows Alice on this browser, and on no other; erasing her data forgets it."""
    from django.test import Client

    from tribuna.discussion.models import VerifiedAddress

    settings.TRIBUNA_PREMODERATION = {"first"}
    client.post("/my-data/", {"email": "alice@example.org"})
    path = link_path(mailbox[0])
    assert "Remember this browser as mine" in client.get(path).content.decode()
    response = client.post(path + "known")
    assert response.status_code == 302 and response["Location"].endswith("#known")
    assert VerifiedAddress.objects.filter(email="alice@example.org").exists()

    def post(browser, text="A further thought from Alice."):
        return browser.post(
            "/api/v1/comments",
            json.dumps({"thread": thread.key, "name": "Alice", "email": "alice@example.org", "text": text}),
            content_type="application/json",
            HTTP_X_TRIBUNA="1",
        ).json()["status"]

    assert post(client) == "approved"
    assert post(Client(), "Someone else typing Alice's address.") == "pending"
    services.erase_data("alice@example.org")
    Comment.objects.create(
        thread=thread,
        author_name="Alice",
        author_email="alice@example.org",
        text="Old",
        html="<p>Old</p>",
        status="approved",
    )
    assert post(client, "Alice, after erasing her data.") == "pending", (
        "erasure forgets that the owner proved the address"
    )


def test_remembering_a_browser_needs_a_valid_link(client, db):
    response = client.post("/my-data/not-a-token/known")
    assert response.status_code == 400
    assert "tribuna_addresses" not in response.cookies
