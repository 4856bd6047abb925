"""Text normalisation and hand-made features for the spam classifier.

The n-gram models see a normalised text in which every link is replaced by a placeholder: the
classifier then learns "has a link" and "says subscribe" rather than the names of the sites that
happened to be in the training data (YouTube, in the shipped corpus). What a link looks like is
described by the shape features below instead: how many, whether the domain ends in a cheap
top-level domain, is a URL shortener, a social/video platform, or a documentation page.

Everything here is plain Python on one comment at a time, because screening is on the hot path.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import numpy as np

_TAG = re.compile(r"<[^>]*>")
_HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]+)""", re.I)
# Links written out ("https://x.org/a"), started with www., or bare domains ("cheap-pills.top/buy").
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|info|biz|xyz|top|club|online|site|shop|store"
    r"|app|pro|ly|me|io|co|us|uk|de|ru|cn|tk|ml|ga|cf|gq|live|fun|win|vip|link|click|today|icu|buzz|gl|be)\b"
    r"(?:/[^\s<>\"')\]]*)?",
    re.I,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE = re.compile(r"(?<![\w/])\+?\d[\d ()-]{7,}\d\b")
_MONEY = re.compile(r"[$€£¥]\s?\d|\d\s?[$€£¥]|\b\d[\d,.]*\s?(?:usd|dollars|euros?|btc)\b", re.I)
_PERCENT = re.compile(r"\d\s?%")
_REPEAT_PUNCT = re.compile(r"[!?]{2,}")
_REPEAT_CHAR = re.compile(r"([^\W\d_])\1{2,}")
_SPACE = re.compile(r"\s+")

# Top-level domains that cost next to nothing and are favoured by throwaway spam sites.
CHEAP_TLDS = frozenset(
    "xyz top club online site shop store biz info pro win vip link click today icu buzz live fun tk ml ga cf gq work"
    .split()
)
SHORTENERS = frozenset(
    "bit.ly goo.gl tinyurl.com t.co ow.ly is.gd buff.ly cutt.ly rebrand.ly shorturl.at tiny.cc adf.ly bit.do".split()
)
PLATFORMS = frozenset(
    "youtube.com youtu.be facebook.com fb.com instagram.com twitter.com x.com tiktok.com t.me telegram.me "
    "soundcloud.com twitch.tv wa.me whatsapp.com vk.com plus.google.com".split()
)
# Referral and affiliate links pay whoever posts them: a reason to post that has nothing to do with the page.
_REFERRAL = re.compile(
    r"[?&](?:ref|aff|affid|affiliate|referral|refid|invite|promo)=|/(?:refer|ref|referral|invite|aff|affiliate)/", re.I
)
_REFERENCE_HOST = re.compile(r"^(docs|developer|developers|wiki|en\.wikipedia|support|help)\.|\.(gov|edu|int)$")
_REFERENCE_PATH = re.compile(r"/(docs?|documentation|manual|reference|wiki|rfc|issues|pull|publications)\b", re.I)

URL_TOKEN = " zurlz "
VIDEO_TOKEN = " zvideolinkz "
PAGE_TOKEN = " zpagelinkz "
TOPIC_TOKEN = " ztopicz "
EMAIL_TOKEN = " zemailz "
PLACEHOLDERS = ("zurlz", "zvideolinkz", "zpagelinkz", "ztopicz", "zemailz")
_WORD = re.compile(r"\w+")
# Words of a page title that say nothing about its subject.
_GENERIC_TITLE_WORDS = frozenset(
    "official video videos music song songs lyrics lyric feat ft remix version audio love like new time way".split()
)
_VIDEO_LINK = re.compile(r"(?:https?://)?(?:www\.|m\.)?(?:youtube\.com/watch|youtu\.be/)[^\s<>\"')\]]*", re.I)


