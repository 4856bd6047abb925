"""The screening chain: each rule's verdict and reason, and the filter never failing a post."""

import shutil
import time

import pytest
from django.core import signing
from django.utils import timezone

from tribuna.antispam import screen
from tribuna.antispam.models import Ban
from tribuna.antispam.ratelimit import RateLimited
from tribuna.antispam.screen import Candidate
from tribuna.discussion.models import Comment
from tribuna.discussion.services import STATUS_OF

pytestmark = pytest.mark.django_db

LEGIT = "The evening hours would really help students who work during the day."


def judge(text=LEGIT, **fields):
    return screen.screen(Candidate(text=text, name="Reader", **fields), rate_limit=False)


def test_a_plain_comment_is_approved():
    assert judge().action == "approve"


def test_a_filled_honeypot_is_discarded():
    verdict = judge(honeypot="http://bot.example")
    assert verdict.action == "discard" and STATUS_OF[verdict.action] == Comment.Status.SPAM
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


def test_the_same_text_posted_again_is_held_then_spam():
    assert judge().action == "approve"
    assert judge().action == "hold"
    assert judge().action == "spam"


def test_bans_refuse_by_network_email_domain_and_word():
    Ban.objects.create(kind="ip", value="203.0.113.0/24")
    Ban.objects.create(kind="domain", value="spam.example")
    Ban.objects.create(kind="word", value="casino")
    Ban.objects.create(kind="email", value="old@example.org", expires=timezone.now() - timezone.timedelta(days=1))
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


def test_an_unloadable_model_holds_the_comment_instead_of_failing(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "active.joblib").write_bytes(b"not a model")
    screen.reload_model()
    try:
        verdict = judge()
        assert verdict.action == "hold" and "unavailable" in verdict.reasons[-1]
    finally:
        screen.reload_model()


def test_a_model_replaced_by_another_process_is_picked_up(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    screen.reload_model()
    shipped = screen._model()
    (tmp_path / "models").mkdir()
    shutil.copy(screen.active_model_path(), tmp_path / "models" / "active.joblib")
    monkeypatch.setattr(screen, "MODEL_CHECK_SECONDS", 0)
    try:
        assert screen._model() is not shipped
        assert screen._loaded["path"] == tmp_path / "models" / "active.joblib"
    finally:
        screen.reload_model()


def test_the_page_the_comment_is_under_reaches_the_classifier():
    page = "https://statements.example.org/statements/library-hours/"
    text = f"Thanks, the table in {page} answers it"
    on_page = judge(text, page_url=page, page_title="Library opening hours")
    elsewhere = judge(text, page_url="https://statements.example.org/statements/other/", page_title="Other")
    assert on_page.score < elsewhere.score


def test_a_site_model_from_an_older_tribuna_gives_way_to_the_shipped_model(settings, tmp_path):
    import joblib

    from tribuna.antispam import classifier

    settings.DATA_DIR = tmp_path
    (tmp_path / "models").mkdir()
    state = joblib.load(classifier.SHIPPED_PATH)
    joblib.dump({**state, "format": classifier.FORMAT - 1}, tmp_path / "models" / "active.joblib")
    screen.reload_model()
    try:
        verdict = judge()
        assert verdict.action == "approve" and verdict.score is not None
        assert screen._model() is classifier.load_shipped_model()
    finally:
        screen.reload_model()
