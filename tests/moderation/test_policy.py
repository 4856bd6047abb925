"""Pre-moderation rules, site-wide and per thread, as readers posting through the API meet them."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient
from tribuna.antispam.screen import APPROVE, HOLD, SPAM, Verdict
from tribuna.discussion.services import Submission
from tribuna.moderation.models import ModerationSettings
from tribuna.moderation.policy import Rules, apply_policy
from tribuna.notifications import services

pytestmark = pytest.mark.django_db


def judged(thread, text="A calm remark.", email="new@example.org", action=APPROVE, owns=False) -> Verdict:
    verdict = Verdict(action=action)
    apply_policy(
        thread, Submission(thread=thread, text=text, name="Reader", email=email, owns_email=owns), verdict
    )
    return verdict


def test_without_rules_a_clean_comment_stays_approved(thread):
    assert judged(thread).action == APPROVE


def test_a_thread_can_hold_everything(thread):
    ModerationSettings.objects.create(thread=thread, hold_all=True)
    assert judged(thread).action == HOLD


def test_it_holds_links_when_the_thread_says_so(thread):
    ModerationSettings.objects.create(thread=thread, hold_links=True)
    assert judged(thread, "See https://example.com/page").action == HOLD
    assert judged(thread, "No links here.").action == APPROVE


def test_it_holds_the_first_comment_of_an_unknown_address(thread, make_comment):
    ModerationSettings.objects.create(thread=thread, hold_first=True)
    assert judged(thread, owns=True).action == HOLD
    make_comment(status="approved", email="new@example.org")
    services.confirm("new@example.org")
    assert judged(thread, owns=True).action == APPROVE


def test_a_typed_address_is_not_a_known_commenter(thread, make_comment):
    """Only the owner's own request (its signed proof) counts an address's history."""
    ModerationSettings.objects.create(thread=thread, hold_first=True)
    make_comment(status="approved", email="new@example.org")
    services.confirm("new@example.org")
    assert judged(thread, owns=False).action == HOLD


def test_an_address_whose_owner_never_proved_it_is_not_known(thread, make_comment):
    ModerationSettings.objects.create(thread=thread, hold_first=True)
    make_comment(status="approved", email="new@example.org")
    assert (
        judged(thread, owns=True).action == HOLD
    )  # a cookie alone, for an address never (or no longer) proved


def test_it_holds_suspect_words(thread):
    ModerationSettings.objects.create(thread=thread, suspect_words="Casino\n  cheap pills ")
    verdict = judged(thread, "Visit my CASINO today")
    assert verdict.action == HOLD and "suspect words: casino" in verdict.reasons


def test_site_wide_rules_still_apply(thread, settings):
    settings.TRIBUNA_PREMODERATION = {"links"}
    assert judged(thread, "See http://example.com").action == HOLD


def test_a_trusted_address_is_approved_despite_an_unsure_filter(thread, make_comment):
    ModerationSettings.objects.create(thread=thread, auto_approve_after=2)
    for _ in range(2):
        make_comment(status="approved", email="regular@example.org")
    services.confirm("regular@example.org")
    verdict = judged(thread, email="regular@example.org", action=HOLD, owns=True)
    assert verdict.action == APPROVE
    assert judged(thread, email="regular@example.org", action=HOLD).action == HOLD, "typed by someone else"
    assert judged(thread, email="new@example.org", action=HOLD, owns=True).action == HOLD


def test_trust_never_overrides_spam_hold_all_or_suspect_words(thread, make_comment, settings):
    settings.TRIBUNA_AUTO_APPROVE_AFTER = 1
    make_comment(status="approved", email="regular@example.org")
    services.confirm("regular@example.org")
    assert judged(thread, email="regular@example.org", action=SPAM, owns=True).action == SPAM
    rules = ModerationSettings.objects.create(thread=thread, suspect_words="casino")
    assert judged(thread, "casino night", email="regular@example.org", owns=True).action == HOLD
    rules.hold_all = True
    rules.save()
    assert judged(thread, email="regular@example.org", owns=True).action == HOLD


def test_moderators_are_not_held(thread):
    from tribuna.discussion.services import post_comment

    ModerationSettings.objects.create(thread=thread, hold_all=True)
    posted = post_comment(Submission(thread=thread, text="Answer.", name="Board"), is_moderator=True)
    assert posted.comment.status == "approved" and posted.comment.is_moderator


def test_a_held_comment_through_the_api_waits_in_the_queue(api, thread, mod_client):
    ModerationSettings.objects.create(thread=thread, hold_all=True)
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "Reader", "text": "Hello there."}
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    assert "Hello there." in mod_client.get("/moderation/?tab=pending").content.decode()


def _post(client, thread, email: str, ip: str):
    return client.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Ada",
            "email": email,
            "text": "Another thought on the second section.",
        },
        REMOTE_ADDR=ip,
    )


def test_a_stranger_posting_as_a_known_commenter_is_held_and_learns_nothing(thread, make_comment, settings):
    """The review's attack: with "hold first comment" on, posting as the address of someone who had
    commented was approved at once, and so the answer told a stranger the address had commented."""
    settings.TRIBUNA_PREMODERATION = {"first"}
    make_comment(status="approved", email="ada@example.org")
    services.confirm("ada@example.org")
    stranger = ApiClient()
    as_ada = _post(stranger, thread, "ADA@example.org", "198.51.100.7")
    as_nobody = _post(stranger, thread, "nobody@example.org", "198.51.100.8")
    assert as_ada.status_code == as_nobody.status_code == 201
    assert as_ada.json()["status"] == as_nobody.json()["status"] == "pending"
    assert as_ada.json()["message"] == as_nobody.json()["message"]


def test_the_hand_written_settings_query_reads_what_the_queryset_reads(thread):
    """policy.thread_settings() is read on every post instead of ModerationSettings.objects.filter()."""
    from tribuna.discussion.models import Thread
    from tribuna.moderation.policy import SETTINGS_FIELDS, thread_settings

    other = Thread.objects.create(key="/other/", title="Another page")
    assert thread_settings(thread.pk) is None
    ModerationSettings.objects.create(thread=other, hold_all=True)
    assert thread_settings(thread.pk) is None
    own = ModerationSettings.objects.create(
        thread=thread,
        hold_first=True,
        hold_links=True,
        suspect_words="Casino\n\n pills ",
        auto_approve_after=3,
    )
    read = thread_settings(thread.pk)
    assert read is not None
    assert [getattr(read, f) for f in SETTINGS_FIELDS] == [getattr(own, f) for f in SETTINGS_FIELDS]
    assert read.words == ["casino", "pills"]
    rules = Rules.for_thread(thread)
    assert (rules.hold_all, rules.hold_first, rules.hold_links, rules.auto_approve_after) == (
        False,
        True,
        True,
        3,
    )
