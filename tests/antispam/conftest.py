"""A small copy of the shipped training data, so tests retrain in about a second instead of ten."""

from __future__ import annotations

import csv
import io

import pytest

from tribuna.antispam import classifier, registry

ROWS_PER_FILE = 40


def _copy_head(source, target, rows: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        chosen = {0: [], 1: []}
        for row in reader:  # both classes, so every file can be learnt from
            bucket = chosen[int(row["CLASS"])]
            if len(bucket) < rows // 2:
                bucket.append(row)
            if all(len(b) >= rows // 2 for b in chosen.values()):
                break
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(chosen[0] + chosen[1])


@pytest.fixture(scope="session")
def small_corpus_dir(tmp_path_factory):
    real, small = classifier.project_data_dir(), tmp_path_factory.mktemp("small-corpus")
    for name in classifier.YOUTUBE_FILES.values():
        _copy_head(real / "youtube-spam" / name, small / "youtube-spam" / name, ROWS_PER_FILE)
    _copy_head(real / "spamassassin" / "comments.csv", small / "spamassassin" / "comments.csv", ROWS_PER_FILE)
    return small


@pytest.fixture
def small_corpus(small_corpus_dir, monkeypatch):
    """Training (here and in spawned training processes, which inherit the environment) uses the small copy."""
    monkeypatch.setenv("TRIBUNA_TRAINING_DATA", str(small_corpus_dir))
    return small_corpus_dir


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
