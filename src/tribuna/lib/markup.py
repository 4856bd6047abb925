"""Markdown to safe HTML.

Comments: markdown-it-py in CommonMark mode with raw HTML disabled, then nh3 with a strict
allow-list (schemes http, https, mailto only, which is stricter than markdown-it's own
block-list). Statements: the same pipeline with headings kept and given anchors.
Rendering happens once, when text is saved; pages show the stored result.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3
from django.utils.text import slugify

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

LINK_REL = "nofollow ugc noopener"
URL_SCHEMES = {"http", "https", "mailto"}

COMMENT_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "del", "hr"}
COMMENT_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}

STATEMENT_TAGS = COMMENT_TAGS | {"h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td"}
STATEMENT_ATTRIBUTES = {**COMMENT_ATTRIBUTES, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}}

EMAIL_TAGS = COMMENT_TAGS - {"hr"}


def _markdown() -> MarkdownIt:
    # Imported when first needed: processes that only read pages or send mail never parse Markdown.
    from markdown_it import MarkdownIt

    # maxNesting bounds the work on pathological inputs (deeply nested quotes or lists).
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    md.disable("image")
    return md


_comment_markdown = functools.cache(_markdown)  # one parser per process, built on first use


def sanitise_comment_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def sanitise_statement_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=STATEMENT_TAGS,
        attributes=STATEMENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_comment(text: str) -> str:
    """Markdown from a reader to sanitised HTML (idempotent under re-sanitising)."""
    return sanitise_comment_html(_comment_markdown().render(text))


def render_email_html(html: str) -> str:
    """Stored comment HTML made fit for an email: no images, links kept but shown with their host."""
    return nh3.clean(
        html, tags=EMAIL_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"}, link_rel=LINK_REL
    )


@dataclass
class RenderedStatement:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{"id", "title", "level"}]
    plain_text: str = ""


def render_statement(text: str) -> RenderedStatement:
    """Statement Markdown to HTML with id'd headings and a table of contents."""
    md = _markdown()
    tokens = md.parse(text)
    toc: list[dict] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in {"h2", "h3"}:
            title = tokens[index + 1].content
            base = slugify(title) or "section"
            anchor, n = base, 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            token.attrSet("id", anchor)
            toc.append({"id": anchor, "title": title, "level": int(token.tag[1])})
    html = sanitise_statement_html(md.renderer.render(tokens, md.options, {}))
    return RenderedStatement(html=html, toc=toc, plain_text=html_to_text(html))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text a browser's textContent would give for this HTML (entities decoded)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def excerpt(html: str, length: int = 280) -> str:
    text = " ".join(html_to_text(html).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
