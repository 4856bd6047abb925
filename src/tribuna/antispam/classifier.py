"""Tribuna's own spam classifier: a calibrated linear model that runs on the server, no data leaves it.

What it reads about a comment (``Sample``): the text, the author's name and website. What it sees:
word 1-2-grams and character 3-5-grams (TF-IDF, links replaced by a placeholder, see ``features``)
plus a few hand-made shape features (links and what kind of domain, capitals, exclamation marks,
phone numbers, money...). One logistic regression over all of them; its score is turned into a
probability by Platt scaling fitted on out-of-fold scores, so ``Prediction.probability`` can be
compared with the thresholds below.

Only plain data is stored (vocabularies, IDF weights, coefficients) in a NumPy ``.npz`` archive,
never pickled objects, so a saved model loads under any library version, can be kept in a database
column, and screening one comment is a few dictionary look-ups and a dot product (well under a
millisecond). Screening imports neither scikit-learn nor SciPy (web processes stay small); training
imports them when it runs, and it tokenises with the same functions screening uses.

``decide`` is the verdict policy: a comment is hidden as spam only when the model is very sure AND
an independent rule found a sign of spam; a comment the model finds spam-like is otherwise held for
a moderator, with its reasons. A legitimate comment lost to the spam folder costs far more than a
moderator's click.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import math
import operator
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import features

# Defaults; the caller (antispam.screen) may override them from Django settings. Chosen on
# leave-one-video-out results (see model/README.md and ``tribuna spam evaluate``).
HOLD_THRESHOLD = 0.5  # at or above: a moderator decides
SPAM_THRESHOLD = 0.97  # at or above, with at least one independent sign of spam: hidden as spam
EVIDENCE_TO_HOLD = 2  # this many independent signs of spam hold a comment whatever the model's score
# Signs too common in readers' own comments to hide one with the model: on social pages readers tag
# friends ("@jess_k check this out!"), which the words alone make look like a plug. In the shipped data the
# others are as doubtful: the video annotators call 6 of 43 like-baits legitimate ("Thumbs up if you're
# watching in 2015"), 6 of 13 phone-number-like figures and 2 of 3 comments in look-alike letters, and 81 of
# 103 e-mails with several links are legitimate. They still count towards holding (two signs, or one with a
# doubtful score); a comment the model is sure of with only these is held, not hidden.
NOT_ENOUGH_TO_HIDE = frozenset(
    {"handle of another account", "like-bait", "phone number", "look-alike letters", "several links"}
    | {"money or investment testimonial", "links in markup", "website with generic praise"}
    | {features.BUSINESS_NAME}  # a sign about the author, not the text: it holds (HOLDS_ALONE), never hides
    | {features.BUSINESS_DOMAIN}  # a brand readers cite may have a money word in its name
)
# Signs that hold a comment on their own whatever the model's score: the link-drop comment of blog spam
# (generic praise, a website, not a word of the page) reads as harmless text, so the words cannot tell.
HOLDS_ALONE = frozenset({"website with generic praise", features.BUSINESS_NAME})
LENIENT_HOLD_THRESHOLD = (
    0.8  # the hold threshold for a comment about its page, or by a regular, without such signs
)
PROMOTION_HOLD_FACTOR = 0.7  # the hold threshold times this for an unknown author's comment that sends
# readers elsewhere and is not about its page: the shape of link and channel spam, so less doubt holds it
ON_TOPIC_WORDS = 2  # content words shared with the page (title and text) that make a comment "about its page"
# A model trained on at least this many of its own site's labels, at least SITE_TAUGHT_EACH of them spam and
# as many legitimate, has been shown what that site's moderators keep off their pages. Its word then holds
# a comment that sends readers nowhere from the hold threshold, as any other: the leniency for such comments
# (``decide``'s ``sends_nowhere``) is for a model that has never seen the site. Measured with
# ``spam evaluate``'s fresh-thread learning table: with the leniency kept, a site's own labels could not
# move the comments it protects, and learning made one video worse than cold.
SITE_TAUGHT_LABELS, SITE_TAUGHT_EACH = 50, 10

MODEL_DIR = Path(__file__).resolve().parent / "model"
SHIPPED_PATH = MODEL_DIR / "shipped.npz"
FORMAT = 3  # 3: NumPy archive; own tokenisers; contact, money, look-alike, page-distance features

_WORD_TOKEN = re.compile(r"\w+")  # the tokens of r"(?u)\b\w+\b", found faster
_WHITE_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str) -> list[str]:
    """Word 1- and 2-grams, as scikit-learn's word analyser with ``token_pattern=r"(?u)\\b\\w+\\b"``."""
    tokens = _WORD_TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_ngrams(text: str) -> list[str]:
    """Character 3- to 5-grams within words padded by a space, as scikit-learn's ``char_wb`` analyser.
    Written here so that screening needs no scikit-learn; a test checks both give the same n-grams."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        grams += _padded_word_grams(word)
    return grams


def _padded_word_grams(word: str) -> map:
    """The n-grams of one word (no white space in it), padded by a space; the slicing loops in C."""
    word = f" {word} "
    return map(word.__getitem__, _gram_slices(len(word)))


@functools.lru_cache(maxsize=256)
def _gram_slices(length: int) -> tuple[slice, ...]:
    """Where a padded word's 3-, 4- and 5-grams are; a word of at most n characters is its own n-gram, and
    then there are no longer ones."""
    slices = []
    for n in range(3, 6):
        if length <= n:
            slices.append(slice(None))
            break
        slices += [slice(i, i + n) for i in range(length - n + 1)]
    return tuple(slices)


ANALYZERS = {"word": word_ngrams, "char_wb": char_ngrams}
# Vectoriser settings of the two n-gram blocks (vocabulary selection and TF-IDF happen in ``_tfidf``).
WORD_PARAMS = {"analyzer": "word", "min_df": 2, "max_features": 30000}
CHAR_PARAMS = {"analyzer": "char_wb", "min_df": 2, "max_features": 60000}
HAND_SCALE = 2.0  # weight of the hand-feature block against the unit-length n-gram blocks: what carries
# across sites counts for more than one site's vocabulary
C = 4.0  # inverse regularisation strength of the logistic regression (chosen on leave-one-video-out)
CALIBRATION_FOLDS = 5
RANDOM_STATE = 0
MAX_MODEL_CHARS = 1500
WORD_CACHE = 8192  # words whose known character n-grams each model block remembers (about 2.5 MB)
_IS_NOT_NONE = functools.partial(operator.is_not, None)
_NO_COLUMNS = np.zeros(0, dtype=np.intp)


PROJECT_DATA = Path(__file__).resolve().parents[3] / "data"


def project_data_dir() -> Path:
    """The project's data/ directory (shipped training data); TRIBUNA_TRAINING_DATA overrides it."""
    return Path(os.environ.get("TRIBUNA_TRAINING_DATA") or PROJECT_DATA)


