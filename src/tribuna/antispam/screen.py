"""Screening a new or edited comment: a chain of small checks, then the classifier.

Each check may add a reason and propose a verdict; the most severe proposal wins. Reasons
are stored on the comment so moderators see why it was held. Posting never fails because
of the filter: if no model at all can be loaded, the comment is held for moderation.
Which model screens (the site's, an Akismet key's, the shipped one) is antispam.registry's business.

Hide only when sure: a comment is marked spam by a blatant rule (the honeypot, a forged or
instant form, a flood of links, a banned domain, a flood of the same text), by the same text a third
time with a sign of spam, or by a model score far past the threshold together with an independent
sign of spam (``classifier.decide``).
Everything uncertain is held for a moderator with its reasons.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

from tribuna.antispam import pow, registry
from tribuna.antispam.models import active_bans
from tribuna.lib.errors import Banned  # noqa: F401 - re-exported for the Akismet view
from tribuna.lib.http import rate_key_of
from tribuna.lib.ratelimit import check_posting, count

log = logging.getLogger(__name__)

APPROVE, HOLD, SPAM, DISCARD = "approve", "hold", "spam", "discard"
SEVERITY = {APPROVE: 0, HOLD: 1, SPAM: 2, DISCARD: 3}

FORM_SALT = "tribuna.form-timestamp"
FORM_MIN_SECONDS = 2
FORM_MAX_SECONDS = 2 * 24 * 3600
HOLD_LINKS, SPAM_LINKS = 3, 8
DUPLICATE_WINDOW = 3600
REPEATS_TO_HIDE = 2  # earlier posts of the same text in the window that, with a sign of spam, hide it
# ... and that hide it on their own: a flood, not readers agreeing (the shipped videos' most repeated legitimate
# text of 20 characters or more was posted three times, over the video's whole life).
FLOOD_REPEATS = 4
LINK_RE = re.compile(r"https?://([^\s/)>\]\"']+)", re.IGNORECASE)


@dataclass
class Candidate:
    text: str
    name: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    user_agent: str = ""
    thread_key: str = ""
    page_url: str = ""  # the page the comment is under, and its title (see classifier.Sample)
    page_title: str = ""
    page_text: str = ""  # the statement's text, when the page is one
    known_author: bool = False  # the email address has had a comment approved before
    honeypot: str = ""
    form_token: str | None = None  # None: the client did not take part (API, import)
    needs_proof: bool = False  # an anonymous comment from a page or the API (not staff, import or Akismet)
    proof_of_work: str = ""  # the ALTCHA solution it carried, if any
    is_edit: bool = False
    edited_text: str = ""  # an edit's text before it: the same text again is not a second copy
    is_test: bool = False
    api_key_id: int | None = None  # an Akismet client's key: that key's own model, once trained


@dataclass
class Verdict:
    action: str = APPROVE
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    # The classifier held the comment with a model its own scope's labels have taught (the site's, or
    # the Akismet key's own): see akismet.comment_check.
    held_by_taught_model: bool = False
    # How many times the same text was posted on the site in the last hour before this one (check_duplicate).
    repeats: int = 0

    def propose(self, action: str, reason: str) -> None:
        self.reasons.append(reason)
        if SEVERITY[action] > SEVERITY[self.action]:
            self.action = action


def issue_form_token() -> str:
    return signing.dumps(int(time.time()), salt=FORM_SALT)


def link_domains(text: str, url: str = "") -> list[str]:
    """The domain of every link in the text (also written in look-alike letters) and of the website."""
    # Imported on the first comment, not with the server: features imports NumPy, a tenth of
    # `tribuna serve`'s start (make bench, start-up); the model's warm-up imports it beside the first requests.
    from tribuna.antispam import features

    domains = [match.lower().split(":")[0] for match in LINK_RE.findall(features.readable(text))]
    if url:
        host = urlsplit(url).hostname
        if host:
            domains.append(host.lower())
    return domains


def is_banned(candidate: Candidate) -> bool:
    return any(
        ban.matches(ip=candidate.ip, email=candidate.email, text=candidate.text, name=candidate.name)
        for ban in active_bans()
    )


def check_bans(candidate: Candidate, verdict: Verdict) -> None:
    """A banned author's comment is answered as any comment the filter refuses: an answer of its
    own would tell anyone who types an address or uses a network whether it is banned."""
    if is_banned(candidate):
        verdict.propose(DISCARD, "the author is banned")


def check_honeypot(candidate: Candidate, verdict: Verdict) -> None:
    if candidate.honeypot:
        verdict.propose(DISCARD, "filled the hidden honeypot field")


def check_form_timestamp(candidate: Candidate, verdict: Verdict) -> None:
    if candidate.form_token is None or candidate.is_edit:
        return
    try:
        issued = signing.loads(candidate.form_token, salt=FORM_SALT)
    except signing.BadSignature:
        verdict.propose(SPAM, "forged or missing form timestamp")
        return
    elapsed = time.time() - int(issued)
    if elapsed < FORM_MIN_SECONDS:
        verdict.propose(SPAM, f"form sent {elapsed:.1f}s after it was shown")
    elif elapsed > FORM_MAX_SECONDS:
        verdict.propose(HOLD, "form was more than two days old")


def check_proof_of_work(candidate: Candidate, verdict: Verdict) -> None:
    """Held, never refused, without a solution: a reader without JavaScript is a reader."""
    if not candidate.needs_proof or candidate.is_edit or not settings.TRIBUNA_POW:
        return
    if not candidate.proof_of_work:
        verdict.propose(
            HOLD, "no proof of work: sent without JavaScript, or by a program that does not solve it"
        )
        return
    outcome = pow.verify(candidate.proof_of_work)
    if outcome is pow.Outcome.EXPIRED:
        verdict.propose(HOLD, "proof of work expired: the page was open for hours")
    elif outcome is pow.Outcome.REPLAYED:
        verdict.propose(SPAM, "proof of work used before: a replayed solution")
    elif outcome is pow.Outcome.INVALID:
        verdict.propose(SPAM, "proof of work forged or wrong")


def check_links(candidate: Candidate, verdict: Verdict) -> None:
    domains = link_domains(candidate.text)
    if len(domains) >= SPAM_LINKS:
        verdict.propose(SPAM, f"{len(domains)} links")
    elif len(domains) >= HOLD_LINKS:
        verdict.propose(HOLD, f"{len(domains)} links")
    bad = settings.TRIBUNA_BAD_LINK_DOMAINS
    found = domains + link_domains("", candidate.url)  # the website's too; the text is read once
    bad_found = sorted({d for d in found if d in bad or any(d.endswith("." + b) for b in bad)})
    if bad_found:
        verdict.propose(SPAM, "links to known spam domains: " + ", ".join(bad_found))


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def check_duplicate(candidate: Candidate, verdict: Verdict) -> None:
    """The same text posted recently anywhere on the site (kept as a hash in the cache): held. Repetition
    alone hides nothing: readers repeat each other ("Love this song, makes me wanna dance!" three times under
    one video of the shipped data), so a repeated text is hidden only with a sign of spam strong enough to
    hide (``check_classifier``), as a copy-and-paste campaign's shortener, cheap domain or contact-seeking is,
    or when it comes in a flood (``FLOOD_REPEATS``)."""
    if candidate.is_test:
        return
    normalised = _normalised(candidate.text)
    if len(normalised) < 20:
        return  # "Thanks!" twice is not spam
    if candidate.is_edit and normalised == _normalised(candidate.edited_text):
        return  # saved again unchanged (save pressed twice, spacing or capitals): not a second copy
    seen = count("dup:" + hashlib.sha256(normalised.encode()).hexdigest()[:32], DUPLICATE_WINDOW) - 1
    verdict.repeats = seen
    if seen >= FLOOD_REPEATS:
        verdict.propose(SPAM, f"same text posted {seen} times in the last hour")
    elif seen >= 2:
        verdict.propose(HOLD, f"same text posted {seen} times in the last hour")
    elif seen == 1:
        verdict.propose(HOLD, "same text posted earlier in the last hour")


def _thresholds() -> tuple[float, float]:
    """Spam and hold thresholds: the settings when set (>= 0), else the classifier's defaults."""
    from tribuna.antispam import classifier

    spam_at, hold_at = settings.TRIBUNA_SPAM_THRESHOLD, settings.TRIBUNA_HOLD_THRESHOLD
    return (
        spam_at if spam_at >= 0 else classifier.SPAM_THRESHOLD,
        hold_at if hold_at >= 0 else classifier.HOLD_THRESHOLD,
    )


