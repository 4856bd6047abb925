"""WordPress WXR 1.0, 1.1 and 1.2: posts and pages become statements, their comments threads.

Elements are matched by local name and by a namespace that merely contains
'wordpress.org/export/', so every version and both http:// and https:// spellings work
(Isso accepts only one spelling and silently imports nothing from current exports).
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from django.utils.text import slugify

from tribuna.imports.convert import html_to_markdown, ip_address, plain, utc_from_wordpress
from tribuna.imports.files import child_text, iter_xml, local, namespace, read_bytes, recover_xml
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, StatementRecord, ThreadRecord

WP = "wordpress.org/export/"
CONTENT = "purl.org/rss/1.0/modules/content"
STATUSES = {
    "1": "approved",
    "approve": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}


def wp(element: Element, name: str) -> str:
    return child_text(element, name, WP)


def parse(path: Path, options: dict) -> Parsed:
    data = read_bytes(path, options["max_bytes"])
    parsed = Parsed()
    if b"<rss" not in data[:4096] and b"<channel" not in data[:65536] and not options.get("lenient"):
        raise ImportFileError(f"{path}: not a WordPress export (no <rss> or <channel> element).")
    items = (
        recover_xml(path, data, {"item"}, parsed)
        if options.get("lenient")
        else iter_xml(path, data, {"item"})
    )
    types = set(options.get("types") or ("post", "page"))
    statements = options.get("statements") or "all"
    site = _site(data)
    for item in items:
        _item(item, parsed, types, statements, site)
    return parsed


def _site(data: bytes) -> str:
    """The exporting site's host and path: post ids are only unique within one site."""
    head = data[:65536].decode("utf-8", errors="replace")
    for opening in ("base_blog_url>", "base_site_url>", "<link>"):
        start = head.find(opening)
        if start != -1:
            start += len(opening)
            end = head.find("<", start)
            parts = urlsplit(html.unescape(head[start:end]).strip().replace("<![CDATA[", ""))
            if parts.netloc:
                return parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")
    return ""


def _item(item: Element, parsed: Parsed, types: set[str], statements: str, site: str) -> None:
    post_id = wp(item, "post_id").strip()
    link = (child_text(item, "link") or child_text(item, "guid")).strip()
    source_id = f"{site}#{post_id}" if post_id else link
    post_type = wp(item, "post_type").strip() or "post"
    title = plain(child_text(item, "title"))
    comments = [child for child in item if local(child.tag) == "comment" and WP in namespace(child.tag)]
    if not source_id:
        parsed.skip("item with neither post_id nor link", title[:60], kind="statements")
        return
    if post_type not in types:
        # Attachments, menu items, custom types: not statements; their comments (if any) are counted.
        parsed.skip(f"item of type {post_type!r} (not in --types)", source_id, kind="statements")
        for _ in comments:
            parsed.skip(f"comment on an item of type {post_type!r}", source_id)
        return
    status = wp(item, "status").strip() or "publish"
    if status in {"trash", "auto-draft", "inherit"}:
        parsed.skip(f"{post_type} with status {status!r}", source_id, kind="statements")
        for _ in comments:
            parsed.skip(f"comment on a {post_type} with status {status!r}", source_id)
        return
    statement_id = None
    published_at = utc_from_wordpress(wp(item, "post_date_gmt")) or utc_from_wordpress(wp(item, "post_date"))
    if statements == "all" or (statements == "with-comments" and comments):
        content = child_text(item, "encoded", CONTENT)
        parsed.statements.append(
            StatementRecord(
                source_id=source_id,
                title=title or f"Untitled {post_type} {source_id}",
                slug=slugify(wp(item, "post_name"))
                or slugify(title)[:100]
                or f"{post_type}-{post_id or len(parsed.statements) + 1}",
                text=html_to_markdown(content),
                published_at=published_at,
                published=status == "publish",
                author=plain(child_text(item, "creator")),
            )
        )
        statement_id = source_id
    elif statements == "with-comments":
        parsed.skip(
            f"{post_type} without comments (--statements with-comments)", source_id, kind="statements"
        )
    parsed.threads.append(
        ThreadRecord(
            source_id=source_id,
            url=link,
            title=title,
            statement_id=statement_id,
            is_open=wp(item, "comment_status").strip() != "closed",
        )
    )
    for comment in comments:
        _comment(comment, source_id, published_at, parsed)


def _comment(comment: Element, post_source_id: str, post_date, parsed: Parsed) -> None:
    fields: dict[str, str] = {}
    has_meta = False
    for child in comment:  # one pass over the children, not one per field
        name = local(child.tag)
        if name == "commentmeta":
            has_meta = True
        elif name not in fields and WP in namespace(child.tag):
            fields[name] = child.text or ""

    comment_id = fields.get("comment_id", "").strip()
    if not comment_id:
        parsed.skip("comment without comment_id", post_source_id)
        return
    created = utc_from_wordpress(fields.get("comment_date_gmt", ""))
    if created is None and utc_from_wordpress(fields.get("comment_date", "")) is not None:
        # comment_date is the site's local time, whose zone WXR does not record: read as UTC, and say so.
        created = utc_from_wordpress(fields.get("comment_date", ""))
        parsed.note("comments dated from local time (no comment_date_gmt; read as UTC)")
    if created is None and post_date is not None:
        created = post_date
        parsed.note("comments without a date, dated as their post")
    approved = fields.get("comment_approved", "").strip()
    comment_type = fields.get("comment_type", "").strip() or "comment"
    parent = fields.get("comment_parent", "").strip()
    if has_meta:
        parsed.note("comment meta fields not imported (plugin data)")
    # WordPress comment ids are unique per site, but exports merged from several sites repeat
    # them in different posts: scoping the id by post keeps both comments.
    parsed.comments.append(
        CommentRecord(
            source_id=f"{post_source_id}/{comment_id}",
            thread_id=post_source_id,
            parent_id=f"{post_source_id}/{parent}" if parent and parent != "0" else None,
            created=created,
            text=fields.get("comment_content", ""),
            text_is_html=True,
            author_name=plain(fields.get("comment_author", "")),
            author_email=fields.get("comment_author_email", "").strip(),
            author_url=fields.get("comment_author_url", "").strip(),
            ip=ip_address(fields.get("comment_author_IP", "")),
            status=STATUSES.get(approved, "pending"),
            kind=comment_type if comment_type in {"pingback", "trackback"} else "comment",
        )
    )
    if approved not in STATUSES:
        parsed.note(f"comments with unknown approval {approved!r} kept as pending")
