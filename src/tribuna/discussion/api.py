"""The discussion JSON API: /api/v1/comments and /api/v1/counts.

Views stay thin: validate with the shared CommentForm (as CommentCheck), call discussion.services, shape the
answer; the domain errors services raise become HTTP answers in tribuna/api.py. Writes need JSON and the X-Tribuna header (which a cross-origin page can only send
after a CORS preflight we answer for configured origins alone).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.renderers import JSONRenderer
from ninja.responses import Status

from tribuna.antispam import pow
from tribuna.antispam.screen import issue_form_token
from tribuna.discussion import services
from tribuna.discussion.forms import CommentCheck, EditForm
from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.schemas import CommentOut, PageOut, comment_json_of
from tribuna.lib.api_errors import ApiError, require_json_write
from tribuna.lib.http import cached_json, client_ip, is_staff_session, keyed_hash, rate_key_of
from tribuna.lib.markup import render_comment
from tribuna.lib.pagekeys import thread_key
from tribuna.lib.ratelimit import hit

router = Router(tags=["comments"])
RENDERER = JSONRenderer()  # the API's (tribuna.api), for answers sent without their schema


class CommentIn(Schema):
    thread: str = Field(
        max_length=300, description="A statement's slug, or an embedding page's absolute address."
    )
    parent: int | None = None
    name: str = ""
    email: str = ""
    url: str = ""
    text: str = ""
    notify: str = "none"
    anchor: list[dict] | None = None
    form_token: str | None = None
    altcha: str | None = Field(
        None,
        max_length=4000,
        description=(
            "An ALTCHA proof-of-work solution for a challenge from /pow-challenge. Without one an anonymous "
            "comment is held for moderation (TRIBUNA_POW=0 turns the check off)."
        ),
    )
    homepage: str = Field("", description="Honeypot: leave empty.")
    title: str = Field("", max_length=300, description="Page title, used when an embedded thread is created.")
    page_url: str = Field(
        "", max_length=2048, description="Ignored: an embedded page's thread key is its address."
    )


class PostedOut(Schema):
    id: int
    status: str
    edit_token: str
    edit_seconds: int
    html: str
    message: str
    comment: CommentOut


class EditIn(Schema):
    text: str
    edit_token: str = ""


class VoteIn(Schema):
    value: int = Field(description="1 for up, -1 for down; voting the same way again takes the vote back.")


class VoteOut(Schema):
    id: int
    score: int
    upvotes: int
    downvotes: int


class CountsIn(Schema):
    threads: list[str] = Field(max_length=200)  # MAX_COUNTS


class CountsOut(Schema):
    counts: dict[str, int]


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str


@router.get("/comments", response={200: PageOut, 304: None, 400: ErrorsOut, 404: DetailOut})
def list_comments(
    request: HttpRequest,
    thread: str,
    sort: str = "oldest",
    cursor: str | None = None,
    limit: int | None = None,
    passages: bool = False,
):
    """A page of top-level comments with their replies, oldest, newest or best first."""
    if sort not in services.SORTS:
        raise ApiError(400, errors={"sort": [f"sort must be one of {', '.join(services.SORTS)}."]})
    if limit is not None and not 1 <= limit <= settings.TRIBUNA_MAX_PAGE_SIZE:
        raise ApiError(
            400, errors={"limit": [f"limit must be between 1 and {settings.TRIBUNA_MAX_PAGE_SIZE}."]}
        )
    # The hot path: one narrow query for the thread's version, then one cache read. The page middleware
    # read the same row for a plain request (CachedPageMiddleware); a cold page does not ask again.
    key = thread_key(thread)
    read = getattr(request, "page_thread", None)
    found = read[1] if read is not None and read[0] == key else services.page_thread(key)
    if found is None:
        raise ApiError(404, _("Unknown thread."))
    etag = page_etag(found, sort, cursor, limit, passages)

    def build() -> dict:
        return services.thread_page(found, sort=sort, cursor=cursor, limit=limit, passages_only=passages)

    return cached_json(request, etag, build)


@router.get("/pow-challenge", response={200: dict})
def pow_challenge(request: HttpRequest):
    """A signed ALTCHA proof-of-work challenge; its solution goes with the comment as `altcha`."""
    response = JsonResponse(pow.new_challenge())
    response["Cache-Control"] = "no-store"
    return response


def page_etag(
    found: services.PageThread, sort: str, cursor: str | None, limit: int | None, passages: bool
) -> str:
    """Names one page of one version of a thread: its ETag and its cache key."""
    return f'"{found.pk}-{found.version}-{sort}-{cursor or ""}-{limit or ""}-{int(passages)}"'


@router.get("/form-token", response={200: dict})
def form_token(request: HttpRequest):
    """A signed timestamp for the comment form: a form sent too fast is a bot's."""
    return {"form_token": issue_form_token()}


def submission_from(request: HttpRequest, payload: CommentIn, thread: Thread) -> services.Submission:
    data = payload.dict()
    form = CommentCheck(
        {
            key: ("" if data.get(key) is None else data.get(key))
            for key in (
                "text",
                "name",
                "email",
                "url",
                "parent",
                "notify",
                "homepage",
                "form_token",
                "altcha",
            )
        },
        is_staff=is_staff_session(request),
    )
    if not form.is_valid():
        raise ApiError(400, errors={field: [str(e) for e in errs] for field, errs in form.errors.items()})
    return form.submission(thread, request, anchor=payload.anchor)


def thread_for_post(request: HttpRequest, payload: CommentIn) -> Thread:
    key = thread_key(payload.thread)
    thread = services.public_thread(key)
    if thread is not None:
        return thread
    if Thread.objects.filter(key=key).exists():  # an unpublished statement's
        raise ApiError(404, _("Unknown thread."))
    thread = services.thread_for_embed(
        key, origin=request.headers.get("Origin", ""), ip=client_ip(request), title=payload.title
    )
    if thread is None:
        raise ApiError(404, _("Unknown thread."))
    return thread


