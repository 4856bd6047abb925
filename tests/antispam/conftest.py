"""Each test starts with no spam model loaded and trains on a small corpus; models as bytes, as the
database keeps them."""

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


@pytest.fixture(autouse=True)
def _small_training_corpus(small_corpus):
    """Every test here trains on the small corpus (tests/conftest.py); only the shipped model's checks
    read the model built from the real one."""