class ModelFormatError(ValueError):
    """A saved model from another Tribuna version (its features differ): retrain to replace it."""


@dataclass(frozen=True)
class Sample:
    """What the classifier sees about one comment."""

    text: str
    name: str = ""
    url: str = ""  # author website
    email: str = ""  # never logged; only its domain's shape could ever be used
    page: str = ""  # address of the page the comment is posted under (Akismet's "permalink")
    title: str = ""  # that page's title
    page_text: str = ""  # that page's text (a statement's), when known


@dataclass
class Prediction:
    probability: float  # calibrated P(spam)
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # independent signs of spam (features.STRONG_EVIDENCE)
    on_topic: bool = False  # shares several content words with the page it is under
    payload: bool = True  # sends readers somewhere (features.has_payload)
    asks: bool = False  # asks readers to subscribe, share or like (features.asks_for_engagement)
    site_taught: bool = False  # the model has learnt from its site's own labels (SpamModel.site_taught)
    hands_over: bool = False  # sends readers to someone or a profile elsewhere (features.hands_readers_over)

    @property
    def sends_nowhere(self) -> bool:
        """Nothing to promote or ask for, judged by a model that has never seen the site: held only when
        sure."""
        return not self.payload and not self.asks and not self.site_taught

    @property
    def lenient(self) -> bool:
        """Without a sign of spam, held on the model's word only from ``LENIENT_HOLD_THRESHOLD``: the
        comment talks about its page, or has nothing to promote (to a model that has not seen the site)."""
        return self.on_topic or self.sends_nowhere

    @property
    def promotes(self) -> bool:
        """Sends readers elsewhere and is not about its page: the shape of link and channel spam."""
        return self.payload and not self.on_topic

    @property
    def verdict(self) -> str:
        return decide(
            self.probability,
            self.evidence,
            lenient=self.lenient,
            promotes=self.promotes,
            sends_nowhere=self.sends_nowhere,
            hands_over=self.hands_over,
        )


def verdict_for(probability: float, spam: float | None = None, hold: float | None = None) -> str:
    """The model's score alone: "spam" at or above the spam threshold, "hold" at or above the hold
    threshold, else "approve". Screening never hides on this alone; see ``decide``."""
    spam = SPAM_THRESHOLD if spam is None else spam
    hold = HOLD_THRESHOLD if hold is None else hold
    if probability >= spam:
        return "spam"
    if probability >= hold:
        return "hold"
    return "approve"


def can_hide(evidence: Sequence[str]) -> bool:
    """Is one of these signs strong enough to hide a comment (not only those readers show too)?"""
    return bool(set(evidence) - NOT_ENOUGH_TO_HIDE)


