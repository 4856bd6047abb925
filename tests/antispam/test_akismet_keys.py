"""A key speaks only for its own site, and its submissions are limited per key."""

from __future__ import annotations

import pytest

from tribuna.antispam.models import ApiKey, TrainingLabel

pytestmark = pytest.mark.django_db

SITE = "https://blog.example.org/news"


@pytest.fixture
def key(db):
    return ApiKey.objects.create(key="k" * 32, site=SITE)


def call(client, endpoint, key, blog=SITE, **fields):
    return client.post(
        f"/1.1/{endpoint}",
        {
            "api_key": key.key,
            "blog": blog,
            "user_ip": "203.0.113.9",
            "comment_content": "Earn money fast at home",
            **fields,
        },
    )


@pytest.mark.parametrize("endpoint", ["verify-key", "comment-check", "submit-spam", "submit-ham"])
@pytest.mark.parametrize(
    "blog",
    [
        "https://other.example.org/news",
        "https://blog.example.org.evil.example/news",
        "https://blog.example.org/newsletter",
        "https://blog.example.org/",
        "not a url",
    ],
)
def test_a_key_used_for_another_blog_is_answered_invalid(client, key, endpoint, blog):
    response = call(client, endpoint, key, blog=blog)
    assert response.status_code == 200 and response.content == b"invalid"
    assert "blog" in response["X-akismet-debug-help"]
    assert not TrainingLabel.objects.exists()


@pytest.mark.parametrize("blog", [SITE, SITE + "/", "http://BLOG.example.org/news", SITE + "/2024/05/a-post"])
def test_the_keys_own_site_and_its_pages_are_accepted(client, key, blog):
    assert call(client, "verify-key", key, blog=blog).content == b"valid"
    assert call(client, "submit-spam", key, blog=blog).content == b"Thanks for making the web a better place."


def test_a_missing_blog_is_explained(client, key):
    response = client.post("/1.1/comment-check", {"api_key": key.key, "user_ip": "203.0.113.9"})
    assert b"blog" in response.content and "blog" in response["X-akismet-debug-help"]


def test_submissions_are_rate_limited_per_key(client, key, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_AKISMET_SUBMIT_LIMITS = [(3, 60), (1000, 24 * 3600)]
    other = ApiKey.objects.create(key="o" * 32, site="https://other.example.org")
    answers = [
        call(client, "submit-spam", key, comment_content=f"Earn money fast, offer {i}") for i in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) >= 1 and answers[-1]["X-akismet-debug-help"]
    assert TrainingLabel.objects.filter(api_key=key).count() == 3
    assert (
        call(client, "submit-ham", other, blog=other.site).status_code == 200
    )  # another key is not held back


def test_submissions_are_capped_per_key_and_day(client, key, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_AKISMET_SUBMIT_LIMITS = [(100, 60), (2, 24 * 3600)]
    answers = [
        call(client, "submit-ham", key, comment_content=f"A real question, number {i}") for i in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert TrainingLabel.objects.filter(api_key=key).count() == 2