# Like-bait ("like this comment if...", "thumbs up if you..."): spam on any site that has likes. Calls to
# action ("check out", "visit", "my blog") were tried as features too and dropped: readers of a blog say
# "check out the appendix" and link their own blog, so those are left to the n-grams and the moderators.
_LIKE_BAIT = re.compile(
    r"\b(?:like|thumbs\s+up|share|retweet|repost)\b(?:\s+\w+){0,3}\s+(?:if\s+(?:you|u|ur)|this\s+comment"
    r"|for\s+no\s+reason)",
    re.I,
)
# Short links that stand for a longer page address (a video's short link is the video page).
_SHORT_PAGE_HOSTS = {"youtu.be": ("youtube.com", "/watch", "v")}


def page_identity(url: str) -> str:
    """What makes two links point at the same page: host without www./m., path, and the query key that
    names the page on sites that use one (``/watch?v=...``). "" when the URL has no host."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    if host in _SHORT_PAGE_HOSTS:
        host, page_path, key = _SHORT_PAGE_HOSTS[host]
        return f"{host}{page_path}?{key}={path.strip('/')}" if path else ""
    if host and path == "/watch":
        return f"{host}/watch?v={parse_qs(parts.query).get('v', [''])[0]}"
    return f"{host}{path}" if host else ""


@dataclass(frozen=True)
class Link:
    host: str
    path: str
    to_page: bool = False  # points at the page the comment is posted under
    referral: bool = False  # carries a referral or affiliate code

    @property
    def tld(self) -> str:
        return self.host.rsplit(".", 1)[-1]


def clean(text: str) -> str:
    """Unicode-normalised text without markup or byte-order marks (YouTube comments end in U+FEFF)."""
    text = unicodedata.normalize("NFKC", text.replace("\ufeff", ""))
    if "<" in text:
        text = _TAG.sub(" ", text.replace("<br />", "\n").replace("<br>", "\n"))
    return text.strip()


def find_links(raw: str, page: str = "") -> list[Link]:
    """Every link in the comment (hrefs in markup too), as host and path; those that point at ``page``,
    the page the comment is posted under, are marked (quoting the page itself, or a time stamp in it, is
    what readers do, not what spammers do)."""
    found = _HREF.findall(raw) if "href" in raw else []
    found += _URL.findall(_TAG.sub(" ", raw) if "<" in raw else raw)
    links, seen = [], set()
    page_id = page_identity(page) if page else ""
    for url in found:
        if "@" in url.split("/")[0]:
            continue  # an email address, counted separately
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").removeprefix("www.")
        key = (host, parts.path.rstrip("/"))
        if not host or key in seen:
            continue
        seen.add(key)
        links.append(Link(host, parts.path, bool(page_id) and page_identity(url) == page_id,
                          bool(_REFERRAL.search(url))))
    return links


def _replace_page_links(text: str, page_id: str) -> str:
    def replace(match: re.Match) -> str:
        return PAGE_TOKEN if page_identity(match.group(0)) == page_id else match.group(0)

    return _URL.sub(replace, text)


@functools.lru_cache(maxsize=256)
def topic_words(title: str) -> frozenset[str]:
    """The words of a page title that name its subject (a statement's title, a video's artist and song)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(
        w for w in _WORD.findall(title.lower())
        if len(w) >= 3 and not w.isdigit() and w not in ENGLISH_STOP_WORDS and w not in _GENERIC_TITLE_WORDS
    )


def _replace_topic_words(text: str, topic: frozenset[str]) -> str:
    return _WORD.sub(lambda m: TOPIC_TOKEN if m.group(0).lower() in topic else m.group(0), text)


