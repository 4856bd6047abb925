"""Reading the moderation queue: tabs with counts, filters, and what each row needs, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tribuna.discussion.models import Comment
from tribuna.moderation.models import Report

PAGE_SIZE = 50
TABS = {
    # name: (label, filter)
    "pending": ("Pending", Q(status=Comment.Status.PENDING)),
    "reported": ("Reported", Q(has_open_reports=True)),
    "approved": ("Approved", Q(status=Comment.Status.APPROVED)),
    "spam": ("Spam", Q(status=Comment.Status.SPAM)),
    "trash": ("Trash", Q(status=Comment.Status.DELETED)),
    "all": ("All", Q()),
}


@dataclass
class Row:
    comment: Comment
    approved_by_author: int = 0
    spam_by_author: int = 0
    pending_by_author: int = 0
    reports: list[Report] = field(default_factory=list)


@dataclass
class Queue:
    tab: str
    counts: dict[str, int]
    page: Page
    rows: list[Row]


def _base(thread_key: str, search: str) -> QuerySet:
    open_reports = Report.objects.filter(comment=OuterRef("pk"), resolved__isnull=True)
    comments = Comment.objects.annotate(has_open_reports=Exists(open_reports))
    if thread_key:
        comments = comments.filter(thread__key=thread_key)
    if search:
        comments = comments.filter(
            Q(text__icontains=search) | Q(author_name__icontains=search) | Q(author_email__icontains=search)
        )
    return comments


def tab_counts(comments: QuerySet) -> dict[str, int]:
    """Every tab's count in one aggregate query."""
    return comments.aggregate(
        **{name: Count("pk", filter=condition) for name, (_, condition) in TABS.items()}
    )


def load(*, tab: str = "pending", thread_key: str = "", search: str = "", page: int | str = 1) -> Queue:
    if tab not in TABS:
        tab = "pending"
    comments = _base(thread_key, search.strip())
    counts = tab_counts(comments)
    listing = comments.filter(TABS[tab][1]).select_related("thread").order_by("-created", "-id")
    paginator = Paginator(listing, PAGE_SIZE)
    # The tab's count is already known: spare the paginator its COUNT query.
    paginator.count = counts[tab]
    current = paginator.get_page(page)
    return Queue(tab=tab, counts=counts, page=current, rows=rows_for(list(current.object_list)))


def rows_for(comments: list[Comment]) -> list[Row]:
    """Author histories and reports for a page of comments: one aggregate query and one list query."""
    rows = [Row(comment=c) for c in comments]
    emails = {c.author_email for c in comments if c.author_email}
    if emails:
        history = {
            item["author_email"]: item
            for item in Comment.objects.filter(author_email__in=emails)
            .order_by()
            .values("author_email")
            .annotate(
                approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
                spam=Count("pk", filter=Q(status=Comment.Status.SPAM)),
                pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
            )
        }
        for row in rows:
            found = history.get(row.comment.author_email)
            if found:
                row.approved_by_author, row.spam_by_author = found["approved"], found["spam"]
                row.pending_by_author = found["pending"]
    if comments:
        reports: dict[int, list[Report]] = defaultdict(list)
        for report in Report.objects.filter(comment_id__in=[c.pk for c in comments]).order_by("-created"):
            reports[report.comment_id].append(report)
        for row in rows:
            row.reports = reports.get(row.comment.pk, [])
    return rows