def decide(
    probability: float,
    evidence: Sequence[str],
    spam: float | None = None,
    hold: float | None = None,
    lenient: bool = False,
    promotes: bool = False,
    sends_nowhere: bool = False,
    hands_over: bool = False,
) -> str:
    """The verdict policy: "spam" only when the model is sure (at or above the spam threshold) AND an
    independent rule found a sign of spam; "hold" when the model finds the comment spam-like, or is
    sure without such a sign, or when two independent signs of spam agree whatever the model says (the
    model cannot have learnt what its training data never showed, such as investment scams that name
    an account to contact); "approve" otherwise.

    ``lenient``: the comment talks about its page, has nothing to promote, or its author is a regular
    (``Prediction.lenient``, screen): without a sign of spam,
    the model's word alone holds it only from ``LENIENT_HOLD_THRESHOLD``. ``promotes``: the opposite case,
    an unknown author's comment that sends readers elsewhere and is not about its page; it is held from
    ``PROMOTION_HOLD_FACTOR`` times the hold threshold, since uncertain promotion is what link and
    channel spam looks like, and holding it costs a click, not a reader. ``sends_nowhere``: no link,
    website, address, number, account or platform at all, and no ask to subscribe, share or like; such
    a comment cannot profit a spammer, so
    without a sign of spam the model's word alone holds it only when the model is sure (the spam
    threshold): "Thanks! Subscribed to the updates." is not channel spam on a statement's page.
    ``hands_over``: the comment sends readers to a person on a messaging channel or by handle ("contact her
    on WhatsApp +1 415...", "message @recover.funds01"), to an account named for investing ("@jane_fx") or
    to the author's own profile ("link in my bio"), the end of a scam's testimonial; held whatever the
    score unless the comment is lenient (about its page, or by a regular). No legitimate comment of the
    shipped data nor of either hand-written set does it, and the model, which saw one, scores some low."""
    hold = HOLD_THRESHOLD if hold is None else hold
    if sends_nowhere and not evidence:
        hold = max(hold, SPAM_THRESHOLD if spam is None else spam)
    elif lenient and not evidence:
        hold = max(hold, LENIENT_HOLD_THRESHOLD)
    elif promotes and not lenient:
        hold *= PROMOTION_HOLD_FACTOR
    verdict = verdict_for(probability, spam, hold)
    if verdict == "spam" and not can_hide(evidence):
        return "hold"
    if verdict == "approve" and (
        len(set(evidence)) >= EVIDENCE_TO_HOLD
        or HOLDS_ALONE.intersection(evidence)
        or (hands_over and not lenient)
    ):
        return "hold"
    return verdict


class _Vocabulary:
    """One fitted TF-IDF block as plain data: analyser, term -> column, IDF per column."""

    def __init__(self, params: dict, vocabulary: dict[str, int], idf: np.ndarray, offset: int):
        self.params = params
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.offset = offset
        self._analyze = ANALYZERS[params["analyzer"]]
        self._by_word = params["analyzer"] == "char_wb"
        if self._by_word:
            # Character n-grams never cross a space, so a word's known columns are the same wherever it
            # appears: most words of a comment were seen in an earlier one, and a long comment costs a
            # few cache hits per word instead of fifteen dictionary look-ups (bench/bench_screen.py).
            self._word_columns = functools.lru_cache(maxsize=WORD_CACHE)(self._columns_of_word)

    def known_columns(self, text: str) -> np.ndarray:
        """The model's columns (``offset`` added) of the text's known terms, once per occurrence."""
        if self._by_word:
            per_word = list(map(self._word_columns, text.split()))
            return np.concatenate(per_word) if per_word else _NO_COLUMNS
        known = filter(_IS_NOT_NONE, map(self.vocabulary.get, self._analyze(text)))  # loops in C
        return np.fromiter(known, dtype=np.intp) + self.offset

    def _columns_of_word(self, word: str) -> np.ndarray:
        known = filter(_IS_NOT_NONE, map(self.vocabulary.get, _padded_word_grams(word)))
        return np.fromiter(known, dtype=np.intp) + self.offset

    def terms(self) -> list[str]:
        """The terms in column order."""
        terms = [""] * len(self.vocabulary)
        for term, column in self.vocabulary.items():
            terms[column] = term
        return terms


