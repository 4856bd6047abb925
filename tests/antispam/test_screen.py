"""The screening chain: each rule's verdict and reason, and the filter never failing a post."""

import time

import pytest
from django.core import signing
from django.utils import timezone

from tribuna.antispam import screen
from tribuna.antispam.models import Ban
from tribuna.antispam.screen import Candidate
from tribuna.lib.ratelimit import RateLimited

pytestmark = pytest.mark.django_db

LEGIT = "The evening hours would really help students who work during the day."


def judge(text=LEGIT, **fields):
    return screen.screen(Candidate(text=text, name="Reader", **fields), rate_limit=False)


def test_a_plain_comment_is_approved():
    assert judge().action == "approve"


def test_a_filled_honeypot_is_discarded():
    verdict = judge(honeypot="http://bot.example")
    assert verdict.action == "discard"
    assert "honeypot" in verdict.reasons[0]


def test_a_form_sent_too_fast_is_spam_and_a_stale_one_is_held():
    assert judge(form_token=screen.issue_form_token()).action == "spam"
    old = signing.dumps(int(time.time()) - 3 * 24 * 3600, salt=screen.FORM_SALT)
    assert judge(form_token=old).action == "hold"
    assert judge(form_token="forged").action == "spam"


def test_links_are_held_then_marked_spam():
    three = " ".join(f"https://docs{i}.example.org/page" for i in range(3))
    assert judge(f"{LEGIT} {three}").action == "hold"
    many = " ".join(f"https://shop{i}.example.com/buy" for i in range(8))
    assert judge(f"{LEGIT} {many}").action == "spam"


def test_known_bad_link_domains_are_spam(settings):
    settings.TRIBUNA_BAD_LINK_DOMAINS = {"pills.example"}
    verdict = judge(f"{LEGIT} see https://www.pills.example/x")
    assert verdict.action == "spam" and any("pills.example" in reason for reason in verdict.reasons)


def test_links_written_in_look_alike_letters_count_as_links(settings):
    settings.TRIBUNA_BAD_LINK_DOMAINS = {"pills.example"}
    verdict = judge(f"{LEGIT} see ｈｔｔｐｓ://ｗｗｗ.ｐｉｌｌｓ.ｅｘａｍｐｌｅ/x")  # full-width letters
    assert verdict.action == "spam" and any("pills.example" in reason for reason in verdict.reasons)
    many = " ".join(f"𝗁𝗍𝗍𝗉𝗌://𝗌𝗁𝗈𝗉{i}.𝖾𝗑𝖺𝗆𝗉𝗅𝖾.𝖼𝗈𝗆/𝖻𝗎𝗒" for i in range(8))  # mathematical letters
    assert judge(f"{LEGIT} {many}").action == "spam"


def test_the_same_text_posted_again_is_held_and_hidden_only_with_a_sign_of_spam():
    # Readers repeat each other ("love this song makes me wanna dance!" three times under one shipped video):
    # a few repeats hold, they do not hide.
    verdicts = [judge() for _ in range(6)]
    assert [v.action for v in verdicts] == ["approve", "hold", "hold", "hold", "spam", "spam"]
    assert "same text posted earlier in the last hour" in verdicts[1].reasons
    assert "same text posted 3 times in the last hour" in verdicts[3].reasons
    # A flood is hidden whatever it says: the fifth copy within the hour (FLOOD_REPEATS earlier ones).
    assert verdicts[screen.FLOOD_REPEATS].action == "spam"
    # A campaign's text carries what it promotes (here a link shortener): the third time, it is hidden.
    campaign = "Work from home and earn more, my results are at bit.ly/earn-26 have a look"
    assert [judge(text=campaign).action for _ in range(3)][2] == "spam"
    assert judge(text=campaign).repeats == 3
    # A friend's handle is a sign readers' own comments show (classifier.NOT_ENOUGH_TO_HIDE): held, not hidden.
    tag = "@jess_k you have to hear this one, track four especially"
    assert [judge(text=tag).action for _ in range(4)][1:] == ["hold", "hold", "hold"]


def test_bans_refuse_by_network_email_domain_and_word():
    Ban.objects.create(kind="ip", value="203.0.113.0/24")
    Ban.objects.create(kind="domain", value="spam.example")
    Ban.objects.create(kind="word", value="casino")
    Ban.objects.create(
        kind="email", value="old@example.org", expires=timezone.now() - timezone.timedelta(days=1)
    )
    for fields in ({"ip": "203.0.113.9"}, {"email": "x@mail.spam.example"}, {"text": "Best casino deals"}):
        verdict = judge(**fields)
        assert verdict.action == "discard" and "the author is banned" in verdict.reasons
    assert "the author is banned" not in judge(email="old@example.org").reasons  # expired ban


def test_rate_limits_raise_with_retry_after(settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_RATE_LIMITS = {**settings.TRIBUNA_RATE_LIMITS, "ip": (2, 60)}
    for i in range(2):
        screen.screen(Candidate(text=f"{LEGIT} {i}", ip="2001:db8::1"))
    with pytest.raises(RateLimited) as raised:
        screen.screen(Candidate(text=f"{LEGIT} 3", ip="2001:db8::ffff"))  # same /64
    assert raised.value.retry_after >= 1


def test_when_not_even_the_shipped_model_loads_the_comment_is_held(tmp_path, monkeypatch):
    from tribuna.antispam import classifier

    (tmp_path / "shipped.joblib").write_bytes(b"not a model")
    monkeypatch.setattr(classifier, "SHIPPED_PATH", tmp_path / "shipped.joblib")
    classifier.load_shipped_model.cache_clear()
    try:
        verdict = judge()
        assert verdict.action == "hold" and "unavailable" in verdict.reasons[-1]
    finally:
        monkeypatch.undo()
        classifier.load_shipped_model.cache_clear()


def test_the_page_the_comment_is_under_reaches_the_classifier():
    page = "https://statements.example.org/statements/library-hours/"
    text = f"Thanks, the table in {page} answers it"
    on_page = judge(text, page_url=page, page_title="Library opening hours")
    elsewhere = judge(text, page_url="https://other.example.net/statements/other/", page_title="Other")
    assert on_page.score < elsewhere.score


def test_the_hand_written_active_bans_are_the_querysets():
    """Screening reads models.active_bans() on every post instead of Ban.objects.active()."""
    from tribuna.antispam.models import active_bans

    now = timezone.now()
    Ban.objects.create(kind="word", value="permanent")
    Ban.objects.create(kind="word", value="later", expires=now + timezone.timedelta(minutes=5))
    Ban.objects.create(kind="word", value="past", expires=now - timezone.timedelta(seconds=1))
    Ban.objects.create(kind="word", value="long-gone", expires=now - timezone.timedelta(days=400))
    by_hand = {(b.pk, b.kind, b.value) for b in active_bans()}
    assert by_hand == set(Ban.objects.active().values_list("pk", "kind", "value"))
    assert {value for _, _, value in by_hand} == {"permanent", "later"}
