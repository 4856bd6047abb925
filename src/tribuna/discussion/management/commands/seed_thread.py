"""`tribuna seed_thread KEY --comments N`: fill a thread with realistic comments, fast.

Used by the benchmarks (bench/) to build threads of 200 to 100,000 comments in seconds.
Comments go in with bulk_create, one depth level at a time, so every reply's parent
already has its id; root, depth and the denormalised counts end up exactly as posting
through the services would leave them. Nothing is screened and no signals are sent:
this is test data, not reader input.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from tribuna.discussion.models import Comment, Thread
from tribuna.lib.markup import render_comment

WORDS = (
    "the library budget should cover evening hours and the reading room needs more seats for students "
    "who study late while parking near the main entrance remains a problem for older visitors and the "
    "proposal mentions a new bus stop but gives no date I agree with the previous point although the "
    "costs seem high compared to last year council members promised a public hearing in spring"
).split()
NAMES = (
    "Ana",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Eun-ji",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kwame",
    "Lena",
)


def comment_text(rng: random.Random) -> str:
    """100-600 characters of Markdown: paragraphs, emphasis, code, a quote, a list or a link."""
    target = rng.randint(100, 600)
    paragraphs: list[str] = []
    length = 0
    while length < target:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 25))]
        flourish = rng.random()
        if flourish < 0.2:
            words[1] = f"**{words[1]}**"
        elif flourish < 0.35:
            words[2] = f"*{words[2]}*"
        elif flourish < 0.45:
            words[0] = f"`{words[0]}`"
        elif flourish < 0.5:
            words.append("[see the minutes](https://example.org/minutes)")
        paragraph = " ".join(words).capitalize() + "."
        style = rng.random()
        if style < 0.1:
            paragraph = "> " + paragraph
        elif style < 0.2:
            paragraph = "- " + paragraph + "\n- " + " ".join(rng.choice(WORDS) for _ in range(6))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:600].rstrip()


class Command(BaseCommand):
    help = "Bulk-insert N approved comments (a quarter top-level by default) into a thread, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("key", help="The thread's key; the thread is created if it does not exist.")
        parser.add_argument("--comments", type=int, required=True, help="How many comments to add.")
        parser.add_argument(
            "--replies-ratio",
            type=float,
            default=0.75,
            help="Share of the comments that are replies (default 0.75).",
        )
        parser.add_argument(
            "--replies-each",
            type=int,
            default=None,
            help="Give every top-level comment exactly this many direct replies instead "
            "(pages of the same shape whatever the thread's size).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed, so runs are repeatable.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Say what would be added, change nothing.")

    def handle(
        self,
        *args,
        key: str,
        comments: int,
        replies_ratio: float,
        replies_each: int | None,
        seed: int,
        batch_size: int,
        dry_run: bool,
        **options,
    ):
        if comments < 0 or not 0 <= replies_ratio < 1:
            raise CommandError("--comments must be >= 0 and --replies-ratio in [0, 1).")
        if replies_each is not None and (replies_each < 0 or comments % (replies_each + 1)):
            raise CommandError("--comments must be a multiple of --replies-each + 1.")
        if replies_each is None:
            plan = self.plan(comments, replies_ratio, random.Random(seed))
        else:
            plan = self.even_plan(comments // (replies_each + 1), replies_each)
        top = sum(1 for _, depth in plan if depth == 0)
        if dry_run:
            self.stdout.write(
                f"Would add {comments} comments to {key!r}: {top} top-level, "
                f"{comments - top} replies, depth up to {max((d for _, d in plan), default=0)}."
            )
            return
        rng = random.Random(seed)
        with transaction.atomic():
            thread, _ = Thread.objects.get_or_create(key=key, defaults={"title": f"Benchmark thread {key}"})
            saved = self.insert(thread, plan, rng, batch_size)
            self.recount(thread)
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {len(saved)} comments to {key!r} ({top} top-level); thread has "
                    f"{Thread.objects.get(pk=thread.pk).comment_count} approved comments."
                )
            )

    @staticmethod
    def plan(count: int, replies_ratio: float, rng: random.Random) -> list[tuple[int | None, int]]:
        """(index of the parent in this list or None, depth) for each comment, parents first."""
        top = max(1, round(count * (1 - replies_ratio))) if count else 0
        plan: list[tuple[int | None, int]] = [(None, 0)] * top
        deepest = settings.TRIBUNA_MAX_DEPTH - 1
        for _ in range(count - top):
            # Half the replies answer a top-level comment; the rest answer another reply, so
            # conversations run several levels deep as they do in real threads.
            candidates = len(plan)
            parent = rng.randrange(top) if rng.random() < 0.5 else rng.randrange(candidates)
            while plan[parent][1] >= deepest:
                above = plan[parent][0]
                assert above is not None  # only top-level comments have none, and they are not deepest
                parent = above
            plan.append((parent, plan[parent][1] + 1))
        return plan

    @staticmethod
    def even_plan(top: int, replies_each: int) -> list[tuple[int | None, int]]:
        """`top` top-level comments, each answered directly `replies_each` times."""
        return [(None, 0)] * top + [(i, 1) for i in range(top) for _ in range(replies_each)]

    @staticmethod
    def insert(
        thread: Thread, plan: list[tuple[int | None, int]], rng: random.Random, batch_size: int
    ) -> list[Comment]:
        """Insert level by level: bulk_create returns ids, which the next level's replies point to."""
        saved: list[Comment | None] = [None] * len(plan)
        # Rendering is most of the cost of a large thread: a thousand texts are drawn in turn.
        pool = [
            (text, render_comment(text)) for text in (comment_text(rng) for _ in range(min(len(plan), 1000)))
        ]
        for level in range(max((d for _, d in plan), default=-1) + 1):
            indexes = [i for i, (_, depth) in enumerate(plan) if depth == level]
            rows = []
            for i in indexes:
                parent = saved[above] if (above := plan[i][0]) is not None else None
                text, html = rng.choice(pool)
                rows.append(
                    Comment(
                        thread=thread,
                        parent=parent,
                        root=(parent.root or parent) if parent else None,
                        depth=level,
                        author_name=rng.choice(NAMES),
                        text=text,
                        html=html,
                        status=Comment.Status.APPROVED,
                    )
                )
            for i, comment in zip(
                indexes, Comment.objects.bulk_create(rows, batch_size=batch_size), strict=True
            ):
                saved[i] = comment
        return [c for c in saved if c is not None]

    @staticmethod
    def recount(thread: Thread) -> None:
        """Set the denormalised counts from the rows, and name a new version of the thread."""
        visible_children = (
            Comment.objects.filter(parent=OuterRef("pk"))
            .visible()
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Comment.objects.filter(thread=thread).update(reply_count=Coalesce(Subquery(visible_children), 0))
        approved = Comment.objects.filter(thread=thread).aggregate(
            n=Count("pk", filter=Q(status="approved"))
        )["n"]
        Thread.objects.filter(pk=thread.pk).update(comment_count=approved, version=F("version") + 1)
