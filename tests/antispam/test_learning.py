"""Moderators' decisions become labels; retraining builds, judges and activates each scope's model."""

import io

import pytest

from tribuna.antispam import classifier, learning, registry, training
from tribuna.antispam.models import ApiKey, SpamModelVersion, TrainingLabel
from tribuna.discussion import services
from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


def make_comment(thread, status="pending", text="Is the archive open on Sundays too?"):
    comment = Comment.objects.create(
        thread=thread, author_name="A", text=text, html=f"<p>{text}</p>", status=status
    )
    if status == "approved":
        services.count_visible(comment, +1)
    return comment


def test_marking_spam_by_a_person_records_a_spam_label(thread, moderator):
    comment = make_comment(thread, status="approved", text="Great deals on watches at my shop")
    services.set_status(comment, "spam", by=moderator)
    label = TrainingLabel.objects.get()
    assert label.is_spam and label.comment_id == comment.pk and label.source == "moderator"


def test_a_label_remembers_the_page_its_comment_was_under(thread, moderator, settings):
    comment = make_comment(thread, status="approved", text="Great deals on watches at my shop")
    services.set_status(comment, "spam", by=moderator)
    label = TrainingLabel.objects.get()
    assert label.page == settings.BASE_URL + thread.statement.get_absolute_url()
    assert label.page_title == thread.statement.title


def test_approving_a_held_comment_records_a_ham_label(thread, moderator):
    comment = make_comment(thread)
    services.set_status(comment, "approved", by=moderator)
    assert TrainingLabel.objects.get().is_spam is False


def test_automatic_changes_are_not_labels(thread):
    comment = make_comment(thread)
    services.set_status(comment, "approved", by=None)
    assert not TrainingLabel.objects.exists()


def test_retraining_stores_the_model_in_the_database_and_activates_it(small_corpus):
    for i in range(12):
        learning.record_label(
            text=f"Visit the tulip bulb wholesale portal number {i}", is_spam=True, source="moderator"
        )
    record = learning.train_scope(in_child=False)
    assert record.is_active and record.outcome == "activated" and record.model
    assert record.labels + record.held_back == 12 and record.held_back >= 1
    assert learning.new_labels_count() == 0
    assert SpamModelVersion.objects.filter(is_active=True).count() == 1
    assert (
        registry.model_for(None).version
        == registry.load_version(record.pk).version
        != classifier.load_shipped_model().version
    )


def test_the_site_learns_only_from_its_own_moderators(small_corpus):
    key = ApiKey.objects.create(key="a" * 32, site="https://blog.example.org")
    learning.record_label(text="Opening hours of the reading room", is_spam=False, source="moderator")
    learning.record_label(text="Tulip bulbs wholesale", is_spam=True, source="akismet", api_key=key)
    assert list(learning.scope_labels(None).values_list("text", flat=True)) == [
        "Opening hours of the reading room"
    ]
    assert list(learning.scope_labels(key).values_list("text", flat=True)) == ["Tulip bulbs wholesale"]


def test_a_bulk_spam_action_records_one_label_per_comment(thread, moderator):
    from tribuna.moderation.services import bulk

    comments = [make_comment(thread, text=f"Cheap watches outlet number {i}") for i in range(3)]
    bulk("spam", [c.pk for c in comments], moderator)
    assert sorted(TrainingLabel.objects.values_list("comment_id", "is_spam")) == [
        (c.pk, True) for c in comments
    ]
    assert set(TrainingLabel.objects.values_list("page_title", flat=True)) == {thread.statement.title}


