"""Passage anchors: W3C Web Annotation selectors on comments, kept in step with edits.

A passage is named twice, as the W3C recommends: by its quote with some context
(TextQuoteSelector) and by its offsets into the statement's plain text, the textContent
of the rendered statement (TextPositionSelector). When the statement changes, each anchor
is found again in the new text: by position, then by quote, then by a fuzzy match; a
passage that cannot be found any more is marked orphaned, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os.path import commonprefix

from django.conf import settings
from django.db import transaction

from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.services import new_thread_version
from tribuna.inline.models import InlineQuestion
from tribuna.lib.errors import InvalidInput
from tribuna.moderation.audit import log_action

QUOTE = "TextQuoteSelector"
POSITION = "TextPositionSelector"
CONTEXT_CHARS = 32  # prefix and suffix length, as Hypothesis and the W3C examples use
MAX_EXACT = 2000
MAX_SELECTORS = 4
FUZZY_CUTOFF = 80.0  # rapidfuzz similarity (0-100) below which an edited passage counts as gone
CONTEXT_CUTOFF = 90.0  # how closely the ends (prefix, suffix, first and last words) must still match
SEED_CHARS = 64  # rapidfuzz aligns needles up to 64 characters in one machine word: fast on any text
NOT_FOUND = "The passage was not found in the statement."


class InvalidAnchor(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, field="anchor")


@dataclass(frozen=True)
class Quote:
    """What a set of selectors says about a passage: its words, their context, where it was."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


def selectors_for(text: str, start: int, end: int) -> list[dict]:
    """The canonical selectors of text[start:end]: quote with context, and position."""
    return [
        {
            "type": QUOTE,
            "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT_CHARS) : start],
            "suffix": text[end : end + CONTEXT_CHARS],
        },
        {"type": POSITION, "start": start, "end": end},
    ]


def parse(selectors: object) -> Quote:
    """Read a client's selectors; only a TextQuoteSelector is required."""
    if not isinstance(selectors, list) or not selectors:
        raise InvalidAnchor("The anchor must be a list of selectors.")
    if len(selectors) > MAX_SELECTORS:
        raise InvalidAnchor(f"An anchor has at most {MAX_SELECTORS} selectors.")
    quote: dict | None = None
    position: dict | None = None
    for selector in selectors:
        kind = selector.get("type") if isinstance(selector, dict) else None
        if kind == QUOTE:
            quote = selector
        elif kind == POSITION:
            position = selector
        else:
            raise InvalidAnchor(f"Selectors must be of type {QUOTE} or {POSITION}.")
    if quote is None:
        raise InvalidAnchor(f"The anchor needs a {QUOTE}.")
    exact, prefix, suffix = (quote.get(key, "") for key in ("exact", "prefix", "suffix"))
    if not all(isinstance(value, str) for value in (exact, prefix, suffix)):
        raise InvalidAnchor("exact, prefix and suffix must be strings.")
    if not exact.strip():
        raise InvalidAnchor("The quoted passage is empty.")
    if len(exact) > MAX_EXACT:
        raise InvalidAnchor(f"A quoted passage may be at most {MAX_EXACT} characters long.")
    start = end = None
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (type(start) is int and type(end) is int and 0 <= start < end):
            raise InvalidAnchor("start and end must be whole numbers with 0 <= start < end.")
    return Quote(exact, prefix[-CONTEXT_CHARS:], suffix[:CONTEXT_CHARS], start, end)


# --- Finding a passage in a text ---------------------------------------------------------------


def _context_match(text: str, start: int, end: int, quote: Quote) -> int:
    """How many characters of the remembered prefix and suffix still surround text[start:end]."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return len(commonprefix([quote.prefix[::-1], before[::-1]])) + len(commonprefix([quote.suffix, after]))


def _best_occurrence(text: str, quote: Quote, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The occurrence whose context fits best; among equals, the nearest to the old position."""
    if not spans:
        return None
    near = quote.start or 0
    return max(spans, key=lambda span: (_context_match(text, span[0], span[1], quote), -abs(span[0] - near)))


