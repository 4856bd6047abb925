"""Every antispam test trains on a small corpus cut from the shipped data (the first rows of each file),
so that training takes a fraction of a second; only the shipped model's own checks read the real one."""

from __future__ import annotations

import csv
import shutil

import pytest

from tribuna.antispam import classifier

ROWS_PER_VIDEO, EMAILS = 40, 40


@pytest.fixture(scope="session")
def small_training_data(tmp_path_factory):
    """A data/ tree like the project's, with the first rows of each training file and the full test sets."""
    source, target = classifier.project_data_dir(), tmp_path_factory.mktemp("spam-data")
    (target / "youtube-spam").mkdir()
    for name in classifier.YOUTUBE_FILES.values():
        _head(source / "youtube-spam" / name, target / "youtube-spam" / name, ROWS_PER_VIDEO)
    (target / "spamassassin").mkdir()
    _head(source / "spamassassin" / "comments.csv", target / "spamassassin" / "comments.csv", EMAILS, balanced=True)
    for test_set in ("blog-comments", "civic-comments"):
        shutil.copytree(source / test_set, target / test_set)
    return target


def _head(source, target, rows: int, balanced: bool = False) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        all_rows = list(reader)
    chosen = ([r for r in all_rows if r["CLASS"] == "0"][:rows // 2] + [r for r in all_rows if r["CLASS"] == "1"][:rows // 2]
              if balanced else all_rows[:rows])
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(chosen)


@pytest.fixture(autouse=True)
def _small_training_corpus(small_training_data, monkeypatch):
    monkeypatch.setenv("TRIBUNA_TRAINING_DATA", str(small_training_data))