@pytest.mark.slow  # trains in a child process, as the worker does
def test_spam_train_retrains_each_model_with_new_labels_in_a_child_process(small_corpus, capsys):
    from django.core.management import call_command

    key = ApiKey.objects.create(key="a" * 32, site="https://blog.example.org")
    ApiKey.objects.create(key="b" * 32, site="https://other.example.org")  # no labels: nothing to train
    learning.record_label(text="Discount watches at the outlet", is_spam=True, source="moderator")
    for i in range(6):  # enough that some are trained on whichever fifth is held back
        learning.record_label(
            text=f"Tulip bulbs wholesale, lot {i}", is_spam=True, source="akismet", api_key=key
        )
    call_command("spam", "train", "--dry-run")
    out = capsys.readouterr().out
    assert "would retrain site on the shipped data and 1 labels (1 new)" in out
    assert f"would retrain key {key.pk} (https://blog.example.org)" in out and out.count("would retrain") == 2
    assert not SpamModelVersion.objects.exists()
    call_command("spam", "train")
    out = capsys.readouterr().out
    assert "site: activated" in out and f"key {key.pk}: activated" in out
    assert sorted(
        SpamModelVersion.objects.filter(is_active=True).values_list("api_key", flat=True), key=str
    ) == sorted([None, key.pk], key=str)
    call_command("spam", "train")
    assert "nothing to retrain" in capsys.readouterr().out


@pytest.mark.slow  # trains in a child process, as the worker does
def test_training_runs_in_a_process_that_is_gone_afterwards(small_corpus):
    import os

    from tribuna.antispam import training

    samples = [classifier.Sample(text=f"Tulip bulbs wholesale, lot {i}") for i in range(6)]
    result = training.run_in_child(
        training.Job(samples=samples, labels=[1] * 6, held_samples=[], held_labels=[])
    )
    assert result.pid != os.getpid()
    assert classifier.SpamModel.load(io.BytesIO(result.model)).version == result.version
    with pytest.raises(ProcessLookupError):
        os.kill(result.pid, 0)


@pytest.mark.slow  # trains in a child process, as the worker does
def test_a_keys_labels_retrain_its_own_model_only(small_corpus, settings):
    settings.TRIBUNA_RETRAIN_AFTER_LABELS = 2
    key = ApiKey.objects.create(key="a" * 32, site="https://blog.example.org")
    for text in ("Tulip bulbs wholesale, best price", "Tulip bulbs outlet, order today"):
        learning.record_label(text=text, is_spam=True, source="akismet", api_key=key)
    trained = learning.retrain_if_due()
    assert [m.api_key_id for m in trained] == [key.pk]
    assert learning.new_labels_count(key) == 0 and learning.retrain_if_due() == []


SPAM_TEXT = "Tulip bulbs wholesale lot {}, order today at the tulip outlet"
HAM_TEXT = "Could the reading room open at {} on Sundays for students?"


def record_labels_with_wrong_training_half(n: int = 40) -> None:
    """Labels whose held-back part (see training.HELD_BACK_EVERY) tells the truth and whose training part lies,
    as a careless or hostile labeller would: the retrain learns the lie and the held-back labels catch it."""
    for i in range(n):
        is_spam = i % 2 == 0
        label = learning.record_label(
            text=(SPAM_TEXT if is_spam else HAM_TEXT).format(i), is_spam=is_spam, source="moderator"
        )
        if label.pk % training.HELD_BACK_EVERY:
            TrainingLabel.objects.filter(pk=label.pk).update(is_spam=not is_spam)


def test_a_retrain_that_scores_worse_is_not_activated(small_corpus, caplog):
    record_labels_with_wrong_training_half()
    record = learning.train_scope(in_child=False)
    assert record.outcome == "refused" and not record.is_active and record.model is None
    assert record.score > record.previous_score and record.held_back >= 1
    assert not SpamModelVersion.objects.filter(is_active=True).exists()
    assert registry.model_for(None) is classifier.load_shipped_model()
    assert "refused" in caplog.text
    assert learning.new_labels_count() == 0  # not retried until new labels come


def test_a_retrain_after_an_erasure_is_activated_even_if_it_scores_worse(small_corpus):
    record_labels_with_wrong_training_half()
    record = learning.train_scope(in_child=False, activate_anyway=True)
    assert record.score > record.previous_score and record.is_active and record.outcome == "activated"


