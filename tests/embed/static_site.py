"""Another website for the widget's browser tests: a page served from another 127.0.0.1 port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# The host page styles bare elements loudly: none of it may reach inside the widget.
PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>A blog post</title>
<style>p {{ text-transform: uppercase; }} button {{ background: #f0f; }} li::before {{ content: "*"; }}</style></head>
<body><main><h1>A blog post</h1><p>Some words worth discussing.</p>
<div id="tribuna-thread"></div></main>
<script src="{server}/embed.js" data-thread="{key}" async></script>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def embedding_site(directory: Path, server: str, key: str) -> Iterator[str]:
    """Serve a page embedding the widget for `key` from `server`; yields the site's origin."""
    (directory / "index.html").write_text(PAGE.format(server=server, key=key))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