def check_classifier(candidate: Candidate, verdict: Verdict) -> None:
    try:
        # Imported here (not with the server, as the features in link_domains) and inside the try, so
        # that a broken numpy or model file holds comments for a moderator instead of failing the post.
        from tribuna.antispam import classifier

        model = registry.model_for(candidate.api_key_id)
        prediction = model.predict(
            classifier.Sample(
                text=candidate.text,
                name=candidate.name,
                url=candidate.url,
                email=candidate.email,
                page=candidate.page_url,
                title=candidate.page_title,
                page_text=candidate.page_text,
            )
        )
    except Exception:  # noqa: BLE001 - the filter must never make posting fail
        log.exception("spam model unavailable; holding the comment")
        verdict.propose(HOLD, "spam filter unavailable; held for a moderator")
        return
    verdict.score = prediction.probability
    spam_at, hold_at = _thresholds()
    action = classifier.decide(
        prediction.probability,
        prediction.evidence,
        spam=spam_at,
        hold=hold_at,
        lenient=prediction.lenient or candidate.known_author,
        promotes=prediction.promotes and not candidate.known_author,
        sends_nowhere=prediction.sends_nowhere,
        hands_over=prediction.hands_over,
    )
    if verdict.repeats >= REPEATS_TO_HIDE and classifier.can_hide(prediction.evidence):
        # A campaign: the same text again and again, with a sign of spam strong enough to hide a comment (not a
        # friend's handle, which readers tag and repeat: check_duplicate).
        action = SPAM
    if action == HOLD and model.site_taught:
        key = candidate.api_key_id
        verdict.held_by_taught_model = key is None or registry.own_model(key) is model
    if action != APPROVE:
        reasons = list(prediction.reasons)
        if action == HOLD and prediction.probability >= spam_at:
            reasons.append("no independent sign of spam strong enough to hide it, so held rather than hidden")
        if not candidate.known_author and candidate.email:
            reasons.append("first comment from this address")
        verdict.propose(action, "; ".join(reasons))


def screen(candidate: Candidate, *, rate_limit: bool = True) -> Verdict:
    """The verdict on one comment. Raises RateLimited before anything is stored."""
    if rate_limit:  # edits count too: each one is screened again
        check_posting(
            ip_key=rate_key_of(candidate.ip), email=candidate.email, thread_key=candidate.thread_key
        )
    verdict = Verdict()
    for check in (
        check_bans,
        check_honeypot,
        check_form_timestamp,
        check_proof_of_work,
        check_links,
        check_duplicate,
        check_classifier,
    ):
        check(candidate, verdict)
    return verdict