@pytest.mark.slow  # trains in a child process, as the worker does
def test_a_refused_retrain_keeps_the_active_model_and_is_reported(small_corpus, capsys, monkeypatch):
    from django.core.management import call_command

    from tribuna.antispam import evaluation

    from .test_evaluation import fake_report

    for i in range(10):
        learning.record_label(text=SPAM_TEXT.format(i), is_spam=True, source="moderator")
        learning.record_label(text=HAM_TEXT.format(i), is_spam=False, source="moderator")
    good = learning.train_scope(in_child=False)
    assert good.is_active
    record_labels_with_wrong_training_half(60)
    call_command("spam", "train")
    assert "site: NOT activated" in capsys.readouterr().out
    assert SpamModelVersion.objects.get(is_active=True) == good
    monkeypatch.setattr(evaluation, "run", lambda quick: fake_report())
    call_command("spam", "evaluate", "--quick")
    out = capsys.readouterr().out
    assert "Last retrain of each site and key model" in out and "site: NOT activated" in out


def test_a_retrain_is_refused_when_its_verdicts_are_worse_beyond_chance_whatever_its_brier_score():
    def worse(*differences):
        """The comparison of two models whose verdicts on the held-back labels differ in cost by these
        amounts, label by label (the new model's cost minus the replaced one's)."""
        return training.Comparison(
            misjudged=10 + sum(d for d in differences if d > 0),
            previous_misjudged=10 - sum(d for d in differences if d < 0),
            only_new=sum(d for d in differences if d > 0),
            only_previous=-sum(d for d in differences if d < 0),
            squared=sum(d * d for d in differences),
        )

    hidden = training.HIDDEN_LEGITIMATE_COST
    assert not training.is_worse(0.30, 0.10, worse(1))  # one more comment misjudged: chance
    assert not training.is_worse(0.30, 0.10, worse(1, 1))
    assert training.is_worse(0.01, 0.10, worse(1, 1, 1))  # three, and none put right: refused
    # One label is one label, whatever it costs: a single legitimate comment newly hidden (its label may be
    # a moderator's slip) is chance; three are not.
    assert not training.is_worse(0.01, 0.10, worse(hidden))
    assert not training.is_worse(0.01, 0.10, worse(hidden, hidden))
    assert training.is_worse(0.01, 0.10, worse(hidden, hidden, hidden))
    assert not training.is_worse(0.01, 0.10, worse(hidden, 1, 1, 1))
    assert training.is_worse(0.01, 0.10, worse(hidden, 1, 1, 1, 1))
    assert not training.is_worse(0.30, 0.10, worse(*[1] * 6, -1, -1, -1))
    assert training.is_worse(0.30, 0.10, worse(*[1] * 12, -1, -1, -1))
    assert not training.is_worse(0.30, 0.10, worse()) and not training.is_worse(
        0.30, 0.10, worse(1, *[-1] * 5)
    )
    # Without verdicts, by Brier; without held-back labels, the retrain goes ahead.
    assert training.is_worse(0.30, 0.10) and not training.is_worse(0.10, 0.30)
    assert not training.is_worse(None, None)


class Predicted:
    """A model whose predictions are given: what ``training.misjudged`` reads of a model."""

    def __init__(self, predictions):
        self.predictions = predictions

    def predict_many(self, samples):
        return self.predictions[: len(samples)]


AS_PREDICTED = {  # a prediction that ends in each verdict
    "approve": classifier.Prediction(0.1),
    "hold": classifier.Prediction(0.6),
    "spam": classifier.Prediction(0.99, evidence=["link shortener"]),
}


@pytest.mark.parametrize(
    "verdicts, cost",
    [
        (("approve", "approve", "hold", "spam"), 0),
        (("hold", "approve", "spam", "spam"), 1),
        (("approve", "approve", "approve", "hold"), 1),
        (("spam", "hold", "approve", "hold"), training.HIDDEN_LEGITIMATE_COST + 2),
    ],
)
def test_misjudged_verdicts_cost_most_for_a_hidden_legitimate_comment(verdicts, cost):
    predictions = [AS_PREDICTED[v] for v in verdicts]
    assert [p.verdict for p in predictions] == list(verdicts)
    samples = [classifier.Sample(f"comment {i}") for i in range(4)]
    assert training.misjudged(Predicted(predictions), samples, [0, 0, 1, 1]) == cost  # ham, ham, spam, spam
    assert training.misjudged(Predicted(predictions), [], []) is None


