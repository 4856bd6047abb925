"""Evaluation of the spam filter: outcome counts, leave one source out, the learning curve, the report and
the `spam` command. Models here train on the small corpus of tests/antispam/conftest.py."""

import dataclasses
import io

import pytest
from django.core.management import call_command
from sklearn.metrics import matthews_corrcoef

from tribuna.antispam import classifier, evaluation
from tribuna.antispam.classifier import Sample
from tribuna.antispam.evaluation import Metrics


def test_outcomes_are_counted_where_comments_end():
    m = Metrics()
    verdicts = [
        (0, "approve"),
        (0, "approve"),
        (0, "hold"),
        (0, "spam"),
        (1, "approve"),
        (1, "hold"),
        (1, "spam"),
        (1, "spam"),
    ]
    for label, verdict in verdicts:
        m.add(label, verdict)
    assert m.counts() == (2, 1, 1, 1, 1, 2)
    assert (m.ham, m.spam, m.n) == (4, 4, 8)
    kept_off = [int(v != "approve") for _, v in verdicts]
    assert m.mcc == pytest.approx(matthews_corrcoef([label for label, _ in verdicts], kept_off))


def test_mcc_needs_both_classes_and_nothing_is_not_an_error():
    assert Metrics().mcc is None and Metrics(ham_published=5).mcc is None
    assert Metrics(ham_published=5, spam_published=5).mcc == 0.0


def test_metrics_add_up():
    assert (Metrics(1, 2, 3, 4, 5, 6) + Metrics(1, 1, 1, 1, 1, 1)).counts() == (2, 3, 4, 5, 6, 7)


@pytest.mark.parametrize(
    "metrics, misses",
    [
        (Metrics(ham_published=98, ham_held=1, ham_hidden=1, spam_published=1, spam_held=9), []),
        (Metrics(ham_published=80, ham_hidden=2, ham_held=18), ["hidden 2.0% > 1%", "held 18.0% > 15%"]),
        (Metrics(ham_published=10, spam_published=2, spam_held=8), ["spam published 20.0% > 10%"]),
    ],
)
def test_each_source_says_which_cold_target_it_misses(metrics, misses):
    assert metrics.misses() == misses


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
    fresh: dict[str, Metrics] = {}
    results = evaluation.leave_one_source_out(samples, labels, sources, fresh=fresh)
    assert set(results) == {"a", "b"} == set(fresh)
    assert all(m.n == 60 for m in [*results.values(), *fresh.values()])
    assert all(m.ham_hidden == 0 and m.spam_published == 0 for m in results.values())


def test_a_comment_on_a_fresh_thread_keeps_its_own_fields_and_loses_its_page():
    video = Sample(
        "Check out my channel",
        name="Ann",
        url="https://ann.example",
        page="https://www.youtube.com/watch?v=x",
        title="A video",
        page_text="Lyrics",
    )
    fresh = evaluation.on_a_fresh_thread(video)
    assert (fresh.text, fresh.name, fresh.url) == (video.text, video.name, video.url)
    assert (fresh.page, fresh.title, fresh.page_text) == (evaluation.FRESH_THREAD_PAGE, "", "")
    # On the video's page the author's name leads to a channel; on a site's own thread it leads nowhere.
    model = classifier.load_shipped_model()
    plain = Sample("We pray for you, get well soon", page=video.page)
    assert model.predict(plain).payload and not model.predict(evaluation.on_a_fresh_thread(plain)).payload


def test_learning_on_a_new_site_tests_every_step_on_the_same_unlabelled_comments():
    samples, labels, sources = toy_corpus("youtube-psy", "other")
    curve = evaluation.learning_on_a_new_site(samples, labels, sources, decisions=(5, 10), test_from=10)
    assert list(curve) == ["youtube-psy"]  # only the videos present
    assert list(curve["youtube-psy"]) == [0, 5, 10]  # 0: the cold model
    assert all(m.n == 60 - 10 for m in curve["youtube-psy"].values())


