"""Staticman: a folder of Jekyll/Hugo comment files (YAML or JSON), usually one sub-folder per page.

Staticman's `replying_to` is the 1-based position of the parent among the page's top-level
comments in date order, not an id; it is resolved here into the parent's own source id.
Emails are often stored as MD5 hashes, which are not addresses and are dropped.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import yaml

from tribuna.imports.convert import markdown_or_html, text_or_empty, utc_from_iso, utc_from_unix
from tribuna.imports.files import read_bytes
from tribuna.imports.records import CommentRecord, ImportFileError, Parsed, ThreadRecord

SUFFIXES = {".yml", ".yaml", ".json"}
MD5 = re.compile(r"[0-9a-f]{32}")


def parse(path: Path, options: dict) -> Parsed:
    if not path.is_dir():
        raise ImportFileError(
            f"{path}: Staticman comments are imported from their folder (e.g. _data/comments)."
        )
    parsed = Parsed()
    budget = options["max_bytes"]
    pages: dict[str, list[tuple[Path, dict]]] = {}
    for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()):
        data = read_bytes(file, budget)
        budget -= len(data)
        entry = _load(file, data, options, parsed)
        if entry is None:
            continue
        relative = file.relative_to(path)
        page = text_or_empty(entry.get("slug") or entry.get("page") or entry.get("post_id"))
        page = page or (relative.parent.as_posix() if relative.parent != Path(".") else "/")
        pages.setdefault(page, []).append((relative, entry))
    for page, entries in pages.items():
        url = page if page.startswith(("/", "http://", "https://")) else f"/{page.strip('/')}/"
        parsed.threads.append(ThreadRecord(source_id=page, url=url))
        _page(page, entries, parsed)
    return parsed


def _load(file: Path, data: bytes, options: dict, parsed: Parsed) -> dict | None:
    try:
        entry = json.loads(data) if file.suffix.lower() == ".json" else yaml.safe_load(data)
        if not isinstance(entry, dict):
            raise ValueError("not a mapping of fields")
    except (ValueError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        where = f"{file}" + (f" line {line + 1}" if line is not None else "")
        if not options.get("lenient"):
            raise ImportFileError(
                f"{where}: not a readable comment file ({str(exc).splitlines()[0]}). "
                "Nothing was imported; use --lenient to skip such files."
            ) from exc
        parsed.skip("unreadable comment file (--lenient)", where)
        return None
    return entry


def _date(value) -> datetime | None:
    if isinstance(value, datetime):
        return utc_from_iso(value.isoformat())
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return utc_from_unix(value)
    return utc_from_iso(str(value).replace(" ", "T", 1)) if value else None


def _page(page: str, entries: list[tuple[Path, dict]], parsed: Parsed) -> None:
    records = []
    for relative, entry in entries:
        source_id = text_or_empty(entry.get("_id")) or relative.as_posix()
        email = text_or_empty(entry.get("email"))
        records.append(
            (
                CommentRecord(
                    source_id=f"{page}/{source_id}",
                    thread_id=page,
                    parent_id=None,
                    created=_date(entry.get("date")),
                    text=markdown_or_html(text_or_empty(entry.get("message"))),
                    author_name=text_or_empty(entry.get("name")),
                    author_email="" if MD5.fullmatch(email) else email,
                    author_url=text_or_empty(entry.get("url") or entry.get("website")),
                ),
                text_or_empty(entry.get("replying_to") or entry.get("_parent")),
            )
        )
        if MD5.fullmatch(email):
            parsed.note("emails stored as MD5 hashes, dropped")
    top = sorted(
        (r for r, replying in records if not replying),
        key=lambda r: (r.created is None, r.created, r.source_id),
    )
    for record, replying in records:
        if replying:
            if replying.isdigit() and 1 <= int(replying) <= len(top):
                record.parent_id = top[int(replying) - 1].source_id
            else:  # an id (some forks store one) or a position past the end
                record.parent_id = f"{page}/{replying}"
        parsed.comments.append(record)
