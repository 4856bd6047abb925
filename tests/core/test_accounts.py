"""Staff sign in on a page in Tribuna's look, and reset a forgotten password by email."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_tribunas_own(client):
    page = client.get("/admin/login/?next=/moderation/").content.decode()
    assert "Django administration" not in page
    assert '<link rel="stylesheet" href="/static/tribuna/site.css">' in page
    assert 'name="username"' in page and 'name="password"' in page and 'name="otp_token"' in page
    assert 'href="/account/password-reset/"' in page


def test_a_moderator_signs_in_and_reaches_the_queue(client, moderator):
    response = client.post(
        "/admin/login/",
        {"username": "moderator", "password": "correct horse battery", "next": "/moderation/"},
    )
    assert response.status_code == 302 and response["Location"] == "/moderation/"
    assert client.get("/moderation/").status_code == 200


def test_a_forgotten_password_is_reset_by_a_link_built_from_the_base_url(client, moderator, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    moderator.email = "mod@example.org"
    moderator.save()
    response = client.post("/account/password-reset/", {"email": "mod@example.org"}, HTTP_HOST="evil.example")
    assert response.status_code in (302, 400)  # a host not allowed never gets a page, let alone a link
    response = client.post("/account/password-reset/", {"email": "mod@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"https?://\S+/account/password-reset/\S+/", message.body).group(0)
    assert link.startswith(settings.BASE_URL + "/account/password-reset/")
    page = client.get(link.removeprefix(settings.BASE_URL), follow=True)
    assert 'name="new_password1"' in page.content.decode()
    done = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done.status_code == 302
    moderator.refresh_from_db()
    assert moderator.check_password("a new long passphrase 42")


def test_reset_requests_are_limited(client, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    codes = [
        client.post("/account/password-reset/", {"email": "nobody@example.org"}).status_code for _ in range(6)
    ]
    assert codes[:5] == [302] * 5 and codes[5] == 429
    assert mail.outbox == []  # no account has this address
