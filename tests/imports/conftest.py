from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


@pytest.fixture
def run_import(db):
    """`tribuna import …` as the command line runs it; returns the printed report."""

    def run(source: str, path, *options: str) -> str:
        out = StringIO()
        call_command("import", source, str(path), *options, stdout=out)
        return out.getvalue()

    return run


def snapshot() -> dict:
    """Every row an import may write, to prove that a run changed nothing."""
    from tribuna.discussion.models import Comment, Thread
    from tribuna.imports.models import SourceRecord
    from tribuna.statements.models import Revision, Statement

    return {
        model.__name__: sorted(model.objects.values_list())
        for model in (Statement, Revision, Thread, Comment, SourceRecord)
    }
