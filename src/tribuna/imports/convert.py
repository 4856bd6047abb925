"""Turning another system's values into Tribuna's: HTML to Markdown, dates to UTC, addresses.

Every source module calls these, so a comment means the same whatever system it came from.
"""

from __future__ import annotations

import functools
import html
import ipaddress
import re
from datetime import UTC, datetime

from markdownify import MarkdownConverter

from tribuna.lib.markup import render_comment
from tribuna.lib.text import clean_text

# Any start or end tag; [^>]* cannot backtrack, so this runs in linear time.
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


class _Converter(MarkdownConverter):
    """markdownify with images kept as links: comments render no images, but nothing is dropped."""

    def convert_img(self, el, text, parent_tags):
        src = el.attrs.get("src") or ""
        alt = el.attrs.get("alt") or "image"
        escaped = self.escape(alt, parent_tags)  # type: ignore[attr-defined]  # markdownify's stubs lag its code
        return f"[{escaped}]({src})" if src else escaped


# escape_misc keeps text that was literal in HTML (a leading "#", "1.", "-") literal in Markdown.
_CONVERTER = _Converter(heading_style="ATX", bullets="-", escape_misc=True)


def _escape(text: str) -> str:
    """markdownify's own escaping, for text that has no tags (markdownify's stubs lack the method)."""
    return _CONVERTER.escape(text, [])  # type: ignore[attr-defined]


def html_to_markdown(value: str) -> str:
    """HTML written for another system (or plain text with its line breaks) as equivalent Markdown.

    WordPress and Disqus store what the author typed with some HTML mixed in, and show line
    breaks as they are ("autop"). So text without tags is escaped line by line, keeping its
    paragraphs and line breaks; text with tags goes through markdownify (an HTML parser,
    hundreds of times slower, which is why the common plain case does not take it).
    """
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not _TAG.search(value):
        paragraphs = _PARAGRAPH_BREAK.split(html.unescape(value))
        return "\n\n".join(
            "  \n".join(_escape(line.strip()) for line in paragraph.split("\n")) for paragraph in paragraphs
        )
    if "<p" not in value.lower() and "\n" in value:
        # WordPress-style text: blank lines are paragraphs, single newlines are line breaks.
        value = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in _PARAGRAPH_BREAK.split(value))
    return _CONVERTER.convert(value).strip()


def prepare_text(item: tuple[str, bool]) -> tuple[str, str]:
    """(text, is it HTML) -> (Markdown as stored, its HTML as rendered for every comment).

    A plain function of its argument, so the writer can run it in worker processes: turning
    100,000 texts into Markdown and HTML is most of an import's time.
    """
    value, is_html = item
    text = clean_text(html_to_markdown(value) if is_html else value)
    return text, render_comment(text) if text else ""


def markdown_or_html(value: str) -> str:
    """Text from systems that store Markdown but accept some HTML in it (Isso, Staticman):
    Markdown stays as written; text with tags is converted so the tags do not show as text."""
    value = (value or "").replace("\r\n", "\n").strip()
    return html_to_markdown(value) if _TAG.search(value) else value


def plain(value: str | None) -> str:
    """A single-line field from HTML-ish exports: entities decoded (WordPress stores '&laquo;')."""
    if not value:
        return ""
    return html.unescape(value).strip()


_WORDPRESS_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def utc_from_wordpress(value: str | None) -> datetime | None:
    """WordPress's 'YYYY-MM-DD HH:MM:SS' (the *_gmt fields are UTC); '0000-00-00 …' means none."""
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        if _WORDPRESS_DATE.fullmatch(value):  # the usual form, read ten times faster than by strptime
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def utc_from_iso(value: str | None) -> datetime | None:
    """ISO 8601 with 'Z' or an offset (nanoseconds cut to microseconds); naive values are UTC."""
    value = (value or "").strip()
    if not value:
        return None
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    head, dot, rest = value.partition(".")
    if dot:  # fractional seconds: keep at most six digits, and the offset after them
        digits = len(rest) - len(rest.lstrip("0123456789"))
        value = f"{head}.{rest[: min(digits, 6)]}{rest[digits:]}"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.year < 1900:  # Go's zero time, "0001-01-01T00:00:00Z", means none
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def utc_from_unix(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


@functools.lru_cache(maxsize=65536)  # readers comment from the same few addresses again and again
def ip_address(value: str | None) -> str:
    """A valid address or ''; IPv4-mapped IPv6 ('::ffff:1.2.3.4') becomes the IPv4 address it is."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def missing(value) -> bool:
    """Exports write absent values as '', null, or the literal 'undefined' (Commento)."""
    return value is None or (isinstance(value, str) and value.strip() in {"", "undefined", "null"})


def text_or_empty(value) -> str:
    return "" if missing(value) else str(value)