def test_most_labelled_tests_the_cold_and_the_taught_model_on_the_last_30_percent(monkeypatch):
    samples, labels, sources = toy_corpus("youtube-psy", "other")
    calls = []

    def recording_learning(*args, **kwargs):
        calls.append(kwargs)
        return {"youtube-psy": {0: "cold", kwargs["decisions"][0]: "taught"}}

    monkeypatch.setattr(evaluation, "learning_on_a_new_site", recording_learning)
    refused: dict[str, list[int]] = {}
    results = evaluation.with_most_labelled(samples, labels, sources, share=0.7, refused=refused)
    assert results == {"youtube-psy": ("cold", "taught")}
    # The video's 60 comments: the first 42 labelled, tested from the 43rd; refusals reported.
    assert calls[0]["decisions"] == (42,) and calls[0]["test_from"] == 42 and calls[0]["refused"] is refused
    monkeypatch.undo()
    cold, taught = evaluation.with_most_labelled(samples, labels, sources, share=0.5)["youtube-psy"]
    assert cold.n == taught.n == 30


def test_learning_on_a_fresh_thread_labels_and_tests_the_comments_without_their_page(monkeypatch):
    samples, labels, sources = toy_corpus("youtube-psy", "other")
    samples = [dataclasses.replace(s, page="https://www.youtube.com/watch?v=9bZkp7q19f0") for s in samples]
    screened, trained = [], []
    fit = classifier.TrainingSet.fit

    def recording_fit(self, rows, labels, weights=None, site_labels=(0, 0)):
        trained.append(([self.samples[i] for i in rows], site_labels))
        return fit(self, rows, labels, weights, site_labels)

    def recording_outcomes(model, tested, tested_labels):
        screened.extend(tested)
        return evaluation.Metrics()

    monkeypatch.setattr(classifier.TrainingSet, "fit", recording_fit)
    monkeypatch.setattr(evaluation, "outcomes", recording_outcomes)
    evaluation.learning_on_a_new_site(samples, labels, sources, decisions=(10,), test_from=10, fresh=True)
    assert len(screened) == 2 * 50 and {s.page for s in screened} == {evaluation.FRESH_THREAD_PAGE}
    site_rows, site_labels = trained[-1]
    own = [s for s in site_rows if s.page == evaluation.FRESH_THREAD_PAGE]  # the first 10, minus 2 held back
    assert len(own) == 8 and site_labels == (6, 2)  # every fifth (a spam) held back
    assert all(s.page != evaluation.FRESH_THREAD_PAGE for s in site_rows[: len(site_rows) - 8])


def test_the_never_trained_on_sources_are_the_blog_comments_the_civic_set_and_the_site_sets():
    results = evaluation.never_trained_on(classifier.load_shipped_model())
    assert results["blog-comments"].ham >= 60 and results["blog-comments"].spam >= 20
    assert results["civic-comments"].ham >= 150 and results["civic-comments"].spam == 0
    assert results["blog-comments"].ham_hidden == 0
    for name in evaluation.SITE_SETS:
        assert results[name].ham >= 180 and results[name].spam >= 90
        assert results[name].ham_hidden == 0, name  # no reader of any site's page is hidden


def test_the_site_sets_are_screened_on_their_pages_and_on_a_fresh_thread():
    samples, labels = evaluation.load_site_set("organisations")
    assert len(samples) == len(labels) == 280 and sum(labels) == 96
    assert all(s.page and s.title and s.page_text for s in samples)
    fresh = evaluation.never_trained_on(classifier.load_shipped_model(), fresh=True)
    assert set(fresh) == set(evaluation.SITE_SETS)
    for name in evaluation.SITE_SETS:
        assert fresh[name].ham_hidden == 0, name


def good_metrics():
    return Metrics(ham_published=95, ham_held=5, spam_published=5, spam_held=80, spam_hidden=15)


def fake_report():
    good = good_metrics()
    return evaluation.Report(
        model_version="test",
        hold_threshold=0.5,
        spam_threshold=0.97,
        cold={"youtube-psy": good, "civic-comments": Metrics(ham_published=170)},
        fresh={"youtube-psy": good},
        learning={
            "youtube-psy": {0: good, 25: good, 200: Metrics(ham_published=99, ham_held=1, spam_held=100)}
        },
        fresh_learning={"youtube-psy": {0: good, 25: good, 200: good}},
        most_labelled={"youtube-psy": (good, good)},
        fresh_most_labelled={"youtube-psy": (good, good)},
        timing_ms=(0.4, 1.2, 100),
        training_seconds=3.5,
    )


