"""Screening a new or edited comment: a chain of small checks, then the classifier.

Each check may add a reason and propose a verdict; the most severe proposal wins. Reasons
are stored on the comment so moderators see why it was held. Posting never fails because
of the filter: if the model cannot be loaded, the comment is held for moderation.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

from tribuna.antispam.models import Ban, SpamModelVersion
from tribuna.antispam.ratelimit import check_posting, count
from tribuna.lib.errors import Banned  # noqa: F401 - re-exported for the Akismet view
from tribuna.lib.http import rate_key_of

log = logging.getLogger(__name__)

APPROVE, HOLD, SPAM, DISCARD = "approve", "hold", "spam", "discard"
SEVERITY = {APPROVE: 0, HOLD: 1, SPAM: 2, DISCARD: 3}

FORM_SALT = "tribuna.form-timestamp"
FORM_MIN_SECONDS = 2
FORM_MAX_SECONDS = 2 * 24 * 3600
HOLD_LINKS, SPAM_LINKS = 3, 8
DUPLICATE_WINDOW = 3600
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
    honeypot: str = ""
    form_token: str | None = None  # None: the client did not take part (API, import)
    is_edit: bool = False
    is_test: bool = False
    api_key_id: int | None = None  # an Akismet client's key: its site's own model, if trained


@dataclass
class Verdict:
    action: str = APPROVE
    score: float | None = None
    reasons: list[str] = field(default_factory=list)

    def propose(self, action: str, reason: str) -> None:
        self.reasons.append(reason)
        if SEVERITY[action] > SEVERITY[self.action]:
            self.action = action


def issue_form_token() -> str:
    return signing.dumps(int(time.time()), salt=FORM_SALT)


def link_domains(text: str, url: str = "") -> list[str]:
    domains = [match.lower().split(":")[0] for match in LINK_RE.findall(text)]
    if url:
        host = urlsplit(url).hostname
        if host:
            domains.append(host.lower())
    return domains


def is_banned(candidate: Candidate) -> bool:
    return any(ban.matches(ip=candidate.ip, email=candidate.email, text=candidate.text, name=candidate.name)
               for ban in Ban.objects.active().only("kind", "value"))


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


def check_links(candidate: Candidate, verdict: Verdict) -> None:
    domains = link_domains(candidate.text)
    if len(domains) >= SPAM_LINKS:
        verdict.propose(SPAM, f"{len(domains)} links")
    elif len(domains) >= HOLD_LINKS:
        verdict.propose(HOLD, f"{len(domains)} links")
    bad = settings.TRIBUNA_BAD_LINK_DOMAINS
    found = link_domains(candidate.text, candidate.url)
    bad_found = sorted({d for d in found if d in bad or any(d.endswith("." + b) for b in bad)})
    if bad_found:
        verdict.propose(SPAM, "links to known spam domains: " + ", ".join(bad_found))


def check_duplicate(candidate: Candidate, verdict: Verdict) -> None:
    """The same text posted recently anywhere on the site (kept as a hash in the cache)."""
    if candidate.is_test:
        return
    normalised = " ".join(candidate.text.lower().split())
    if len(normalised) < 20:
        return  # "Thanks!" twice is not spam
    seen = count("dup:" + hashlib.sha256(normalised.encode()).hexdigest()[:32], DUPLICATE_WINDOW) - 1
    if seen >= 2:
        verdict.propose(SPAM, f"same text posted {seen} times in the last hour")
    elif seen == 1:
        verdict.propose(HOLD, "same text posted earlier in the last hour")


def active_model_path() -> Path:
    """The site's own trained model if there is one, else the model shipped in the package."""
    site_model = settings.DATA_DIR / "models" / "active.joblib"
    if site_model.exists():
        return site_model
    return Path(__file__).resolve().parent / "model" / "shipped.joblib"


MODEL_CHECK_SECONDS = 30
_loaded: dict = {"model": None, "path": None, "mtime": None, "checked": 0.0}


