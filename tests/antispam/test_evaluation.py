"""Evaluation of the spam classifier: metrics, splits, the out-of-domain check, the `spam` command."""

import io

import pytest
from django.core.management import call_command
from sklearn.metrics import matthews_corrcoef

from tribuna.antispam import classifier, evaluation
from tribuna.antispam.classifier import Sample
from tribuna.antispam.evaluation import Metrics


def test_metrics_are_computed_from_spam_verdicts_only():
    labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    probabilities = [0.99, 0.95, 0.6, 0.1, 0.97, 0.7, 0.2, 0.1, 0.0, 0.3]
    m = evaluation.confusion(labels, probabilities, spam=0.9, hold=0.5)
    assert (m.tp, m.fn, m.fp, m.tn) == (2, 2, 1, 5)
    assert (m.held_spam, m.held_ham) == (1, 1)  # held is not flagged: counted, not a false positive
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(0.5)
    assert m.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert m.fpr == pytest.approx(1 / 6)
    predicted = [int(p >= 0.9) for p in probabilities]
    assert m.mcc == pytest.approx(matthews_corrcoef(labels, predicted))


def test_metrics_of_nothing_are_zero_not_an_error():
    assert (Metrics().precision, Metrics().recall, Metrics().f1, Metrics().mcc, Metrics().fpr) == (0, 0, 0, 0, 0)


def test_metrics_add_up():
    assert (Metrics(1, 2, 3, 4, 5, 6) + Metrics(1, 1, 1, 1, 1, 1)).counts() == (2, 3, 4, 5, 6, 7)


def test_the_authors_split_takes_the_first_70_percent_of_each_class_in_file_order():
    rows = [(Sample(str(i)), int(i % 3 == 0)) for i in range(20)]  # 7 spam, 13 ham
    train, test = evaluation.authors_split(rows)
    spam = [i for i in range(20) if i % 3 == 0]
    ham = [i for i in range(20) if i % 3]
    assert train == sorted(spam[:5] + ham[:9])
    assert test == sorted(spam[5:] + ham[9:])


def toy_corpus(*sources):
    """12 x 3 legitimate and 12 x 2 spam comments per source, each text naming its source."""
    ham = ["thanks for the summary of point {}", "I disagree with section {}", "where is the report for {}"]
    spam = ["subscribe to my channel {} http://x{}.xyz", "cheap pills {} buy now http://p{}.top"]
    samples, labels, names = [], [], []
    for source in sources:
        for i in range(12):
            for template in ham + spam:
                samples.append(Sample(template.format(f"{source}{i}", i)))
                labels.append(int(template in spam))
                names.append(source)
    return samples, labels, names


def test_leave_one_source_out_tests_each_source_on_a_model_that_never_saw_it():
    samples, labels, sources = toy_corpus("a", "b")
    results = evaluation.leave_one_source_out(samples, labels, sources)
    assert set(results) == {"a", "b"}
    assert all(m.n == 60 for m in results.values())
    assert all(m.fp == 0 for m in results.values())


def test_the_shipped_model_flags_at_most_5_percent_of_unseen_blog_comments():
    result = evaluation.out_of_domain(classifier.load_shipped_model())
    assert result.ham.n >= 60
    assert result.ham.fpr <= 0.05
    assert result.spam.recall >= 0.6


def fake_report():
    m = Metrics(tp=9, fp=1, tn=9, fn=1, held_ham=2, held_spam=3)
    return evaluation.Report(
        model_version="test", spam_threshold=0.9, hold_threshold=0.5,
        loso={"youtube-psy": m, "spamassassin-email": m}, loso_strict={"youtube-psy": m},
        authors={"youtube-psy": (m, 0.93)}, authors_plus={"youtube-psy": m},
        out_of_domain=evaluation.OutOfDomain(Metrics(tn=60), Metrics(tp=20, fn=5, held_spam=3)),
        youtube_only_ood=Metrics(fp=30, tn=45), timing_ms=(0.4, 1.2, 100),
    )


def test_the_report_reads_as_a_table_with_every_required_figure():
    text = evaluation.format_report(fake_report())
    for expected in ("prec", "recall", "F1", "MCC", "FPR", "youtube-psy", "overall, videos", "0.925",
                     "legitimate: 60 comments, 0 flagged spam (0.0%)", "median 0.400 ms, p99 1.200 ms",
                     "Stricter: texts that also occur in the left-out video dropped from training"):
        assert expected in text


def test_the_report_says_plainly_whether_the_targets_are_met():
    report = fake_report()
    assert "NOT met by psy (F1 0.900, FPR 10.0%)" in evaluation.target_line(report)
    good = Metrics(tp=99, fp=1, tn=99, fn=1)
    report.loso = {"youtube-psy": good, "spamassassin-email": Metrics(fp=50, tn=50)}
    assert evaluation.target_line(report).endswith(": met")


@pytest.mark.django_db
def test_spam_evaluate_prints_the_report(monkeypatch):
    monkeypatch.setattr(evaluation, "run", lambda quick: fake_report())
    out = io.StringIO()
    call_command("spam", "evaluate", "--quick", stdout=out, stderr=io.StringIO())
    assert "Leave one source out" in out.getvalue()


def test_spam_build_shipped_writes_a_loadable_model(monkeypatch, tmp_path):
    samples = [Sample(f"thanks for point {i}") for i in range(10)] + [Sample(f"buy pills {i} now") for i in range(10)]
    monkeypatch.setattr(classifier, "load_shipped_corpus", lambda: (samples, [0] * 10 + [1] * 10, ["x"] * 20))
    out = io.StringIO()
    call_command("spam", "build-shipped", "--output", str(tmp_path / "m.joblib"), stdout=out)
    assert "wrote" in out.getvalue()
    assert classifier.SpamModel.load(tmp_path / "m.joblib").predict(Sample("buy pills 99 now")).probability > 0.5


def test_spam_build_shipped_dry_run_writes_nothing(monkeypatch, tmp_path):
    samples = [Sample(f"thanks for point {i}") for i in range(10)] + [Sample(f"buy pills {i} now") for i in range(10)]
    monkeypatch.setattr(classifier, "load_shipped_corpus", lambda: (samples, [0] * 10 + [1] * 10, ["x"] * 20))
    out = io.StringIO()
    call_command("spam", "build-shipped", "--dry-run", "--output", str(tmp_path / "m.joblib"), stdout=out)
    assert "would write" in out.getvalue()
    assert not (tmp_path / "m.joblib").exists()


def test_learning_on_a_new_site_tests_only_what_its_moderators_did_not_label():
    samples, labels, sources = toy_corpus("youtube-psy", "other")
    results = evaluation.learning_on_a_new_site(samples, labels, sources, decisions=(10,))
    assert list(results[10]) == ["youtube-psy"]  # only the videos present
    psy = results[10]["youtube-psy"]
    assert psy.n == 60 - 10  # the first 10 comments trained the model, the other 50 tested it
    assert psy.fp == 0 and psy.recall > 0.5


def test_the_report_shows_learning_on_a_new_site():
    report = fake_report()
    report.site_learning = {50: {"youtube-psy": Metrics(tp=9, fp=1, tn=9, fn=1)}}
    text = evaluation.format_report(report)
    assert "Learning on a new site" in text and "0.900 / 10.0%" in text