@router.post(
    "/comments",
    response={201: PostedOut, 400: ErrorsOut, 403: DetailOut, 404: DetailOut, 413: DetailOut, 429: DetailOut},
)
def create_comment(request: HttpRequest, payload: CommentIn):
    """Post a comment or a reply. The answer's id is the row this request inserted."""
    require_json_write(request)
    thread = thread_for_post(request, payload)
    submission = submission_from(request, payload, thread)
    posted = services.post_comment(submission, is_moderator=False)
    comment = posted.comment
    # Sent as built, as thread pages are: validating the answer against PostedOut on every post
    # cost a tenth of the post (issue 14). tests/discussion/test_page_sql.py validates what is sent.
    return HttpResponse(
        RENDERER.render(
            request,
            {
                "id": comment.pk,
                "status": comment.status,
                "edit_token": posted.edit_token,
                "edit_seconds": settings.TRIBUNA_EDIT_WINDOW,
                "html": comment.html,
                "message": str(services.STATUS_MESSAGES[comment.status]),
                "comment": comment_json_of(comment),
            },
            response_status=201,
        ),
        status=201,
        content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}",
    )


def _own_comment(request: HttpRequest, comment_id: int, token: str) -> Comment:
    comment = (
        Comment.objects.select_related("thread")
        .filter(pk=comment_id)
        .exclude(status=Comment.Status.DELETED)
        .first()
    )
    if comment is None:
        raise ApiError(404, _("No such comment."))
    if not token:
        raise ApiError(403, _("An edit token is required."))
    services.check_edit_token(comment, token)
    return comment


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, 400: ErrorsOut, 403: DetailOut, 404: DetailOut, 429: DetailOut},
)
def edit_comment(request: HttpRequest, comment_id: int, payload: EditIn):
    """Edit your own comment within the edit window, with the token you got when posting."""
    require_json_write(request)
    comment = _own_comment(request, comment_id, payload.edit_token or request.headers.get("X-Edit-Token", ""))
    form = EditForm({"text": payload.text})
    if not form.is_valid():
        raise ApiError(400, errors={field: [str(e) for e in errs] for field, errs in form.errors.items()})
    comment = services.edit_comment(comment, text=form.cleaned_data["text"], ip=client_ip(request))
    return comment_json_of(comment)


@router.delete("/comments/{comment_id}", response={204: None, 403: DetailOut, 404: DetailOut})
def delete_comment(request: HttpRequest, comment_id: int):
    """Delete your own comment within the edit window (X-Edit-Token header)."""
    require_json_write(request, body=False)
    comment = _own_comment(request, comment_id, request.headers.get("X-Edit-Token", ""))
    services.delete_comment(comment)
    return Status(204, None)


def published_comment_or_404(comment_id: int) -> Comment:
    """Votes and reports act only on comments the public can see."""
    comment = Comment.objects.select_related("thread").filter(pk=comment_id).approved().first()
    if comment is None:
        raise ApiError(404, _("No such comment."))
    return comment


@router.post(
    "/comments/{comment_id}/vote", response={200: VoteOut, 400: ErrorsOut, 404: DetailOut, 429: DetailOut}
)
def vote(request: HttpRequest, comment_id: int, payload: VoteIn):
    """One vote per visitor and comment."""
    require_json_write(request)
    if payload.value not in (1, -1):
        raise ApiError(400, errors={"value": [_("value must be 1 or -1.")]})
    comment = published_comment_or_404(comment_id)
    voter = keyed_hash(rate_key_of(client_ip(request)), "vote")
    comment = services.vote(comment, voter, payload.value)
    return {
        "id": comment.pk,
        "score": comment.score,
        "upvotes": comment.upvotes,
        "downvotes": comment.downvotes,
    }


class PreviewIn(Schema):
    text: str = Field(max_length=10_000, description="Markdown, as a comment's text.")


class PreviewOut(Schema):
    html: str = Field(description="Sanitised HTML, safe to insert: what the comment would show.")


@router.post(
    "/preview", response={200: PreviewOut, 400: ErrorsOut, 403: DetailOut, 413: DetailOut, 429: DetailOut}
)
def preview(request: HttpRequest, payload: PreviewIn):
    """A comment's Markdown rendered and sanitised exactly as it would be published; nothing is stored."""
    require_json_write(request)
    hit("preview", rate_key_of(client_ip(request)), *settings.TRIBUNA_PREVIEW_LIMIT)
    return {"html": render_comment(payload.text)}


MAX_COUNTS = 200


def _counts(keys: list[str]) -> dict:
    found = services.counts([thread_key(key) for key in keys])
    return {"counts": {key: found[thread_key(key)] for key in keys}}


@router.post("/counts", response={200: CountsOut, 400: ErrorsOut})
def counts(request: HttpRequest, payload: CountsIn):
    """Comment counts for up to 200 threads in one query."""
    return _counts(payload.threads)


@router.get("/counts", response={200: CountsOut, 400: ErrorsOut})
def counts_of_pages(request: HttpRequest, response: HttpResponse, thread: list[str] = Query(...)):  # noqa: B008
    """The same counts for a plain GET, as the count script on listing pages asks: no special header,
    and the answer may be cached for a minute by browsers and proxies."""
    if not 1 <= len(thread) <= MAX_COUNTS or any(len(key) > 300 for key in thread):
        raise ApiError(400, errors={"thread": [f"Name 1 to {MAX_COUNTS} threads of at most 300 characters."]})
    response["Cache-Control"] = "public, max-age=60"
    return _counts(thread)