def test_the_report_reads_as_a_table_with_every_required_figure():
    text = evaluation.format_report(fake_report())
    for expected in (
        "hidden",
        "held",
        "published",
        "MCC",
        "youtube-psy",
        "civic-comments",
        "median 0.400 ms, p99 1.200 ms",
        "Learning on a new site",
        "as posted on a fresh thread",
        "k=200",
        "never below cold (on a fresh thread): met",
        "first 70% labelled",
        "MCC >= 0.9 on the rest (on a fresh thread): met",
        "3.5 s",
    ):
        assert expected in text


def test_the_report_says_plainly_whether_the_targets_are_met():
    report = fake_report()
    assert evaluation.cold_target_line(report).endswith(": met")
    assert evaluation.learning_target_line(report).endswith(": met")
    assert evaluation.cold_target_line(report, fresh=True).endswith(": met")
    report.fresh["youtube-lmfao"] = Metrics(ham_published=100, spam_published=12, spam_held=88)
    assert "source on a fresh thread" in evaluation.cold_target_line(report, fresh=True)
    assert "NOT met by youtube-lmfao (spam published 12.0% > 10%)" in evaluation.cold_target_line(
        report, fresh=True
    )
    report.cold["blog-comments"] = Metrics(ham_published=90, ham_hidden=10, spam_published=5, spam_held=5)
    assert (
        "NOT met by blog-comments (hidden 10.0% > 1%, spam published 50.0% > 10%)"
        in evaluation.cold_target_line(report)
    )
    report.learning["youtube-psy"][50] = Metrics(ham_published=50, ham_held=50, spam_held=100)
    line = evaluation.learning_target_line(report)
    assert "NOT met" in line and "below cold after 50" in line
    assert evaluation.most_labelled_target_line(report, fresh=True).endswith(": met")
    report.fresh_most_labelled["youtube-psy"] = (
        good_metrics(),
        Metrics(ham_published=80, ham_held=20, spam_held=100),
    )
    assert "NOT met by youtube-psy (MCC 0.816)" in evaluation.most_labelled_target_line(report, fresh=True)
    assert evaluation.most_labelled_target_line(report).endswith(": met")
    report.fresh_most_labelled_refused["youtube-psy"] = [42]
    assert "youtube-psy         0.900   0.816*" in evaluation.format_report(report)


@pytest.mark.django_db
def test_spam_evaluate_prints_the_report(monkeypatch):
    monkeypatch.setattr(evaluation, "run", lambda quick: fake_report())
    out = io.StringIO()
    call_command("spam", "evaluate", "--quick", stdout=out, stderr=io.StringIO())
    assert "Cold, per left-out source" in out.getvalue()


def test_spam_build_shipped_writes_a_loadable_model(monkeypatch, tmp_path):
    samples = [Sample(f"thanks for point {i}") for i in range(10)] + [
        Sample(f"buy pills {i} now") for i in range(10)
    ]
    monkeypatch.setattr(classifier, "load_shipped_corpus", lambda: (samples, [0] * 10 + [1] * 10, ["x"] * 20))
    out = io.StringIO()
    call_command("spam", "build-shipped", "--output", str(tmp_path / "m.npz"), stdout=out)
    assert "wrote" in out.getvalue()
    assert classifier.SpamModel.load(tmp_path / "m.npz").predict(Sample("buy pills 99 now")).probability > 0.5


def test_spam_build_shipped_dry_run_writes_nothing(monkeypatch, tmp_path):
    samples = [Sample(f"thanks for point {i}") for i in range(10)] + [
        Sample(f"buy pills {i} now") for i in range(10)
    ]
    monkeypatch.setattr(classifier, "load_shipped_corpus", lambda: (samples, [0] * 10 + [1] * 10, ["x"] * 20))
    out = io.StringIO()
    call_command("spam", "build-shipped", "--dry-run", "--output", str(tmp_path / "m.npz"), stdout=out)
    assert "would write" in out.getvalue()
    assert not (tmp_path / "m.npz").exists()
