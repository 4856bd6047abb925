"""The Akismet-compatible REST service, so other sites can use Tribuna as their spam filter.

Endpoints, parameters and plain-text answers follow the public Akismet API. Written as
plain Django views (not the JSON API) because Akismet speaks form-encoded bodies and
plain-text answers; its clients authenticate with a key, not cookies, so CSRF does not apply.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tribuna.antispam import learning
from tribuna.antispam.models import ApiKey, TrainingLabel
from tribuna.antispam.screen import DISCARD, HOLD, SPAM, Banned, Candidate, screen
from tribuna.lib.ratelimit import RateLimited, hit

THANKS = "Thanks for making the web a better place."
TEST_SPAM_AUTHOR = "viagra-test-123"
TEST_SPAM_EMAIL = "akismet-guaranteed-spam@example.com"


def _text(body: str, *, status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _key_from(request: HttpRequest) -> ApiKey | None:
    params = request.POST if request.method == "POST" else request.GET
    value = params.get("api_key") or params.get("key") or ""
    if not value:
        return None
    return ApiKey.objects.filter(key=value, is_active=True).first()


def _invalid_key() -> HttpResponse:
    return _text("invalid", X_akismet_debug_help="The API key is missing or not valid for this server.")


def _site_parts(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return "", ""
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    return host, parts.path.rstrip("/")


def _blog_matches(key: ApiKey, blog: str) -> bool:
    """``blog`` names the key's own site: same host, and the key's path or a page below it (scheme aside)."""
    host, path = _site_parts(blog)
    key_host, key_path = _site_parts(key.site)
    return bool(host) and host == key_host and (path == key_path or path.startswith(key_path + "/"))


def _wrong_blog() -> HttpResponse:
    # Akismet answers a key used for another site the way it answers an invalid key.
    return _text("invalid", X_akismet_debug_help="This API key is not valid for the blog given in `blog`.")


def _key_for_blog(request: HttpRequest) -> ApiKey | HttpResponse:
    """The request's key if it may speak for the request's ``blog``; else the Akismet answer to give."""
    key = _key_from(request)
    if key is None:
        return _invalid_key()
    if (error := _missing(request, "blog")) is not None:
        return error
    if not _blog_matches(key, request.POST["blog"]):
        return _wrong_blog()
    return key


@csrf_exempt
@require_POST
def verify_key(request: HttpRequest) -> HttpResponse:
    key = _key_for_blog(request)
    return key if isinstance(key, HttpResponse) else _text("valid")


def _candidate(request: HttpRequest, key: ApiKey | None = None) -> Candidate:
    p = request.POST
    return Candidate(
        text=p.get("comment_content", "")[:10_000],
        name=p.get("comment_author", "")[:200],
        email=p.get("comment_author_email", "")[:254],
        url=p.get("comment_author_url", "")[:2048],
        ip=p.get("user_ip", ""),
        user_agent=p.get("user_agent", "")[:400],
        thread_key=p.get("permalink", "")[:300],
        page_url=p.get("permalink", "")[:2048],
        is_test=p.get("is_test", "") in {"1", "true"},
        api_key_id=key.pk if key else None,
    )


def _missing(request: HttpRequest, *names: str) -> HttpResponse | None:
    missing = [name for name in names if not request.POST.get(name)]
    if missing:
        return _text(
            f"Missing required field: {missing[0]}.",
            X_akismet_debug_help=f"Empty or missing required field: {', '.join(missing)}.",
        )
    return None


@csrf_exempt
@require_POST
def comment_check(request: HttpRequest) -> HttpResponse:
    key = _key_for_blog(request)
    if isinstance(key, HttpResponse):
        return key
    if (error := _missing(request, "user_ip")) is not None:
        return error
    ApiKey.objects.filter(pk=key.pk).update(calls=F("calls") + 1)
    candidate = _candidate(request, key)
    if request.POST.get("user_role", "").lower() == "administrator":
        return _text("false")
    if candidate.name == TEST_SPAM_AUTHOR or candidate.email == TEST_SPAM_EMAIL:
        return _text("true", X_akismet_pro_tip="discard")
    try:
        verdict = screen(candidate, rate_limit=False)
    except Banned:
        return _text("true", X_akismet_pro_tip="discard")
    if verdict.action == DISCARD or (verdict.action == SPAM and (verdict.score or 0) >= 0.99):
        return _text("true", X_akismet_pro_tip="discard")
    # The protocol has no "held for a moderator". Cold, a held comment answers false (the client's own
    # moderation decides; a reader's comment in a spam folder is as good as lost). Once the key's own
    # submit-spam/submit-ham have taught its model, that model's held comments answer true: its
    # moderators review the spam folder, and otherwise what they taught it could never change an answer.
    spam = verdict.action == SPAM or (verdict.action == HOLD and verdict.held_by_taught_model)
    return _text("true" if spam else "false")


def _submit(request: HttpRequest, *, is_spam: bool) -> HttpResponse:
    """A label for the key's own model only (see learning.scope_labels), within the key's limits."""
    key = _key_for_blog(request)
    if isinstance(key, HttpResponse):
        return key
    if (error := _missing(request, "user_ip")) is not None:
        return error
    try:
        for limit, window in settings.TRIBUNA_AKISMET_SUBMIT_LIMITS:
            hit(f"akismet-submit-{window}", str(key.pk), limit, window)
    except RateLimited as limited:
        return _text(
            "Too many submissions for this key; try again later.",
            status=429,
            Retry_After=str(limited.retry_after),
            X_akismet_debug_help=f"At most {limit} submissions per key every {window} seconds.",
        )
    candidate = _candidate(request)
    if not candidate.is_test and candidate.text:
        learning.record_label(
            text=candidate.text,
            name=candidate.name,
            url=candidate.url,
            page=candidate.page_url,
            is_spam=is_spam,
            source=TrainingLabel.Source.AKISMET,
            api_key=key,
        )
    return _text(THANKS)


@csrf_exempt
@require_POST
def submit_spam(request: HttpRequest) -> HttpResponse:
    return _submit(request, is_spam=True)


@csrf_exempt
@require_POST
def submit_ham(request: HttpRequest) -> HttpResponse:
    return _submit(request, is_spam=False)


@csrf_exempt
@require_POST  # the key in the body: a query string ends up in proxies' and servers' access logs
def usage_limit(request: HttpRequest) -> HttpResponse:
    key = _key_from(request)
    if key is None:
        return _invalid_key()
    return JsonResponse({"limit": "none", "usage": key.calls, "percentage": "0.00", "throttled": False})
