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


def test_a_key_taught_by_its_own_labels_answers_true_for_what_it_would_hold(
    client, key, small_corpus, settings
):
    """Akismet has no "held": cold, a comment Tribuna would only hold answers false. Once the key's own
    submit-spam/submit-ham have taught its model, that model's held comments answer true, or what the
    key's moderators taught it could never change an answer. Another key, and the site, are unchanged."""
    from tribuna.antispam import classifier, learning, registry

    settings.TRIBUNA_SPAM_THRESHOLD = 0.9999  # hiding out of the small corpus's reach: only holds here
    other = ApiKey.objects.create(key="o" * 32, site="https://other.example.org")
    chain_letter = "Pass this on to ten friends before midnight or your luck turns, share share share {}"
    question = "Will the reading room keep its evening hours during the exams in week {}?"

    def check(for_key, text):
        registry.reload()
        return call(client, "comment-check", for_key, blog=for_key.site, comment_content=text).content

    probe = chain_letter.format("today")
    assert check(key, probe) == b"false"
    for i in range(classifier.SITE_TAUGHT_LABELS):
        learning.record_label(text=chain_letter.format(i), is_spam=True, source="akismet", api_key=key)
        learning.record_label(text=question.format(i), is_spam=False, source="akismet", api_key=key)
    record = learning.train_scope(key, in_child=False)
    registry.reload()
    assert record.is_active and registry.own_model(key.pk).site_taught
    assert check(key, chain_letter.format("at dawn")) == b"true"  # a new text: no duplicate rule involved
    assert check(key, question.format("nine")) == b"false"
    assert check(other, chain_letter.format("tonight")) == b"false"  # falls back to the shipped model


def test_a_key_falling_back_to_the_sites_taught_model_still_answers_false_for_a_held_comment(
    client, key, small_corpus, settings
):
    """The site's moderators taught the site's model, not this key's: its holds stay false for the key."""
    from tribuna.antispam import classifier, learning, registry

    settings.TRIBUNA_SPAM_THRESHOLD = 0.9999
    chain_letter = "Pass this on to ten friends before midnight or your luck turns, share share share {}"
    for i in range(classifier.SITE_TAUGHT_LABELS):
        learning.record_label(text=chain_letter.format(i), is_spam=True, source="moderator")
        learning.record_label(text=f"Is the archive open in week {i}?", is_spam=False, source="moderator")
    learning.train_scope(None, in_child=False)
    registry.reload()
    assert registry.model_for(key.pk).site_taught and registry.own_model(key.pk) is None
    assert (
        call(client, "comment-check", key, comment_content=chain_letter.format("today")).content == b"false"
    )
