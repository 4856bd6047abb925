"""Each test starts with no spam model loaded; models as bytes, as the database keeps them."""

from __future__ import annotations

import io

import pytest

from tribuna.antispam import classifier, registry


@pytest.fixture(autouse=True)
def _fresh_registry():
    """Every test starts with no model loaded, as a new process would."""
    registry.reload()
    yield
    registry.reload()


def model_bytes(model: classifier.SpamModel) -> bytes:
    buffer = io.BytesIO()
    model.save(buffer)
    return buffer.getvalue()
