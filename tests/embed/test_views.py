"""/embed.js and /embed.css: stable addresses, right types, long caching, and a size budget."""

from __future__ import annotations

import gzip
import re

import pytest

from tribuna.embed.views import STATIC

pytestmark = pytest.mark.django_db

BUDGET = 25 * 1024  # bytes, gzip -9, script and styles together


def test_it_serves_the_script_as_javascript_with_long_caching(client):
    response = client.get("/embed.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=604800" in response["Cache-Control"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.content == (STATIC / "i18n.js").read_bytes() + b"\n" + (STATIC / "embed.js").read_bytes()


def test_it_serves_one_stylesheet_with_the_thread_styles_and_the_widget_additions(client):
    response = client.get("/embed.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    body = response.content.decode()
    assert (STATIC / "thread.css").read_text() in body
    assert body.endswith((STATIC / "embed.css").read_text())


def test_it_answers_a_revalidation_with_not_modified(client):
    etag = client.get("/embed.js")["ETag"]
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_it_compresses_for_browsers_that_accept_gzip(client):
    response = client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).endswith((STATIC / "embed.js").read_bytes())
    assert (
        client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_it_takes_no_posts(client):
    assert client.post("/embed.js").status_code == 405


def test_the_widget_stays_within_its_size_budget():
    """What an embedding page downloads: the script and /embed.css, compressed like gzip -9."""
    files = ("embed.js", "thread.css", "embed.css")
    size = sum(len(gzip.compress((STATIC / name).read_bytes(), compresslevel=9)) for name in files)
    assert size <= BUDGET, f"{size} bytes gzipped; the budget is {BUDGET}"


@pytest.mark.parametrize("name", ["thread.css", "embed.css"])
def test_every_style_rule_is_scoped_under_the_widget_root(name):
    css = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(), flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)  # the rules inside a media query are checked like the others
    for selectors in re.findall(r"([^{}]+)\{[^{}]*\}", css):
        for selector in selectors.split(","):
            assert selector.strip().startswith(".tribuna"), selector


def test_the_script_inserts_html_in_one_place_only():
    """Only the server's sanitised comment HTML, parsed into an inert template element."""
    script = (STATIC / "embed.js").read_text()
    assert re.findall(r"(\w+)\.innerHTML\s*=\s*(\w+)", script) == [("template", "html")]
    assert "insertAdjacentHTML" not in script and "outerHTML" not in script and "document.write" not in script


def test_the_count_script_lives_at_a_fixed_address_with_its_translator(client):
    response = client.get("/count.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response.content.endswith((STATIC / "count.js").read_bytes())
    assert b"window.tribunaI18n" in response.content
