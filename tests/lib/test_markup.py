"""Rendering reader Markdown: only the sanitiser's output is ever shown."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

from tribuna.lib.markup import html_to_text, render_comment, render_statement, sanitise_comment_html

PAYLOADS = (Path(__file__).parent.parent / "fixtures" / "xss-payloads.txt").read_text().splitlines()

MARKDOWN_VECTORS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](livescript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '![x](https://example.org/x.png" onerror="alert(1))',
    "![x](javascript:alert(1))",
    '[a](https://example.org/"onmouseover="alert(1))',
    "<img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "[x](&#106;avascript:alert(1))",
    "[x](java\nscript:alert(1))",
    "`<script>alert(1)</script>`",
]


class ElementAudit(HTMLParser):
    """Collects what a browser would build from the HTML: elements and their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def assert_harmless(html: str) -> None:
    """No script element, no event handler, no URL with a scheme other than http(s) or mailto."""
    audit = ElementAudit()
    audit.feed(html)
    for tag, attrs in audit.elements:
        assert tag not in {
            "script",
            "iframe",
            "img",
            "svg",
            "object",
            "embed",
            "form",
            "style",
            "link",
            "base",
        }
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                scheme = value.split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in {"http", "https", "mailto"}, (tag, name, value)


@pytest.mark.parametrize("payload", PAYLOADS + MARKDOWN_VECTORS)
def test_no_payload_survives_rendering(payload):
    assert_harmless(render_comment(payload))


@pytest.mark.parametrize("payload", PAYLOADS + MARKDOWN_VECTORS)
def test_sanitising_twice_changes_nothing(payload):
    once = render_comment(payload)
    assert sanitise_comment_html(once) == once


def test_links_get_nofollow_ugc_noopener():
    html = render_comment("[docs](https://docs.example.org/guide)")
    assert 'href="https://docs.example.org/guide"' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_mailto_links_are_kept_and_other_schemes_dropped():
    assert 'href="mailto:a@example.org"' in render_comment("[mail](mailto:a@example.org)")
    assert "href" not in render_comment("[ftp](ftp://example.org/file)")


def test_emphasis_code_and_quotes_render():
    html = render_comment("**bold** and *em*\n\n> quoted\n\n```\ncode\n```")
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<blockquote>" in html and "<pre><code>" in html


def test_deep_nesting_finishes_without_error():
    html = render_comment("> " * 5000 + "deep")
    assert html.count("<blockquote>") <= 25  # maxNesting stops the recursion


def test_bracket_and_entity_floods_finish():
    assert render_comment("[" * 20000 + "x" + "]" * 20000)
    assert render_comment("&amp;" * 20000)


def test_statement_headings_become_sections_with_anchors():
    rendered = render_statement("Intro\n\n## What changes\n\nText\n\n## What changes\n\nAgain")
    assert '<h2 id="what-changes">' in rendered.html
    assert '<h2 id="what-changes-2">' in rendered.html
    assert [item["id"] for item in rendered.toc] == ["what-changes", "what-changes-2"]
    assert rendered.plain_text.startswith("Intro")


def test_statement_rendering_is_sanitised():
    rendered = render_statement("<script>alert(1)</script>\n\n[x](javascript:alert(1))")
    assert_harmless(rendered.html)
    assert "<script" not in rendered.html


def test_html_to_text_decodes_entities():
    assert html_to_text("<p>a &amp; b</p>") == "a & b"


def test_stored_html_loses_styles_handlers_and_unknown_tags_when_sanitised_again():
    cleaned = sanitise_comment_html(
        '<p style="x" onclick="y">a</p><img src=x><a href="https://e.org" target=_blank>l</a>'
    )
    assert cleaned == '<p>a</p><a href="https://e.org" rel="nofollow ugc noopener">l</a>'