class SpamModel:
    """A trained classifier. Build it with ``train()``; keep it with ``save()`` / ``load()``."""

    def __init__(
        self,
        version: str,
        blocks: list[_Vocabulary],
        coef: np.ndarray,
        intercept: float,
        calibration: tuple[float, float],
        hand_scale: float = HAND_SCALE,
        site_labels: tuple[int, int] = (0, 0),
    ):
        self.version = version
        self.site_labels = (int(site_labels[0]), int(site_labels[1]))  # its site's labels: legitimate, spam
        self.blocks = blocks
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = intercept
        self.calibration = calibration
        self.hand_scale = hand_scale
        self._hand_offset = sum(len(b.vocabulary) for b in blocks)
        self._hand_coef = self.coef[self._hand_offset :]
        self._idf = np.concatenate([b.idf for b in blocks]) if blocks else np.zeros(0)
        self._block_starts = np.array([b.offset for b in blocks] + [self._hand_offset], dtype=np.intp)
        self._word_names: list[str] | None = None

    @property
    def site_taught(self) -> bool:
        """Trained on enough of its own site's labels of both kinds to judge that site's comments."""
        ham, spam = self.site_labels
        return ham + spam >= SITE_TAUGHT_LABELS and min(ham, spam) >= SITE_TAUGHT_EACH

    # -- screening -----------------------------------------------------------------------------
    def score(self, sample: Sample) -> float:
        """The uncalibrated linear score (log-odds before Platt scaling)."""
        return self._score(sample)[0]

    def _score(self, sample: Sample):
        plain = features.clean(sample.text)
        columns, values, parts = self._ngram_vector(
            features.ngram_text(plain[:MAX_MODEL_CHARS], sample.page, sample.title)
        )
        total = self.intercept + float(self.coef[columns] @ values)
        hand = features.hand_features(
            sample.text, sample.name, sample.url, plain, sample.page, sample.title, sample.page_text
        )
        total += float(self._hand_coef @ hand) * self.hand_scale
        return total, parts, hand, plain

    def _ngram_vector(self, text: str):
        """Columns (increasing) and values of the n-gram blocks for one text, and the same per block: sublinear
        tf times IDF, each block L2-normalised, exactly as the training matrix (``_tfidf_rows``) computes them.

        The blocks go through NumPy together, and one sort counts the terms (a Counter costs a dictionary
        update per n-gram)."""
        known = [block.known_columns(text) for block in self.blocks]
        columns, counts = np.unique(np.concatenate(known), return_counts=True)
        values = (1.0 + np.log(counts)) * self._idf[columns]  # log(1) = 0: a single occurrence is its IDF
        bounds = np.searchsorted(columns, self._block_starts).tolist()
        parts = []
        for start, end in itertools.pairwise(bounds):
            block = values[start:end]  # a view: normalised in place
            if end > start:
                block /= math.sqrt(float(block @ block))
            parts.append((columns[start:end], block))
        return columns, values, parts

    def probability_from_score(self, score: float) -> float:
        a, b = self.calibration
        z = a * score + b
        # Numerically safe logistic function.
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    def predict(self, sample: Sample) -> Prediction:
        score, parts, hand, plain = self._score(sample)
        probability = self.probability_from_score(score)
        shared = round(math.expm1(hand[features.FEATURE_NAMES.index("words shared with the page")] * 2))
        reasons = self._reasons(probability, parts, hand, sample.text)
        asks = features.asks_for_engagement(hand, plain)
        if asks and "like-bait" not in reasons:  # tells the moderator why a no-link comment was judged so
            reasons.insert(-1, "asks readers to subscribe, share or like")
        disguised = features.has_disguised_link(plain)
        if disguised:
            reasons.insert(-1, "link written out to hide it")
        payload = features.has_payload(hand, plain, sample.page, disguised)
        evidence = features.evidence(hand)
        if features.COMMERCIAL_DOMAIN in evidence and not features.plainly_selling(
            sample.text, sample.url, sample.page
        ):
            # A brand with one money or commerce word in its name: a finance blog's readers cite
            # "vanguardinvestor" and "moneysavingexpert", and the model is sure of such comments.
            evidence = [features.BUSINESS_DOMAIN if e == features.COMMERCIAL_DOMAIN else e for e in evidence]
            reasons = [features.BUSINESS_DOMAIN if r == features.COMMERCIAL_DOMAIN else r for r in reasons]
        # A sign about the author, not the text: only with a website or a link, which link spam's
        # keyword-stuffed name is there to rank.
        if features.links_somewhere(hand) and features.business_name(sample.name):
            evidence.append(features.BUSINESS_NAME)
            reasons.insert(-1, features.BUSINESS_NAME)
        # Not a sign of its own (it is a narrower case of contact-seeking, already counted), but it holds; and
        # whom it hands readers to is what the comment promotes.
        handed_to = features.hands_readers_over(plain)
        hands_over = handed_to is not None
        if handed_to:
            reasons.insert(-1, handed_to)
            payload = True
        # A scam's testimonial sends readers to the person it vouches for, by name if by nothing else: a
        # payload, and held as handing readers over is.
        if features.vouches_for_someone(plain):
            reasons.insert(-1, features.VOUCHES)
            hands_over = payload = True
        return Prediction(
            probability,
            reasons,
            evidence,
            on_topic=shared >= ON_TOPIC_WORDS,
            payload=payload,
            asks=asks,
            site_taught=self.site_taught,
            hands_over=hands_over,
        )

    def predict_many(self, samples: Iterable[Sample]) -> list[Prediction]:
        return [self.predict(s) for s in samples]

    def probabilities(self, samples: Iterable[Sample]) -> np.ndarray:
        return np.array([self.probability_from_score(self.score(s)) for s in samples])

    def _reasons(self, probability: float, parts, hand: np.ndarray, text: str) -> list[str]:
        reasons = features.describe(hand, text)
        if self._word_names is None:
            self._word_names = self.blocks[0].terms()
        leaning = "spam-like" if probability >= HOLD_THRESHOLD else "legitimate-looking"
        summary = f"model: {probability:.2f} {leaning}"
        if probability >= HOLD_THRESHOLD:
            # The word n-grams pushing hardest towards spam (character n-grams are not readable): the three
            # largest contributions, ties to the higher column.
            columns, values = parts[0]
            weights = self.coef[columns] * values
            top = np.lexsort((columns, weights))[::-1][:3]
            words = [
                self._word_names[c]
                for weight, c in zip(weights[top].tolist(), columns[top].tolist(), strict=True)
                if weight > 0.05 and not self._word_names[c].startswith(features.PLACEHOLDERS)
            ]
            if words:
                summary += " (" + ", ".join(repr(w) for w in words) + ")"
        return [*reasons, summary]

    # -- persistence ---------------------------------------------------------------------------
    def save(self, file: str | os.PathLike | io.IOBase) -> None:
        """Write the model as a compressed NumPy archive to a path or a binary file object."""
        meta = {
            "format": FORMAT,
            "version": self.version,
            "intercept": self.intercept,
            "calibration": list(self.calibration),
            "hand_scale": self.hand_scale,
            "blocks": [b.params for b in self.blocks],
            "hand_features": list(features.FEATURE_NAMES),
            "site_labels": list(self.site_labels),
        }
        arrays = {"meta": _bytes_array(json.dumps(meta)), "coef": self.coef}
        for i, block in enumerate(self.blocks):
            arrays[f"terms{i}"] = _bytes_array("\n".join(block.terms()))  # no term contains a newline
            arrays[f"idf{i}"] = np.asarray(block.idf, dtype=np.float64)
        if isinstance(file, str | os.PathLike):
            Path(file).parent.mkdir(parents=True, exist_ok=True)
            with open(file, "wb") as handle:
                np.savez_compressed(handle, **arrays)  # type: ignore[arg-type]  # numpy stubs type allow_pickle only
        else:
            np.savez_compressed(file, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, file: str | os.PathLike | io.IOBase) -> SpamModel:
        """Read a model written by ``save`` from a path or a binary file object."""
        if isinstance(file, str | os.PathLike):
            with open(file, "rb") as handle:
                return cls.load(handle)
        start = file.tell() if file.seekable() else 0
        magic = file.read(2)
        file.seek(start)
        if magic[:1] in (b"\x78", b"\x80"):  # zlib or pickle: an older Tribuna's joblib file
            raise ModelFormatError(
                f"spam model is an older Tribuna's joblib file, this Tribuna reads format {FORMAT}"
            )
        if magic != b"PK":  # an npz archive is a zip file
            raise ValueError("not a spam model archive")
        with np.load(file, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode())
            if meta.get("format") != FORMAT:
                raise ModelFormatError(
                    f"spam model format {meta.get('format')!r}, this Tribuna reads {FORMAT}"
                )
            blocks, offset = [], 0
            for i, params in enumerate(meta["blocks"]):
                text = data[f"terms{i}"].tobytes().decode()
                terms = text.split("\n") if text else []
                blocks.append(
                    _Vocabulary(params, {t: c for c, t in enumerate(terms)}, data[f"idf{i}"], offset)
                )
                offset += len(terms)
            coef = data["coef"]
        return cls(
            meta["version"],
            blocks,
            coef,
            meta["intercept"],
            tuple(meta["calibration"]),
            meta["hand_scale"],
            tuple(meta.get("site_labels", (0, 0))),  # absent from models saved before it was recorded
        )


