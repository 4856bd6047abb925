"""Reading export files safely: size limits, gzip, and XML through defusedxml.

A hostile file must not exhaust the server: files and their decompressed content are read
only up to a limit, XML entities and external references are refused (defusedxml), and
parsed XML elements are dropped as soon as their record has been read.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from tribuna.imports.records import ImportFileError, Parsed

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB: far above any real comment export, far below a server's memory
MAX_COMMENT_CHARS = 100_000  # ten times a posted comment's limit; longer is not a comment
MAX_STATEMENT_CHARS = 2_000_000


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's content, gunzipped if it is gzip; refused beyond max_bytes either way."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            stream = gzip.GzipFile(fileobj=handle) if head == b"\x1f\x8b" else handle
            try:
                data = stream.read(max_bytes + 1)
            except (OSError, EOFError) as exc:
                raise ImportFileError(f"{path}: the gzip data is damaged ({exc}).") from exc
    except FileNotFoundError as exc:
        raise ImportFileError(f"{path}: no such file.") from exc
    except IsADirectoryError as exc:
        raise ImportFileError(f"{path}: is a folder, not an export file.") from exc
    if len(data) > max_bytes:
        raise ImportFileError(
            f"{path}: larger than the limit of {max_bytes:,} bytes (raise it with --max-bytes)."
        )
    return data


def load_json(path: Path, data: bytes):
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path}: not UTF-8 text ({exc}).") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from exc


# Cached: an export repeats the same few dozen tags a million times.
@functools.lru_cache(maxsize=4096)
def local(tag: str) -> str:
    """'{namespace}name' -> 'name'."""
    return tag.rsplit("}", 1)[-1]


@functools.lru_cache(maxsize=4096)
def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def child_text(element: Element, name: str, ns_part: str | None = None) -> str:
    """Text of the first child with this local name (and a namespace containing ns_part)."""
    for child in element:
        if local(child.tag) == name and (ns_part is None or ns_part in namespace(child.tag)):
            return child.text or ""
    return ""


def iter_xml(path: Path, data: bytes, names: set[str], wanted=None) -> Iterator[Element]:
    """Yield each complete element whose local name is in names (and that wanted() accepts), then free it.

    Raises ImportFileError naming the line when the file is not well-formed.
    """
    context = iterparse(io.BytesIO(data), events=("end",))
    try:
        for _event, element in context:
            if local(element.tag) in names and (wanted is None or wanted(element)):
                yield element
                element.clear()
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise ImportFileError(
            f"{path}: not well-formed XML at line {line}, column {column + 1} ({_reason(exc)}). "
            "Nothing was imported; fix the file, or use --lenient to import what can be read."
        ) from exc
    except DefusedXmlException as exc:
        raise ImportFileError(f"{path}: refused, the XML uses entities or a DTD ({exc}).") from exc


def _reason(exc: ParseError) -> str:
    return str(exc).split(":", 1)[0]


# Prefixes WXR and Disqus files use; declared on each recovered fragment in case the file forgot.
KNOWN_PREFIXES = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dsq": "http://disqus.com/disqus-internals",
}
KIND_OF = {"item": "statements", "thread": "threads", "post": "comments"}
_DECLARATION = re.compile(r'xmlns:([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"')


def recover_xml(path: Path, data: bytes, names: set[str], parsed: Parsed) -> Iterator[Element]:
    """--lenient: parse each top-level record (<item>, <thread>, <post>) on its own.

    A broken record is skipped and listed with its line; the others import. Namespace
    prefixes declared in the file (or, if it forgot, the usual ones) are declared on each
    fragment, and a default namespace is dropped so that names match either way.
    """
    text = data.decode("utf-8", errors="replace")
    declared = dict(KNOWN_PREFIXES)
    declared.update(dict(_DECLARATION.findall(text[:20000])))
    wrapper = "<fragment " + " ".join(f'xmlns:{p}="{uri}"' for p, uri in declared.items()) + ">"
    opening = re.compile(r"<(" + "|".join(sorted(names)) + r")[\s>/]")
    position, line = 0, 1
    while True:
        match = opening.search(text, position)
        if match is None:
            return
        name = match.group(1)
        line += text.count("\n", position, match.start())
        start_end = text.find(">", match.start())
        if start_end != -1 and text[start_end - 1] == "/":  # a reference such as <thread dsq:id="1"/>
            position = start_end + 1
            line += text.count("\n", match.start(), position)
            continue
        closing = f"</{name}>"
        end = text.find(closing, match.start())
        nested = text.find(f"<{name}", match.end(), end if end != -1 else len(text))
        if end == -1 or (nested != -1 and name != "thread"):
            # Unterminated (or a new record starts first): skip to the next record.
            parsed.skip(
                f"unreadable <{name}> record (--lenient)", f"line {line}", kind=KIND_OF.get(name, "comments")
            )
            position = match.end()
            continue
        end += len(closing)
        fragment = wrapper + text[match.start() : end] + "</fragment>"
        try:
            element = fromstring(fragment)[0]
        except (ParseError, DefusedXmlException) as exc:
            parsed.skip(
                f"unreadable <{name}> record (--lenient)",
                f"line {line}: {_reason(exc)}",
                kind=KIND_OF.get(name, "comments"),
            )
        else:
            yield element
        line += text.count("\n", match.start(), end)
        position = end
