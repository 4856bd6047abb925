"""Threads, comments and votes.

The thread page is the hot path, so what it needs is stored ready: rendered HTML, the
root of every reply (one query fetches a page's replies), denormalised counts and scores,
and a version number that names the thread's current state for caches and ETags.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Page(NamedTuple):
    """The page a discussion sits under: its absolute address and its title."""

    url: str
    title: str


class FollowMode(models.TextChoices):
    """What a reader may follow a thread for: the comment form offers these (besides "none"),
    and notifications keeps them as Subscription.Mode."""

    ALL = "all", _("Every new comment on the thread")
    REPLIES = "replies", _("Replies to my comments")


class Thread(models.Model):
    key = models.CharField(
        max_length=300, unique=True, help_text="A statement's slug, or an embedding page's key."
    )
    title = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=2048, blank=True)
    statement = models.OneToOneField(
        "statements.Statement", null=True, blank=True, on_delete=models.CASCADE, related_name="thread"
    )
    is_open = models.BooleanField(
        default=True, help_text="Closed threads stay readable but take no new comments."
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False, help_text="Approved comments.")
    version = models.PositiveBigIntegerField(
        default=1, editable=False, help_text="Bumped on every visible change."
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title or self.key

    def page(self) -> Page:
        """The page this discussion sits under. The spam filter reads both parts: a link to the page
        itself, or talk of its subject, is what readers write."""
        # A statement's thread carries its address (site-relative) and title from thread_for_statement().
        return Page(settings.BASE_URL + self.url if self.url.startswith("/") else self.url, self.title)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Shown publicly: approved comments, and placeholders for any other that has replies.

        A deleted, held or spam comment with replies keeps its place as an empty "[deleted]"
        placeholder, so approved replies below it (however deep) are never orphaned.
        """
        has_replies = Exists(Comment.objects.filter(parent_id=OuterRef("pk")))
        return self.filter(Q(status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT) | Q(has_replies))

    def approved(self):
        """Approved and shown: imported pingbacks and trackbacks stay hidden like held comments."""
        return self.filter(status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT)


class Comment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Pending")
        SPAM = "spam", _("Spam")
        DELETED = "deleted", _("Deleted")

    class Kind(models.TextChoices):
        # Pingbacks and trackbacks come only from imports; they are hidden like held comments.
        COMMENT = "comment", "Comment"
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    # Every index is written on every post (issue 14: three fewer made a post about a tenth cheaper), so a
    # key with its own index only where no other index leads with it (thread: thread_top_*; root:
    # replies_by_root; status: comment_queue), and the keys most rows leave empty only for the rows that
    # have one (Meta.indexes).
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments", db_index=False)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="children",
        help_text="Where the reply is shown; at the depth cap this is an ancestor of the comment it answers.",
    )
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        help_text="The comment actually answered, when it differs from the parent because of the depth cap.",
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants", db_index=False
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(
        max_length=254, blank=True, help_text="Never shown or returned by the API."
    )
    author_url = models.URLField(max_length=2048, blank=True)
    is_moderator = models.BooleanField(default=False, help_text="Written by staff; shown with a badge.")
    text = models.TextField()
    html = models.TextField()
    language = models.CharField(
        max_length=12,
        blank=True,
        help_text="The language of the page it was written on, where known (BCP 47).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_pinned = models.BooleanField(default=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    # A default rather than auto_now_add, so that imported comments keep their own dates.
    created = models.DateTimeField(default=timezone.now, editable=False)
    edited = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0, help_text="Visible direct replies.")
    # Abuse prevention: full values are purged after TRIBUNA_IP_RETENTION_DAYS.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    ip_network = models.CharField(
        max_length=50, blank=True, help_text="Truncated network (/24 or /64), kept."
    )
    spam_score = models.FloatField(null=True, blank=True)
    spam_reasons = models.JSONField(default=list, blank=True)
    # Inline feedback: W3C Web Annotation selectors against a statement revision.
    anchor = models.JSONField(null=True, blank=True)
    anchor_revision = models.ForeignKey(
        "statements.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    original_anchor = models.JSONField(null=True, blank=True, help_text="Selectors as first written.")
    anchor_orphaned = models.BooleanField(
        default=False, help_text="The passage no longer exists in the statement."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # A page's top-level comments in each sort's exact order, so the first page is read
            # from the index's start whatever the thread's size (services.thread_page).
            models.Index(fields=["thread", "depth", "-is_pinned", "created", "id"], name="thread_top_oldest"),
            models.Index(
                fields=["thread", "depth", "-is_pinned", "-created", "-id"], name="thread_top_newest"
            ),
            models.Index(fields=["thread", "depth", "-is_pinned", "-score", "-id"], name="thread_top_best"),
            models.Index(fields=["root", "created"], name="replies_by_root", condition=Q(root__isnull=False)),
            # The references most comments leave empty (a top-level comment has no parent; few answer past
            # the depth cap or anchor to a passage), indexed for the rows that have one: what the lookups by
            # them (replies of a comment, deletions that reach them) ask for, as "= x" implies "not null".
            models.Index(fields=["parent"], name="comment_parent", condition=Q(parent__isnull=False)),
            models.Index(fields=["reply_to"], name="comment_reply_to", condition=Q(reply_to__isnull=False)),
            models.Index(
                fields=["anchor_revision"],
                name="comment_anchor_revision",
                condition=Q(anchor_revision__isnull=False),
            ),
            # An author's approved comments (the known-author check on every post): with the status in the
            # index SQLite picks it over comment_queue even before ANALYZE has told it how selective each is.
            models.Index(fields=["author_email", "status"], name="comment_author_status"),
            models.Index(fields=["status", "-created"], name="comment_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.thread_id}: {self.text[:40]}"


class Vote(models.Model):
    """One vote per visitor per comment; the visitor is a keyed hash, never an address."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=[(1, "up"), (-1, "down")])
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "voter"], name="one_vote_per_visitor")]

    def __str__(self) -> str:
        return f"{self.value:+d} on comment {self.comment_id}"


class VerifiedAddress(models.Model):
    """An email address whose owner proved controlling it, by following a link mailed to it (the
    notification confirmation, the my-data link) and pressing its button.

    Pre-moderation counts an address's approved comments only for such an address, and only for
    a request that carries the owner's signed proof (lib.owned_addresses): a typed address is
    not an identity. Erasing the address's data removes the row.
    """

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-case; matched exactly.")
    verified_at = models.DateTimeField(help_text="The last time the owner proved it.")

    class Meta:
        verbose_name_plural = "verified addresses"

    def __str__(self) -> str:
        return self.email