def _bytes_array(text: str) -> np.ndarray:
    return np.frombuffer(text.encode(), dtype=np.uint8)


@functools.cache
def load_shipped_model() -> SpamModel:
    """The model that ships inside the package, loaded once per process."""
    return SpamModel.load(SHIPPED_PATH)


# -- training ----------------------------------------------------------------------------------
def model_text(text: str, page: str = "", title: str = "") -> str:
    """The text the n-gram blocks read. Very long comments are cut: spam shows itself early, and
    screening time must not grow with a pasted novel."""
    return features.ngram_text(features.clean(text)[:MAX_MODEL_CHARS], page, title)


def _tfidf(counts, rows: np.ndarray, min_df, max_features):
    """Vocabulary columns and IDF learnt from ``rows`` only, as TfidfVectorizer(smooth_idf) would."""
    sub = counts[rows]
    df = np.bincount(sub.indices, minlength=sub.shape[1])
    tf = np.asarray(sub.sum(axis=0)).ravel()
    columns = np.flatnonzero(df >= min_df)
    if len(columns) > max_features:  # the most frequent terms; ties go to the alphabetically first
        columns = np.sort(columns[np.argsort(-tf[columns], kind="stable")[:max_features]])
    idf = np.log((1.0 + len(rows)) / (1.0 + df[columns])) + 1.0
    return columns, idf


def _tfidf_rows(counts, rows: np.ndarray, columns: np.ndarray, idf: np.ndarray):
    """Sublinear tf times IDF, each row L2-normalised (what the screening fast path computes)."""
    from scipy import sparse

    x = counts[rows][:, columns].tocsr()
    x.data = 1.0 + np.log(x.data)
    x = x @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ x).tocsr()


