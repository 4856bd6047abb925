"""The poisoning attack from issue 11: labels sent through one Akismet key must change nothing for
another key or for the site's own verdicts."""

from __future__ import annotations

import pytest

from tribuna.antispam import learning, registry, screen
from tribuna.antispam.models import ApiKey, SpamModelVersion

pytestmark = pytest.mark.django_db

CIVIC = [
    "Please notify me of follow-ups. Open by default is right.",
    "Could the reading room stay open until nine on weekdays?",
    "Section 3 of the statement contradicts the budget table; which one is right?",
    "Thanks for publishing the minutes so quickly.",
]


def scores(api_key_id):
    registry.reload()
    return [
        screen.screen(
            screen.Candidate(text=text, is_test=True, api_key_id=api_key_id), rate_limit=False
        ).score
        for text in CIVIC
    ]


def retrain_every_scope_with_new_labels():
    return [learning.train_scope(scope, in_child=False) for scope in learning.scopes_with_new_labels()]


def test_one_keys_labels_change_nothing_for_another_key_or_the_site(client, small_corpus):
    attacker = ApiKey.objects.create(key="a" * 32, site="https://attacker.example.org")
    neighbour = ApiKey.objects.create(key="n" * 32, site="https://neighbour.example.org")
    # The site's moderators and the neighbour have taught their own models something already.
    for i in range(6):
        learning.record_label(
            text=f"Could the archive open on Sundays, week {i}?", is_spam=False, source="moderator"
        )
        learning.record_label(text=f"Cheap tulip bulbs wholesale, lot {i}", is_spam=True, source="moderator")
        client.post(
            "/1.1/submit-ham",
            {
                "api_key": neighbour.key,
                "blog": neighbour.site,
                "user_ip": "198.51.100.1",
                "comment_content": f"Great talk at the library, week {i}",
            },
        )
    retrain_every_scope_with_new_labels()
    site_version = SpamModelVersion.objects.get(api_key=None, is_active=True)
    neighbour_version = SpamModelVersion.objects.get(api_key=neighbour, is_active=True)
    before = {"site": scores(None), "neighbour": scores(neighbour.pk), "attacker": scores(attacker.pk)}

    # The attack: civic comments reported as spam, many times, through the attacker's own key.
    for i in range(40):
        for text in CIVIC:
            client.post(
                "/1.1/submit-spam",
                {
                    "api_key": attacker.key,
                    "blog": attacker.site,
                    "user_ip": "192.0.2.1",
                    "comment_content": f"{text} ({i})",
                },
            )
    retrained = retrain_every_scope_with_new_labels()
    assert [r.api_key_id for r in retrained] == [attacker.pk]

    after = {"site": scores(None), "neighbour": scores(neighbour.pk), "attacker": scores(attacker.pk)}
    assert after["site"] == before["site"]
    assert after["neighbour"] == before["neighbour"]
    # The attack works, on the attacker's own model only.
    assert after["attacker"] != before["attacker"] and min(after["attacker"]) > 0.95

    # Even a forced retrain of the site reads none of the attacker's labels: the very same model comes out.
    assert learning.train_scope(None, in_child=False).model is not None
    assert (
        registry.load_version(SpamModelVersion.objects.get(api_key=None, is_active=True).pk).version
        == registry.load_version(site_version.pk).version
    )
    assert SpamModelVersion.objects.get(api_key=neighbour, is_active=True) == neighbour_version
