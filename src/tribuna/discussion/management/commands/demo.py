"""`tribuna demo`: load the neutral sample statements and discussions (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tribuna.discussion import demo_content, services
from tribuna.discussion.models import Comment
from tribuna.lib.markup import render_comment
from tribuna.statements.models import Body, Statement


class Command(BaseCommand):
    help = "Load the sample statements, comments, and a small moderation queue. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be loaded, change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if Statement.objects.filter(slug__in=[s["slug"] for s in demo_content.STATEMENTS]).exists():
            self.stdout.write("Sample content is already loaded.")
            return
        if dry_run:
            self.stdout.write(
                f"Would load {len(demo_content.STATEMENTS)} statements and "
                f"{len(demo_content.COMMENTS)} comments."
            )
            return
        with transaction.atomic():
            bodies = {slug: Body.objects.create(name=name, slug=slug) for name, slug in demo_content.BODIES}
            threads, published = {}, {}
            for days_ago, data in enumerate(demo_content.STATEMENTS):
                statement = Statement(
                    slug=data["slug"],
                    title=data["title"],
                    body=bodies[data["body"]],
                    summary=data["summary"],
                    text=data["text"],
                    status=Statement.Status.PUBLISHED,
                    published_at=timezone.now() - timedelta(days=days_ago * 3 + 4),
                )
                statement.save()
                threads[statement.slug] = services.thread_for_statement(statement)
                published[statement.slug] = statement.published_at
            for original_slug, language, slug, title, summary, text in demo_content.TRANSLATIONS:
                original = Statement.objects.get(slug=original_slug)
                translation = Statement(
                    slug=slug,
                    title=title,
                    body=original.body,
                    summary=summary,
                    text=text,
                    language=language,
                    status=Statement.Status.PUBLISHED,
                    published_at=original.published_at,
                    translation_of=original,
                )
                translation.save()
                threads[slug] = services.thread_for_statement(translation)
                published[slug] = translation.published_at
            made: dict[tuple[str, str], Comment] = {}
            now = timezone.now()
            for slug, key, parent_key, name, text, status, hours_after in demo_content.COMMENTS:
                parent = made.get((slug, parent_key)) if parent_key else None
                comment = Comment.objects.create(
                    thread=threads[slug],
                    parent=parent,
                    root=(parent.root or parent) if parent else None,
                    depth=parent.depth + 1 if parent else 0,
                    author_name=name,
                    text=text,
                    html=render_comment(text),
                    status=status,
                    is_moderator=name == "Library Board",
                    spam_reasons=["sample spam"] if status == Comment.Status.SPAM else [],
                )
                # Dated over the days after the statement, as a real discussion unfolds (never in the future).
                created = min((published[slug] or now) + timedelta(hours=hours_after), now)
                Comment.objects.filter(pk=comment.pk).update(created=created)
                made[(slug, key)] = comment
                if status == Comment.Status.APPROVED:
                    services.count_visible(comment, +1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(demo_content.STATEMENTS)} statements and {len(demo_content.COMMENTS)} comments."
            )
        )