def _classifier():
    from sklearn.linear_model import LogisticRegression

    # dual=True: with far more n-gram columns than texts, liblinear's dual solver reaches the same optimum
    # (coefficients equal to four decimals) about fifteen times faster than the primal one; it is what lets
    # a site's retrain take seconds (bench/bench_retrain.py).
    return LogisticRegression(
        C=C, class_weight="balanced", solver="liblinear", dual=True, max_iter=5000, random_state=RANDOM_STATE
    )


def _fingerprint(
    samples: Sequence[Sample], labels: Iterable[int], weights: Iterable[float], site_rows: int = 0
) -> str:
    digest = hashlib.sha256()
    for s, y, w in zip(samples, labels, weights, strict=True):
        digest.update(
            f"{s.text}\x00{s.name}\x00{s.url}\x00{s.page}\x00{s.title}\x00{s.page_text}\x00{y}\x00{w:.6g}\x01".encode()
        )
    digest.update(
        json.dumps(
            [FORMAT, WORD_PARAMS, CHAR_PARAMS, HAND_SCALE, C, MAX_MODEL_CHARS, CALIBRATION_FOLDS]
            + ([SITE_COPY_FULL_AT, site_rows] if site_rows else []),
            default=str,
        ).encode()
    )
    digest.update(Path(features.__file__).read_bytes())  # what the model reads changes with this code
    return digest.hexdigest()[:10]


class TrainingSet:
    """Samples analysed once: raw term counts of every n-gram block and the hand features.

    Tokenising is the slow part of training (seconds for the shipped corpus), fitting is fast, so the
    calibration folds and every fold of an evaluation select rows and columns from these counts
    instead of re-reading the texts."""

    def __init__(self, samples: Sequence[Sample]):
        from sklearn.feature_extraction.text import CountVectorizer

        self.samples = list(samples)
        texts = [model_text(s.text, s.page, s.title) for s in self.samples]
        self.counts, self.terms = [], []
        for params in (WORD_PARAMS, CHAR_PARAMS):
            vectorizer = CountVectorizer(analyzer=ANALYZERS[str(params["analyzer"])], dtype=np.float64)
            self.counts.append(vectorizer.fit_transform(texts).tocsr())
            self.terms.append(vectorizer.get_feature_names_out())
        self.hand = np.vstack(
            [
                features.hand_features(
                    s.text, s.name, s.url, page=s.page, title=s.title, page_text=s.page_text
                )
                for s in self.samples
            ]
        )

    def _vocabularies(self, rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        return [
            _tfidf(counts, rows, params["min_df"], params["max_features"])
            for counts, params in zip(self.counts, (WORD_PARAMS, CHAR_PARAMS), strict=True)
        ]

    def _matrix(self, rows: np.ndarray, vocabularies, site_copy: np.ndarray | None = None):
        """TF-IDF blocks and hand features of ``rows``. ``site_copy``, per row: the scale of the row's own
        copy of every column, appended after them (``site_copy_scale``); None appends no copy."""
        from scipy import sparse

        blocks = [
            _tfidf_rows(counts, rows, columns, idf)
            for counts, (columns, idf) in zip(self.counts, vocabularies, strict=True)
        ]
        matrix = sparse.hstack([*blocks, sparse.csr_matrix(self.hand[rows] * HAND_SCALE)]).tocsr()
        if site_copy is None:
            return matrix
        return sparse.hstack([matrix, sparse.diags(site_copy) @ matrix]).tocsr()

    def _fit(self, rows: np.ndarray, y: np.ndarray, w: np.ndarray, site_copy: np.ndarray | None = None):
        vocabularies = self._vocabularies(rows)
        matrix = self._matrix(rows, vocabularies, site_copy)
        return _classifier().fit(matrix, y, sample_weight=w), vocabularies

    def fit(
        self,
        rows: Sequence[int],
        labels: Sequence[int],
        weights: Sequence[float] | None = None,
        site_labels: tuple[int, int] = (0, 0),
    ) -> SpamModel:
        """Train on the samples at ``rows`` (labels and weights given for those rows): vocabularies and
        IDF from those rows only, logistic regression, Platt calibration on out-of-fold scores.
        ``site_labels``: how many of the rows, the last ones, are the site's own labels, legitimate and spam.

        The site's own labels also train a copy of every column that only the site's comments have
        (feature augmentation, Daumé's "frustratingly easy domain adaptation"): the shared coefficients
        learn what spam looks like everywhere, the copy learns how this site differs, under its own
        penalty, and screening adds the two. Weighting the site's labels alone either leaves a site's
        own kind of spam published (the shared data outvotes it) or, weighted up, teaches every site's
        model one site's words."""
        from sklearn.model_selection import StratifiedKFold

        at = np.asarray(rows, dtype=int)
        y = np.asarray(labels, dtype=int)
        w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
        if len(at) != len(y) or len(y) != len(w):
            raise ValueError("rows, labels and weights differ in length")
        own = sum(site_labels)
        if own > len(y) or label_counts(y[len(y) - own :]) != tuple(site_labels):
            raise ValueError("site_labels do not count the last rows' labels")
        scale = site_copy_scale(own)
        # Each row's copy: the site's rows at ``scale``, the shared data's at none.
        site_copy = np.where(np.arange(len(y)) >= len(y) - own, scale, 0.0) if scale else None

        # Out-of-fold scores for calibration; each fold learns its own vocabulary, so no text leaks. A site's
        # model screens only that site's comments, so every held-out row is scored as one (with the copy).
        oof = np.zeros(len(y))
        folds = StratifiedKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=RANDOM_STATE)
        for fold_train, fold_test in folds.split(np.zeros(len(y)), y):
            clf, vocabularies = self._fit(
                at[fold_train],
                y[fold_train],
                w[fold_train],
                None if site_copy is None else site_copy[fold_train],
            )
            as_site = None if site_copy is None else np.full(len(fold_test), scale)
            oof[fold_test] = clf.decision_function(self._matrix(at[fold_test], vocabularies, as_site))
        calibration = _platt(oof, y, w)

        clf, vocabularies = self._fit(at, y, w, site_copy)
        blocks, offset = [], 0
        for terms, (columns, idf), params in zip(
            self.terms, vocabularies, (WORD_PARAMS, CHAR_PARAMS), strict=True
        ):
            vocabulary = {str(terms[c]): i for i, c in enumerate(columns)}
            blocks.append(_Vocabulary(params, vocabulary, idf, offset))
            offset += len(vocabulary)
        coef = clf.coef_.ravel().astype(np.float64)
        if site_copy is not None:  # the site's comments carry both copies: one coefficient is their sum
            shared, copy = np.split(coef, 2)
            coef = shared + scale * copy
        # The hand block was scaled inside the matrix; the fast path scales at screening time instead.
        version = f"lr-ngrams-{_fingerprint([self.samples[i] for i in rows], y.tolist(), w, own)}"
        return SpamModel(
            version, blocks, coef, float(clf.intercept_[0]), calibration, HAND_SCALE, site_labels
        )