def _exact_spans(text: str, exact: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(exact)
    while at != -1:
        spans.append((at, at + len(exact)))
        at = text.find(exact, at + 1)
    return spans


def _loose_spans(text: str, exact: str) -> list[tuple[int, int]]:
    """The same words with any whitespace between them (a browser's selection may differ)."""
    pattern = r"\s+".join(re.escape(word) for word in exact.split())
    return [match.span() for match in re.finditer(pattern, text)]


def _snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a fuzzy alignment to whole words and drop surrounding whitespace."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fuzzy(text: str, quote: Quote) -> tuple[int, int] | None:
    """Align the quote approximately, scored with its prefix and suffix.

    Aligning a long quote against a whole long text is slow, so it is aligned inside a few
    regions only: around its old position, and around where its first and last words
    (short seeds, which align quickly anywhere) turn up now.
    """
    from rapidfuzz import fuzz  # only re-anchoring needs it: web processes seldom load it

    exact, length = quote.exact, len(quote.exact)
    margin = max(2 * length, 2000)
    near = quote.start or 0
    regions = [(near - margin, near + length + margin)]
    for seed in {exact[:SEED_CHARS], exact[-SEED_CHARS:]}:
        hit = fuzz.partial_ratio_alignment(seed, text, score_cutoff=FUZZY_CUTOFF)
        if hit is not None:
            regions.append((hit.dest_start - length - SEED_CHARS, hit.dest_end + length + SEED_CHARS))
    best: tuple[float, int, int] | None = None
    for lo, hi in regions:
        lo, hi = max(0, lo), min(len(text), hi)
        if hi - lo < length:
            continue
        hit = fuzz.partial_ratio_alignment(exact, text[lo:hi], score_cutoff=FUZZY_CUTOFF)
        if hit is None:
            continue
        start, end = lo + hit.dest_start, lo + hit.dest_end
        before, after = text[max(0, start - len(quote.prefix)) : start], text[end : end + len(quote.suffix)]
        score = (
            0.8 * hit.score + 0.1 * fuzz.ratio(quote.prefix, before) + 0.1 * fuzz.ratio(quote.suffix, after)
        )
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return None
    start, end = _snap_to_words(text, *_refine_edges(text, quote, best[1], best[2]))
    return (start, end) if start < end else None


def _refine_edges(text: str, quote: Quote, start: int, end: int) -> tuple[int, int]:
    """Move the ends of an alignment to where the passage now begins and ends.

    partial_ratio aligns windows as long as the quote, so a passage that grew or shrank
    would lose or gain words at its ends. The remembered prefix and suffix mark the ends
    best; failing them, the quote's own first and last characters do.
    """
    from rapidfuzz import fuzz  # only re-anchoring needs it: web processes seldom load it

    exact = quote.exact
    seed = min(SEED_CHARS // 2, len(exact) // 3)
    slack = len(exact) // 2 + seed + CONTEXT_CHARS
    lo, hi = max(0, start - slack), min(len(text), end + slack)
    tries = []
    if quote.prefix and quote.suffix:
        tries.append((quote.prefix, quote.suffix, True))
    if seed >= 4:
        tries.append((exact[:seed], exact[-seed:], False))
    for head, tail, outside in tries:
        found_head = fuzz.partial_ratio_alignment(head, text[lo:end], score_cutoff=CONTEXT_CUTOFF)
        if found_head is None:
            continue
        new_start = lo + (found_head.dest_end if outside else found_head.dest_start)
        found_tail = fuzz.partial_ratio_alignment(tail, text[new_start:hi], score_cutoff=CONTEXT_CUTOFF)
        if found_tail is None:
            continue
        new_end = new_start + (found_tail.dest_start if outside else found_tail.dest_end)
        if new_start < new_end and fuzz.ratio(exact, text[new_start:new_end].strip()) >= FUZZY_CUTOFF:
            return new_start, new_end
    return start, end


def locate(text: str, quote: Quote, *, fuzzy: bool = True) -> tuple[int, int] | None:
    """Where the passage is in text: by position, by quote, by loose whitespace, by fuzzy match."""
    if quote.start is not None and quote.end is not None and text[quote.start : quote.end] == quote.exact:
        return quote.start, quote.end
    found = _best_occurrence(text, quote, _exact_spans(text, quote.exact))
    found = found or _best_occurrence(text, quote, _loose_spans(text, quote.exact))
    if found is None and fuzzy:
        found = _fuzzy(text, quote)
    return found


# --- Comments ----------------------------------------------------------------------------------


def validate_anchor(thread: Thread, selectors: list[dict]) -> list[dict]:
    """Check a client's anchor against the statement's current text; answer canonical selectors."""
    statement = thread.statement
    if statement is None:
        raise InvalidAnchor("Passage comments can only be made on statements.")
    found = locate(statement.plain_text, parse(selectors), fuzzy=False)
    if found is None:
        raise InvalidAnchor(NOT_FOUND)
    return selectors_for(statement.plain_text, *found)


def on_comment_submitted(sender, thread: Thread, submission, **kwargs) -> None:
    """Posting's hook: a passage comment's anchor must be found in the statement as it is now."""
    if submission.anchor is not None:
        submission.anchor = validate_anchor(thread, submission.anchor)


def on_comment_created(sender, comment: Comment, anchor: list | None = None, **kwargs) -> None:
    if anchor:
        attach_anchor(comment, anchor)


def attach_anchor(comment: Comment, selectors: list[dict]) -> None:
    """Anchor a new comment to its passage in the statement's current revision.

    Called inside the posting transaction; if the statement changed since the anchor was
    checked and the passage has gone, the comment is kept as orphaned.
    """
    statement = comment.thread.statement
    revision = statement.current_revision if statement is not None else None
    if revision is None:
        raise InvalidAnchor("Passage comments can only be made on statements.")
    quote = parse(selectors)
    found = locate(revision.plain_text, quote)
    anchor = selectors_for(revision.plain_text, *found) if found else selectors
    comment.anchor = comment.original_anchor = anchor
    comment.anchor_revision = revision
    comment.anchor_orphaned = found is None
    comment.save(update_fields=["anchor", "original_anchor", "anchor_revision", "anchor_orphaned"])


def reanchor(statement, revision) -> int:
    """Find every passage of the statement's comments and questions in a new revision.

    One query reads the anchored comments, one bulk update writes them; the thread's
    version is bumped so cached pages show the new anchors. Answers how many comments
    were orphaned.
    """
    text = revision.plain_text
    comments = list(
        Comment.objects.filter(thread__statement=statement, anchor__isnull=False).only(
            "id", "thread_id", "anchor", "anchor_revision", "anchor_orphaned"
        )
    )
    orphaned = 0
    for comment in comments:
        found = locate(text, parse(comment.anchor))
        if found is None:
            comment.anchor_orphaned = True
            orphaned += 1
        else:
            comment.anchor = selectors_for(text, *found)
            comment.anchor_revision = revision
            comment.anchor_orphaned = False
    Comment.objects.bulk_update(comments, ["anchor", "anchor_revision", "anchor_orphaned"], batch_size=500)
    questions = list(InlineQuestion.objects.filter(statement=statement))
    for question in questions:
        found = locate(text, parse(question.selectors))
        question.orphaned = found is None
        if found is not None:
            question.selectors = selectors_for(text, *found)
    InlineQuestion.objects.bulk_update(questions, ["selectors", "orphaned"])
    if comments:
        new_thread_version(comments[0].thread_id)
    elif questions:
        _bump_statement_thread(statement.pk)
    return orphaned


def on_statement_revised(sender, statement, revision, previous, **kwargs) -> None:
    if previous is not None:
        reanchor(statement, revision)


# --- Questions ---------------------------------------------------------------------------------


def question_selectors(statement, passage: str) -> list[dict]:
    """Selectors for a passage an editor copied from the statement (whitespace may differ)."""
    found = locate(statement.plain_text, Quote(passage), fuzzy=False)
    if found is None:
        raise InvalidAnchor(NOT_FOUND)
    return selectors_for(statement.plain_text, *found)


def save_question(question: InlineQuestion, *, by=None) -> InlineQuestion:
    created = question.pk is None
    with transaction.atomic():
        if created:
            question.created_by = by
        question.orphaned = False
        question.save()
        log_action(
            "inline.question.placed" if created else "inline.question.changed",
            user=by,
            obj=question,
            after={"question": question.question, "passage": question.exact},
        )
        _bump_statement_thread(question.statement_id)
    return question


def delete_question(question: InlineQuestion, *, by=None) -> None:
    with transaction.atomic():
        log_action("inline.question.removed", user=by, obj=question, before={"question": question.question})
        statement_id = question.statement_id
        question.delete()
        _bump_statement_thread(statement_id)


def _bump_statement_thread(statement_id: int) -> None:
    thread_id = Thread.objects.filter(statement_id=statement_id).values_list("pk", flat=True).first()
    if thread_id:
        new_thread_version(thread_id)


# --- Reading -----------------------------------------------------------------------------------


def _quote_of(selectors: list | None) -> str:
    return next((s.get("exact", "") for s in selectors or () if s.get("type") == QUOTE), "")


def passages(thread: Thread) -> dict:
    """Everything a statement page needs for its markers: passage comments and questions."""
    comments = (
        Comment.objects.approved()
        .filter(thread=thread, anchor__isnull=False)
        .only(
            "id",
            "parent_id",
            "author_name",
            "author_url",
            "html",
            "created",
            "anchor",
            "original_anchor",
            "anchor_orphaned",
        )
        .order_by("created", "id")[: settings.TRIBUNA_INLINE_MAX_PASSAGES]
    )
    questions = InlineQuestion.objects.filter(statement__thread=thread, orphaned=False)
    return {
        "thread": thread.key,
        "comments": [
            {
                "id": c.pk,
                "parent": c.parent_id,
                "author": {"name": c.author_name, "url": c.author_url or None},
                "html": c.html,
                "created": c.created.isoformat(),
                "anchor": c.anchor,
                "orphaned": c.anchor_orphaned,
                "original_quote": _quote_of(c.original_anchor),
            }
            for c in comments
        ],
        "questions": [{"id": q.pk, "question": q.question, "anchor": q.selectors} for q in questions],
    }


def annotation_collection(statement, thread: Thread | None) -> dict:
    """Passage comments (and questions) as a W3C Web Annotation collection, without emails or IPs.

    Orphaned comments are left out: their selectors no longer describe the statement at
    its address.
    """
    source = settings.BASE_URL + statement.get_absolute_url()
    collection_id = f"{source}annotations.jsonld"
    items = []
    for question in InlineQuestion.objects.filter(statement=statement, orphaned=False):
        items.append(
            {
                "id": f"{source}#question-{question.pk}",
                "type": "Annotation",
                "motivation": "questioning",
                "created": question.created.isoformat(),
                "body": {"type": "TextualBody", "value": question.question, "format": "text/plain"},
                "target": {"source": source, "selector": question.selectors},
            }
        )
    comments = (
        Comment.objects.approved()
        .filter(thread=thread, anchor__isnull=False, anchor_orphaned=False)
        .only("id", "author_name", "author_url", "html", "created", "edited", "anchor")
        if thread is not None
        else []
    )
    for comment in comments:
        creator = {"type": "Person", "name": comment.author_name}
        if comment.author_url:
            creator["homepage"] = comment.author_url
        annotation = {
            "id": f"{source}#c{comment.pk}",
            "type": "Annotation",
            "motivation": "commenting",
            "created": comment.created.isoformat(),
            "creator": creator,
            "body": {
                "type": "TextualBody",
                "value": comment.html,
                "format": "text/html",
                "language": statement.language,
            },
            "target": {"source": source, "selector": comment.anchor},
        }
        if comment.edited:
            annotation["modified"] = comment.edited.isoformat()
        items.append(annotation)
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Passage comments on {statement.title}",
        "total": len(items),
        "first": {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
