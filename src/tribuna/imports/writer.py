"""The one writer: normalised records from any source become statements, threads and comments.

It runs in one transaction, so a failure leaves the database as it was, and it records each
object's source and source id, so that running an import again (or a newer export) adds only
what is new. Existing objects are never changed: moderators may have acted on them since.
Comments are written thread by thread with keys chosen beforehand (bulk.py), while worker
processes turn the next threads' texts into Markdown and HTML, and skip screening and
notifications on purpose: they are history, not new posts.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
from collections import ChainMap, Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.text import slugify

from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.services import recount_threads, thread_for_statement
from tribuna.imports.bulk import BulkInsert
from tribuna.imports.convert import prepare_text
from tribuna.imports.files import MAX_COMMENT_CHARS, MAX_STATEMENT_CHARS
from tribuna.imports.models import SourceRecord
from tribuna.imports.records import CommentRecord, Parsed, ThreadRecord
from tribuna.imports.report import Report
from tribuna.lib.http import network_of
from tribuna.lib.text import clean_line, clean_text
from tribuna.moderation.audit import log_action
from tribuna.statements.models import Body, Statement

BATCH = 2000
MAX_SOURCE_ID = SourceRecord._meta.get_field("source_id").max_length or 300
SQLITE_CACHE_KIB = 256 * 1024  # the most it may use; a small import uses what it needs
PARALLEL_FROM = 2000  # comments; fewer convert faster than worker processes start
CHUNK = 250  # comments sent to a worker at a time
STATUSES = {choice.value for choice in Comment.Status}


@dataclass
class WriteOptions:
    source: str
    file: str
    dry_run: bool = False
    body: str = "Imported"
    body_for: dict[str, str] = field(default_factory=dict)  # old author login -> issuing body name
    url_map: list[tuple[str, str]] = field(default_factory=list)  # --map OLD_PREFIX=NEW_PREFIX
    progress: Callable[[int], None] | None = None
    user: object = None


def write(parsed: Parsed, options: WriteOptions) -> Report:
    report = Report(source=options.source, file=options.file, dry_run=options.dry_run)
    for (kind, reason), n in parsed.skipped.items():
        report.counts[kind]["skipped"] += n
        report.skipped[reason] += n
    report.notes.update(parsed.notes)
    report.where.update(parsed.where)
    _shorten_ids(parsed)
    with _large_cache(), transaction.atomic():
        _Writer(parsed, options, report).run()
        if options.dry_run:
            transaction.set_rollback(True)
        else:
            log_action("imports.import", user=options.user, after=report.as_dict(), note=report.text())
    return report


@contextmanager
def _large_cache() -> Iterator[None]:
    """SQLite: a page cache of SQLITE_CACHE_KIB while the import writes, then the previous size.

    Each comment adds an entry to the twelve indexes of its table; with SQLite's default 2 MiB
    cache the pages of those indexes are written out and read back again and again, which
    made inserting 100,000 comments take twice as long.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# Names, addresses and networks repeat from comment to comment: each is cleaned once.
_line = functools.lru_cache(maxsize=65536)(clean_line)
_network = functools.lru_cache(maxsize=65536)(network_of)


def _short(source_id: str | None) -> str | None:
    """Ids longer than the column (some systems use whole URLs) are stored as their digest."""
    if source_id is None or len(source_id) <= MAX_SOURCE_ID:
        return source_id
    return "sha256:" + hashlib.sha256(source_id.encode()).hexdigest()


def _shorten_ids(parsed: Parsed) -> None:
    for statement in parsed.statements:
        statement.source_id = _short(statement.source_id) or ""
    for thread in parsed.threads:
        thread.source_id, thread.statement_id = _short(thread.source_id) or "", _short(thread.statement_id)
    for comment in parsed.comments:
        comment.source_id, comment.thread_id = (
            _short(comment.source_id) or "",
            _short(comment.thread_id) or "",
        )
        comment.parent_id = _short(comment.parent_id)