def train(
    samples: list[Sample],
    labels: list[int],
    weights: list[float] | None = None,
    site_labels: tuple[int, int] = (0, 0),
) -> SpamModel:
    """Fit vocabularies, logistic regression and Platt calibration. Deterministic for the same input."""
    if len(samples) != len(labels):
        raise ValueError("samples and labels differ in length")
    return TrainingSet(samples).fit(range(len(samples)), labels, weights, site_labels)


def label_counts(labels: Iterable[int]) -> tuple[int, int]:
    """How many of ``labels`` are legitimate (0) and spam (1)."""
    labels = list(labels)
    return len(labels) - sum(labels), sum(labels)


def _platt(scores: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling: P(spam) = sigmoid(a * score + b), fitted on out-of-fold scores."""
    from sklearn.linear_model import LogisticRegression

    # Platt's smoothed targets keep the fit from becoming over-confident on separable data.
    n_pos, n_neg = float(w[y == 1].sum()), float(w[y == 0].sum())
    hi, lo = (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2)
    x = np.concatenate([scores, scores]).reshape(-1, 1)
    targets = np.concatenate([np.ones_like(scores), np.zeros_like(scores)])
    soft = np.where(y == 1, hi, lo)
    sample_weight = np.concatenate([w * soft, w * (1 - soft)])
    fit = LogisticRegression(C=1e6, solver="lbfgs").fit(x, targets, sample_weight=sample_weight)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


# -- the shipped corpus ------------------------------------------------------------------------
YOUTUBE_FILES = {
    "youtube-psy": "Youtube01-Psy.csv",
    "youtube-katyperry": "Youtube02-KatyPerry.csv",
    "youtube-lmfao": "Youtube03-LMFAO.csv",
    "youtube-eminem": "Youtube04-Eminem.csv",
    "youtube-shakira": "Youtube05-Shakira.csv",
}
# The page each file's comments were posted under (the collection's five music videos): a comment that
# links to the video it is under is a reader quoting it, one that links elsewhere is promotion. Tribuna
# knows the same for its own comments (the statement's address; Akismet clients send "permalink").
YOUTUBE_PAGES = {
    "youtube-psy": ("https://www.youtube.com/watch?v=9bZkp7q19f0", "PSY - GANGNAM STYLE (강남스타일) M/V"),
    "youtube-katyperry": ("https://www.youtube.com/watch?v=CevxZvSJLk8", "Katy Perry - Roar"),
    "youtube-lmfao": (
        "https://www.youtube.com/watch?v=KQ6zr6kCPj8",
        "LMFAO - Party Rock Anthem ft. Lauren Bennett, GoonRock",
    ),
    "youtube-eminem": (
        "https://www.youtube.com/watch?v=uelHwf8o7_U",
        "Eminem - Love The Way You Lie ft. Rihanna",
    ),
    "youtube-shakira": (
        "https://www.youtube.com/watch?v=pRpeEdMmmQ0",
        "Shakira - Waka Waka (This Time for Africa)",
    ),
}
EMAIL_SOURCE = "spamassassin-email"
# Emails are a different genre: they widen what "legitimate" looks like without drowning the comments.
# 0.03 of a comment each trades the two targets (model/README.md): with none, 10 of the 75 hand-written
# blog comments are flagged; with more, the left-out videos' F1 falls and the blog figure stays at 2.
SOURCE_WEIGHTS = {EMAIL_SOURCE: 0.1}


def text_key(text: str) -> str:
    """Key under which two comments count as the same text (for de-duplication)."""
    return " ".join(features.clean(text).lower().split())


def read_youtube(source: str, data_dir: Path | None = None) -> list[tuple[Sample, int]]:
    """One YouTube Spam Collection file in file order, duplicates kept (the authors' protocol needs them)."""
    path = (data_dir or project_data_dir()) / "youtube-spam" / YOUTUBE_FILES[source]
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (
                Sample(
                    text=row["CONTENT"].replace("\ufeff", ""),
                    name=row["AUTHOR"],
                    page=YOUTUBE_PAGES[source][0],
                    title=YOUTUBE_PAGES[source][1],
                ),
                int(row["CLASS"]),
            )
            for row in csv.DictReader(handle)
        ]


def read_email(data_dir: Path | None = None) -> list[tuple[Sample, int]]:
    path = (data_dir or project_data_dir()) / "spamassassin" / "comments.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return [(Sample(text=row["CONTENT"]), int(row["CLASS"])) for row in csv.DictReader(handle)]


def load_shipped_corpus(data_dir: Path | None = None) -> tuple[list[Sample], list[int], list[str]]:
    """Samples, labels and source name per sample from data/, each text once per source."""
    samples, labels, sources = [], [], []
    groups = [(name, read_youtube(name, data_dir)) for name in YOUTUBE_FILES]
    groups.append((EMAIL_SOURCE, read_email(data_dir)))
    for source, rows in groups:
        seen: set[str] = set()
        for sample, label in rows:
            key = text_key(sample.text)
            if key in seen:
                continue  # first occurrence wins; repeated spam would otherwise inflate every score
            seen.add(key)
            samples.append(sample)
            labels.append(label)
            sources.append(source)
    return samples, labels, sources


def corpus_weights(sources: Sequence[str]) -> list[float]:
    return [SOURCE_WEIGHTS.get(s, 1.0) for s in sources]


def build_shipped_model(path: str | os.PathLike | None = None) -> SpamModel:
    """Train on the whole shipped corpus and write the package's model file (deterministic)."""
    samples, labels, sources = load_shipped_corpus()
    model = train(samples, labels, corpus_weights(sources))
    model.save(path or SHIPPED_PATH)
    load_shipped_model.cache_clear()
    return model


# A site's own moderator decision counts more the more of them there are: with a few dozen labels, mostly
# legitimate, the shipped data should still judge (counted three times each, LMFAO's first retrains learnt that
# its comments are legitimate and published spam the cold model held); with hundreds, the site's moderators
# know its spam best. Measured with spam evaluate's curves at a flat 1.5, 3 and 6 (model/README.md).
SITE_WEIGHT_MIN, SITE_WEIGHT_MAX, SITE_LABELS_PER_WEIGHT = 1.5, 6.0, 40


# The copy of every column that a site's own labels train (``TrainingSet.fit``) is scaled by the share of this
# many labels the site has, up to 1: a site's first few dozen labels, mostly legitimate and never a fair sample,
# may only nudge its model away from the shared one, which judged every site before it. Measured with spam
# evaluate's learning curves: at full scale from the first labels, a left-out video's model fell from MCC 0.93
# to 0.76 after 25 labels; scaled, the curve stays near the cold model's early on and every video reaches 0.9
# after 200 labels (model/README.md).
SITE_COPY_FULL_AT = 160


def site_copy_scale(count: int) -> float:
    """The scale of the site's own copy of the columns, for a model trained on ``count`` of its labels."""
    return min(1.0, count / SITE_COPY_FULL_AT)


def site_label_weight(count: int) -> float:
    """How many shipped examples one of a site's ``count`` labels counts as."""
    return min(SITE_WEIGHT_MAX, max(SITE_WEIGHT_MIN, count / SITE_LABELS_PER_WEIGHT))


def train_with_site_labels(
    site_samples: Sequence[Sample], site_labels: Sequence[int], site_weight: float | None = None
) -> SpamModel:
    """The shipped corpus plus this site's moderator decisions, each counting ``site_weight`` shipped examples
    (``site_label_weight`` of their number by default)."""
    samples, labels, sources = load_shipped_corpus()
    weights = corpus_weights(sources)
    site_weight = site_label_weight(len(site_samples)) if site_weight is None else site_weight
    samples += list(site_samples)
    labels += [int(y) for y in site_labels]
    weights += [float(site_weight)] * len(site_samples)
    return train(samples, labels, weights, label_counts(int(y) for y in site_labels))
