"""The spam classifier: verdicts on hand-written comments, calibration, persistence, site labels."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from tribuna.antispam import classifier, evaluation, features
from tribuna.antispam.classifier import Sample

# Hand-written legitimate comments the shipped model still flags. They are listed so that the test
# fails on any new one; see model/README.md for why these happen ("subscribed" and "check out" are the
# commonest words of YouTube channel spam).
KNOWN_FLAGGED_HAM = {
    "Thanks! Subscribed to the updates by email.",
    "Can you check out the accessibility of the page? The contrast on the grey text is very low for me.",
}

OBVIOUS_SPAM = [
    Sample("CHECK OUT MY CHANNEL!!! subscribe please, I sub back!!! http://youtube.com/channel/xyz"),
    Sample("Buy cheap viagra online without prescription, fast shipping: http://cheap-pills-rx.top"),
    Sample("Make $5000 a week from home!!! Click here http://bit.ly/easy-cash-now"),
]


@pytest.fixture(scope="module")
def model():
    return classifier.SpamModel.load(classifier.SHIPPED_PATH)


def small_corpus():
    ham = [f"I really enjoyed point {i} of the statement, thanks for the clear summary" for i in range(20)]
    spam = [f"check out my channel and subscribe for free money http://spam{i}.xyz" for i in range(20)]
    return [Sample(t) for t in ham + spam], [0] * 20 + [1] * 20


def test_the_handwritten_blog_comments_are_not_spam_except_the_known_few(model):
    ham = evaluation.load_handwritten("ham")
    flagged = {s.text for s, p in zip(ham, model.probabilities(ham), strict=True) if classifier.verdict_for(p) == "spam"}
    assert flagged <= KNOWN_FLAGGED_HAM
    assert len(flagged) / len(ham) <= 0.05


def test_it_has_at_least_sixty_handwritten_blog_comments():
    assert len(evaluation.load_handwritten("ham")) >= 60


def test_obvious_spam_is_never_approved(model):
    for sample in OBVIOUS_SPAM:
        assert model.predict(sample).verdict in ("spam", "hold"), sample.text


def test_channel_and_easy_money_spam_is_spam(model):
    # Pharma spam is only held: the shipped data has little of it (see model/README.md).
    for sample in (OBVIOUS_SPAM[0], OBVIOUS_SPAM[2]):
        assert model.predict(sample).verdict == "spam", sample.text


def test_a_plain_thank_you_is_approved(model):
    assert model.predict(Sample("Thank you for publishing the minutes, very helpful.", name="Ana")).verdict == "approve"


def test_probability_is_a_probability(model):
    samples = evaluation.load_handwritten("ham") + evaluation.load_handwritten("spam") + OBVIOUS_SPAM
    probabilities = model.probabilities(samples)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert probabilities[-len(OBVIOUS_SPAM):].min() > probabilities[:10].max()


def test_reasons_name_links_and_the_model_score(model):
    reasons = model.predict(OBVIOUS_SPAM[1]).reasons
    assert "1 link" in reasons
    assert "cheap domain" in reasons
    assert reasons[-1].startswith("model: ") and "spam-like" in reasons[-1]


def test_predict_many_matches_predict(model):
    samples = evaluation.load_handwritten("spam")[:5]
    assert [p.probability for p in model.predict_many(samples)] == [model.predict(s).probability for s in samples]


def test_save_and_load_give_identical_predictions(model, tmp_path):
    path = tmp_path / "copy.joblib"
    model.save(path)
    loaded = classifier.SpamModel.load(path)
    samples = evaluation.load_handwritten("ham")[:10] + OBVIOUS_SPAM
    assert loaded.version == model.version
    assert [loaded.predict(s) for s in samples] == [model.predict(s) for s in samples]


def test_the_screening_fast_path_computes_what_scikit_learn_computes():
    texts = [features.ngram_text(t) for t in ["Thanks for this, see https://docs.python.org", "sub to my channel!!",
                                               "thanks thanks thanks for the channel", "a b c"]]
    for params in (classifier.WORD_PARAMS, classifier.CHAR_PARAMS):
        vectorizer = TfidfVectorizer(**{**params, "min_df": 1}).fit(texts)
        block = classifier._Vocabulary(params, dict(vectorizer.vocabulary_), vectorizer.idf_, offset=0)
        for text, row in zip(texts, vectorizer.transform(texts).toarray(), strict=True):
            columns, values = block.vector(text)
            dense = np.zeros(len(row))
            dense[columns] = values
            np.testing.assert_allclose(dense, row, atol=1e-12)


def test_verdicts_follow_the_thresholds():
    assert classifier.verdict_for(classifier.SPAM_THRESHOLD) == "spam"
    assert classifier.verdict_for(classifier.HOLD_THRESHOLD) == "hold"
    assert classifier.verdict_for(classifier.HOLD_THRESHOLD - 0.01) == "approve"
    assert classifier.verdict_for(0.6, spam=0.5, hold=0.2) == "spam"


def test_training_is_deterministic():
    samples, labels = small_corpus()
    first, second = classifier.train(samples, labels), classifier.train(samples, labels)
    assert first.version == second.version
    assert list(first.probabilities(samples)) == list(second.probabilities(samples))


def test_the_shipped_corpus_is_deduplicated_and_clean():
    samples, labels, sources = classifier.load_shipped_corpus()
    assert set(sources) == {*classifier.YOUTUBE_FILES, classifier.EMAIL_SOURCE}
    assert len(samples) == len(labels) == len(sources)
    assert not any("\ufeff" in s.text for s in samples)
    videos = [s for s, src in zip(samples, sources, strict=True) if src in classifier.YOUTUBE_FILES]
    assert all(s.page.startswith("https://www.youtube.com/watch?v=") and s.title for s in videos)
    for source in set(sources):
        keys = [classifier.text_key(s.text) for s, src in zip(samples, sources, strict=True) if src == source]
        assert len(keys) == len(set(keys))


def test_links_are_found_in_text_and_markup():
    links = features.find_links('see <a href="http://www.youtube.com/watch?v=1">here</a> and cheap-pills.top/buy')
    assert [link.host for link in links] == ["youtube.com", "cheap-pills.top"]


def test_a_link_to_the_page_itself_weighs_less_than_the_same_words_linking_elsewhere(model):
    page = "https://statements.example.org/statements/library-hours/"
    quoting = Sample(f"The table is in the second section: {page}#s2", page=page)
    elsewhere = Sample("The table is in the second section: https://deals.example.com/s2", page=page)
    assert model.predict(quoting).probability < model.predict(elsewhere).probability


def test_site_labels_shift_the_model(model):
    # A site whose moderators keep marking garden-club adverts as spam.
    advert = "Join our garden club meeting every Tuesday, everyone welcome, bring seeds"
    site = [Sample(f"{advert} number {i}") for i in range(30)]
    retrained = classifier.train_with_site_labels(site, [1] * len(site))
    probe = Sample(f"{advert} number 99")
    assert retrained.predict(probe).probability > model.predict(probe).probability + 0.3