def _model():
    """The active model, reloaded when a retrain (in the worker, another process) replaces it.

    The file's modification time is looked at every MODEL_CHECK_SECONDS at most, so
    screening costs no system call per comment.
    """
    now = time.monotonic()
    if _loaded["model"] is not None and now - _loaded["checked"] < MODEL_CHECK_SECONDS:
        return _loaded["model"]
    path = active_model_path()
    mtime = path.stat().st_mtime
    if _loaded["model"] is None or path != _loaded["path"] or mtime != _loaded["mtime"]:
        _loaded.update(model=_load_or_shipped(path), path=path, mtime=mtime)
    _loaded["checked"] = now
    return _loaded["model"]


def _load_or_shipped(path: Path):
    """A site model saved by an older Tribuna no longer fits the features; the shipped model screens
    until the next retrain (``tribuna spam train``, or the worker after new labels) replaces it."""
    from tribuna.antispam.classifier import ModelFormatError, SpamModel, load_shipped_model

    try:
        return SpamModel.load(path)
    except ModelFormatError:
        log.warning("%s was trained by an older Tribuna; screening with the shipped model until a retrain", path)
        return load_shipped_model()


_key_models: dict[str, object] = {}


def _model_for(api_key_id: int | None):
    """A key's own model once its labels have trained one, else the site's shared model."""
    if api_key_id is None:
        return _model()
    active = SpamModelVersion.objects.filter(api_key_id=api_key_id, is_active=True).values_list(
        "version", "path").first()
    if active is None:
        return _model()
    version, path = active
    if version not in _key_models:
        _key_models[version] = _load_or_shipped(Path(path))
    return _key_models[version]


def _action_for(probability: float) -> str:
    from tribuna.antispam import classifier

    spam_at = settings.TRIBUNA_SPAM_THRESHOLD
    hold_at = settings.TRIBUNA_HOLD_THRESHOLD
    if spam_at < 0 and hold_at < 0:
        return classifier.verdict_for(probability)
    spam_at = spam_at if spam_at >= 0 else classifier.SPAM_THRESHOLD
    hold_at = hold_at if hold_at >= 0 else classifier.HOLD_THRESHOLD
    return SPAM if probability >= spam_at else HOLD if probability >= hold_at else APPROVE


def check_classifier(candidate: Candidate, verdict: Verdict) -> None:
    try:
        # Imported here, as in the two functions above, so that a broken numpy or model file
        # holds comments for a moderator instead of making every import of this module fail.
        from tribuna.antispam import classifier

        model = _model_for(candidate.api_key_id)
        prediction = model.predict(
            classifier.Sample(text=candidate.text, name=candidate.name, url=candidate.url, email=candidate.email,
                              page=candidate.page_url, title=candidate.page_title)
        )
    except Exception:  # noqa: BLE001 - the filter must never make posting fail
        log.exception("spam model unavailable; holding the comment")
        verdict.propose(HOLD, "spam filter unavailable; held for a moderator")
        return
    verdict.score = prediction.probability
    action = _action_for(prediction.probability)
    if action != APPROVE:
        verdict.propose(action, "; ".join(prediction.reasons) or f"spam probability {prediction.probability:.2f}")


def warm_up() -> None:
    """Load the model now rather than on the first comment; a failure is logged, not raised."""
    try:
        _model()
    except Exception:  # noqa: BLE001 - screening holds comments until a model loads
        log.exception("spam model could not be loaded at start-up")


def reload_model() -> None:
    """Forget the loaded model, so the next screening loads the newest one."""
    _loaded.update(model=None, path=None, mtime=None, checked=0.0)


def screen(candidate: Candidate, *, rate_limit: bool = True) -> Verdict:
    """The verdict on one comment. Raises RateLimited before anything is stored."""
    if rate_limit and not candidate.is_edit:
        check_posting(ip_key=rate_key_of(candidate.ip), email=candidate.email, thread_key=candidate.thread_key)
    verdict = Verdict()
    for check in (check_bans, check_honeypot, check_form_timestamp, check_links, check_duplicate, check_classifier):
        check(candidate, verdict)
    return verdict