class _Conversions:
    """prepare_text over the items, in order, as an iterator; in worker processes when there are many.

    The workers convert ahead of the reader, which takes each result as soon as it is ready.
    Spawned workers (not forked ones) hold no copy of the database connection and run only the
    pure conversion function; the rows are still written by this process. Leaving the block
    early (an error while writing) cancels the conversions not yet started.
    """

    def __init__(self, items: list[tuple[str, bool]]) -> None:
        self.items = items
        workers = min(os.cpu_count() or 1, 4)
        self.pool = (
            ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            if len(items) >= PARALLEL_FROM and workers > 1
            else None
        )

    def __enter__(self) -> Iterator[tuple[str, str]]:
        if self.pool is None:
            return map(prepare_text, self.items)
        return self.pool.map(prepare_text, self.items, chunksize=CHUNK)

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Writer:
    def __init__(self, parsed: Parsed, options: WriteOptions, report: Report) -> None:
        self.parsed, self.options, self.report = parsed, options, report
        self.source = options.source
        known = SourceRecord.objects.filter(source=self.source).values_list("kind", "source_id", "object_id")
        self.known: dict[str, dict[str, int]] = {kind: {} for kind in SourceRecord.Kind.values}
        for kind, source_id, object_id in known.iterator(chunk_size=5000):
            self.known[kind][source_id] = object_id
        self.new_records: list[dict[str, Any]] = []
        self.comment_rows, self.record_rows = BulkInsert(Comment), BulkInsert(SourceRecord)
        self.thread_of: dict[str, int] = {}  # thread source id -> Thread pk
        self.touched: set[int] = set()
        self._seen_known: set[str] = set()
        self.earlier: dict[int, dict[str, Any]] = {}  # pk -> row of a comment imported before
        self.earlier_places: dict[str | int, tuple[int, int, int | None, int | None]] = {}
        self.now = timezone.now()  # the date of comments that have none
        self.ip_cutoff = self.now - timedelta(days=settings.TRIBUNA_IP_RETENTION_DAYS)
        self.ip_note = (
            f"IP addresses older than the {settings.TRIBUNA_IP_RETENTION_DAYS}-day retention period, not kept"
        )

    def run(self) -> None:
        statement_of = self.statements()
        self.threads(statement_of)
        self.comments()
        self.write_records()
        if self.touched:
            recount_threads(self.touched)

    def write_records(self) -> None:
        """Insert the source records remembered since the last call."""
        records, self.new_records = self.new_records, []
        self.record_rows.insert(zip(self.record_rows.reserve(len(records)), records, strict=True))

    def remember(self, kind: str, source_id: str, object_id: int) -> None:
        self.known[kind][source_id] = object_id
        self.new_records.append(
            {"source": self.source, "kind": kind, "source_id": source_id, "object_id": object_id}
        )

    # --- Statements ----------------------------------------------------------------------------

    def statements(self) -> dict[str, int]:
        """Statement source id -> Statement pk, creating those not imported before."""
        known = self.known[SourceRecord.Kind.STATEMENT]
        result: dict[str, int] = {}
        bodies: dict[str, Body] = {}
        for record in self.parsed.statements:
            if record.source_id in result:
                self.report.skip("statements", "statement id repeated in the file", record.source_id)
                continue
            if record.source_id in known:
                result[record.source_id] = known[record.source_id]
                self.report.count("statements", "unchanged")
                continue
            if len(record.text) > MAX_STATEMENT_CHARS:
                self.report.skip(
                    "statements",
                    f"statement longer than {MAX_STATEMENT_CHARS:,} characters",
                    record.source_id,
                )
                continue
            body_name = self.options.body_for.get(record.author) or self.options.body
            if body_name not in bodies:
                bodies[body_name] = self.body(body_name)
            statement = Statement(
                slug=self.free_slug(record.slug),
                title=clean_line(record.title)[:300] or record.slug,
                body=bodies[body_name],
                text=clean_text(record.text),
                published_at=record.published_at,
                status=Statement.Status.PUBLISHED if record.published else Statement.Status.DRAFT,
            )
            if statement.slug != record.slug:
                self.report.note("statements given a new address (their slug was taken)", where=record.slug)
            statement.save()
            result[record.source_id] = statement.pk
            self.remember(SourceRecord.Kind.STATEMENT, record.source_id, statement.pk)
            self.report.count("statements", "created")
        return result

    @staticmethod
    def body(name: str) -> Body:
        body = Body.objects.filter(name=name).first()
        if body is None:
            base = slugify(name)[:90] or "imported"
            slug, n = base, 2
            while Body.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            body = Body.objects.create(name=name, slug=slug)
        return body

    @staticmethod
    def free_slug(wanted: str) -> str:
        base = (slugify(wanted) or "imported")[:110]
        slug, n = base, 2
        while (
            Statement.objects.filter(slug=slug).exists()
            or Thread.objects.filter(key=slug, statement__isnull=False).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        return slug

    # --- Threads ------------------------------------------------------------------------------

    def threads(self, statement_of: dict[str, int]) -> None:
        known = self.known[SourceRecord.Kind.THREAD]
        used = {c.thread_id for c in self.parsed.comments}
        seen: set[str] = set()
        for record in self.parsed.threads:
            if record.source_id in seen:
                self.report.skip("threads", "thread id repeated in the file", record.source_id)
                continue
            seen.add(record.source_id)
            if record.source_id in known:
                self.thread_of[record.source_id] = known[record.source_id]
                self.report.count("threads", "unchanged")
                continue
            if record.statement_id is not None:
                if record.statement_id not in statement_of:
                    continue  # the statement itself was skipped, and counted
                statement = Statement.objects.get(pk=statement_of[record.statement_id])
                thread = thread_for_statement(statement)
                if not record.is_open and thread.is_open:
                    Thread.objects.filter(pk=thread.pk).update(is_open=False)
                self.report.count("threads", "created")
            elif record.source_id not in used:
                self.report.skip("threads", "thread without comments", record.source_id or record.url)
                continue
            else:
                thread, created = self.thread_for_address(record)
                self.report.count("threads", "created" if created else "updated")
            self.thread_of[record.source_id] = thread.pk
            self.remember(SourceRecord.Kind.THREAD, record.source_id, thread.pk)

    def thread_for_address(self, record: ThreadRecord) -> tuple[Thread, bool]:
        """A statement's thread if the (mapped) address is a statement's page, else an embedded thread.

        Embedded threads are keyed by the page's path, as embed.js's data-thread usually is; a
        key with a slash can never be a statement slug, so no import can take a statement's thread.
        """
        address = record.url.strip()
        for old, new in self.options.url_map:
            if address.startswith(old):
                address = new + address[len(old) :]
                break
        parts = urlsplit(address)
        key = (parts.path or "/") + (f"?{parts.query}" if parts.query else "") if address else ""
        if key:
            try:
                match = resolve(parts.path)
            except Resolver404:
                match = None
            if match is not None and match.view_name == "statements:detail":
                statement = Statement.objects.filter(slug=match.kwargs.get("slug")).first()
                if statement is not None:
                    self.report.note("threads matched to statements by address")
                    return thread_for_statement(statement), False
        if not key:
            key = f"{self.source}:{record.source_id}"
            self.report.note("threads without an address, keyed by source id", where=key)
        if len(key) > 300:
            key = key[:300]
            self.report.note("thread addresses cut to 300 characters", where=key)
        url = address if parts.scheme in {"http", "https"} else ""
        thread, created = Thread.objects.get_or_create(
            key=key,
            defaults={"title": clean_line(record.title)[:300], "url": url[:2048], "is_open": record.is_open},
        )
        return thread, created

    # --- Comments -----------------------------------------------------------------------------

    def comments(self) -> None:
        """Write the new comments group by group, while worker processes convert the next groups' texts.

        Converting 100,000 texts to Markdown and HTML is most of an import's work; writing them
        is most of the rest. A group (one thread's comments, see groups()) needs nothing from
        another, so this process writes each as soon as its texts are back, and both run at once.
        """
        records = self.new_comments()
        self.load_earlier(records)
        groups = self.groups(records)
        todo = [[r for r in group.values() if r.status != "deleted"] for group in groups]
        with _Conversions([(r.text, r.text_is_html) for batch in todo for r in batch]) as results:
            for group, batch in zip(groups, todo, strict=True):
                for record, (text, html) in zip(batch, islice(results, len(batch)), strict=True):
                    record.text, record.html, record.text_is_html = text, html, False
                for record in group.values():
                    if record.status == "deleted":
                        record.text, record.html = "", ""
                self.drop_empty_leaves(group)
                self.insert(group, self.resolve_parents(group))

    def new_comments(self) -> dict[str, CommentRecord]:
        """The file's comments not imported before, by source id; the others counted or skipped."""
        known = self.known[SourceRecord.Kind.COMMENT]
        report = self.report
        records: dict[str, CommentRecord] = {}
        for record in self.parsed.comments:
            if record.source_id in records or (
                record.source_id in known and record.source_id in self._seen_known
            ):
                report.skip("comments", "comment id repeated in the file", record.source_id)
                continue
            if record.source_id in known:
                self._seen_known.add(record.source_id)
                report.count("comments", "unchanged")
                continue
            if record.thread_id not in self.thread_of:
                report.skip("comments", "its thread is not in the file (or was skipped)", record.source_id)
                continue
            if len(record.text) > MAX_COMMENT_CHARS:
                report.skip(
                    "comments", f"text longer than {MAX_COMMENT_CHARS:,} characters", record.source_id
                )
                continue
            records[record.source_id] = record
        return records

    def load_earlier(self, records: dict[str, CommentRecord]) -> None:
        """The comments imported before that new ones reply to: their thread and place in it."""
        known = self.known[SourceRecord.Kind.COMMENT]
        earlier_ids = {
            known[r.parent_id]
            for r in records.values()
            if r.parent_id and r.parent_id not in records and r.parent_id in known
        }
        self.earlier = {
            row["pk"]: dict(row)
            for row in Comment.objects.filter(pk__in=earlier_ids).values(
                "pk", "thread_id", "depth", "root_id", "parent_id"
            )
        }
        self.earlier_places = {
            pk: (pk, row["depth"], row["parent_id"], row["root_id"]) for pk, row in self.earlier.items()
        }

    @staticmethod
    def groups(records: dict[str, CommentRecord]) -> list[dict[str, CommentRecord]]:
        """The new comments by thread, in file order: what can be placed and written on its own.

        A reply naming a parent in another thread is kept at top level, but its parent counts
        it as a reply (an empty parent stays as its placeholder), so such threads form one group.
        """
        leader: dict[str, str] = {}  # thread id -> a thread of its group (union-find)

        def find(thread: str) -> str:
            while leader.setdefault(thread, thread) != thread:
                leader[thread] = thread = leader[leader[thread]]
            return thread

        for record in records.values():
            parent = records.get(record.parent_id) if record.parent_id else None
            if parent is not None and parent.thread_id != record.thread_id:
                leader[find(record.thread_id)] = find(parent.thread_id)
        groups: dict[str, dict[str, CommentRecord]] = {}
        for source_id, record in records.items():
            groups.setdefault(find(record.thread_id), {})[source_id] = record
        return list(groups.values())

    def drop_empty_leaves(self, records: dict[str, CommentRecord]) -> None:
        """Deleted (or empty) comments stay only as placeholders for their replies."""
        children = Counter(r.parent_id for r in records.values() if r.parent_id in records)
        removable = [r for r in records.values() if self.is_empty(r) and not children[r.source_id]]
        while removable:
            record = removable.pop()
            del records[record.source_id]
            reason = (
                "deleted comment without replies"
                if record.status == "deleted"
                else "empty comment without replies"
            )
            self.report.skip("comments", reason, record.source_id)
            parent = records.get(record.parent_id) if record.parent_id else None
            if parent is not None:
                children[parent.source_id] -= 1
                if not children[parent.source_id] and self.is_empty(parent):
                    removable.append(parent)

    @staticmethod
    def is_empty(record: CommentRecord) -> bool:
        return record.status == "deleted" or not record.text.strip()

    def resolve_parents(self, records: dict[str, CommentRecord]) -> dict[str, str | int | None]:
        """Each comment's parent: a source id in this file, the pk of one imported before, or None.

        A reply whose parent is missing (or in another thread, or in a loop) is kept at top level.
        """
        known = self.known[SourceRecord.Kind.COMMENT]
        parents: dict[str, str | int | None] = {}
        for record in records.values():
            parent = record.parent_id
            if not parent:
                parents[record.source_id] = None
            elif parent in records and records[parent].thread_id == record.thread_id:
                parents[record.source_id] = parent
            elif (
                parent in known
                and self.earlier.get(known[parent], {}).get("thread_id") == self.thread_of[record.thread_id]
            ):
                parents[record.source_id] = known[parent]
            else:
                parents[record.source_id] = None
                self.report.note("replies whose parent is missing, kept at top level", where=record.source_id)
        # Break loops (a -> b -> a) so every chain ends at a top-level comment.
        state: dict[str, int] = {}
        for start in records:
            path = []
            node: str | int | None = start
            while isinstance(node, str) and state.get(node) is None:
                state[node] = 1
                path.append(node)
                node = parents[node]
            if isinstance(node, str) and state.get(node) == 1:
                parents[node] = None
                self.report.note("replies in a parent loop, kept at top level", where=node)
            for visited in path:
                state[visited] = 2
        return parents

    def insert(self, records: dict[str, CommentRecord], parents: dict[str, str | int | None]) -> None:
        """Keys for every new comment first, in order of true reply depth and then date; then the rows.

        With the keys known, each reply names its parent (and root) at once, and all rows go in
        with executemany (see bulk.py). Display depth is capped as for posted replies.
        """
        order = self.insert_order(records, parents)
        pks = dict(zip(order, self.comment_rows.reserve(len(order)), strict=True))
        cap = settings.TRIBUNA_MAX_DEPTH - 1
        # source id (or pk, for comments imported before) -> (pk, depth, parent, root)
        placed: ChainMap[str | int, tuple[int, int, int | None, int | None]] = ChainMap(
            {}, self.earlier_places
        )
        rows = []
        for source_id in order:
            parent = parents[source_id]
            parent_id = reply_to = root = None
            display_depth = 0
            if parent is not None:
                p_pk, p_depth, p_parent, p_root = placed[parent]
                if p_depth >= cap:  # shown beside the comment it answers, like a posted reply
                    parent_id, display_depth, reply_to = p_parent, p_depth, p_pk
                else:
                    parent_id, display_depth = p_pk, p_depth + 1
                root = p_root or p_pk
            pk = pks[source_id]
            placed[source_id] = (pk, display_depth, parent_id, root)
            row = self.comment(records[source_id], parent_id, reply_to, root, display_depth)
            rows.append((pk, row))
            self.touched.add(row["thread_id"])
            self.remember(SourceRecord.Kind.COMMENT, source_id, pk)
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            self.comment_rows.insert(chunk)
            if self.options.progress:
                self.options.progress(len(chunk))
        self.report.count("comments", "created", len(rows))
        if len(self.new_records) >= BATCH:
            self.write_records()

    def insert_order(
        self, records: dict[str, CommentRecord], parents: dict[str, str | int | None]
    ) -> list[str]:
        """Source ids by true reply depth (parents before replies), then by date within a depth."""
        true_depth: dict[str, int] = {}
        for source_id in records:
            chain = []
            node: str | int | None = source_id
            while isinstance(node, str) and node not in true_depth:
                chain.append(node)
                node = parents[node]
            depth = true_depth[node] + 1 if isinstance(node, str) else (0 if node is None else 1)
            for item in reversed(chain):
                true_depth[item] = depth
                depth += 1
        levels: dict[int, list[str]] = {}
        for source_id, depth in true_depth.items():
            levels.setdefault(depth, []).append(source_id)
        return [
            source_id
            for depth in sorted(levels)
            for source_id in sorted(levels[depth], key=lambda sid: (records[sid].created or self.now, sid))
        ]

    def comment(self, record: CommentRecord, parent_id, reply_to, root, depth: int) -> dict[str, Any]:
        """The new row's values by attname; those left out take the field's default."""
        report = self.report
        name = _line(record.author_name)
        if not name:
            name = "Anonymous"
            report.note("comments without a name, shown as Anonymous")
        elif len(name) > 100:
            report.note("names cut to 100 characters", where=record.source_id)
            name = name[:100]
        # Stored lower-case, as the comment form stores it: addresses are matched exactly.
        email = _line(record.author_email).lower()
        if email and ("@" not in email or " " in email or len(email) > 254):
            report.note("email addresses that are not addresses, dropped", where=record.source_id)
            email = ""
        url = _line(record.author_url)
        if url and (not url.lower().startswith(("http://", "https://")) or len(url) > 2048):
            report.note("websites that are not http(s) links, dropped", where=record.source_id)
            url = ""
        created = record.created
        if created is None:
            report.note("comments without any date, dated at import", where=record.source_id)
            created = self.now
        ip = record.ip
        if ip and created < self.ip_cutoff:
            # Past the retention period already: kept as privacy.purge_expired() would leave it, network only.
            report.note(self.ip_note)
            ip = ""
        status = record.status if record.status in STATUSES else Comment.Status.PENDING
        if record.kind != Comment.Kind.COMMENT:
            report.note(f"{record.kind}s imported (hidden, like held comments)")
        return dict(
            thread_id=self.thread_of[record.thread_id],
            parent_id=parent_id,
            reply_to_id=reply_to,
            root_id=root,
            depth=depth,
            author_name=name,
            author_email=email,
            author_url=url,
            is_moderator=record.is_moderator,
            text=record.text,
            html=record.html,
            status=status,
            kind=record.kind,
            created=created,
            edited=record.edited,
            upvotes=max(record.upvotes, 0),
            downvotes=max(record.downvotes, 0),
            score=record.upvotes - record.downvotes,
            ip_address=ip or None,
            ip_network=_network(record.ip),
            spam_reasons=[f"imported from {self.source}"] if status == Comment.Status.SPAM else [],
        )
