"""The civic test set (data/civic-comments, written before any tuning and never trained on): ordinary
comments on organisations' statements must never be hidden, and at most 5% may wait for a moderator."""

import pytest

from tribuna.antispam import evaluation, screen
from tribuna.antispam.screen import Candidate, Verdict

pytestmark = (
    pytest.mark.django_db
)  # the model registry asks the database which model is active (none: shipped)
CIVIC = evaluation.load_civic()


def test_the_civic_set_has_at_least_150_comments_on_real_looking_pages():
    assert len(CIVIC) >= 150
    assert all(s.page.startswith("https://") and s.title and s.page_text for s in CIVIC)


@pytest.fixture
def verdicts():
    results = []
    for s in CIVIC:
        verdict = Verdict()
        screen.check_classifier(
            Candidate(
                text=s.text,
                name=s.name,
                url=s.url,
                page_url=s.page,
                page_title=s.title,
                page_text=s.page_text,
            ),
            verdict,
        )
        results.append((s.text, verdict))
    return results


def test_no_civic_comment_is_hidden(verdicts):
    hidden = [text for text, verdict in verdicts if verdict.action in ("spam", "discard")]
    assert hidden == []


def test_at_most_five_percent_of_the_civic_comments_are_held(verdicts):
    held = [(text, verdict.reasons) for text, verdict in verdicts if verdict.action == "hold"]
    assert len(held) <= 0.05 * len(verdicts), held