def test_two_models_are_compared_on_the_labels_they_judge_differently():
    new = Predicted([AS_PREDICTED[v] for v in ("approve", "spam", "hold", "approve", "hold")])
    old = Predicted([AS_PREDICTED[v] for v in ("hold", "approve", "approve", "approve", "hold")])
    comparison = training.compare(new, old, [classifier.Sample(str(i)) for i in range(5)], [0, 0, 1, 1, 1])
    # ham: new right / old held; ham: new hides / old right; spam: new right / old publishes; both publish one.
    assert comparison == training.Comparison(
        misjudged=training.HIDDEN_LEGITIMATE_COST + 1,
        previous_misjudged=3,
        only_new=5,
        only_previous=2,
        squared=1 + 5 * 5 + 1,
    )
    assert training.compare(new, old, [], []) is None
    # A legitimate comment the new model hides and the old one only held costs the difference.
    hides, holds = Predicted([AS_PREDICTED["spam"]]), Predicted([AS_PREDICTED["hold"]])
    assert training.compare(hides, holds, [classifier.Sample("x")], [0]) == training.Comparison(
        misjudged=training.HIDDEN_LEGITIMATE_COST,
        previous_misjudged=1,
        only_new=training.HIDDEN_LEGITIMATE_COST - 1,
        only_previous=0,
        squared=(training.HIDDEN_LEGITIMATE_COST - 1) ** 2,
    )


def test_a_site_model_taught_by_enough_labels_holds_what_its_moderators_call_spam_without_a_link(
    small_corpus, settings
):
    """Comments that send readers nowhere are held by a cold model only when it is sure; once the site's own
    moderators have taught its model (classifier.SITE_TAUGHT_LABELS, both kinds), its word holds them."""
    from tribuna.antispam import screen

    settings.TRIBUNA_SPAM_THRESHOLD = 0.9999  # "sure" out of the small corpus's reach: the policy decides
    chain_letter = "Pass this on to ten friends before midnight or your luck turns, share share share {}"
    question = "Will the reading room keep its evening hours during the exams in week {}?"

    def verdict(text):
        return screen.screen(screen.Candidate(text=text, email="new@example.org"), rate_limit=False)

    probe = chain_letter.format("today")
    assert verdict(probe).action == "approve"  # the shipped model has never seen this site
    for i in range(classifier.SITE_TAUGHT_LABELS):
        learning.record_label(text=chain_letter.format(i), is_spam=True, source="moderator")
        learning.record_label(text=question.format(i), is_spam=False, source="moderator")
    record = learning.train_scope(in_child=False)
    assert record.is_active and record.misjudged is not None and record.previous_misjudged is not None
    registry.reload()
    taught = registry.model_for(None)
    assert taught.site_taught and sum(taught.site_labels) == record.labels
    after = verdict(probe)
    assert after.action == "hold" and after.score < settings.TRIBUNA_SPAM_THRESHOLD
    assert verdict(question.format("nine")).action == "approve"
    # The same model, had it not learnt from the site, would let the comment through on the same score.
    untaught = classifier.SpamModel(
        taught.version, taught.blocks, taught.coef, taught.intercept, taught.calibration, taught.hand_scale
    )
    prediction = untaught.predict(classifier.Sample(probe))
    assert prediction.probability == after.score and prediction.sends_nowhere
    assert (
        classifier.decide(
            prediction.probability,
            prediction.evidence,
            spam=settings.TRIBUNA_SPAM_THRESHOLD,
            lenient=prediction.lenient,
            promotes=prediction.promotes,
            sends_nowhere=prediction.sends_nowhere,
        )
        == "approve"
    )
