"""One module per system Tribuna imports from; each has parse(path, options) -> Parsed."""

from __future__ import annotations

import importlib

SOURCES = ("wordpress", "disqus", "isso", "remark42", "commento", "comentario", "staticman")


def parser_for(source: str):
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    return importlib.import_module(f"tribuna.imports.sources.{source}").parse
