"""Disqus XML export: <thread> and <post> elements joined by dsq:id.

Disqus ids are unique across Disqus, so they are the source ids as they are. Spam stays spam
(Isso's importer shows it), and a deleted post is kept only as a placeholder for its replies.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from xml.etree.ElementTree import Element

from tribuna.imports.convert import ip_address, plain, utc_from_iso
from tribuna.imports.files import child_text, iter_xml, local, read_bytes, recover_xml
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord


def dsq_id(element: Element | None) -> str:
    if element is None:
        return ""
    for key, value in element.attrib.items():
        if local(key) == "id":
            return value.strip()
    return ""


def child(element: Element, name: str) -> Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def parse(path: Path, options: dict) -> Parsed:
    data = read_bytes(path, options["max_bytes"])
    parsed = Parsed()
    if b"<disqus" not in data[:65536]:
        raise ImportFileError(f"{path}: not a Disqus export (no <disqus> element).")
    names = {"thread", "post"}
    elements = (
        recover_xml(path, data, names, parsed) if options.get("lenient") else _top_level(path, data, names)
    )
    for element in elements:
        if local(element.tag) == "thread":
            _thread(element, parsed)
        else:
            _post(element, parsed)
    return parsed


def _top_level(path: Path, data: bytes, names: set[str]):
    # A <post> holds a <thread dsq:id="…"/> reference, which also ends as a "thread" element:
    # only threads with children are records, and the reference must not be freed early.
    def is_record(element: Element) -> bool:
        return local(element.tag) == "post" or len(element) > 0

    yield from iter_xml(path, data, names, is_record)


def _thread(element: Element, parsed: Parsed) -> None:
    source_id = dsq_id(element)
    if not source_id:
        parsed.skip("thread without dsq:id", kind="threads")
        return
    link = child_text(element, "link").strip()
    parsed.threads.append(
        ThreadRecord(
            source_id=source_id,
            url=link or child_text(element, "id").strip(),
            title=plain(child_text(element, "title")),
            is_open=child_text(element, "isClosed").strip() != "true",
        )
    )


def _post(element: Element, parsed: Parsed) -> None:
    source_id = dsq_id(element)
    if not source_id:
        # Kept under an id made of its content, so a second import still recognises it.
        fingerprint = "|".join(child_text(element, n) for n in ("createdAt", "message", "ipAddress"))
        source_id = (
            "content:"
            + hashlib.sha256((dsq_id(child(element, "thread")) + "|" + fingerprint).encode()).hexdigest()[:32]
        )
        parsed.note("posts without dsq:id, identified by their content")
    author = child(element, "author")
    name = email = ""
    if author is not None:
        name = plain(child_text(author, "name")) or plain(child_text(author, "username"))
        email = child_text(author, "email").strip()
    deleted = child_text(element, "isDeleted").strip() == "true"
    spam = child_text(element, "isSpam").strip() == "true"
    parent = dsq_id(child(element, "parent"))
    parsed.comments.append(
        CommentRecord(
            source_id=source_id,
            thread_id=dsq_id(child(element, "thread")),
            parent_id=parent or None,
            created=utc_from_iso(child_text(element, "createdAt")),
            text=child_text(element, "message"),
            text_is_html=True,
            author_name=name,
            author_email=email,
            ip=ip_address(child_text(element, "ipAddress")),
            status="deleted" if deleted else "spam" if spam else "approved",
        )
    )