def ngram_text(text: str, page: str = "", title: str = "") -> str:
    """What the n-gram models read: lower case, links and email addresses replaced by placeholders.

    A link to the page the comment is under gets its own placeholder; so does a link to one video
    (youtube.com/watch, youtu.be), which spam uses to send readers to another video, while a link to
    a channel or any other site is a plain link. Words of the page's title become one placeholder
    too: the model learns "talks about the page's subject" instead of the names of the subjects it was
    trained on (under one video an artist's name is a fan talking, under another it is promotion)."""
    text = _EMAIL.sub(EMAIL_TOKEN, text)
    page_id = page_identity(page) if page else ""
    if page_id:
        text = _replace_page_links(text, page_id)
    text = _VIDEO_LINK.sub(VIDEO_TOKEN, text)
    text = _URL.sub(URL_TOKEN, text)
    topic = topic_words(title) if title else frozenset()
    if topic:  # after the links, which must stay whole to be recognised
        text = _replace_topic_words(text, topic)
    return _SPACE.sub(" ", text).strip().lower()


FEATURE_NAMES = (
    "links",
    "several links",
    "cheap domain",
    "link shortener",
    "social/video link",
    "documentation link",
    "email address",
    "phone number",
    "money amount",
    "percentage",
    "capitals",
    "exclamations",
    "repeated punctuation",
    "stretched words",
    "digits",
    "length",
    "name has digits",
    "name has a link",
    "author site on cheap domain",
    "link to this page",
    "like-bait",
    "referral link",
    "mentions the page's subject",
)


def hand_features(text: str, name: str = "", url: str = "", plain: str | None = None, page: str = "",
                  title: str = "") -> np.ndarray:
    """A small dense vector (all values roughly within 0..3) describing the comment's shape.

    ``plain`` is ``clean(text)`` when the caller has it already (screening computes it once); ``page``
    is the address of the page the comment is posted under and ``title`` its title, when known."""
    found = find_links(text, page)
    links = [link for link in found if not link.to_page]
    topic = topic_words(title) if title else frozenset()
    plain = clean(text) if plain is None else plain
    letters = [c for c in plain if c.isalpha()]
    n_letters = len(letters) or 1
    upper = sum(c.isupper() for c in letters) / n_letters if len(letters) >= 12 else 0.0
    digits = sum(c.isdigit() for c in plain) / (len(plain) or 1)
    hosts = [link.host for link in links]
    author = find_links(url) if url else []
    return np.array(
        [
            math.log1p(len(links)),
            float(len(links) >= 2),
            float(any(link.tld in CHEAP_TLDS for link in links)),
            float(any(h in SHORTENERS for h in hosts)),
            float(any(h in PLATFORMS or h.endswith(tuple("." + p for p in PLATFORMS)) for h in hosts)),
            float(
                any(_REFERENCE_HOST.search(link.host) or _REFERENCE_PATH.search(link.path) for link in links)
            ),
            float(bool(_EMAIL.search(plain))),
            float(bool(_PHONE.search(_URL.sub(" ", plain)))),
            float(bool(_MONEY.search(plain))),
            float(bool(_PERCENT.search(plain))),
            upper,
            math.log1p(plain.count("!")) / 2,
            float(bool(_REPEAT_PUNCT.search(plain))),
            float(bool(_REPEAT_CHAR.search(plain))),
            min(digits * 5, 1.0),
            math.log1p(len(plain)) / 6,
            float(any(c.isdigit() for c in name)),
            float(bool(find_links(name))),
            float(any(link.tld in CHEAP_TLDS for link in author)),
            float(len(found) > len(links)),
            float(bool(_LIKE_BAIT.search(plain))),
            float(any(link.referral for link in links)),
            float(bool(topic) and any(w.lower() in topic for w in _WORD.findall(plain))),
        ],
        dtype=np.float64,
    )


def describe(values: np.ndarray, text: str) -> list[str]:
    """Moderator-readable reasons for the hand features that point towards spam."""
    reasons = []
    n_links = round(math.expm1(values[0]))
    if n_links:
        reasons.append(f"{n_links} link{'s' if n_links > 1 else ''}")
    for index in (2, 3, 4, 6, 7, 8, 18, 20, 21):
        if values[index]:
            reasons.append(FEATURE_NAMES[index])
    if values[10] > 0.6:
        reasons.append("mostly capitals")
    if text.count("!") >= 4:
        reasons.append(f"{text.count('!')} exclamation marks")
    return reasons
